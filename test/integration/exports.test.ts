// Taking figures out (docs/api.md, CSV and exporting the events): every metric as CSV with the JSON answer's figures, and the agency's
// events as NDJSON that the bus takes back: exported from one stack and replayed into a clean one,
// they give identical metrics. Real handlers, the local bus and DynamoDB Local.
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { parse } from 'csv-parse/sync';
import { apiRoute, apiRoutes, type ApiRoute } from '../../shared/wiring/http-routes';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { EVENT_SOURCE, parseDomainEvent } from '../../shared/events/catalogue';
import { figureValue, figureWords, flattenFigures } from '../../shared/api/csv';
import { eventExportPage } from '../../shared/queries/event-export';
import { signLocalToken } from '../../local/tokens';
import { generateRegionHistory } from '../../tools/demo/history';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack';
import { actingAgency, routeFixtures } from '../support/route-fixtures';
import { anEvent } from '../support/funnel-events';

const agencyId = 'cambs';
let stack: InProcessStack;
const token = (groups: Parameters<typeof signLocalToken>[0]['groups'], agency = agencyId) =>
  signLocalToken({ secret: stack.jwtSecret, groups, agencyId: agency });

beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
});

describe('every metric as CSV (Accept: text/csv or ?format=csv)', () => {
  beforeAll(async () => {
    stack = await startInProcessStack();
  });
  afterAll(() => stack?.stop());

  const csvRoutes = apiRoutes.filter((r): r is typeof r & { csv: true } => 'csv' in r && r.csv === true);

  test('the metrics each declare CSV', () => {
    expect(csvRoutes.map((r) => r.path).sort()).toEqual(
      expect.arrayContaining([
        '/metrics/annual-return',
        '/metrics/beds-on-hold',
        '/metrics/campaign-conversion',
        '/metrics/capacity',
        '/metrics/resignation-forecast',
        '/metrics/sufficiency',
      ]),
    );
  });

  test.each(csvRoutes.map((r) => [r.name, r] as const))(
    '%s: the CSV holds every figure of the JSON answer, row for row',
    async (_name, route: ApiRoute) => {
      const fixture = routeFixtures[route.name as keyof typeof routeFixtures];
      // A hub's figures are its own managers' (route-fixtures.ts).
      const acting = actingAgency(fixture, agencyId);
      const request = await fixture.prepare({ agencyId: acting, record: stack.record });
      const manager = await token(['manager'], acting);
      const json = await stack.call(route, request, manager);
      expect(json.status).toBe(200);
      const byFormat = await stack.call(route, { ...request, query: { ...request.query, format: 'csv' } }, manager);
      const byAccept = await stack.call(route, { ...request, headers: { accept: 'text/csv' } }, manager);
      for (const answer of [byFormat, byAccept]) {
        expect(answer.status).toBe(200);
        expect(answer.contentType).toBe('text/csv; charset=utf-8');
        const rows = parse(answer.body as string, { bom: true, columns: true }) as Array<Record<string, string>>;
        expect(rows).toEqual(
          flattenFigures(json.body).map(([field, value]) => ({
            Figure: figureWords(field),
            ...Object.fromEntries(Object.entries(figureValue(field, value)).map(([k, v]) => [k === 'value' ? 'Value' : 'Unit', v])),
            Field: field,
          })),
        );
      }
    },
  );

  test('a figure worked out by hand reads the same in the CSV (capacity at 30 September 2019)', async () => {
    const route = apiRoute('Capacity');
    const request = await routeFixtures.Capacity.prepare({ agencyId, record: stack.record });
    const answer = await stack.call(route, { ...request, query: { ...request.query, format: 'csv' } }, await token(['marketing']));
    const rows = new Map(
      (parse(answer.body as string, { bom: true, columns: true }) as Array<{ Field: string; Value: string }>).map((r) => [
        r.Field,
        r.Value,
      ]),
    );
    // The fixture's one carer: approved for 2 beds, none placed, 1 on hold for matching.
    expect(
      Object.fromEntries(
        ['households', 'approvedBeds', 'vacantBeds', 'bedsOnHold', 'availableBeds', 'byCategory.mainstream.households'].map((f) => [
          f,
          rows.get(f),
        ]),
      ),
    ).toEqual({
      households: '1',
      approvedBeds: '2',
      vacantBeds: '2',
      bedsOnHold: '1',
      availableBeds: '1',
      'byCategory.mainstream.households': '1',
    });
  });

  test('an unknown format is a 400 naming the field; a refusal stays JSON', async () => {
    const manager = await token(['manager']);
    const bad = await stack.call(apiRoute('Capacity'), { query: { at: '2019-09-30', format: 'xml' } }, manager);
    expect(bad).toMatchObject({ status: 400, body: { error: { fields: [{ field: 'format' }] } } });
    const invalid = await stack.call(apiRoute('Capacity'), { query: { at: '2019-02-31', format: 'csv' } }, manager);
    expect(invalid).toMatchObject({ status: 400, contentType: 'application/json', body: { error: { fields: [{ field: 'at' }] } } });
  });
});

/** Every page of the agency's export, as the API answers it, following `x-next-cursor`. */
async function exportAll(target: InProcessStack, from: string, to: string, agency = agencyId): Promise<PutEventsRequestEntry[]> {
  const manager = await signLocalToken({ secret: target.jwtSecret, groups: ['manager'], agencyId: agency });
  const lines: PutEventsRequestEntry[] = [];
  let cursor: string | undefined;
  do {
    const answer = await target.call(apiRoute('ExportEvents'), { query: { from, to, ...(cursor ? { cursor } : {}) } }, manager);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/x-ndjson');
    lines.push(
      ...((answer.body as string | undefined) ?? '')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as PutEventsRequestEntry),
    );
    cursor = answer.headers?.['x-next-cursor'];
  } while (cursor);
  return lines;
}

describe('GET /export/events', () => {
  beforeAll(async () => {
    stack = await startInProcessStack();
  });
  afterAll(() => stack?.stop());

  test("the agency's own events, oldest first, as PutEvents entries, without contact details", async () => {
    const recruitment = await token(['recruitment']);
    const contact = { name: 'Jo Exampleperson', email: 'jo.exampleperson@example.org', phone: '01223 765432' };
    const logged = await stack.call(
      apiRoute('ReceiveEnquiry'),
      { body: { channel: 'phone', occurredAt: '2019-06-10T15:00:00+01:00', contact } },
      recruitment,
    );
    expect(logged.status).toBe(202);
    await stack.idle();
    const householdId = logged.body.householdId as string;
    await stack.record(
      anEvent('InitialVisitCompleted', '2019-06-20T10:00:00Z', { agencyId, householdId, eventId: 'visit-1' }),
      // Earlier than the visit, later than the enquiry: the export orders by the instant, not arrival.
      anEvent('ChildrenInCareRecorded', '2019-06-12T09:00:00Z', {
        agencyId,
        eventId: 'cic-1',
        childrenInCare: 700,
        fosteredInHouse: 250,
        fosteredAgency: 150,
      }),
      anEvent('EnquiryReceived', '2019-06-15T09:00:00Z', {
        agencyId: 'norfolk',
        eventId: 'norfolk-1',
        householdId: 'norfolk-household',
        channel: 'website',
      }),
      anEvent('CampaignSpendRecorded', '2019-07-01T09:00:00Z', {
        agencyId,
        eventId: 'spend-1',
        campaignId: 'summer',
        amountPence: 12_000,
        item: 'radio',
      }),
    );
    const lines = await exportAll(stack, '2019-06-01', '2019-06-30');
    expect(lines.map((l) => [l.Source, l.DetailType, JSON.parse(l.Detail!).eventId])).toEqual([
      [EVENT_SOURCE, 'EnquiryReceived', logged.body.eventId],
      [EVENT_SOURCE, 'ChildrenInCareRecorded', 'cic-1'],
      [EVENT_SOURCE, 'InitialVisitCompleted', 'visit-1'],
    ]);
    for (const line of lines) expect(parseDomainEvent(line.DetailType!, JSON.parse(line.Detail!)).success).toBe(true);
    const text = JSON.stringify(lines);
    for (const personal of [contact.name, 'Exampleperson', contact.email, contact.phone, '765432']) expect(text).not.toContain(personal);
    expect((await exportAll(stack, '2019-06-01', '2019-07-31')).map((l) => l.DetailType)).toContain('CampaignSpendRecorded');
  });

  test('a long export comes in pages, each event once; a cursor not given by the export is a 400', async () => {
    const events = Array.from({ length: 7 }, (_, i) =>
      anEvent('ChildrenInCareRecorded', `2020-01-0${i + 1}T09:00:00Z`, {
        agencyId,
        eventId: `paged-${i}`,
        childrenInCare: 700 + i,
        fosteredInHouse: 250,
        fosteredAgency: 150,
      }),
    );
    await stack.record(...events);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await eventExportPage(agencyId, { from: '2020-01-01', to: '2020-01-31', cursor }, 3);
      seen.push(...page.events.map((e) => e.detail.eventId));
      cursor = page.next;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(events.map((e) => e.detail.eventId));
    expect(pages).toBeGreaterThanOrEqual(3);
    const manager = await token(['manager']);
    const forged = await stack.call(
      apiRoute('ExportEvents'),
      { query: { from: '2020-01-01', to: '2020-01-31', cursor: 'bm90LWEtY3Vyc29y' } },
      manager,
    );
    expect(forged).toMatchObject({ status: 400, body: { error: { fields: [{ field: 'cursor' }] } } });
    const tooLong = await stack.call(apiRoute('ExportEvents'), { query: { from: '2000-01-01', to: '2020-01-31' } }, manager);
    expect(tooLong).toMatchObject({ status: 400, body: { error: { fields: [{ field: 'to' }] } } });
  });
});

/** The whole history (the carers' go back decades), a window of ten years at a time as the API allows. */
async function exportHistory(target: InProcessStack): Promise<PutEventsRequestEntry[]> {
  const lines: PutEventsRequestEntry[] = [];
  for (let year = 1970; year <= 2019; year += 10) lines.push(...(await exportAll(target, `${year}-01-01`, `${year + 9}-12-31`)));
  return lines;
}

describe('round trip: exported from one stack, replayed into a clean one', () => {
  const reads: Array<[string, Record<string, string>]> = [
    ['CampaignConversion', { from: '2019-04-01', to: '2019-09-30' }],
    ['CampaignConversion', { from: '2018-01-01', to: '2019-12-31', groupBy: 'campaign' }],
    ['Capacity', { at: '2019-09-30' }],
    ['BedsOnHold', { at: '2019-09-30' }],
    ['Sufficiency', { at: '2019-09-30' }],
    ['ResignationForecast', { financialYear: '2019', asOf: '2019-09-30' }],
    ['AnnualReturn', { financialYear: '2018' }],
  ];
  async function metrics(target: InProcessStack) {
    const manager = await signLocalToken({ secret: target.jwtSecret, groups: ['manager'], agencyId });
    const answers: unknown[] = [];
    for (const [name, query] of reads) {
      const answer = await target.call(apiRoute(name as Parameters<typeof apiRoute>[0]), { query }, manager);
      expect(answer.status).toBe(200);
      answers.push(answer.body);
    }
    return answers;
  }

  test('gives identical metrics, and the same export again', async () => {
    const history = generateRegionHistory({ seed: 'round-trip', agencyIds: [agencyId], fromYear: 2018, years: 2, scale: 0.05 });
    stack = await startInProcessStack();
    let exported: PutEventsRequestEntry[];
    let before: unknown[];
    try {
      await stack.record(...history);
      before = await metrics(stack);
      exported = await exportHistory(stack);
    } finally {
      await stack.stop();
    }
    const count = (types: string[]) => types.reduce<Record<string, number>>((n, t) => ({ ...n, [t]: (n[t] ?? 0) + 1 }), {});
    expect(count(exported.map((e) => e.DetailType!))).toEqual(count(history.map((e) => e.detailType)));

    stack = await startInProcessStack();
    try {
      // The unmodified AWS SDK, as another system (or `npm run import`) would publish.
      const client = new EventBridgeClient({
        endpoint: stack.bus.url,
        region: 'eu-west-2',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      for (let i = 0; i < exported.length; i += 10) {
        const answer = await client.send(
          new PutEventsCommand({ Entries: exported.slice(i, i + 10).map((e) => ({ ...e, EventBusName: EVENT_BUS_NAME })) }),
        );
        expect(answer.FailedEntryCount ?? 0).toBe(0);
      }
      client.destroy();
      // The outbox too: the conversion counts are kept from the table's stream, after the projectors.
      await stack.idle();
      expect(stack.deadLetters).toEqual([]);
      expect(await metrics(stack)).toEqual(before);
      expect(await exportHistory(stack)).toEqual(exported);
    } finally {
      await stack.stop();
    }
  }, 240_000);
});
