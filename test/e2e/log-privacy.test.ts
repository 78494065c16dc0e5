// "Logs never contain contact details or tokens" (docs/security.md): one realistic run of `npm start`,
// then every line it printed searched for each name, email, phone and token used, and their likes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { apiRoutes, type ApiRoute } from '../../shared/wiring/http-routes';
import { signLocalToken } from '../../local/tokens';
import { startRunningStack, tokenFor, type RunningStack } from '../support/running-stack';
import { hubOfRegion } from '../../shared/wiring/regions';

const agency = 'cambs';
const region = 'east-of-england';
const at = (date: string) => `${date}T10:00:00Z`;

/** Distinctive, so that a hit can only come from this run. */
const people = {
  kept: { name: 'Philippa Quarrendon-Vell', email: 'philippa.quarrendon@example.org', phone: '07700 900461' },
  approved: { name: 'Ozymandias Threlkeld', email: 'o.threlkeld+fostering@example.net', phone: '+44 7700 900872' },
  closed: { name: 'Marguerite Ashbolt', phone: '(01632) 960513' },
  erased: { name: 'Leofric Wintersgill', email: 'leofric.w@example.com' },
  referred: { name: 'Temperance Oakhurst', email: 'temperance@oakhurst.example' },
  closedLongAgo: { name: 'Ignatius Braithwaite-Lowe', email: 'ignatius.bl@example.org', phone: '01632 960 884' },
  // Through the enquiry form: as JSON, and as a plain form post; both acknowledged by email.
  fromTheForm: { name: 'Evangeline Stourbridge', email: 'evangeline.s@example.org', phone: '07700 900218' },
  postedPlainly: { name: 'Thaddeus Quillington', email: 'thaddeus.q@example.net' },
  // Possible duplicates: the kept household's email in another case, and the closed one's phone.
  again: { name: 'Perpetua Quarrendon', email: 'Philippa.Quarrendon@Example.org' },
  sameNumber: { name: 'Bartholomew Ashbolt', phone: '01632 960513' },
};
/** Contact details sent in requests that were refused, or in events other systems put on the bus. */
const refused = {
  badBody: { name: 'Cressida Fenwick-Haugh', email: 'cressida.fh@example.org', phone: '07700 900117' },
  brokenJson: { name: 'Barnabas Cotterill', email: 'barnabas.cotterill@example.net' },
  onTheBus: { name: 'Winifred Stallybrass', email: 'winifred.s@example.com', phone: '07700 900993' },
  unknownEvent: { name: 'Aloysius Pemberton', email: 'aloysius.p@example.org' },
  idempotencyReuse: { name: 'Hepzibah Morcombe', email: 'hepzibah.m@example.org' },
  // The enquiry form's refusals: a bad field, a robot's honeypot, a body over 16 KB.
  formRefused: { name: 'Cornelius Ravensworth', email: 'cornelius.r@example', phone: '07700 900346' },
  robot: { name: 'Octavia Blenkinsop', email: 'octavia.b@example.org' },
  tooLarge: { name: 'Peregrine Aldersey', email: 'peregrine.a@example.org' },
};
const contacts = [...Object.values(people), ...Object.values(refused)];
/** What a manager writes about a carer when flagging a resignation risk: kept with the contact details. */
const RISK_NOTE = 'Wintersgill-Quarrendon knee operation, may stop fostering';

let stack: RunningStack;
const tokens: Record<string, string> = {};
const ids = {} as Record<keyof typeof people, string>;
const statuses: string[] = [];
const stackEnv = {
  // The job runs at start and then every second, so its runs are in the log too.
  RETENTION_INTERVAL_MS: '1000',
  // As someone debugging might set them: Powertools' own event logging, and every debug line.
  POWERTOOLS_LOGGER_LOG_EVENT: 'true',
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
};
const envBefore = Object.fromEntries(Object.keys(stackEnv).map((name) => [name, process.env[name]]));

async function call(
  label: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const result = await stack.call(method, path, options);
  statuses.push(`${label} ${result.status}`);
  return result;
}
async function expectStatus(status: number, label: string, method: string, path: string, options: Parameters<typeof call>[3] = {}) {
  const result = await call(label, method, path, options);
  expect([label, result.status, result.body?.error?.code]).toEqual([label, status, status < 400 ? undefined : expect.any(String)]);
  await stack.idle();
  return result.body;
}
const enquiry = (person: { name: string; email?: string; phone?: string }, occurredAt = at('2024-03-04'), token = tokens.recruitment) =>
  expectStatus(202, `enquiry of ${person.name}`, 'POST', '/enquiries', {
    token,
    body: { channel: 'website', interests: ['teenagers'], occurredAt, contact: person },
  });
const step = (status: number, householdId: string, path: string, body: object, token = tokens.recruitment, method = 'POST') =>
  expectStatus(status, `${method} …/${path}`, method, `/households/${householdId}/${path}`, { token, body });

beforeAll(async () => {
  Object.assign(process.env, stackEnv);
  stack = await startRunningStack();
  for (const role of ['recruitment', 'marketing', 'manager'] as const) tokens[role] = await tokenFor(agency, role);
  tokens.regional = await signLocalToken({ groups: ['regional'], regionId: region });
  tokens.hubManager = await tokenFor(hubOfRegion(region)!, 'manager');
  tokens.otherAgency = await tokenFor('peterborough', 'recruitment');
  tokens.forged = await signLocalToken({ groups: ['recruitment'], agencyId: agency, secret: 'not-the-local-secret' });
  tokens.expired = await signLocalToken({ groups: ['recruitment'], agencyId: agency, expiresInSeconds: -60 });
  tokens.opaque = 'opaque-session-4f9c2e71b8d04a6f9e3b';

  // The agency keeps enquiries' details ten years: of this run's closures, only the one in 2012 is past it.
  await expectStatus(202, 'settings', 'PUT', '/agency/settings', {
    token: tokens.manager,
    body: { attritionRate: 0.1, targetInHouseShare: 0.6, enquiryRetentionDays: 3650 },
  });

  // Marketing: a campaign and its spend.
  await expectStatus(202, 'campaign', 'POST', '/campaigns', {
    token: tokens.marketing,
    body: { campaignId: 'spring-2024', name: 'Spring 2024', channels: ['website'], startsOn: '2024-03-01', occurredAt: at('2024-02-20') },
  });
  await expectStatus(202, 'spend', 'POST', '/campaigns/spring-2024/spend', {
    token: tokens.marketing,
    body: { amountPence: 250_000, item: 'radio advert', occurredAt: at('2024-03-01') },
  });

  // Recruitment: enquiries (one sent twice with the same Idempotency-Key), and each step of the funnel.
  const idempotent = {
    token: tokens.recruitment,
    headers: { 'idempotency-key': 'enquiry-kept-1' },
    body: { channel: 'website', campaignId: 'spring-2024', occurredAt: at('2024-03-04'), contact: people.kept },
  };
  ids.kept = (await expectStatus(202, 'enquiry with a key', 'POST', '/enquiries', idempotent)).householdId;
  expect((await expectStatus(202, 'the same again', 'POST', '/enquiries', idempotent)).householdId).toBe(ids.kept);
  await expectStatus(409, 'the key with another body', 'POST', '/enquiries', {
    ...idempotent,
    body: { ...idempotent.body, contact: refused.idempotencyReuse },
  });
  ids.approved = (await enquiry(people.approved)).householdId;
  ids.closed = (await enquiry(people.closed)).householdId;
  ids.erased = (await enquiry(people.erased)).householdId;
  ids.referred = (await enquiry(people.referred)).householdId;
  ids.closedLongAgo = (await enquiry(people.closedLongAgo, at('2012-03-01'))).householdId;

  await step(202, ids.kept, 'initial-visit', { occurredAt: at('2024-03-20') });
  await step(202, ids.approved, 'initial-visit', { occurredAt: at('2024-03-18') });
  await step(202, ids.approved, 'assessment', { prospectiveBeds: 2, occurredAt: at('2024-04-02') });
  await step(202, ids.approved, 'assessment-milestones', { milestone: 'panel_recommended_approval', occurredAt: at('2024-09-01') });
  await step(202, ids.approved, 'approval', { category: 'mainstream', approvedBeds: 2, occurredAt: at('2024-09-10') });
  await step(202, ids.closed, 'closure', { reason: 'not_proceeding', occurredAt: at('2024-04-01') });
  await step(202, ids.closedLongAgo, 'closure', { reason: 'no_response', occurredAt: at('2012-04-01') });
  await step(202, ids.referred, 'referral', { toAgencyId: 'peterborough', occurredAt: at('2024-03-25') });
  // Matched on what is stored, so each is marked: one closed as a duplicate, the other's mark cleared.
  ids.again = (await enquiry(people.again, at('2024-03-06'))).householdId;
  await step(202, ids.again, 'closure', { reason: 'duplicate', occurredAt: at('2024-03-07') });
  ids.sameNumber = (await enquiry(people.sameNumber, at('2024-05-01'))).householdId;
  await step(202, ids.sameNumber, 'not-duplicate', { occurredAt: at('2024-05-02') });

  // Manager: the approved household's life as carers.
  await step(202, ids.approved, 'approval-change', { approvedBeds: 3, occurredAt: at('2024-10-01') }, tokens.manager);
  await step(
    202,
    ids.approved,
    'placements',
    { placementId: 'child-1', placementType: 'time_limited', occurredAt: at('2024-10-05') },
    tokens.manager,
  );
  await step(202, ids.approved, 'placements/child-1/end', { occurredAt: at('2024-12-01') }, tokens.manager);
  await step(202, ids.approved, 'holds', { holdId: 'hold-1', reason: 'carer_break', occurredAt: at('2024-12-02') }, tokens.manager);
  await step(202, ids.approved, 'holds/hold-1/end', { occurredAt: at('2024-12-20') }, tokens.manager);
  await step(
    202,
    ids.approved,
    'resignation-risk',
    { reason: 'retirement', note: RISK_NOTE, likelihood: 0.5, occurredAt: at('2025-01-10') },
    tokens.manager,
  );
  await step(202, ids.approved, 'resignation-risk', { occurredAt: at('2025-02-10') }, tokens.manager, 'DELETE');
  await step(
    202,
    ids.approved,
    'resignation',
    { reason: 'retirement', initiatedBy: 'carer', occurredAt: at('2025-03-01') },
    tokens.manager,
  );
  await expectStatus(202, 'children in care', 'POST', '/children-in-care', {
    token: tokens.manager,
    body: { childrenInCare: 400, fosteredInHouse: 150, fosteredAgency: 120, occurredAt: at('2025-03-31') },
  });
  await expectStatus(202, 'settings', 'PUT', '/agency/settings', {
    token: tokens.manager,
    body: { attritionRate: 0.12, targetInHouseShare: 0.65 },
  });
  await expectStatus(200, 'settings read', 'GET', '/agency/settings', { token: tokens.manager });

  // The front door: the form page, posts as JSON and as a plain form (acknowledged by email, which
  // the mail path writes under DATA_DIR/mail/), and its refusals.
  await expectStatus(202, 'form settings', 'PUT', '/agency/settings', {
    token: tokens.manager,
    body: {
      attritionRate: 0.12,
      targetInHouseShare: 0.65,
      serviceName: 'Cambridgeshire Fostering',
      privacyNoticeText: 'We use your details to answer your enquiry.',
      privacyNoticeUrl: 'https://www.example.gov.uk/privacy',
    },
  });
  const page = await stack.call('GET', `/enquire/${agency}?utm_campaign=spring-2024&utm_source=facebook`);
  expect(page.status).toBe(200);
  const fromTheForm = await expectStatus(202, 'form post', 'POST', `/public/enquiries/${agency}`, {
    body: { contact: people.fromTheForm, consent: true, attribution: { campaign: 'spring-2024', source: 'facebook' } },
  });
  ids.fromTheForm = fromTheForm.reference;
  const plain = new URLSearchParams({ name: people.postedPlainly.name, email: people.postedPlainly.email, consent: 'yes' });
  const plainAnswer = await stack.call('POST', `/public/enquiries/${agency}`, {
    body: plain.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  statuses.push(`plain form post ${plainAnswer.status}`);
  expect(plainAnswer.status).toBe(202);
  await expectStatus(400, 'form post refused', 'POST', `/public/enquiries/${agency}`, {
    body: { contact: refused.formRefused, consent: false },
  });
  await expectStatus(202, 'honeypot', 'POST', `/public/enquiries/${agency}`, {
    body: { contact: refused.robot, consent: true, website: refused.robot.email },
  });
  await expectStatus(413, 'form post too large', 'POST', `/public/enquiries/${agency}`, {
    body: { contact: refused.tooLarge, consent: true, website: 'x'.repeat(17 * 1024) },
  });

  // Refusals: 400 with contact details in the body, 401 with bad tokens, 403, 404 and 409.
  await expectStatus(400, 'invalid enquiry', 'POST', '/enquiries', {
    token: tokens.recruitment,
    body: { channel: 'carrier_pigeon', contact: { ...refused.badBody, email: `${refused.badBody.email} (home)` } },
  });
  await expectStatus(400, 'enquiry that is not JSON', 'POST', '/enquiries', {
    token: tokens.recruitment,
    body: `{"channel":"phone","contact":{"name":"${refused.brokenJson.name}","email":"${refused.brokenJson.email}"`,
  });
  for (const bad of ['forged', 'expired', 'opaque'] as const) {
    await expectStatus(401, `${bad} token`, 'POST', '/enquiries', {
      token: tokens[bad],
      body: { channel: 'phone', contact: refused.badBody },
    });
  }
  await expectStatus(403, 'regional reads a household', 'GET', `/households/${ids.kept}`, { token: tokens.regional });
  await expectStatus(403, 'manager erases', 'DELETE', `/households/${ids.kept}/contact`, { token: tokens.manager });
  await expectStatus(404, 'another agency reads it', 'GET', `/households/${ids.kept}`, { token: tokens.otherAgency });
  await expectStatus(404, 'erasing an unknown household', 'DELETE', '/households/no-such-household/contact', { token: tokens.recruitment });
  await step(409, ids.closed, 'initial-visit', { occurredAt: at('2024-05-01') });
  await step(409, ids.approved, 'approval', { category: 'mainstream', approvedBeds: 1, occurredAt: at('2024-11-01') });
  await step(409, ids.approved, 'holds/hold-1/end', { occurredAt: at('2024-12-21') }, tokens.manager);

  // The working day: calls and their outcomes, a milestone, the search by every kind of
  // contact detail (names in the query string), the work list with names, and refusals.
  await step(202, ids.kept, 'contact-attempts', {
    method: 'phone',
    outcome: 'callback_requested',
    followUpOn: '2024-03-12',
    occurredAt: at('2024-03-05'),
  });
  await step(202, ids.kept, 'contact-attempts', { method: 'email', outcome: 'information_sent', occurredAt: at('2024-03-12') });
  await step(400, ids.kept, 'contact-attempts', { method: 'carrier_pigeon', outcome: 'callback_requested', note: people.kept.name });
  await step(409, ids.closed, 'contact-attempts', { method: 'phone', outcome: 'reached' });
  for (const q of [
    people.kept.name,
    people.kept.name.split(' ')[0]!,
    people.kept.email,
    people.kept.phone,
    people.approved.phone,
    people.erased.name,
  ]) {
    const found = await expectStatus(200, 'search', 'GET', `/households?q=${encodeURIComponent(q)}`, { token: tokens.recruitment });
    expect(found.households.length).toBeGreaterThan(0);
    await expectStatus(200, 'search as marketing', 'GET', `/households?q=${encodeURIComponent(q)}`, { token: tokens.marketing });
  }
  await expectStatus(400, 'search too long', 'GET', `/households?q=${encodeURIComponent(people.kept.name.repeat(8))}`, {
    token: tokens.recruitment,
  });
  const workList = await expectStatus(200, 'caseload', 'GET', '/caseload?on=2024-03-13', { token: tokens.recruitment });
  expect(workList.households.map((h: { name?: string }) => h.name)).toContain(people.kept.name);
  await expectStatus(200, 'caseload as manager', 'GET', '/caseload?on=2024-03-13', { token: tokens.manager });

  // Erasure on request, and reads of the household with and without contact details.
  await expectStatus(200, 'erasure', 'DELETE', `/households/${ids.erased}/contact`, { token: tokens.recruitment });
  expect(
    (
      await expectStatus(200, 'search after erasure', 'GET', `/households?q=${encodeURIComponent(people.erased.name)}`, {
        token: tokens.recruitment,
      })
    ).households,
  ).toEqual([]);
  expect(
    (await expectStatus(200, 'recruitment reads', 'GET', `/households/${ids.kept}`, { token: tokens.recruitment })).contact,
  ).toMatchObject({ name: people.kept.name });
  await expectStatus(200, 'marketing reads', 'GET', `/households/${ids.approved}`, { token: tokens.marketing });

  // Other systems on the bus: an enquiry carrying contact details (refused: they never travel on
  // the bus), and an event of a kind no projector knows.
  const bus = new EventBridgeClient({
    endpoint: stack.eventsUrl,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const put = await bus.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: 'fostering',
          Source: 'fostering.recruitment',
          DetailType: 'EnquiryReceived',
          Detail: JSON.stringify({
            eventId: 'web-form-1',
            agencyId: agency,
            occurredAt: at('2024-06-01'),
            householdId: 'web-1',
            channel: 'website',
            contact: refused.onTheBus,
            email: refused.onTheBus.email,
          }),
        },
        {
          EventBusName: 'fostering',
          Source: 'fostering.recruitment',
          DetailType: 'EnquirerDetailsUpdated',
          Detail: JSON.stringify({ eventId: 'crm-7', agencyId: agency, ...refused.unknownEvent }),
        },
      ],
    }),
  );
  bus.destroy();
  expect(put.FailedEntryCount).toBe(0);
  await stack.idle();

  // Every metric, for the agency and, where a region may read it, for its region.
  const metricQueries: Record<string, string> = {
    '/metrics/campaign-conversion': '?from=2024-01-01&to=2025-03-31',
    '/metrics/annual-return': '?financialYear=2024',
    '/metrics/timeliness': '?from=2024-01-01&to=2025-03-31',
    '/metrics/hub': '?from=2024-01-01&to=2025-03-31',
  };
  // The hub's figures are its managers' (and its region's), not a council's.
  const readerOf = (route: ApiRoute) => (route.path === '/metrics/hub' ? tokens.hubManager : tokens.recruitment);
  for (const route of apiRoutes.filter((r) => r.method === 'GET' && r.path.startsWith('/metrics/'))) {
    const query = metricQueries[route.path] ?? '';
    await expectStatus(200, route.name, 'GET', `${route.path}${query}`, { token: readerOf(route) });
    if ((route as ApiRoute).regional) {
      await expectStatus(200, `${route.name} (region)`, 'GET', `${route.path}${query}${query ? '&' : '?'}region=${region}`, {
        token: tokens.regional,
      });
    }
  }

  // The retention job erases the details of the enquiry closed in 2012 on one of its runs.
  const deadline = Date.now() + 20_000;
  while ((await stack.call('GET', `/households/${ids.closedLongAgo}`, { token: tokens.recruitment })).body.contact !== null) {
    if (Date.now() > deadline) throw new Error('the retention job did not erase the details of the enquiry closed in 2012');
    await new Promise((r) => setTimeout(r, 250));
  }
  await stack.idle();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  for (const [name, value] of Object.entries(envBefore)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** The ways a value could show up: as sent, lower-cased, a phone number's digits, each long name part. */
function spellings(contact: { name: string; email?: string; phone?: string }): string[] {
  const digits = contact.phone?.replace(/\D/g, '');
  return [
    contact.name,
    ...contact.name.split(/[\s-]+/).filter((part) => part.length >= 6),
    ...(contact.email ? [contact.email, contact.email.split('@')[0]!] : []),
    ...(contact.phone ? [contact.phone] : []),
    ...(digits ? [digits, digits.slice(-9)] : []),
  ];
}

describe('the log output of an end-to-end run', () => {
  it('is the whole run: server lines, handler logs, bus failures and the retention job', () => {
    const output = stack.output();
    expect(statuses.length).toBeGreaterThan(50);
    expect(output).toContain('[api] POST /enquiries 202');
    expect(output).toContain('[api] GET /enquire/{agencyId} 200');
    expect(output).toContain('[api] POST /public/enquiries/{agencyId} 202');
    expect(output).toContain('[api] POST /public/enquiries/{agencyId} 413');
    // The mail path ran: both acknowledgements written, from the stored facts.
    for (const reference of [ids.fromTheForm])
      expect(readFileSync(join(stack.dataDir, 'mail', `${reference}.eml`), 'utf8')).toContain(reference);
    expect(readdirSync(join(stack.dataDir, 'mail')).filter((file) => file.endsWith('.eml'))).toHaveLength(2);
    expect(output).toContain('[api] POST /enquiries 401');
    expect(output).toContain('"message":"request refused"');
    expect(output).toContain('"message":"event projected"');
    expect(output).toContain('"message":"contact details erased"');
    expect(output).toMatch(/"message":"retention enforced".*"erased":\{"enquiry":1,"applicant":0,"carer":0,"unrecorded":0\}/);
    expect(output).toContain('[bus] HouseholdProjector failed on EnquiryReceived');
    expect(output).toContain('[bus] UnknownEventRejector failed on EnquirerDetailsUpdated');
  });

  it('holds no note a manager wrote on a risk flag', () => {
    expect(stack.output().toLowerCase()).not.toContain('knee operation');
  });

  it('holds no name, email or phone number sent, whether the request was accepted or refused', () => {
    const output = stack.output().toLowerCase();
    const found = contacts.flatMap(spellings).filter((value) => output.includes(value.toLowerCase()));
    expect(found).toEqual([]);
  });

  it('holds nothing that looks like an email address', () => {
    expect(stack.output().match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g)).toBeNull();
  });

  it('holds no bearer token used, valid or not, nor any part of one, nor anything that looks like a JWT', () => {
    const output = stack.output();
    const parts = Object.values(tokens).flatMap((token) => [token, ...token.split('.').filter((part) => part.length >= 16)]);
    expect(parts.filter((part) => output.includes(part))).toEqual([]);
    expect(output.match(/eyJ[\w-]{8,}/g)).toBeNull();
    expect(output.match(/bearer\s+[\w.-]{8,}/gi)).toBeNull();
  });
});
