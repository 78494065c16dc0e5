// Enforces the retention rule (shared/domain/retention.ts) on the contacts table: it reads keys and
// dates only, and only deletes from the contacts table, so no metric can change.
import { ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import type { HouseholdState } from '../domain/household';
import { dueForErasure, retentionCutoff, type RetentionGround } from '../domain/retention';
import { householdKey, STATE_SK } from './households';
import { getAll, queryEveryShard, ReadTally } from './query-pages';
import { contactDeletes, SEARCH_KEY_PREFIX } from './contacts';
import {
  contactsTable,
  householdIndexes,
  INDEX_PARTITION_ATTRIBUTE,
  indexSortRange,
  projectionsTable,
  tableName,
  type HouseholdIndexName,
} from './tables';

export interface RetentionReport {
  at: string;
  retentionDays: number;
  /** Closures and resignations up to this instant are past the retention period. */
  cutoff: string;
  agencies: number;
  /** Contact details present when the run began. */
  contacts: number;
  erased: Record<RetentionGround, number>;
  /** Due, but the household changed (e.g. was reopened) or the details went meanwhile: judged again next run. */
  skipped: number;
  /** Items read (DynamoDB's ScannedCount, and the items a batch get returned). */
  itemsRead: number;
}

/** `searchKeys`: the keys of its search items (derived from the details), deleted with them, never logged. */
interface PresentContact {
  householdId: string;
  recordedAt?: string;
  searchKeys?: string[];
}
interface DueContact {
  agencyId: string;
  householdId: string;
  ground: RetentionGround;
  stateVersion?: number;
  searchKeys?: string[];
}

const ERASURES_AT_ONCE = 8;

/** Finds the contact details due at `at` and erases them. Safe to run at any time and any number of times.
 *  Reads the contacts table's keys once (that is how the agencies are found), per agency the
 *  households closed or resigned before the cutoff (byClosedAt, byResignedAt), and the states of the
 *  older details not due by those, to find the ones whose enquiry was never recorded. */
export async function enforceRetention({ at, retentionDays }: { at: string; retentionDays: number }): Promise<RetentionReport> {
  const tally = new ReadTally();
  const cutoff = retentionCutoff(at, retentionDays);
  const present = await contactsByAgency(tally);
  const due = (
    await Promise.all([...present].map(([agencyId, contacts]) => dueInAgency(agencyId, contacts, { at, retentionDays, cutoff }, tally)))
  ).flat();

  const erased: Record<RetentionGround, number> = { closed: 0, resigned: 0, orphaned: 0 };
  let skipped = 0;
  for (let i = 0; i < due.length; i += ERASURES_AT_ONCE) {
    const batch = due.slice(i, i + ERASURES_AT_ONCE);
    const outcomes = await Promise.all(batch.map(eraseIfUnchanged));
    batch.forEach((contact, j) => (outcomes[j] ? (erased[contact.ground] += 1) : (skipped += 1)));
  }
  return {
    at,
    retentionDays,
    cutoff,
    agencies: present.size,
    contacts: [...present.values()].reduce((n, contacts) => n + contacts.size, 0),
    erased,
    skipped,
    itemsRead: tally.itemsRead,
  };
}

/** The keys and dates of every contact record, by agency; the details themselves are never read. */
async function contactsByAgency(tally: ReadTally): Promise<Map<string, Map<string, PresentContact>>> {
  const byAgency = new Map<string, Map<string, PresentContact>>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDbDocumentClient().send(
      new ScanCommand({
        TableName: tableName(contactsTable),
        ProjectionExpression: '#agency, #household, #recorded, #search',
        ExpressionAttributeNames: {
          '#agency': 'agencyId',
          '#household': 'householdId',
          '#recorded': 'recordedAt',
          '#search': 'searchKeys',
        },
        ExclusiveStartKey,
      }),
    );
    tally.itemsRead += page.ScannedCount ?? 0;
    tally.requests += 1;
    for (const item of page.Items ?? []) {
      const { agencyId, householdId, recordedAt, searchKeys } = item as { agencyId: string; householdId: string } & Omit<
        PresentContact,
        'householdId'
      >;
      // A search item goes with its contact, never on its own.
      if (householdId.startsWith(SEARCH_KEY_PREFIX)) continue;
      if (!byAgency.has(agencyId)) byAgency.set(agencyId, new Map());
      byAgency.get(agencyId)?.set(householdId, { householdId, recordedAt, searchKeys });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return byAgency;
}

async function dueInAgency(
  agencyId: string,
  contacts: ReadonlyMap<string, PresentContact>,
  { at, retentionDays, cutoff }: { at: string; retentionDays: number; cutoff: string },
  tally: ReadTally,
): Promise<DueContact[]> {
  const due = new Map<string, DueContact>();
  const ranges = await Promise.all((['byClosedAt', 'byResignedAt'] as const).map((index) => statesUpTo(agencyId, index, cutoff, tally)));
  for (const { household, version } of ranges.flat()) {
    const ground = contacts.has(household.householdId) ? dueForErasure({ household }, at, retentionDays) : undefined;
    if (ground)
      due.set(household.householdId, {
        agencyId,
        householdId: household.householdId,
        ground,
        stateVersion: version,
        searchKeys: contacts.get(household.householdId)?.searchKeys,
      });
  }

  // Details older than the period and not due by the ranges: due only if no household was ever recorded.
  const old = [...contacts.values()].filter((c) => !due.has(c.householdId) && c.recordedAt !== undefined && c.recordedAt <= cutoff);
  const recorded = await householdsRecorded(
    agencyId,
    old.map((c) => c.householdId),
    tally,
  );
  for (const { householdId, recordedAt, searchKeys } of old) {
    if (recorded.has(householdId) || recordedAt === undefined) continue;
    const ground = dueForErasure({ household: undefined, contactRecordedAt: recordedAt }, at, retentionDays);
    if (ground) due.set(householdId, { agencyId, householdId, ground, searchKeys });
  }
  return [...due.values()];
}

/** Household states whose index attribute is at or before `cutoff`, with their version. */
async function statesUpTo(agencyId: string, index: HouseholdIndexName, cutoff: string, tally: ReadTally) {
  const items = await queryEveryShard(
    agencyId,
    (partition) => ({
      TableName: tableName(projectionsTable),
      IndexName: index,
      KeyConditionExpression: '#partition = :partition AND #at <= :cutoff',
      ExpressionAttributeNames: { '#partition': INDEX_PARTITION_ATTRIBUTE, '#at': householdIndexes[index] },
      ExpressionAttributeValues: { ':partition': partition, ':cutoff': indexSortRange(cutoff, cutoff)[1] },
    }),
    householdIndexes[index],
    tally,
  );
  const keys = items.map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
  const states = await getAll(tableName(projectionsTable), keys, tally);
  return states.map((item) => ({ household: item.household as HouseholdState, version: item.version as number }));
}

/** Which of these households have a state item (keys only are returned). */
async function householdsRecorded(agencyId: string, householdIds: readonly string[], tally: ReadTally): Promise<Set<string>> {
  const keys = householdIds.map((householdId) => ({ pk: householdKey(agencyId, householdId), sk: STATE_SK }));
  const items = await getAll(tableName(projectionsTable), keys, tally, { projection: 'pk, sk' });
  return new Set(items.map((item) => (item.pk as string).slice(householdKey(agencyId, '').length)));
}

/**
 * Deletes the details in one transaction with a check that the household is as judged (same state
 * version, or still no state at all), so a household reopened since it was read keeps its details.
 * False when it changed or the details were already gone.
 */
async function eraseIfUnchanged({ agencyId, householdId, stateVersion, searchKeys }: DueContact): Promise<boolean> {
  try {
    await dynamoDbDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: tableName(projectionsTable),
              Key: { pk: householdKey(agencyId, householdId), sk: STATE_SK },
              ...(stateVersion === undefined
                ? { ConditionExpression: 'attribute_not_exists(pk)' }
                : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': stateVersion } }),
            },
          },
          ...contactDeletes(agencyId, householdId, searchKeys ?? []),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
    if (codes.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict')) return false;
    throw error;
  }
}
