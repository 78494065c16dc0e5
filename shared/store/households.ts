// DynamoDB access for households. One partition per household per agency holds its events (one
// item each, keyed by eventId: the idempotency record), what referring agencies passed on, and its
// folded state (with the sparse index attributes of tables.ts).
import { TransactWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import type { HouseholdEvent } from '../events/catalogue';
import { assessmentEndedAt, currentClosure, hasApplied, type HouseholdState, type ReferralIn } from '../domain/household';
import { eventLogAttributes } from './event-log';
import { queryAll, type ReadTally } from './query-pages';
import { householdIndexes, INDEX_AGENCY_ATTRIBUTE, OPEN_END, projectionsTable, tableName, type HouseholdIndexName } from './tables';

export const householdKey = (agencyId: string, householdId: string) => `HOUSEHOLD#${agencyId}#${householdId}`;
export const STATE_SK = 'STATE';
const eventSk = (eventId: string) => `EVENT#${eventId}`;
const referralInSk = (fromAgencyId: string) => `REFERRAL-IN#${fromAgencyId}`;

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

export async function getHouseholdState(agencyId: string, householdId: string): Promise<HouseholdState | undefined> {
  const result = await dynamoDbDocumentClient().send(
    new GetCommand({
      TableName: tableName(projectionsTable),
      Key: { pk: householdKey(agencyId, householdId), sk: STATE_SK },
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
    occurredAt: event.detail.occurredAt,
    ...eventLogAttributes(event),
  };
}

export function referralInItem(agencyId: string, householdId: string, referral: ReferralIn) {
  return { pk: householdKey(agencyId, householdId), sk: referralInSk(referral.fromAgencyId), referral };
}

export type WriteOutcome = 'written' | 'duplicate' | 'conflict';

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
 */
export async function writeHouseholdEvent(event: HouseholdEvent, state: HouseholdState, expectedVersion: number): Promise<WriteOutcome> {
  const Table = tableName(projectionsTable);
  try {
    await dynamoDbDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: Table,
              Item: eventItem(state.agencyId, state.householdId, event),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          stateWrite(Table, state, expectedVersion),
        ],
      }),
    );
    return 'written';
  } catch (error) {
    const outcome = cancellationOutcome(error, 0);
    if (outcome) return outcome;
    throw error;
  }
}

/** Writes the household's state alone, if nobody wrote it since version `expectedVersion`. */
export async function writeHouseholdState(state: HouseholdState, expectedVersion: number): Promise<'written' | 'conflict'> {
  try {
    await dynamoDbDocumentClient().send(new PutCommand(stateWrite(tableName(projectionsTable), state, expectedVersion).Put));
    return 'written';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'conflict';
    throw error;
  }
}

/** Records what a referring agency passed on, and the receiving household's new state. */
export async function writeReferralIn(
  agencyId: string,
  householdId: string,
  referral: ReferralIn,
  state: HouseholdState,
  expectedVersion: number,
): Promise<WriteOutcome> {
  const Table = tableName(projectionsTable);
  try {
    await dynamoDbDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: Table, Item: referralInItem(agencyId, householdId, referral) } },
          stateWrite(Table, state, expectedVersion),
        ],
      }),
    );
    return 'written';
  } catch (error) {
    const outcome = cancellationOutcome(error, undefined);
    if (outcome) return outcome;
    throw error;
  }
}

function stateWrite(Table: string, state: HouseholdState, expectedVersion: number) {
  return {
    Put: {
      TableName: Table,
      Item: stateItem(state, expectedVersion + 1),
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
      ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
    },
  };
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
