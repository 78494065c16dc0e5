// DynamoDB access for households. One partition per household per agency holds its events (one
// item each, keyed by eventId: the idempotency record), what referring agencies passed on, and its
// folded state (with the sparse index attributes of tables.ts).
import {
  BatchGetCommand,
  TransactWriteCommand,
  GetCommand,
  type BatchGetCommandOutput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import type { HouseholdEvent } from '../events/catalogue';
import { assessmentEndedAt, currentClosure, hasApplied, toUtcInstant, type HouseholdState, type ReferralIn } from '../domain/household';
import { eventLogAttributes } from './event-log';
import { queryAll, type ReadTally } from './query-pages';
import { referralRewardFor } from '../domain/referral-reward';
import { outboxAttributes } from './outbox';
import { householdIndexes, INDEX_AGENCY_ATTRIBUTE, OPEN_END, projectionsTable, tableName, type HouseholdIndexName } from './tables';

export const householdKey = (agencyId: string, householdId: string) => `HOUSEHOLD#${agencyId}#${householdId}`;
export const STATE_SK = 'STATE';
const eventSk = (eventId: string) => `EVENT#${eventId}`;
const referralInSk = (fromAgencyId: string) => `REFERRAL-IN#${fromAgencyId}`;
/** The refer-a-friend reward this household made due: one per household, an outbox entry. */
const REWARD_SK = 'REWARD';

export interface HouseholdPartition {
  state?: HouseholdState;
  version: number;
  events: HouseholdEvent[];
  referralsIn: ReferralIn[];
}

export async function readHouseholdPartition(agencyId: string, householdId: string): Promise<HouseholdPartition> {
  const items = await queryAll({
    TableName: tableName(projectionsTable),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': householdKey(agencyId, householdId) },
    ConsistentRead: true,
  });
  const partition: HouseholdPartition = { version: 0, events: [], referralsIn: [] };
  for (const item of items) {
    const sk = item.sk as string;
    if (sk === STATE_SK) {
      partition.state = item.household as HouseholdState;
      partition.version = item.version as number;
    } else if (sk.startsWith('EVENT#')) {
      partition.events.push(item.event as HouseholdEvent);
    } else if (sk.startsWith('REFERRAL-IN#')) {
      partition.referralsIn.push(item.referral as ReferralIn);
    }
  }
  return partition;
}

/** Several households' states, as stored (BatchGet, at most 100 a request); missing ones left out. */
export async function getHouseholdStates(agencyId: string, householdIds: readonly string[], tally?: ReadTally): Promise<HouseholdState[]> {
  const Table = tableName(projectionsTable);
  const states: HouseholdState[] = [];
  for (let i = 0; i < householdIds.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = [...new Set(householdIds.slice(i, i + 100))].map((id) => ({
      pk: householdKey(agencyId, id),
      sk: STATE_SK,
    }));
    while (keys && keys.length > 0) {
      const page: BatchGetCommandOutput = await dynamoDbDocumentClient().send(
        new BatchGetCommand({ RequestItems: { [Table]: { Keys: keys } } }),
      );
      const items = page.Responses?.[Table] ?? [];
      if (tally) {
        tally.itemsRead += items.length;
        tally.requests += 1;
      }
      states.push(...items.map((item) => item.household as HouseholdState));
      keys = page.UnprocessedKeys?.[Table]?.Keys;
    }
  }
  return states;
}

/** The household's stored state, read consistently: what a command checks is what was last written. */
export async function getHouseholdState(agencyId: string, householdId: string): Promise<HouseholdState | undefined> {
  const result = await dynamoDbDocumentClient().send(
    new GetCommand({
      TableName: tableName(projectionsTable),
      Key: { pk: householdKey(agencyId, householdId), sk: STATE_SK },
      ConsistentRead: true,
    }),
  );
  return result.Item?.household as HouseholdState | undefined;
}

/** The household's state item alone with its version, read consistently: one item, whatever the household's history. */
export async function readStoredHousehold(agencyId: string, householdId: string): Promise<{ state?: HouseholdState; version: number }> {
  const result = await dynamoDbDocumentClient().send(
    new GetCommand({
      TableName: tableName(projectionsTable),
      Key: { pk: householdKey(agencyId, householdId), sk: STATE_SK },
      ConsistentRead: true,
    }),
  );
  return { state: result.Item?.household as HouseholdState | undefined, version: (result.Item?.version as number | undefined) ?? 0 };
}

/** The index attributes a state item carries (absent ones leave it out of that sparse index). */
function indexAttributes(state: HouseholdState): Record<string, string | undefined> {
  const closure = currentClosure(state);
  return {
    [INDEX_AGENCY_ATTRIBUTE]: state.agencyId,
    [householdIndexes.byEnquiredAt]: state.enquiry?.at,
    [householdIndexes.byInitialVisitAt]: state.initialVisitAt,
    [householdIndexes.byAssessmentAt]: state.assessmentAt,
    [householdIndexes.byApprovedAt]: state.approvedAt,
    [householdIndexes.byAssessmentEnd]: hasApplied(state) ? (assessmentEndedAt(state) ?? OPEN_END) : undefined,
    [householdIndexes.byApprovalEnd]: state.approvedAt === undefined ? undefined : (state.resignation?.at ?? OPEN_END),
    [householdIndexes.byClosedAt]: state.approvedAt === undefined ? closure?.at : undefined,
    [householdIndexes.byResignedAt]: state.resignation?.at,
    [householdIndexes.byRecruitmentEnd]:
      state.enquiry || state.initialVisitAt || state.assessmentAt ? (state.approvedAt ?? closure?.at ?? OPEN_END) : undefined,
    [householdIndexes.byReference]: state.enquiry?.reference,
  };
}

// The items of a household partition, exported so the bench can seed a history with exactly these.
export function stateItem(state: HouseholdState, version: number) {
  return { pk: householdKey(state.agencyId, state.householdId), sk: STATE_SK, version, household: state, ...indexAttributes(state) };
}

export function eventItem(agencyId: string, householdId: string, event: HouseholdEvent) {
  return {
    pk: householdKey(agencyId, householdId),
    sk: eventSk(event.detail.eventId),
    occurredAt: toUtcInstant(event.detail.occurredAt),
    ...eventLogAttributes(event),
  };
}

export function referralInItem(agencyId: string, householdId: string, referral: ReferralIn) {
  return { pk: householdKey(agencyId, householdId), sk: referralInSk(referral.fromAgencyId), referral };
}

export type WriteOutcome = 'written' | 'duplicate' | 'conflict';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What a household write stores besides the state. */
export interface HouseholdWriteOptions {
  /** The state the write replaces (as read at `expectedVersion`): a reward newly due is stored with it. */
  previous?: HouseholdState;
  /** The event is a command's: its item is an outbox entry, put on the bus from the stream. */
  publish?: boolean;
  /** Written in the same transaction (e.g. the enquirer's contact details, in the contacts table). */
  alongside?: TransactItem[];
}

function cancellationOutcome(error: unknown, duplicateIndex: number | undefined): WriteOutcome | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  if (duplicateIndex !== undefined && reasons[duplicateIndex]?.Code === 'ConditionalCheckFailed') return 'duplicate';
  if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return 'conflict';
  return undefined;
}

/**
 * Records one event and the household's new state in one transaction: the event only if its
 * eventId is new (so a duplicate changes nothing), the state only if nobody wrote it since we read
 * version `expectedVersion` (optimistic concurrency; the caller re-reads and retries on 'conflict').
 * A refer-a-friend reward that this state makes due is stored in the same transaction as an outbox
 * entry, so it reaches the bus exactly when the state that makes it due is stored.
 */
export async function writeHouseholdEvent(
  event: HouseholdEvent,
  state: HouseholdState,
  expectedVersion: number,
  options: HouseholdWriteOptions = {},
): Promise<WriteOutcome> {
  const Table = tableName(projectionsTable);
  const eventPut: TransactItem = {
    Put: {
      TableName: Table,
      Item: { ...eventItem(state.agencyId, state.householdId, event), ...(options.publish ? outboxAttributes(event) : {}) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  return transact([eventPut, ...stateWrites(Table, state, expectedVersion, options.previous), ...(options.alongside ?? [])], 0);
}

/** Writes the household's state alone, if nobody wrote it since version `expectedVersion`. */
export async function writeHouseholdState(
  state: HouseholdState,
  expectedVersion: number,
  previous?: HouseholdState,
): Promise<'written' | 'conflict'> {
  const outcome = await transact(stateWrites(tableName(projectionsTable), state, expectedVersion, previous), undefined);
  return outcome === 'duplicate' ? 'conflict' : outcome;
}

/** Records what a referring agency passed on, and the receiving household's new state. */
export async function writeReferralIn(
  agencyId: string,
  householdId: string,
  referral: ReferralIn,
  state: HouseholdState,
  expectedVersion: number,
  previous?: HouseholdState,
): Promise<WriteOutcome> {
  const Table = tableName(projectionsTable);
  return transact(
    [
      { Put: { TableName: Table, Item: referralInItem(agencyId, householdId, referral) } },
      ...stateWrites(Table, state, expectedVersion, previous),
    ],
    undefined,
  );
}

async function transact(TransactItems: TransactItem[], duplicateIndex: number | undefined): Promise<WriteOutcome> {
  try {
    await dynamoDbDocumentClient().send(new TransactWriteCommand({ TransactItems }));
    return 'written';
  } catch (error) {
    const outcome = cancellationOutcome(error, duplicateIndex);
    if (outcome) return outcome;
    throw error;
  }
}

/** The state item, guarded by its version, and the reward item when the new state makes one due. */
function stateWrites(Table: string, state: HouseholdState, expectedVersion: number, previous: HouseholdState | undefined): TransactItem[] {
  const statePut: TransactItem = {
    Put: {
      TableName: Table,
      Item: stateItem(state, expectedVersion + 1),
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
      ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
    },
  };
  const reward = previous?.referralRewardEventId === undefined ? referralRewardFor(state) : undefined;
  if (!reward) return [statePut];
  return [
    statePut,
    {
      Put: {
        TableName: Table,
        Item: { pk: householdKey(state.agencyId, state.householdId), sk: REWARD_SK, ...outboxAttributes(reward) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** Households of an agency whose index attribute lies in [fromInstant, toInstant]. */
export async function householdsByIndex(
  agencyId: string,
  index: HouseholdIndexName,
  fromInstant: string,
  toInstant: string,
  tally?: ReadTally,
): Promise<HouseholdState[]> {
  const items = await queryAll(
    {
      TableName: tableName(projectionsTable),
      IndexName: index,
      KeyConditionExpression: '#agency = :agency AND #at BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#agency': INDEX_AGENCY_ATTRIBUTE, '#at': householdIndexes[index] },
      ExpressionAttributeValues: { ':agency': agencyId, ':from': fromInstant, ':to': toInstant },
    },
    tally,
  );
  return items.map((item) => item.household as HouseholdState);
}

/** Several index ranges, each household once. */
export async function householdsByIndexes(
  agencyId: string,
  ranges: ReadonlyArray<{ index: HouseholdIndexName; from: string; to: string }>,
  tally?: ReadTally,
): Promise<HouseholdState[]> {
  const pages = await Promise.all(ranges.map((r) => householdsByIndex(agencyId, r.index, r.from, r.to, tally)));
  return [...new Map(pages.flat().map((h) => [h.householdId, h])).values()];
}
