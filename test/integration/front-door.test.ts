// The front door (docs/rules.md): the public's enquiry through the service's form records exactly what
// POST /enquiries records, by `public`, attributed to the campaign of the link it came from; a robot's
// post is answered and kept nowhere; the limits go by the socket's address, never a header.
// Real handlers behind the local HTTP server, DynamoDB Local, the local bus and outbox.
import fc from 'fast-check';
import { apiRoute } from '../../shared/wiring/http-routes';
import { PublicEnquiryBody } from '../../shared/api/request-schemas';
import { malformedObject } from '../support/malformed';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileTransport, mailDirectory } from '../../local/mail';
import type { MailTransport } from '../../shared/projections/acknowledgement';
import { signLocalToken } from '../../local/tokens';
import { servedAtStamp, screenedBetween } from '../../shared/store/front-door';
import { contactsTable } from '../../shared/store/tables';
import { anEvent } from '../support/funnel-events';
import type { Config } from '@jest/types';
import { startInProcessStack, type Answer, type InProcessStack, type RouteRequest } from '../support/in-process-stack';
import { FORM_SETTINGS, nextLoopbackAddress, openForm } from '../support/route-fixtures';

let stack: InProcessStack;
const agencyId = 'cambs';
/** The mail transport under test: writes .eml files as `npm start` does, after failing as often as told. */
const mail = { failuresToCome: 0, failWith: 'SES: Throttling: Maximum sending rate exceeded' };
const flakyTransport: MailTransport = {
  sendMail: async (message) => {
    if (mail.failuresToCome > 0) {
      mail.failuresToCome -= 1;
      throw new Error(mail.failWith);
    }
    return fileTransport(mailDirectory(stack.dataDir)).sendMail(message);
  },
};
const form = apiRoute('EnquiryForm');
const post = apiRoute('ReceivePublicEnquiry');
const today = () => new Date().toISOString().slice(0, 10);
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  stack = await startInProcessStack({ mailTransport: flakyTransport });
  const context = { agencyId, record: stack.record };
  await openForm(context);
  await openForm({ ...context, agencyId: 'peterborough' });
});
afterAll(() => stack?.stop());

const token = (group: 'recruitment' | 'manager' | 'marketing', agency = agencyId) =>
  signLocalToken({ groups: [group], agencyId: agency, secret: stack.jwtSecret, subject: `${group}-1` });

const aPerson = {
  contact: { name: 'Robin Public', email: 'robin@example.org', phone: '07700 900123' },
  postcodeDistrict: 'CB4',
  interests: ['teenagers', 'siblings'],
  consent: true,
};

/** A post to the agency's form, each from a new source address unless one is given. */
function send(body: unknown, request: Partial<RouteRequest> = {}, agency = agencyId): Promise<Answer> {
  return stack.call(post, { path: { agencyId: agency }, body, localAddress: nextLoopbackAddress(), ...request });
}

async function householdByReference(reference: string, agency = agencyId) {
  const found = await stack.call(apiRoute('FindHouseholds'), { query: { q: reference } }, await token('recruitment', agency));
  const [match] = found.body.households as Array<{ householdId: string }>;
  if (!match) return undefined;
  return (await stack.call(apiRoute('GetHousehold'), { path: { householdId: match.householdId } }, await token('recruitment', agency)))
    .body;
}

describe('the form page', () => {
  it('shows the service, its privacy notice and consent, and carries the link and a served-at stamp without script', async () => {
    const page = await stack.call(form, {
      path: { agencyId },
      query: { utm_campaign: 'summer-radio', utm_source: 'facebook' },
      headers: { referer: 'https://www.example.gov.uk/fostering' },
    });
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    const html = page.body as string;
    expect(html).toContain(FORM_SETTINGS.serviceName);
    expect(html).toContain(FORM_SETTINGS.privacyNoticeText);
    expect(html).toContain(`href="${FORM_SETTINGS.privacyNoticeUrl}"`);
    expect(html).toMatch(/<input type="checkbox" id="consent" name="consent"/);
    expect(html).toContain('<input type="hidden" name="utm_campaign" value="summer-radio">');
    expect(html).toContain('<input type="hidden" name="referrer" value="https://www.example.gov.uk/fostering">');
    expect(html).toMatch(/<input type="hidden" name="servedAt" value="\d+\.[A-Za-z0-9_-]{43}">/);
    expect(html).not.toContain('<script');
    expect(page.headers?.['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers?.['content-security-policy']).not.toMatch(/script-src/);
  });

  it("is not open for an agency whose service's name and privacy notice are not set", async () => {
    expect((await stack.call(form, { path: { agencyId: 'norfolk' } })).status).toBe(404);
    const refused = await send(aPerson, {}, 'norfolk');
    expect([refused.status, refused.body.error.code]).toEqual([404, 'not_found']);
  });
});

describe('an enquiry from the public', () => {
  it('records exactly what POST /enquiries records, by public, and is in the work list at once as a web enquiry', async () => {
    const answer = await send({ ...aPerson, preferredContact: { method: 'phone', timeOfDay: 'evening' } });
    expect(answer.status).toBe(202);
    expect(Object.keys(answer.body)).toEqual(['reference']);
    expect(answer.body.reference).toMatch(new RegExp(`^CAMBS-${today().slice(0, 4)}-\\d{4}$`));

    const logged = await stack.call(
      apiRoute('ReceiveEnquiry'),
      { body: { channel: 'website', ...aPerson, consent: undefined, contact: { ...aPerson.contact, name: 'Robin Staff' } } },
      await token('recruitment'),
    );
    expect(logged.status).toBe(202);

    const fromPublic = await householdByReference(answer.body.reference);
    const fromStaff = await householdByReference(logged.body.reference);
    // The same record, but for who recorded it, the name, and what only the form asks.
    const comparable = (record: any) => ({
      status: record.status,
      stage: record.stage,
      enquiry: { ...record.enquiry, at: 'now', reference: 'its own', webForm: undefined },
      followUp: record.followUp,
      contact: { ...record.contact, name: 'the name', preferredContact: undefined, consentedAt: undefined },
    });
    expect(comparable(fromPublic)).toEqual(comparable(fromStaff));
    expect(fromPublic.enquiry).toMatchObject({
      channel: 'website',
      interests: ['teenagers', 'siblings'],
      postcodeDistrict: 'CB4',
      webForm: true,
    });
    expect(fromPublic.contact).toMatchObject({ ...aPerson.contact, preferredContact: { method: 'phone', timeOfDay: 'evening' } });
    expect(fromPublic.timeline[0]).toMatchObject({ type: 'EnquiryReceived', recordedBy: 'public' });
    expect(fromStaff.timeline[0]).toMatchObject({ type: 'EnquiryReceived', recordedBy: 'recruitment-1' });

    // Found by name, email and phone, as any enquiry.
    for (const q of ['robin', 'robin@example.org', '07700900123']) {
      const found = await stack.call(apiRoute('FindHouseholds'), { query: { q } }, await token('recruitment'));
      expect(found.body.households.map((h: { reference: string }) => h.reference)).toEqual(
        expect.arrayContaining([answer.body.reference, logged.body.reference]),
      );
    }
    const work = await stack.call(apiRoute('Caseload'), { query: { on: today() } }, await token('recruitment'));
    const entries = work.body.households as Array<{ reference: string; webEnquiry: boolean; state: string; name: string }>;
    expect(entries.find((e) => e.reference === answer.body.reference)).toMatchObject({
      webEnquiry: true,
      state: 'awaiting_first_response',
      name: 'Robin Public',
    });
    expect(entries.find((e) => e.reference === logged.body.reference)).toMatchObject({ webEnquiry: false });

    // Its event on the bus carries no contact details.
    await stack.idle();
    const published = stack.settled.map((s) => JSON.stringify(s.event)).filter((text) => text.includes(answer.body.reference));
    expect(published.length).toBeGreaterThan(0);
    for (const text of published)
      for (const detail of ['Robin', 'robin@example.org', '07700', 'evening']) expect(text).not.toContain(detail);
  });

  it('answers a plain form post with a page giving the reference and what happens next', async () => {
    const page = await stack.call(apiRoute('EnquiryForm'), { path: { agencyId } });
    const stamp = /name="servedAt" value="([^"]+)"/.exec(page.body)![1]!;
    const fields = new URLSearchParams({
      name: 'Pat Plain',
      email: 'pat@example.org',
      postcodeDistrict: 'pe1 1aa',
      consent: 'yes',
      servedAt: stamp,
      utm_campaign: '',
      website: '',
    });
    fields.append('interests', 'respite');
    // Served more than three seconds before, as a person takes: the stamp signed for that time.
    fields.set('servedAt', await servedAtStamp(agencyId, Date.now() - 10_000));
    const answer = await send(undefined, { rawBody: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(answer.status).toBe(202);
    expect(answer.contentType).toMatch(/^text\/html/);
    const reference = /<p class="reference">([A-Z0-9-]+)<\/p>/.exec(answer.body)?.[1];
    expect(reference).toMatch(/^CAMBS-\d{4}-\d{4}$/);
    expect(answer.body).toContain('by the end of the next working day'); // the first-response target: 1 working day
    const household = await householdByReference(reference!);
    expect(household.enquiry).toMatchObject({ postcodeDistrict: 'PE1', interests: ['respite'], webForm: true });
  });
});

describe("a web enquiry's campaign and channel", () => {
  const campaign = (campaignId: string, name: string, startsOn: string, endsOn?: string, more: Record<string, unknown> = {}) =>
    anEvent('CampaignLaunched', '2026-01-01T10:00:00Z', {
      agencyId,
      campaignId,
      name,
      channels: ['facebook'],
      startsOn,
      ...(endsOn ? { endsOn } : {}),
      agencyIds: [agencyId],
      ...more,
    });

  beforeAll(async () => {
    await stack.record(
      campaign('summer', 'Summer radio', daysFromToday(-30), daysFromToday(30), { trackingCode: 'summer-radio' }),
      campaign('named', 'Foster Carer Fortnight', daysFromToday(-5)),
      campaign('ended', 'Last spring', daysFromToday(-300), daysFromToday(-200), { trackingCode: 'last-spring' }),
      campaign('coming', 'Next spring', daysFromToday(20), undefined, { trackingCode: 'next-spring' }),
      // Launched by a neighbour for both: read by cambs under its launcher's id.
      anEvent('CampaignLaunched', '2026-01-01T10:00:00Z', {
        agencyId: 'peterborough',
        campaignId: 'hub-wide',
        name: 'Fostering in the East',
        channels: ['radio'],
        startsOn: daysFromToday(-10),
        agencyIds: ['peterborough', agencyId],
        trackingCode: 'east',
      }),
      anEvent('CampaignLaunched', '2026-01-01T10:00:00Z', {
        agencyId: 'norfolk',
        campaignId: 'norfolk-own',
        name: 'Norfolk only',
        channels: ['print'],
        startsOn: daysFromToday(-10),
        agencyIds: ['norfolk'],
        trackingCode: 'norfolk-only',
      }),
    );
  });

  // [what the link and the enquirer say, the campaign and channel recorded]
  const rules: Array<[string, Record<string, unknown>, { campaignId?: string; channel: string }]> = [
    [
      'a running campaign by its code, from Facebook',
      { attribution: { campaign: 'summer-radio', source: 'facebook' } },
      { campaignId: 'summer', channel: 'facebook' },
    ],
    [
      'the code in any case, "fb" as the source',
      { attribution: { campaign: 'Summer-Radio', source: 'fb' } },
      { campaignId: 'summer', channel: 'facebook' },
    ],
    [
      'a code derived from the name',
      { attribution: { campaign: 'foster-carer-fortnight', source: 'instagram' } },
      { campaignId: 'named', channel: 'social_other' },
    ],
    [
      'TikTok as the medium',
      { attribution: { campaign: 'summer-radio', medium: 'tiktok' } },
      { campaignId: 'summer', channel: 'social_other' },
    ],
    ['X, LinkedIn: other social media', { attribution: { source: 'linkedin' } }, { channel: 'social_other' }],
    [
      'any other source is the website, whatever they say',
      { attribution: { source: 'newsletter' }, howHeard: 'radio' },
      { channel: 'website' },
    ],
    [
      'a shared campaign naming this agency',
      { attribution: { campaign: 'east', source: 'radio' } },
      { campaignId: 'hub-wide', channel: 'website' },
    ],
    ['a campaign that has ended: none', { attribution: { campaign: 'last-spring', source: 'facebook' } }, { channel: 'facebook' }],
    ['a campaign not yet started: none', { attribution: { campaign: 'next-spring' } }, { channel: 'website' }],
    ["another agency's campaign: none", { attribution: { campaign: 'norfolk-only' } }, { channel: 'website' }],
    ['an unknown code: none', { attribution: { campaign: 'no-such-code' }, howHeard: 'print' }, { channel: 'print' }],
    ['no source or medium: what they said brought them', { howHeard: 'information_event' }, { channel: 'information_event' }],
    ['nothing at all: the website', {}, { channel: 'website' }],
  ];

  it.each(rules)('%s', async (_rule, given, expected) => {
    const answer = await send({ ...aPerson, ...given });
    expect(answer.status).toBe(202);
    const household = await householdByReference(answer.body.reference);
    expect({ campaignId: household.enquiry.campaignId, channel: household.enquiry.channel }).toEqual({
      campaignId: undefined,
      ...expected,
    });
  });
});

describe('robots', () => {
  const TIMERS_THAT_RUN: Config.FakeableAPI[] = [
    'hrtime',
    'nextTick',
    'performance',
    'queueMicrotask',
    'requestAnimationFrame',
    'cancelAnimationFrame',
    'requestIdleCallback',
    'cancelIdleCallback',
    'setImmediate',
    'clearImmediate',
    'setInterval',
    'clearInterval',
    'setTimeout',
    'clearTimeout',
  ];
  const reference = /^CAMBS-\d{4}-\d{4}$/;

  it('a filled honeypot is answered 202 like any other post, recorded nowhere, and counted without content for the manager', async () => {
    await stack.idle(); // what earlier tests published has all arrived
    const [contactsBefore, eventsBefore, screenedBefore] = [
      await stack.itemCount(contactsTable),
      stack.settled.length,
      await screenedToday(),
    ];
    const answer = await send({ ...aPerson, website: 'http://spam.example' });
    await stack.idle();
    expect(answer.status).toBe(202);
    expect(answer.body.reference).toMatch(reference);
    expect(await householdByReference(answer.body.reference)).toBeUndefined();
    expect([await stack.itemCount(contactsTable), stack.settled.length]).toEqual([contactsBefore, eventsBefore]);
    expect(await screenedToday()).toEqual({ ...screenedBefore, honeypot: screenedBefore.honeypot + 1 });
  });

  it('a post less than three seconds after its page was served is kept nowhere; one later, or with a stamp this service did not sign, is judged by the other rules', async () => {
    const screenedBefore = await screenedToday();
    // The clock stands still while the post is judged, so "one second after" is exactly that however
    // busy the machine (only Date is stopped: timers and the sockets run as ever).
    jest.useFakeTimers({ now: Date.now(), doNotFake: TIMERS_THAT_RUN });
    let tooFast: Answer;
    try {
      tooFast = await send({ ...aPerson, servedAt: await servedAtStamp(agencyId, Date.now() - 1000) });
    } finally {
      jest.useRealTimers();
    }
    expect(tooFast.status).toBe(202);
    expect(await householdByReference(tooFast.body.reference)).toBeUndefined();
    expect(await screenedToday()).toEqual({ ...screenedBefore, too_fast: screenedBefore.too_fast + 1 });

    const human = await send({ ...aPerson, servedAt: await servedAtStamp(agencyId, Date.now() - 3500) });
    expect(await householdByReference(human.body.reference)).toBeDefined();
    // Made up, or signed for another agency: as if there were none (a council's own page sends none).
    const forged = `${Date.now()}.${'A'.repeat(43)}`;
    const otherAgencys = await servedAtStamp('peterborough', Date.now());
    for (const servedAt of [forged, otherAgencys, undefined]) {
      const judgedByTheRest = await send({ ...aPerson, ...(servedAt ? { servedAt } : {}) });
      expect(await householdByReference(judgedByTheRest.body.reference)).toBeDefined();
    }
  });

  async function screenedToday() {
    const [day] = await screenedBetween(agencyId, today(), today());
    return { honeypot: day?.honeypot ?? 0, too_fast: day?.too_fast ?? 0, too_many: day?.too_many ?? 0 };
  }
});

describe('the limits', () => {
  it('more than 5 posts from one source address in 10 minutes get 429 with Retry-After, refused ones counted too; X-Forwarded-For does not get round it', async () => {
    const address = nextLoopbackAddress();
    const statuses: number[] = [];
    let last: Answer | undefined;
    for (let i = 0; i < 7; i++) {
      // Each claims to come from somewhere else; the socket says otherwise.
      last = await send(
        { ...aPerson, contact: { name: 'Ida Invalid' }, consent: i % 2 === 0 },
        {
          localAddress: address,
          headers: { 'x-forwarded-for': `198.51.100.${i}`, 'x-real-ip': `203.0.113.${i}` },
        },
      );
      statuses.push(last.status);
    }
    // The first five are judged (each refused with a 400), the sixth and seventh are too many.
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
    expect(Number(last!.headers?.['retry-after'])).toBeGreaterThan(590);
    expect(Number(last!.headers?.['retry-after'])).toBeLessThanOrEqual(600);
    expect(last!.body.error.code).toBe('too_many_requests');
    // Another address is not held back.
    expect((await send(aPerson)).status).toBe(202);
  });

  it('more than 300 posts to one agency in an hour get 429, whichever addresses they come from', async () => {
    const agency = 'peterborough';
    const robot = { ...aPerson, website: 'filled' }; // cheap to send, and counted like any other
    const statuses: number[] = [];
    for (let i = 0; i < 301; i++) statuses.push((await send(robot, {}, agency)).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(300);
    expect(statuses.at(-1)).toBe(429);
    const refused = await send(aPerson, {}, agency);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThan(3500);
    // The other agency's form is open as before.
    expect((await send(aPerson)).status).toBe(202);
  });
});

describe('bad input', () => {
  it('a body over 16 KB is a 413', async () => {
    const answer = await send(undefined, { rawBody: JSON.stringify({ ...aPerson, website: 'x'.repeat(16 * 1024) }) });
    expect([answer.status, answer.body.error.code]).toEqual([413, 'payload_too_large']);
  });

  it('names every bad field: no name, neither email nor phone, no consent', async () => {
    const answer = await send({
      contact: { name: ' ' },
      postcodeDistrict: 'nowhere',
      consent: false,
      preferredContact: { method: 'pigeon' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(
      ['consent', 'contact.email', 'contact.name', 'postcodeDistrict', 'preferredContact.method'].sort(),
    );
  });

  it('an email or phone that is no such thing is named; a consent that is not true is refused', async () => {
    for (const [body, field] of [
      [{ ...aPerson, contact: { name: 'A', email: 'not-an-email' } }, 'contact.email'],
      [{ ...aPerson, contact: { name: 'A', phone: 'call me' } }, 'contact.phone'],
      [{ ...aPerson, consent: 'yes' }, 'consent'],
      [{ ...aPerson, consent: undefined }, 'consent'],
      [{ ...aPerson, howHeard: 'a friend' }, 'howHeard'],
      [{ ...aPerson, attribution: { campaign: 'x'.repeat(101) } }, 'attribution.campaign'],
      [{ ...aPerson, householdId: 'mine' }, 'householdId'],
    ] as const) {
      const answer = await send(body);
      expect([field, answer.status, answer.body.error.fields.map((f: { field: string }) => f.field)]).toEqual([field, 400, [field]]);
    }
  });

  it('a plain form post with errors answers the form again, each error linked to its field, what was typed kept', async () => {
    const fields = new URLSearchParams({ name: 'Kim', email: 'kim@', consent: '' });
    const answer = await send(undefined, { rawBody: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^text\/html/);
    expect(answer.body).toContain('<h2 id="error-summary-title">There is a problem</h2>');
    expect(answer.body).toContain('<a href="#email">');
    expect(answer.body).toContain('<a href="#consent">');
    expect(answer.body).toContain('value="Kim"');
    expect(answer.body).toMatch(/id="email"[^>]*aria-describedby="email-error"[^>]*aria-invalid="true"/);
  });

  it('answers 100 malformed posts (mutations drawn from its schema) with a 400 naming each bad field, never a 500, and keeps none it refuses', async () => {
    const valid = {
      ...aPerson,
      preferredContact: { method: 'email', timeOfDay: 'morning' },
      howHeard: 'radio',
      attribution: { source: 'fb' },
    };
    const contactsBefore = await stack.itemCount(contactsTable);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(malformedObject(valid, PublicEnquiryBody, { maxString: 1000 }), async ({ value, mutations, broken }) => {
        const answer = await send(value);
        const described = mutations.map((m) => m.describe).join(', ');
        if (broken.size === 0) {
          // Valid as far as the schema goes: recorded, or refused with a reason.
          expect([described, [202, 400].includes(answer.status)]).toEqual([described, true]);
          if (answer.status === 202) accepted += 1;
          return;
        }
        expect([described, answer.status]).toEqual([described, 400]);
        const named = answer.body.error.fields.map((f: { field: string }) => f.field) as string[];
        const under = (field: string, parent: string) => field === parent || field.startsWith(`${parent}.`);
        expect([described, [...broken].filter((b) => !named.some((r) => under(r, b) || under(b, r)))]).toEqual([described, []]);
      }),
      { numRuns: 100 },
    );
    // Each contact record brings its search entries; a refused post brings none.
    const added = (await stack.itemCount(contactsTable)) - contactsBefore;
    expect(accepted === 0 ? added === 0 : added >= accepted).toBe(true);
  });

  it('never a 500 for what a caller sends', async () => {
    const oddities = ['', 'null', '[]', '"text"', '{', '{"contact": null}', '{"contact": [], "consent": true}', 'name=%ZZ&consent=yes'];
    for (const rawBody of oddities) {
      const answer = await send(undefined, { rawBody });
      expect([rawBody, answer.status < 500]).toEqual([rawBody, true]);
    }
  });
});

describe("a campaign's tracking code", () => {
  beforeAll(async () => {
    const another = { channels: ['print' as const], startsOn: '2026-01-01' };
    await stack.record(
      // Another system's, without a code: it answers to the one its name gives.
      anEvent('CampaignLaunched', '2026-01-01T10:00:00Z', {
        ...another,
        agencyId: 'norfolk',
        campaignId: 'tc-bus',
        name: 'Bus shelters',
        agencyIds: ['norfolk'],
      }),
      anEvent('CampaignLaunched', '2026-01-01T10:00:00Z', {
        ...another,
        agencyId,
        campaignId: 'tc-cambs',
        name: 'Open day',
        agencyIds: [agencyId],
        trackingCode: 'cambs-open-day',
      }),
    );
  });

  const launch = async (body: Record<string, unknown>) =>
    stack.call(
      apiRoute('LaunchCampaign'),
      { body: { channels: ['facebook'], startsOn: '2026-01-05', ...body } },
      await signLocalToken({ groups: ['marketing'], agencyId: 'norfolk', secret: stack.jwtSecret }),
    );

  it('is given at launch, or derived from the name and numbered when another campaign of the agency has it', async () => {
    const given = await launch({ campaignId: 'tc-given', name: 'Anything', trackingCode: 'spring-fair' });
    expect([given.status, given.body.trackingCode]).toEqual([202, 'spring-fair']);
    const derived = await launch({ campaignId: 'tc-derived', name: 'Fostering Fortnight — Radio!' });
    expect([derived.status, derived.body.trackingCode]).toEqual([202, 'fostering-fortnight-radio']);
    const again = await launch({ campaignId: 'tc-again', name: 'Fostering fortnight radio' });
    expect([again.status, again.body.trackingCode]).toEqual([202, 'fostering-fortnight-radio-2']);
    const listed = await stack.call(
      apiRoute('ListCampaigns'),
      {},
      await signLocalToken({ groups: ['marketing'], agencyId: 'norfolk', secret: stack.jwtSecret }),
    );
    expect(
      Object.fromEntries(listed.body.campaigns.map((c: { campaignId: string; trackingCode: string }) => [c.campaignId, c.trackingCode])),
    ).toMatchObject({
      'tc-given': 'spring-fair',
      'tc-derived': 'fostering-fortnight-radio',
      'tc-again': 'fostering-fortnight-radio-2',
      'tc-bus': 'bus-shelters',
    });
    const afterTheBus = await launch({ campaignId: 'tc-bus-2', name: 'Bus shelters' });
    expect(afterTheBus.body.trackingCode).toBe('bus-shelters-2');
  });

  it('is unique in every agency the campaign names: a code taken there is a 409, a malformed one a 400', async () => {
    expect((await launch({ campaignId: 'tc-first', name: 'Harvest', trackingCode: 'harvest-fair' })).status).toBe(202);
    const taken = await launch({ campaignId: 'tc-taken', name: 'Other', trackingCode: 'harvest-fair' });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'tracking_code_taken']);
    // Cambridgeshire has a campaign answering to "cambs-open-day": a campaign shared with it cannot take it.
    const shared = await launch({
      campaignId: 'tc-shared',
      name: 'Shared',
      trackingCode: 'cambs-open-day',
      agencyIds: ['norfolk', agencyId],
    });
    expect([shared.status, shared.body.error.code]).toEqual([409, 'tracking_code_taken']);
    const malformed = await launch({ campaignId: 'tc-bad', name: 'Bad', trackingCode: 'Spring Fair!' });
    expect([malformed.status, malformed.body.error.fields.map((f: { field: string }) => f.field)]).toEqual([400, ['trackingCode']]);
  });
});

describe('the acknowledgement', () => {
  /** The message as a mail client reads it: quoted-printable soft breaks and escapes undone. */
  const emlOf = (reference: string) =>
    readFileSync(join(mailDirectory(stack.dataDir), `${reference}.eml`), 'utf8')
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

  it('is written from the stored enquiry as a .eml any mail client opens: to the enquirer, with the reference and the first-response target', async () => {
    const answer = await send({ ...aPerson, contact: { name: 'Ada Acknowledged', email: 'ada@example.org' } });
    await stack.idle();
    const eml = emlOf(answer.body.reference);
    expect(eml).toMatch(/^To: ada@example\.org\r$/m);
    expect(eml).toMatch(new RegExp(`^Subject: Your enquiry about fostering: ${answer.body.reference}\\r$`, 'm'));
    expect(eml).toContain(`Your reference is ${answer.body.reference}.`);
    expect(eml).toContain(`Thank you for your enquiry about fostering with ${FORM_SETTINGS.serviceName}.`);
    expect(eml).toContain('will contact you by the end of the next working day');
    expect(eml).toContain('Dear Ada Acknowledged,');
  });

  it('is not sent to an enquirer who gave only a phone number, nor for an enquiry staff logged', async () => {
    const phoneOnly = await send({ ...aPerson, contact: { name: 'Pip Phone', phone: '07700 900555' } });
    const logged = await stack.call(
      apiRoute('ReceiveEnquiry'),
      { body: { channel: 'phone', contact: { name: 'Sol Staff', email: 'sol@example.org' } } },
      await token('recruitment'),
    );
    await stack.idle();
    expect(existsSync(join(mailDirectory(stack.dataDir), `${phoneOnly.body.reference}.eml`))).toBe(false);
    expect(existsSync(join(mailDirectory(stack.dataDir), `${logged.body.reference}.eml`))).toBe(false);
  });

  it('is retried when sending fails, and sent once it succeeds', async () => {
    mail.failuresToCome = 2;
    const answer = await send({ ...aPerson, contact: { name: 'Ray Retried', email: 'ray@example.org' } });
    await stack.idle();
    expect(mail.failuresToCome).toBe(0);
    expect(emlOf(answer.body.reference)).toContain(`Your reference is ${answer.body.reference}.`);
  });

  it('is dead-lettered with its reason when sending keeps failing, and the enquiry is kept', async () => {
    mail.failuresToCome = 3;
    const answer = await send({ ...aPerson, contact: { name: 'Dee Deadletter', email: 'dee@example.org' } });
    await stack.idle();
    expect(answer.status).toBe(202);
    expect(existsSync(join(mailDirectory(stack.dataDir), `${answer.body.reference}.eml`))).toBe(false);
    const household = await householdByReference(answer.body.reference);
    expect(household.contact.email).toBe('dee@example.org');
    const letters = readFileSync(join(mailDirectory(stack.dataDir), 'dead-letters.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(letters).toContainEqual({
      agencyId,
      householdId: household.householdId,
      attempts: 3,
      reason: mail.failWith,
      failedAt: expect.any(String),
    });
    // No contact details in a dead letter.
    expect(JSON.stringify(letters)).not.toContain('dee@example.org');
  });
});
