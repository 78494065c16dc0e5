// A hub as its region's front door (docs/rules.md, hub; docs/metrics.md, the hub's figures): the
// east-of-england hub (eoe-hub, shared/wiring/regions.json) answers its enquiries, visits, and hands
// households over to its councils, which assess and approve; GET /metrics/hub follows each household
// from the hub to wherever it went. The hub's targets are the defaults: first response within 1
// working day, initial visit within 10. 3 March 2025 is a Monday.
import { signLocalToken } from '../../local/tokens';
import { startRunningStack, tokenFor, type RunningStack } from '../support/running-stack';

const region = 'east-of-england';
const hub = 'eoe-hub';
const campaignId = 'hub-spring-2025';
let stack: RunningStack;
const token: Record<string, string> = {};
const ids: Record<string, string> = {};
const references: Record<string, string> = {};
const at = (date: string) => `${date}T10:00:00Z`;

async function accept(call: Promise<{ status: number; body: any }>, label: string) {
  const { status, body } = await call;
  expect([label, status, body?.error]).toEqual([label, 202, undefined]);
  await stack.idle();
  return body;
}
const post = (bearer: string, path: string, body: object) => stack.call('POST', path, { token: bearer, body });
const read = async (path: string, bearer: string) => {
  const { status, body } = await stack.call('GET', path, { token: bearer });
  expect([path, status, body?.error]).toEqual([path, 200, undefined]);
  return body;
};

/** An enquiry at the hub, then its steps there (each [path under the household, body]). */
async function atHub(name: string, enquiredOn: string, campaign: string | undefined, steps: Array<[string, object]>) {
  const answer = await accept(
    post(token.hub!, '/enquiries', {
      channel: 'website',
      ...(campaign ? { campaignId: campaign } : {}),
      occurredAt: at(enquiredOn),
      contact: { name: `Household ${name}` },
    }),
    `${name} enquiry`,
  );
  ids[name] = answer.householdId;
  references[name] = answer.reference;
  for (const [step, body] of steps) await accept(post(token.hub!, `/households/${ids[name]}/${step}`, body), `${name} ${step}`);
}
const contact = (on: string, outcome = 'reached'): [string, object] => [
  'contact-attempts',
  { method: 'phone', outcome, occurredAt: at(on) },
];
const visit = (on: string): [string, object] => ['initial-visit', { occurredAt: at(on) }];
const handover = (to: string, on: string): [string, object] => ['handover', { toAgencyId: to, occurredAt: at(on) }];
/** A step the council records on the household it was handed. */
const atCouncil = (council: string, name: string, step: string, body: object) =>
  accept(post(token[council]!, `/households/${ids[name]}/${step}`, body), `${name} at ${council}: ${step}`);

beforeAll(async () => {
  stack = await startRunningStack();
  token.hub = await tokenFor(hub, 'recruitment');
  token.hubMarketing = await tokenFor(hub, 'marketing');
  token.hubManager = await tokenFor(hub, 'manager');
  for (const council of ['cambs', 'peterborough', 'norfolk']) token[council] = await tokenFor(council, 'recruitment');
  token.cambsManager = await tokenFor('cambs', 'manager');
  token.regional = await signLocalToken({ groups: ['regional'], regionId: region });

  await accept(
    post(token.hubMarketing!, '/campaigns', {
      campaignId,
      name: 'Spring into fostering',
      channels: ['facebook'],
      startsOn: '2025-03-01',
      occurredAt: at('2025-02-20'),
    }),
    'campaign',
  );
  // A: answered and visited in time, handed to Cambridgeshire on 12 March (9 days), which assesses
  // from 1 April 2025 and approves on 1 August (122 days).
  await atHub('A', '2025-03-03', campaignId, [contact('2025-03-04'), visit('2025-03-10'), handover('cambs', '2025-03-12')]);
  await atCouncil('cambs', 'A', 'assessment', { occurredAt: at('2025-04-01') });
  await atCouncil('cambs', 'A', 'approval', { category: 'mainstream', approvedBeds: 2, occurredAt: at('2025-08-01') });
  // B: answered late (6 March, due 4 March), visited late (20 March, due 17 March), handed to
  // Peterborough on 24 March (21 days), assessed there from 14 April.
  await atHub('B', '2025-03-03', campaignId, [contact('2025-03-06'), visit('2025-03-20'), handover('peterborough', '2025-03-24')]);
  await atCouncil('peterborough', 'B', 'assessment', { occurredAt: at('2025-04-14') });
  // C: no campaign; answered in time, handed to Peterborough on 7 March (3 days), which visits on
  // 18 March: the tenth working day after the enquiry, within the hub's target.
  await atHub('C', '2025-03-04', undefined, [contact('2025-03-05'), handover('peterborough', '2025-03-07')]);
  await atCouncil('peterborough', 'C', 'initial-visit', { occurredAt: at('2025-03-18') });
  // D: answered late (7 March, due 6 March), closed at the hub.
  await atHub('D', '2025-03-05', campaignId, [
    contact('2025-03-07', 'no_answer'),
    ['closure', { reason: 'not_proceeding', occurredAt: at('2025-03-17') }],
  ]);
  // E: no campaign, not answered yet.
  await atHub('E', '2025-03-06', undefined, []);
  // Y, a year earlier: answered the same day, handed to Norfolk a week later, assessed there.
  await atHub('Y', '2024-03-04', undefined, [contact('2024-03-04'), handover('norfolk', '2024-03-11')]);
  await atCouncil('norfolk', 'Y', 'assessment', { occurredAt: at('2024-04-02') });
}, 300_000);

afterAll(async () => stack?.stop());

describe('the handover', () => {
  it("puts the household at once in the council's caseload, with the hub's reference and the campaign kept", async () => {
    const { households } = await read('/caseload?on=2025-03-12', token.cambs!);
    expect(households.filter((h: { householdId: string }) => h.householdId === ids.A)).toEqual([
      expect.objectContaining({ householdId: ids.A, reference: references.A, enquiredOn: '2025-03-03', campaignId }),
    ]);
    // And the hub no longer works it.
    const atTheHub = await read('/caseload?on=2025-03-12', token.hub!);
    expect(atTheHub.households.map((h: { householdId: string }) => h.householdId)).not.toContain(ids.A);
  });

  it('to an agency outside the region, or to the hub itself, is a 400 naming toAgencyId', async () => {
    for (const toAgencyId of ['lancashire', hub]) {
      const { status, body } = await post(token.hub!, `/households/${ids.E}/handover`, { toAgencyId });
      expect([toAgencyId, status, body.error.fields.map((f: { field: string }) => f.field)]).toEqual([toAgencyId, 400, ['toAgencyId']]);
    }
  });

  it("is not a council's to make (it refers on instead): 403", async () => {
    const { status, body } = await post(token.peterborough!, `/households/${ids.C}/handover`, { toAgencyId: 'cambs' });
    expect([status, body.error.message]).toEqual([403, expect.stringContaining("no region's hub")]);
  });
});

describe('the council suggested from the postcode district', () => {
  const record = async (householdId: string, bearer: string) => read(`/households/${householdId}`, bearer);

  it("is, on the hub's record of a web enquiry from PE1 2AB, Peterborough (the region file maps PE1 to it)", async () => {
    await accept(
      stack.call('PUT', '/agency/settings', {
        token: token.hubManager!,
        body: {
          attritionRate: 0.135,
          targetInHouseShare: 0.6,
          serviceName: 'East of England Fostering',
          privacyNoticeText: 'We use your details to answer your enquiry about fostering.',
          privacyNoticeUrl: 'https://www.example.gov.uk/fostering/privacy',
        },
      }),
      "the hub's form opened",
    );
    const { reference } = await accept(
      stack.call('POST', `/public/enquiries/${hub}`, {
        body: { contact: { name: 'Household W', email: 'w@example.org' }, postcodeDistrict: 'pe1 2ab', consent: true },
      }),
      "through the hub's form",
    );
    const found = await read(`/households?q=${reference}`, token.hub!);
    const web = await record(found.households[0].householdId, token.hub!);
    expect([web.enquiry.postcodeDistrict, web.suggestedCouncil]).toEqual(['PE1', 'peterborough']);
  });

  it("is none for a district the map does not have, and on a council's own records", async () => {
    const { householdId } = await accept(
      post(token.hub!, '/enquiries', { channel: 'phone', postcodeDistrict: 'SW1A', contact: { name: 'Household L' } }),
      'a London enquiry at the hub',
    );
    expect((await record(householdId, token.hub!)).suggestedCouncil).toBeNull();
    // A council hands nothing over (it refers on): its own enquiry from PE1 suggests no council.
    const atCambs = await accept(
      post(token.cambs!, '/enquiries', { channel: 'phone', postcodeDistrict: 'PE1', contact: { name: 'Household P' } }),
      'an enquiry at Cambridgeshire from PE1',
    );
    expect((await record(atCambs.householdId, token.cambs!)).suggestedCouncil).toBeNull();
  });
});

describe("the hub's figures for March 2025", () => {
  const query = '/metrics/hub?from=2025-03-01&to=2025-03-31';
  // Worked by hand from the households above:
  // enquiries A B C D E = 5; first responses A (in time) B (late) C (in time) D (late) = 2 of 4;
  // initial visits A (in time) B (late) C (at Peterborough, in time) = 2 of 3; handed over A to
  // Cambridgeshire, B and C to Peterborough; applications A and B (the councils' assessments) = 2,
  // 2 / 5 = 0.4; approvals A = 1; days to handover 9, 21, 3: median 9; application to approval 122.
  // By council, per household handed to it: Cambridgeshire A alone (1 applied of 1, approved after
  // 122 days); Peterborough B and C (B applied: 1 of 2 = 0.5; no approval; handed after 21 and 3
  // days: median 12). The campaign: A B D (so Peterborough's is B alone); a year earlier (March
  // 2024): Y alone, handed to Norfolk after 7 days and assessed there.
  // Cambridgeshire's, in the whole and for the campaign alike: A alone.
  const cambridgeshire = {
    handedOver: 1,
    applications: 1,
    approvals: 1,
    enquiryToApplicationRate: 1,
    medianDaysEnquiryToHandover: 9,
    medianDaysApplicationToApproval: 122,
  };
  const norfolkY = {
    handedOver: 1,
    applications: 1,
    approvals: 0,
    enquiryToApplicationRate: 1,
    medianDaysEnquiryToHandover: 7,
    medianDaysApplicationToApproval: null,
  };
  const expected = {
    hubAgencyId: hub,
    from: '2025-03-01',
    to: '2025-03-31',
    enquiries: 5,
    firstResponse: { households: 4, withinTarget: 2, rate: 0.5 },
    initialVisit: { households: 3, withinTarget: 2, rate: 0.6667 },
    handedOver: 3,
    applications: 2,
    approvals: 1,
    enquiryToApplicationRate: 0.4,
    medianDaysEnquiryToHandover: 9,
    medianDaysApplicationToApproval: 122,
    byCouncil: {
      cambs: cambridgeshire,
      peterborough: {
        handedOver: 2,
        applications: 1,
        approvals: 0,
        enquiryToApplicationRate: 0.5,
        medianDaysEnquiryToHandover: 12,
        medianDaysApplicationToApproval: null,
      },
    },
    byCampaign: {
      [campaignId]: {
        enquiries: 3,
        firstResponse: { households: 3, withinTarget: 1, rate: 0.3333 },
        initialVisit: { households: 2, withinTarget: 1, rate: 0.5 },
        handedOver: 2,
        applications: 2,
        approvals: 1,
        enquiryToApplicationRate: 0.6667,
        medianDaysEnquiryToHandover: 15, // 9 and 21
        medianDaysApplicationToApproval: 122,
        byCouncil: {
          cambs: cambridgeshire,
          peterborough: {
            handedOver: 1,
            applications: 1,
            approvals: 0,
            enquiryToApplicationRate: 1,
            medianDaysEnquiryToHandover: 21,
            medianDaysApplicationToApproval: null,
          },
        },
      },
    },
    yearEarlier: {
      from: '2024-03-01',
      to: '2024-03-31',
      enquiries: 1,
      firstResponse: { households: 1, withinTarget: 1, rate: 1 },
      initialVisit: { households: 0, withinTarget: 0, rate: null },
      // Y alone, handed to Norfolk: the hub's outcomes are Norfolk's.
      ...norfolkY,
      byCouncil: { norfolk: norfolkY },
      byCampaign: {},
    },
  };

  it("are the hub's manager's, followed through every handover", async () => {
    expect(await read(query, token.hubManager!)).toEqual(expected);
  });

  it("are its region's reader's too, the same figures", async () => {
    expect(await read(`${query}&region=${region}`, token.regional!)).toEqual(expected);
  });

  it('come as CSV, one row a figure', async () => {
    const response = await fetch(`${stack.apiUrl}${query}&format=csv`, { headers: { authorization: `Bearer ${token.hubManager!}` } });
    const csv = await response.text();
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
    expect(csv).toMatch(/,0\.4,.*,enquiryToApplicationRate\r?\n/);
    expect(csv).toMatch(/,2,.*,byCouncil\.peterborough\.handedOver\r?\n/);
    expect(csv).toMatch(/,0\.5,.*,byCouncil\.peterborough\.enquiryToApplicationRate\r?\n/);
    expect(csv).toMatch(/,122,.*,byCouncil\.cambs\.medianDaysApplicationToApproval\r?\n/);
  });

  it("are not a council's manager's: 403", async () => {
    const { status } = await stack.call('GET', query, { token: token.cambsManager! });
    expect(status).toBe(403);
  });

  it('leave the regional figures counting each household once, where it is open', async () => {
    // A, B and C are the councils' now: the region's counts hold each once (5, not 8 with the hub's copies).
    const counts = await read(`/metrics/caseload?on=2025-03-31&from=2025-03-01&to=2025-03-31&region=${region}`, token.regional!);
    expect(counts.enquiries).toBe(5);
  });
});
