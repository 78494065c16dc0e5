// A long history written straight into the table instead of replayed through the bus (100k+ events
// would take the bench most of an hour): each household's events folded with the projector's own
// fold, and written as the very items the projector writes (shared/store/households.ts builders),
// in BatchWrite calls. Agency-wide events go through the same store functions as their projectors.
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../shared/aws-clients';
import { foldHousehold, type HouseholdState, type ReferralIn } from '../shared/domain/household';
import { referralRewardFor } from '../shared/domain/referral-reward';
import { householdDetailTypes, type DomainEvent, type HouseholdEvent } from '../shared/events/catalogue';
import { referralSnapshot } from '../shared/domain/referral';
import { recordAgencySettingsChange, recordChildrenInCare, recordReferralRewardDue } from '../shared/store/agency-ledger';
import { recordCampaign, recordSpend } from '../shared/store/campaigns';
import { eventItem, householdRecordItems, referralInItem } from '../shared/store/households';
import { householdIndexes, indexPartitionsOf, projectionsTable, tableName } from '../shared/store/tables';
import { dynamoDbItemBytes } from './dynamodb-counter';

export interface FoldedHousehold {
  agencyId: string;
  householdId: string;
  events: HouseholdEvent[];
  referralsIn: ReferralIn[];
  state: HouseholdState;
}

export interface FoldedHistory {
  households: FoldedHousehold[];
  /** Events that are not a household's (campaigns, spend, children-in-care counts, settings), and rewards due. */
  agencyEvents: DomainEvent[];
}

const isHouseholdEvent = (e: DomainEvent): e is HouseholdEvent => (householdDetailTypes as readonly string[]).includes(e.detailType);
const keyOf = (agencyId: string, householdId: string) => `${agencyId}#${householdId}`;

/** What the projectors would have made of these events, whatever order they arrived in. */
export function foldHistory(events: readonly DomainEvent[]): FoldedHistory {
  const partitions = new Map<
    string,
    { agencyId: string; householdId: string; events: HouseholdEvent[]; referralsIn: Map<string, ReferralIn> }
  >();
  const partition = (agencyId: string, householdId: string) => {
    const key = keyOf(agencyId, householdId);
    let found = partitions.get(key);
    if (!found) partitions.set(key, (found = { agencyId, householdId, events: [], referralsIn: new Map() }));
    return found;
  };
  const agencyEvents: DomainEvent[] = [];
  for (const event of events) {
    if (isHouseholdEvent(event)) partition(event.detail.agencyId, event.detail.householdId).events.push(event);
    else agencyEvents.push(event);
  }
  // A referral passes what the referring agency knew to the receiving one; a chain of referrals
  // needs one pass per link.
  const states = new Map<string, HouseholdState>();
  for (let pass = 0, changed = true; changed; pass++) {
    if (pass > 10) throw new Error('referral chains longer than 10 agencies');
    changed = false;
    for (const [key, p] of [...partitions]) {
      const state = foldHousehold(p.agencyId, p.householdId, p.events, [...p.referralsIn.values()]);
      states.set(key, state);
      const referral = referralSnapshot(state);
      if (!referral) continue;
      const target = partition(state.referredOut!.toAgencyId, p.householdId);
      if (JSON.stringify(target.referralsIn.get(referral.fromAgencyId)) !== JSON.stringify(referral)) {
        target.referralsIn.set(referral.fromAgencyId, referral);
        changed = true;
      }
    }
  }
  const households = [...partitions].map(([key, p]) => ({
    agencyId: p.agencyId,
    householdId: p.householdId,
    events: p.events,
    referralsIn: [...p.referralsIn.values()],
    state: states.get(key)!,
  }));
  for (const { state } of households) {
    const reward = referralRewardFor(state);
    if (reward) agencyEvents.push(reward);
  }
  return { households, agencyEvents };
}

/** Writes the folded history; returns the number of items written. */
export async function seedHistory(history: FoldedHistory, concurrency = 4): Promise<number> {
  const TableName = tableName(projectionsTable);
  const items = history.households.flatMap((h) => [
    ...h.events.map((e) => eventItem(h.agencyId, h.householdId, e)),
    ...h.referralsIn.map((r) => referralInItem(h.agencyId, h.householdId, r)),
    // The version the projector would have reached: one write per event and per referral received.
    ...householdRecordItems(h.state, h.events.length + h.referralsIn.length),
  ]);
  const batches: Array<Record<string, unknown>[]> = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25)); // BatchWriteItem's maximum
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < batches.length; i = next++) await batchWrite(TableName, batches[i]!);
    }),
  );
  let next2 = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next2++; i < history.agencyEvents.length; i = next2++) await projectAgencyEvent(history.agencyEvents[i]!);
    }),
  );
  return items.length + history.agencyEvents.length;
}

async function batchWrite(TableName: string, batch: Record<string, unknown>[]): Promise<void> {
  let requests: unknown[] = batch.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > 10) throw new Error('BatchWrite kept leaving items unprocessed');
    const result = await dynamoDbDocumentClient().send(new BatchWriteCommand({ RequestItems: { [TableName]: requests as never } }));
    requests = result.UnprocessedItems?.[TableName] ?? [];
  }
}

/** The same store call as the event's projector makes. */
async function projectAgencyEvent(event: DomainEvent): Promise<void> {
  switch (event.detailType) {
    case 'CampaignLaunched':
      return recordCampaign(event.detail);
    case 'CampaignSpendRecorded':
      return recordSpend(event.detail);
    case 'ChildrenInCareRecorded':
      return recordChildrenInCare(event.detail);
    case 'ReferralRewardDue':
      return recordReferralRewardDue(event.detail);
    case 'AgencySettingsChanged':
      return recordAgencySettingsChange(event.detail);
    default:
      throw new Error(`no projector for ${event.detailType}`);
  }
}

export interface ApprovedCarersProfile {
  carers: number;
  meanBytes: number;
  /** Of the mean: the placements and holds the state item keeps (a year at most, household-years.ts). */
  meanSpanBytes: number;
  /** Of the mean: the approval terms and resignation-risk flags, kept whole (one entry per change). */
  meanTermAndFlagBytes: number;
  /** Those whose state holds their recruitment (an enquiry recorded): recruited within the history,
   *  where the carers a history opens with were approved before it began. */
  recruited: number;
}

/** The state items of the carers whose approval ends after `instant` (approved at it, or since: at
 *  the end of a history, the carers approved), as the table holds them: what capacity, beds on hold
 *  and sufficiency read for each carer. */
export function approvedCarersProfile(history: FoldedHistory, instant: string): ApprovedCarersProfile {
  const carers = history.households
    .map((h) => ({ state: h.state, item: householdRecordItems(h.state, h.events.length)[0]! }))
    .filter(({ item }) => {
      const approvalEnd = item[householdIndexes.byApprovalEnd];
      return typeof approvalEnd === 'string' && approvalEnd > instant;
    });
  const mean = (bytesOf: (c: (typeof carers)[number]) => number) =>
    carers.length ? carers.reduce((n, c) => n + bytesOf(c), 0) / carers.length : 0;
  const kept = (c: (typeof carers)[number]) => c.item.household as HouseholdState;
  return {
    carers: carers.length,
    meanBytes: mean((c) => dynamoDbItemBytes(c.item)),
    meanSpanBytes: mean((c) => dynamoDbItemBytes({ placements: kept(c).placements, holds: kept(c).holds })),
    meanTermAndFlagBytes: mean((c) => dynamoDbItemBytes({ approvalTerms: kept(c).approvalTerms, riskFlags: kept(c).riskFlags })),
    recruited: carers.filter((c) => c.state.enquiry !== undefined).length,
  };
}

/** One index of an agency, shard by shard: how its entries spread over the agency's partitions. */
export interface IndexSpread {
  index: string;
  shards: number;
  entries: number;
  largestShard: number;
}

/** How every index of the projections table spreads `agencyId`'s entries over its shards (tables.ts
 *  indexShards): a Query per shard counting the entries (Select COUNT, every page). */
export async function indexSpread(agencyId: string): Promise<IndexSpread[]> {
  const TableName = tableName(projectionsTable);
  return Promise.all(
    projectionsTable.indexes.map(async ({ indexName, partitionKey, shardedAs }) => {
      const counts = await Promise.all(
        indexPartitionsOf(agencyId, shardedAs).map(async (partition) => {
          let count = 0;
          let ExclusiveStartKey: Record<string, unknown> | undefined;
          do {
            const page = await dynamoDbDocumentClient().send(
              new QueryCommand({
                TableName,
                IndexName: indexName,
                KeyConditionExpression: '#p = :p',
                ExpressionAttributeNames: { '#p': partitionKey.name },
                ExpressionAttributeValues: { ':p': partition },
                Select: 'COUNT',
                ExclusiveStartKey,
              }),
            );
            count += page.Count ?? 0;
            ExclusiveStartKey = page.LastEvaluatedKey;
          } while (ExclusiveStartKey);
          return count;
        }),
      );
      return { index: indexName, shards: counts.length, entries: counts.reduce((a, b) => a + b, 0), largestShard: Math.max(...counts) };
    }),
  );
}
