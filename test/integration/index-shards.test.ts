// Index partitions (no index key that every household of an agency shares). A replay writes
// an agency's index entries in time order, which DynamoDB cannot split one hot partition by: each
// index's partition key is the agency and a shard drawn from a hash of the household (of the event,
// for the event log), and every query reads the shards side by side, answering as one partition would.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { householdsByIndexes } from '../../shared/store/households';
import { householdsByReference } from '../../shared/store/references';
import { eventLogPage } from '../../shared/store/event-log';
import { ReadTally } from '../../shared/store/query-pages';
import {
  eventLogIndex,
  householdIndexes,
  INDEX_PARTITION_ATTRIBUTE,
  indexPartition,
  indexPartitionsOf,
  indexShards,
  projectionsTable,
  type IndexFamily,
  tableName,
} from '../../shared/store/tables';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { approval, enquiry } from '../support/funnel-events';
import { useFreshTables } from '../support/tables';

const agencyId = 'agency-shards';
const households = Array.from({ length: 240 }, (_, i) => `household-${String(i).padStart(3, '0')}`);
// A replay in time order: one enquiry a day from 1 January 2019, a tenth of them approved in 2020.
const enquiredOn = (i: number) => new Date(Date.UTC(2019, 0, 1 + i)).toISOString().slice(0, 10);
const inAgency = (event: HouseholdEvent) => ({ ...event, detail: { ...event.detail, agencyId } }) as HouseholdEvent;
const events: HouseholdEvent[] = [
  ...households.map((h, i) => enquiry(h, enquiredOn(i), { reference: `AGENCY-2019-${String(i + 1).padStart(4, '0')}` })),
  ...households.filter((_, i) => i % 10 === 0).map((h) => approval(h, '2020-06-01', 2)),
].map(inAgency);

/** How many entries each of the agency's index partitions holds in `index`. */
async function entriesPerPartition(indexName: string, partitionAttribute: string, family: IndexFamily): Promise<number[]> {
  return Promise.all(
    indexPartitionsOf(agencyId, family).map(async (partition) => {
      const page = await dynamoDbDocumentClient().send(
        new QueryCommand({
          TableName: tableName(projectionsTable),
          IndexName: indexName,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': partitionAttribute },
          ExpressionAttributeValues: { ':p': partition },
          Select: 'COUNT',
        }),
      );
      return page.Count ?? 0;
    }),
  );
}

beforeAll(useFreshTables);
beforeAll(async () => {
  for (const event of events) await projectHouseholdEvent(event);
}, 120_000);

describe('an index of one agency spreads over its shards', () => {
  it('a replay of 240 households puts each index shard between half and one and a half times its share', async () => {
    for (const [index, attribute, family, expected] of [
      ['byEnquiredAt', INDEX_PARTITION_ATTRIBUTE, 'household', households.length],
      ['byRecruitmentEnd', INDEX_PARTITION_ATTRIBUTE, 'household', households.length],
      [eventLogIndex.indexName, eventLogIndex.partitionAttribute, 'eventLog', events.length],
    ] as const) {
      const counts = await entriesPerPartition(index, attribute, family);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(expected);
      // No partition takes more than 40% of the replay's writes to an index.
      expect(Math.max(...counts)).toBeLessThanOrEqual(0.4 * expected);
      const share = expected / indexShards[family];
      for (const count of counts) {
        expect(count).toBeGreaterThanOrEqual(0.5 * share);
        expect(count).toBeLessThanOrEqual(1.5 * share);
      }
    }
  });

  it('no entry is kept under the agency alone, the partition key every household would share', async () => {
    const page = await dynamoDbDocumentClient().send(
      new QueryCommand({
        TableName: tableName(projectionsTable),
        IndexName: 'byEnquiredAt',
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': INDEX_PARTITION_ATTRIBUTE },
        ExpressionAttributeValues: { ':p': agencyId },
        Select: 'COUNT',
      }),
    );
    expect(page.Count).toBe(0);
    expect(indexPartition(agencyId, 3)).toBe(`${agencyId}#3`);
  });
});

describe('a query reads every shard and answers in the index order', () => {
  it('a window of enquiries finds every household in it, oldest first, one Query a shard', async () => {
    const tally = new ReadTally();
    const found = await householdsByIndexes(
      agencyId,
      [{ index: 'byEnquiredAt', from: '2019-02-01T00:00:00.000Z', to: '2019-06-30T23:59:59.999Z' }],
      tally,
    );
    const expected = households.filter((_, i) => enquiredOn(i) >= '2019-02-01' && enquiredOn(i) <= '2019-06-30');
    expect(found.map((h) => h.householdId)).toEqual(expected);
    expect(found.map((h) => h.enquiry?.at)).toEqual([...found.map((h) => h.enquiry?.at)].sort());
    // Each shard's keys in the window, then the state items by key (one BatchGetItem of 100 keys at most).
    expect(tally.itemsRead).toBe(2 * expected.length);
    expect(tally.requests).toBe(indexShards.household + Math.ceil(expected.length / 100));
  });

  it('the serving carers, each under the open end, are found across the shards', async () => {
    const carers = await householdsByIndexes(agencyId, [
      { index: 'byApprovalEnd', from: '2020-06-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z' },
    ]);
    expect(carers.map((h) => h.householdId).sort()).toEqual(households.filter((_, i) => i % 10 === 0));
    expect(householdIndexes.byApprovalEnd).toBe('approvalEndsAt');
  });

  it('a search by reference gives the first matches by reference, whichever shards hold them', async () => {
    const first = await householdsByReference(agencyId, 'AGENCY-2019-00', 5);
    expect(first.map((h) => h.enquiry?.reference)).toEqual([1, 2, 3, 4, 5].map((n) => `AGENCY-2019-000${n}`));
    const one = await householdsByReference(agencyId, 'AGENCY-2019-0123', 5);
    expect(one.map((h) => h.householdId)).toEqual(['household-122']);
  });

  it('the export pages through the shards of the log oldest first, each event once, a page at most the size asked', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await eventLogPage(agencyId, '2019-01-01T00:00:00.000Z', '2020-12-31T23:59:59.999Z', { limit: 7, cursor });
      expect(page.events.length).toBeLessThanOrEqual(7);
      seen.push(...page.events.map((e) => e.detail.eventId));
      cursor = page.next;
      pages += 1;
    } while (cursor);
    const inLogOrder = [...events].sort((a, b) =>
      `${a.detail.occurredAt}#${a.detail.eventId}` < `${b.detail.occurredAt}#${b.detail.eventId}` ? -1 : 1,
    );
    expect(seen).toEqual(inLogOrder.map((e) => e.detail.eventId));
    // DynamoDB may end a shard's page exactly at its last entry and still say there is more: an empty last page.
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(events.length / 7));
    expect(pages).toBeLessThanOrEqual(Math.ceil(events.length / 7) + 1);
  });
});
