// The bench's own instruments on a tiny input, so `npm run bench` cannot rot unnoticed while it is
// not part of `npm test`: request counting, the fold the query histories are seeded from, the stats.
import { apiRoutes } from '../../shared/wiring/http-routes';
import { dynamoDbClient } from '../../shared/aws-clients';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../../shared/wiring/environment';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { capacityFor } from '../../shared/queries/capacity';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { householdKey, readHouseholdHistory, readHouseholdState, STATE_SK } from '../../shared/store/households';
import { projectionsTable, tableName } from '../../shared/store/tables';
import { ReadTally } from '../../shared/store/query-pages';
import type { DomainEvent, HouseholdEvent } from '../../shared/events/catalogue';
import { DynamoDbCounter, emptyCounts, operationOf } from '../../bench/dynamodb-counter';
import { measureFloor } from '../../bench/floor';
import { approvedCarersProfile, foldHistory, seedHistory } from '../../bench/history';
import { metricCases } from '../../bench/queries';
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
    expect(counts.writeUnits).toBeGreaterThan(0);
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
    const perEvent: Array<ReturnType<typeof emptyCounts>> = [];
    for (const event of events) {
      const counts = emptyCounts();
      await counter.run(counts, () => projectHouseholdEvent(event));
      perEvent.push(counts);
    }
    for (const counts of [perEvent[1]!, perEvent.at(-1)!]) {
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
    expect(counts).toMatchObject({ requests: 1, failed: 1, byOperation: { TransactWriteItems: 1 }, writeUnits: 0 });
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
    expect(cases.map((c) => c.route).sort()).toEqual([...metricRoutes].sort());
    expect(cases.map((c) => c.path)).toEqual(
      expect.arrayContaining([
        '/metrics/annual-return?financialYear=2024',
        '/metrics/resignation-forecast?financialYear=2024&asOf=2024-12-31',
      ]),
    );
  });

  it('measures the floor with bare writes, and probes how DynamoDB Local counts write units', async () => {
    const floor = await measureFloor(process.env[LOCAL_DYNAMODB_ENDPOINT_ENV]!, 20, 4);
    expect(floor).toMatchObject({ writes: 20, inFlight: 4 });
    expect(floor.msPerWrite).toBeGreaterThan(0);
    // The rules the write-unit finding states, as this DynamoDB Local applies them: a PutItem 1 per
    // KB and 1 for an index entry it adds; a transaction 4 per item per KB, an index entry it adds
    // at that rate, one it moves twice (delete and put); two alike items reported once (the
    // emulator's merge of its per-item reports).
    expect(floor.writeUnitRules).toEqual({
      put: 1,
      putOverOneKb: 2,
      putAddingEntry: 1,
      transactionOfOne: 4,
      transactionOfTwo: 8,
      transactionOverOneKb: 8,
      transactionOfTwoAlike: 4,
      putMovingOneKey: 2,
      transactionMovingOneKey: 8,
      transactionKeysKept: 0,
      transactionAddingEntry: 4,
    });
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
