// The bench's own instruments on a tiny input, so `npm run bench` cannot rot unnoticed while it is
// not part of `npm test`: request counting, the fold the query histories are seeded from, the stats.
import { apiRoutes } from '../../shared/wiring/http-routes';
import { dynamoDbClient } from '../../shared/aws-clients';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../../shared/wiring/environment';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { capacityFor } from '../../shared/queries/capacity';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { householdKey, readHouseholdHistory, readHouseholdState, STATE_SK } from '../../shared/store/households';
import { projectionsTable, tableName } from '../../shared/store/tables';
import { ReadTally } from '../../shared/store/query-pages';
import type { DomainEvent, HouseholdEvent } from '../../shared/events/catalogue';
import { DynamoDbCounter, emptyCounts, operationOf } from '../../bench/dynamodb-counter';
import { measureFloor, prepareFloor } from '../../bench/floor';
import { approvedCarersProfile, foldHistory, seedHistory } from '../../bench/history';
import { metricCases, NOT_BENCHED } from '../../bench/queries';
import { median, percentile } from '../../bench/stats';
import { longServingCarer } from '../../bench/long-carer';
import { foldHousehold } from '../../shared/domain/household';
import { anEvent, approval, assessment, enquiry, initialVisit, placementStart, referralOn } from '../support/funnel-events';
import { useFreshTables } from '../support/tables';

const counter = new DynamoDbCounter();

// Built once (event ids are unique per build), then copied into an agency of its own per test.
const baseStory: DomainEvent[] = [
  // Logged through the API: each brings its reference (one from another system would draw it when stored).
  enquiry('h1', '2019-07-08', { reference: 'BENCH-2019-0001' }),
  initialVisit('h1', '2019-07-20'),
  assessment('h1', '2019-08-12', 2),
  approval('h1', '2019-11-01', 2),
  placementStart('h1', 'p1', '2019-11-05'),
  enquiry('h2', '2019-07-09', { reference: 'BENCH-2019-0002' }),
  referralOn('h2', '2019-07-30', 'AGENCY-other'),
  anEvent('ChildrenInCareRecorded', '2019-09-30', { childrenInCare: 10, fosteredInHouse: 4, fosteredAgency: 3 }),
].map((e) => ({ ...e, detail: { ...e.detail, agencyId: 'AGENCY' } }) as DomainEvent);
const story = (agencyId: string): DomainEvent[] => JSON.parse(JSON.stringify(baseStory).replaceAll('AGENCY', agencyId));

beforeAll(async () => {
  await useFreshTables();
  counter.attach(dynamoDbClient());
});

describe('the bench instruments', () => {
  it('counts the projector path: one GetItem of the state and one transaction of the event and the state per event in order, with their capacity', async () => {
    const [first, second] = story('bench-count').filter((e) => e.detailType === 'EnquiryReceived') as HouseholdEvent[];
    const counts = emptyCounts();
    await counter.run(counts, async () => {
      await projectHouseholdEvent(first!);
      await projectHouseholdEvent(second!);
    });
    expect(counts.byOperation).toEqual({ GetItem: 2, TransactWriteItems: 2 });
    expect(counts.requests).toBe(4);
    expect(counts.failed).toBe(0);
    // By AWS's rules: each transaction's two small items 2 units each, and the index entries a new
    // household's enquiry enters (the event log's, two household indexes' and its reference's), 1 each.
    expect(counts.aws.byKind).toEqual({
      'HOUSEHOLD EVENT': { writes: 2, bytes: expect.any(Number), units: 4 },
      'HOUSEHOLD STATE': { writes: 2, bytes: expect.any(Number), units: 4 },
    });
    expect(counts.aws.indexWritesBy).toEqual({ byAgencyEvent: 2, byEnquiredAt: 2, byRecruitmentEnd: 2, byReference: 2 });
    expect(counts.aws.units).toBe(16);
    expect(counter.total.requests).toBeGreaterThanOrEqual(4);

    // A redelivery of the last event the state folded is known from the state item: nothing more read, nothing written.
    const again = emptyCounts();
    await counter.run(again, () => projectHouseholdEvent(first!));
    expect(again.byOperation).toEqual({ GetItem: 1 });
    expect(again.itemsRead).toBe(1);
    expect(again.readUnits).toBeGreaterThan(0);
    // The bytes of the item DynamoDB answered, once sized: the state item, which is more than its key.
    expect(again.bytesRead).toBe(0);
    expect(counter.settleBytes(again).bytesRead).toBeGreaterThan(200);
  });

  it("costs an event in order one GetItem of one item and one transaction, however long the household's history", async () => {
    const events = longServingCarer('bench-long', 'carer', 2023, 2024) as HouseholdEvent[];
    expect(events.length).toBeGreaterThan(150);
    const costOf = async (event: HouseholdEvent) => {
      const counts = emptyCounts();
      await counter.run(counts, () => projectHouseholdEvent(event));
      return counts;
    };
    // Early in its history: the second event, projected after the first.
    const early = longServingCarer('bench-short', 'carer', 2023, 2024) as HouseholdEvent[];
    await projectHouseholdEvent(early[0]!);
    const second = await costOf(early[1]!);
    // Late: every event but the last stored as the projector stores them (the seeding's own test
    // is below), then the last one projected.
    await seedHistory(foldHistory(events.slice(0, -1)));
    const last = await costOf(events.at(-1)!);
    for (const counts of [second, last]) {
      expect(counts).toMatchObject({ byOperation: { GetItem: 1, TransactWriteItems: 1 }, requests: 2, failed: 0, itemsRead: 1 });
    }
    const folded = JSON.parse(JSON.stringify(foldHousehold('bench-long', 'carer', events)));
    // The whole record (state item and year items) is what folding every event gives...
    expect((await readHouseholdHistory('bench-long', 'carer')).whole).toStrictEqual(folded);
    // ...and the state item keeps this year's stays and the last of 2023's, not the carer's years.
    const { state: stored } = await readHouseholdState('bench-long', 'carer');
    expect(stored!.placements.filter((p) => p.endedAt! < '2024-01-01').map((p) => p.placementId)).toEqual(['stay-2023-12-29']);
    expect(stored!.holds.map((h) => h.holdId)).toEqual(['break-2024']);
    expect(stored!.yearItems).toEqual({ keptFrom: '2024-01-01T00:00:00.000Z', firstYear: 2023 });
  });

  it('counts a write refused by a conflict as one more request, answered with an error', async () => {
    const [event] = story('bench-conflict').filter((e) => e.detailType === 'EnquiryReceived') as HouseholdEvent[];
    await projectHouseholdEvent(event!);
    const { state, version } = await readHouseholdState('bench-conflict', 'h1');
    const counts = emptyCounts();
    // Written as if the state were still at an older version: another delivery wrote first.
    const staleWrite = new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(projectionsTable),
            Item: { pk: householdKey('bench-conflict', 'h1'), sk: STATE_SK, version, household: state },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': version - 1 },
          },
        },
      ],
    });
    const outcome = await counter.run(counts, () =>
      dynamoDbDocumentClient()
        .send(staleWrite)
        .catch((error: Error) => error.name),
    );
    expect(outcome).toBe('TransactionCanceledException');
    // Refused, it still pays for its item by AWS's rules; no index entry moved.
    expect(counts).toMatchObject({ requests: 1, failed: 1, byOperation: { TransactWriteItems: 1 } });
    expect(counts.aws).toMatchObject({ units: 2, indexWrites: 0 });
  });

  it("prices writes by AWS's published rules: per KB of the larger of before and after, twice in a transaction, index entries apart", async () => {
    const TableName = tableName(projectionsTable);
    const key = { pk: householdKey('bench-units', 'h1'), sk: STATE_SK };
    const indexed = (enquiredAt: string, pad: number) => ({ ...key, indexPartition: 'bench-units#0', enquiredAt, pad: 'x'.repeat(pad) });
    const priced = async (write: () => Promise<unknown>) => {
      const counts = emptyCounts();
      await counter.run(counts, write);
      return counts.aws;
    };
    const put = (Item: Record<string, unknown>) => dynamoDbDocumentClient().send(new PutCommand({ TableName, Item }));
    // A new item of about 1.5 KB, entering one index: 2 units and an entry put.
    expect(await priced(() => put(indexed('2019-01-01', 1500)))).toMatchObject({ units: 3, indexWrites: 1 });
    // Replaced by a small one: charged by the larger (before), its index key moved (deleted and put).
    expect(await priced(() => put(indexed('2019-02-01', 10)))).toMatchObject({ units: 4, indexWrites: 2 });
    // The same in a transaction, the key unchanged: twice the item's unit, no index write.
    const again = () =>
      dynamoDbDocumentClient().send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName, Item: indexed('2019-02-01', 10) } }] }));
    expect(await priced(again)).toMatchObject({ units: 2, indexWrites: 0 });
    // Out of the index: its entry deleted.
    expect(await priced(() => put({ ...key, pad: 'y' }))).toMatchObject({ units: 2, indexWrites: 1, indexWritesBy: { byEnquiredAt: 1 } });
  });

  it('counts the items a query reads as ReadTally does', async () => {
    const tally = new ReadTally();
    const counts = emptyCounts();
    await counter.run(counts, () => capacityFor('bench-count', '2019-12-31', tally));
    expect(counts.itemsRead).toBe(tally.itemsRead);
    expect(counts.requests).toBe(tally.requests);
    expect(counter.settleBytes(counts).bytesRead).toBeGreaterThan(0);
  });

  it('seeds exactly the states the projectors write for the same events', async () => {
    const projected = story('bench-projected');
    for (const event of projected) if ('householdId' in event.detail) await projectHouseholdEvent(event as HouseholdEvent);
    const seeded = foldHistory(story('bench-seeded'));
    expect(seeded.agencyEvents.map((e) => e.detailType)).toEqual(['ChildrenInCareRecorded']);
    await seedHistory(seeded);
    // h1, approved on 1 November, is the one carer at the year's end (h2 was referred on), recruited within the story.
    const profile = approvedCarersProfile(seeded, '2019-12-31T23:59:59.999Z');
    expect(profile).toMatchObject({ carers: 1, recruited: 1 });
    // Its one placement, and its one approval term, are parts of its state item's bytes.
    expect(profile.meanSpanBytes).toBeGreaterThan(0);
    expect(profile.meanTermAndFlagBytes).toBeGreaterThan(0);
    expect(profile.meanBytes).toBeGreaterThan(profile.meanSpanBytes + profile.meanTermAndFlagBytes);

    for (const [householdId, suffix] of [
      ['h1', ''],
      ['h2', ''],
      ['h2', '-other'],
    ] as const) {
      const at = (agencyId: string) => `${agencyId}${suffix}`;
      const { state: fromBus } = await readHouseholdState(at('bench-projected'), householdId);
      const { state: fromSeed } = await readHouseholdState(at('bench-seeded'), householdId);
      expect(fromBus).toBeDefined();
      expect(JSON.parse(JSON.stringify(fromSeed).replaceAll('bench-seeded', 'bench-projected'))).toEqual(fromBus);
    }
    const [bus, seed] = await Promise.all([capacityFor('bench-projected', '2019-12-31'), capacityFor('bench-seeded', '2019-12-31')]);
    expect(seed).toEqual(bus);
  });

  it('asks a question of every metric endpoint of the route table', () => {
    const metricRoutes = apiRoutes.filter((r) => r.method === 'GET' && r.path.startsWith('/metrics/')).map((r) => r.name);
    const { cases, skipped } = metricCases('2024-12-31');
    expect(skipped).toEqual([]);
    expect([...cases.map((c) => c.route), ...NOT_BENCHED].sort()).toEqual([...metricRoutes].sort());
    expect(cases.map((c) => c.path)).toEqual(
      expect.arrayContaining([
        '/metrics/annual-return?financialYear=2024',
        '/metrics/resignation-forecast?financialYear=2024&asOf=2024-12-31',
      ]),
    );
  });

  it("measures the floor as the store's write for an event in order: a GetItem and a transaction of the event item and the state item", async () => {
    const households = foldHistory(story('bench-floor')).households.filter((h) => h.events.length > 0);
    const prepared = await prepareFloor(process.env[LOCAL_DYNAMODB_ENDPOINT_ENV]!, households);
    const floor = await measureFloor(prepared, 20, 2);
    expect(floor).toMatchObject({ writes: 20, inFlight: 2, households: 2 });
    expect(floor.msPerWrite).toBeGreaterThan(0);
    expect(floor.counts).toMatchObject({ requests: 40, failed: 0, byOperation: { GetItem: 20, TransactWriteItems: 20 } });
    // No household index key moves: the event log's entry is the one index write.
    expect(floor.counts.aws.indexWritesBy).toEqual({ byAgencyEvent: 20 });
    expect(floor.counts.aws.byKind['HOUSEHOLD EVENT']).toMatchObject({ writes: 20, units: 40 });
    // Each write: a household's state item written again at the next version, with an event of its
    // own. The two lanes share the 20 writes as they free up, so only their sum is fixed.
    const versions = await Promise.all(['h1', 'h2'].map(async (id) => (await readHouseholdState('bench-floor', id)).version));
    const events = await Promise.all(['h1', 'h2'].map(async (id) => (await readHouseholdHistory('bench-floor', id)).events.length));
    expect([versions[0]! + versions[1]!, events[0]! + events[1]!]).toEqual([2 + 20, 20]);
  });

  it('names operations and takes order statistics', () => {
    expect(['QueryCommand', 'TransactWriteCommand', 'PutCommand', 'BatchWriteItemCommand'].map(operationOf)).toEqual([
      'Query',
      'TransactWriteItems',
      'PutItem',
      'BatchWriteItem',
    ]);
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(
      percentile(
        [...Array(100).keys()].map((i) => i + 1),
        99,
      ),
    ).toBe(99);
    expect(percentile([], 50)).toBeUndefined();
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
