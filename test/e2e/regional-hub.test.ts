// A regional recruitment hub of three councils (shared/wiring/regions.json: east-of-england =
// cambs, peterborough, norfolk; its hub agency eoe-hub has no records here), a campaign shared by
// two of them, and an enquiry referred on between them. A `regional` token reads every metric over the region, computed from the pooled
// records (sums, and rates from the sums), and never a household.
import { signLocalToken } from '../../local/tokens';
import { startRunningStack, tokenFor, type RunningStack } from '../support/running-stack';

const region = 'east-of-england';
let stack: RunningStack;
let regional: string;
const token: Record<string, Record<string, string>> = {};
const ids: Record<string, string> = {};
const at = (date: string) => `${date}T10:00:00Z`;

async function accept(call: Promise<{ status: number; body: any }>, label: string) {
  const { status, body } = await call;
  expect([label, status, body?.error]).toEqual([label, 202, undefined]);
  return body;
}
const post = (agency: string, role: string, path: string, body: object) => stack.call('POST', path, { token: token[agency]![role]!, body });
const read = async (path: string, bearer: string) => {
  const { status, body } = await stack.call('GET', path, { token: bearer });
  expect([path, status, body?.error]).toEqual([path, 200, undefined]);
  return body;
};

/** Logs an enquiry at an agency and moves it along the given steps. */
async function household(name: string, agency: string, campaignId: string | undefined, steps: Array<[string, object]>) {
  const answer = await accept(
    post(agency, 'recruitment', '/enquiries', {
      channel: 'facebook',
      ...(campaignId ? { campaignId } : {}),
      occurredAt: at('2019-06-05'),
      contact: { name: `Household ${name}` },
    }),
    `${name} enquiry`,
  );
  ids[name] = answer.householdId;
  await stack.idle();
  for (const [step, body] of steps) {
    await accept(post(agency, 'recruitment', `/households/${ids[name]}/${step}`, body), `${name} ${step}`);
    await stack.idle();
  }
}

beforeAll(async () => {
  stack = await startRunningStack();
  for (const agency of ['cambs', 'peterborough', 'norfolk']) {
    token[agency] = Object.fromEntries(
      await Promise.all(['recruitment', 'marketing', 'manager'].map(async (role) => [role, await tokenFor(agency, role as never)])),
    );
  }
  regional = await signLocalToken({ groups: ['regional'], regionId: region });

  // Fostering Fortnight, run by Cambridgeshire for itself and Peterborough, paid by Cambridgeshire.
  await accept(
    post('cambs', 'marketing', '/campaigns', {
      campaignId: 'fortnight-2019',
      name: 'Fostering Fortnight 2019',
      channels: ['facebook', 'radio'],
      startsOn: '2019-06-01',
      endsOn: '2019-06-14',
      agencyIds: ['cambs', 'peterborough'],
      occurredAt: at('2019-05-20'),
    }),
    'campaign',
  );
  await stack.idle();
  await accept(
    post('cambs', 'marketing', '/campaigns/fortnight-2019/spend', { amountPence: 600_000, occurredAt: at('2019-06-01') }),
    'spend',
  );

  const approve = (beds: number, on = '2019-09-01'): [string, object] => [
    'approval',
    { category: 'mainstream', approvedBeds: beds, occurredAt: at(on) },
  ];
  await household('C1', 'cambs', 'fortnight-2019', [
    ['initial-visit', { occurredAt: at('2019-06-20') }],
    ['assessment', { occurredAt: at('2019-07-01') }],
    approve(2),
  ]);
  // Lives nearer Peterborough: referred on after the initial visit, keeps the campaign there.
  await household('C2', 'cambs', 'fortnight-2019', [
    ['initial-visit', { occurredAt: at('2019-06-18') }],
    ['referral', { toAgencyId: 'peterborough', occurredAt: at('2019-06-25') }],
  ]);
  await household('C3', 'cambs', 'fortnight-2019', [['closure', { reason: 'not_proceeding', occurredAt: at('2019-06-30') }]]);
  await household('C4', 'cambs', 'fortnight-2019', [['closure', { reason: 'no_response', occurredAt: at('2019-07-30') }]]);
  await household('P1', 'peterborough', 'fortnight-2019', [
    ['initial-visit', { occurredAt: at('2019-06-21') }],
    ['assessment', { occurredAt: at('2019-07-02') }],
    approve(1),
  ]);
  await household('P2', 'peterborough', 'fortnight-2019', []);
  await household('P3', 'peterborough', 'fortnight-2019', [['initial-visit', { occurredAt: at('2019-07-10') }]]);
  // The referred household continues at Peterborough.
  for (const [step, body] of [['assessment', { occurredAt: at('2019-07-15') }], approve(1, '2019-09-10')] as Array<[string, object]>) {
    await accept(post('peterborough', 'recruitment', `/households/${ids.C2}/${step}`, body), `C2 at peterborough ${step}`);
    await stack.idle();
  }
  await household('N1', 'norfolk', undefined, [
    ['initial-visit', { occurredAt: at('2019-06-20') }],
    ['assessment', { occurredAt: at('2019-07-01') }],
    approve(3, '2019-08-01'),
  ]);
  await household('N2', 'norfolk', undefined, []);
  await accept(
    post('norfolk', 'manager', `/households/${ids.N1}/placements`, { placementId: 'n1-child', occurredAt: at('2019-08-10') }),
    'placement',
  );
  await accept(
    post('norfolk', 'manager', `/households/${ids.N1}/holds`, {
      holdId: 'n1-hold',
      reason: 'matching',
      beds: 1,
      occurredAt: at('2019-08-12'),
    }),
    'hold',
  );
  await stack.idle();
}, 180_000);

afterAll(async () => stack?.stop());

const conversion = (query: string, bearer: string) => read(`/metrics/campaign-conversion?${query}`, bearer);
const campaignQuery = 'from=2019-06-01&to=2019-06-30&campaignId=fortnight-2019';

describe('a campaign shared by two agencies of the region', () => {
  it('reports each agency its own enquiries, the referred one closed at Cambridgeshire and open-then-approved at Peterborough', async () => {
    const cambs = await conversion(campaignQuery, token.cambs!.marketing!);
    expect(cambs.cohort).toMatchObject({
      enquiries: 4,
      initialVisits: 2,
      approvals: 1,
      closed: { referred_elsewhere: 1, not_proceeding: 1, no_response: 1 },
    });
    const peterborough = await conversion(campaignQuery, token.peterborough!.marketing!);
    expect(peterborough.cohort).toMatchObject({ enquiries: 4, initialVisits: 3, assessments: 2, approvals: 2, open: 2 });
    // the spend was Cambridgeshire's
    expect([cambs.cost.spendPence, peterborough.cost.spendPence]).toEqual([600_000, 0]);
  });

  it('reports the region one enquiry per household, rates from the pooled counts, the spend once', async () => {
    const hub = await conversion(`${campaignQuery}&region=${region}`, regional);
    // C1, C2 (referred: counted once, where its story continues), C3, C4, P1, P2, P3
    expect(hub.cohort).toEqual({
      enquiries: 7,
      initialVisits: 4,
      assessments: 3,
      approvals: 3,
      approvedBeds: 4,
      open: 2,
      closed: { not_proceeding: 1, no_response: 1 },
    });
    expect(hub.rates).toEqual({ visitRate: 0.5714, assessmentRate: 0.75, approvalRate: 1, overallRate: 0.4286 });
    expect(hub.cost).toEqual({ spendPence: 600_000, costPerEnquiry: 85_714, costPerApproval: 200_000, costPerApprovedBed: 150_000 });
  });

  it('needs no ?region from a regional token: it reads its own region', async () => {
    expect((await conversion(campaignQuery, regional)).cohort.enquiries).toBe(7);
  });
});

describe('capacity and beds over the region', () => {
  it("is the sum of the agencies' figures, with rates recomputed from the sums", async () => {
    const hub = await read(`/metrics/capacity?at=2019-09-30&region=${region}`, regional);
    const agencies = await Promise.all(
      ['cambs', 'peterborough', 'norfolk'].map((a) => read('/metrics/capacity?at=2019-09-30', token[a]!.manager!)),
    );
    for (const field of ['households', 'approvedBeds', 'occupiedBeds', 'vacantBeds', 'bedsOnHold', 'availableBeds'] as const) {
      expect([field, hub[field]]).toEqual([field, agencies.reduce((sum, a) => sum + a[field], 0)]);
    }
    expect(hub).toMatchObject({
      households: 4,
      approvedBeds: 7,
      occupiedBeds: 1,
      bedsOnHold: 1,
      occupancyRate: 0.1429,
      placementsPerHousehold: 0.25,
    });
    const onHold = await read(`/metrics/beds-on-hold?at=2019-09-30&region=${region}`, regional);
    expect(onHold).toMatchObject({ households: 1, beds: 1, secondary: { households: 1, beds: 1 } });
  });

  it("forecasts each agency's households at its own attrition rate", async () => {
    await accept(
      stack.call('PUT', '/agency/settings', { token: token.norfolk!.manager!, body: { attritionRate: 0.2, targetInHouseShare: 0.6 } }),
      'settings',
    );
    await stack.idle();
    const hub = await read(`/metrics/resignation-forecast?financialYear=2019&asOf=2019-09-30&region=${region}`, regional);
    expect(hub.baseline.households).toBe(4);
    const p = (r: number) => 1 - (1 - r) ** (183 / 365);
    expect(hub.baseline.expected).toBe(Math.round((3 * p(0.1) + p(0.2)) * 10) / 10);
    expect(hub.pipeline).toMatchObject({ approvedToDate: 4, inAssessment: 0 });
  });

  it('lists the idle carers of the region by how long idle, never by household', async () => {
    // By 31 March, C1, P1 and C2 (approved in September) have waited over 180 days for a first child.
    const hub = await read(`/metrics/resignation-forecast?financialYear=2019&asOf=2020-03-31&region=${region}`, regional);
    expect(hub.atRisk).toEqual([
      { daysIdle: 212, neverPlaced: true },
      { daysIdle: 212, neverPlaced: true },
      { daysIdle: 203, neverPlaced: true },
    ]);
    const cambs = await read('/metrics/resignation-forecast?financialYear=2019&asOf=2020-03-31', token.cambs!.manager!);
    expect(cambs.atRisk).toEqual([{ householdId: ids.C1, reference: expect.stringMatching(/^CAMBS-/), daysIdle: 212, neverPlaced: true }]);
  });
});

describe('the annual return over the region', () => {
  it("pools the agencies' returns: the referred household is one enquiry and one approval", async () => {
    const hub = await read(`/metrics/annual-return?financialYear=2019&region=${region}`, regional);
    const agencies = await Promise.all(
      ['cambs', 'peterborough', 'norfolk'].map((a) => read('/metrics/annual-return?financialYear=2019', token[a]!.manager!)),
    );
    // 9 enquiries logged in the region; C2's is counted at Peterborough only
    expect(agencies.map((a) => a.enquiries)).toEqual([4, 4, 2]);
    expect(hub).toMatchObject({ enquiries: 9, approvals: 4, atYearEnd: { households: 4, approvedPlaces: 7 } });
  });
});

describe('what a regional token may not do', () => {
  it('never reads a household', async () => {
    expect((await stack.call('GET', `/households/${ids.C1}`, { token: regional })).status).toBe(403);
  });
  it('reads no other region, and no command', async () => {
    expect((await stack.call('GET', '/metrics/capacity?region=elsewhere', { token: regional })).status).toBe(403);
    expect(
      (
        await stack.call('POST', '/children-in-care', {
          token: regional,
          body: { childrenInCare: 1, fosteredInHouse: 0, fosteredAgency: 0 },
        })
      ).status,
    ).toBe(403);
  });
  it('is the only token that reads a region', async () => {
    expect((await stack.call('GET', `/metrics/capacity?region=${region}`, { token: token.cambs!.manager! })).status).toBe(403);
  });
});
