// Enforces the retention rule (shared/domain/retention.ts): reads the clocks that have come due
// (shared/store/retention-clocks.ts), judges each household as stored now under its agency's periods,
// and erases, puts off or drops the clock. It deletes only contact details and clocks, so no metric can
// change. Bounded per run; what is left stays due, so the next run carries on where this one stopped.
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  type BatchGetCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { retentionClock, retentionEndsAt, type RetentionGround, type RetentionPeriods } from '../domain/retention';
import { householdKey, STATE_SK } from './households';
import type { HouseholdState } from '../domain/household';
import { contactDeletes, erasureRecords, SEARCH_KEY_PREFIX } from './contacts';
import { erasuresSince, RETENTION_JOB_SUB } from './audit';
import { agencySettingsChanges } from './agency-ledger';
import { settingsInForce } from '../domain/agency-settings';
import {
  clockShards,
  clockSortKey,
  contactClockPartition,
  contactClockPut,
  householdClockPartition,
  householdClockPut,
  type ClockItem,
} from './retention-clocks';
import { contactsTable, projectionsTable, tableName } from './tables';

/** How far back the erasure ledger is checked on every run: what a point-in-time restore (35 days) can bring back. */
export const RESTORE_WINDOW_DAYS = 35;
const DAY_MS = 86_400_000;

export interface RetentionReport {
  at: string;
  /** Details erased, by what the household had become. */
  erased: Record<RetentionGround, number>;
  /** Clocks judged: erased, put off to the agency's own date, or dropped (reopened, or nothing held). */
  clocks: { judged: number; putOff: number; dropped: number };
  /** Due, but the household changed meanwhile: judged again next run. */
  skipped: number;
  /** Details a restore brought back that the ledger says were erased, erased again. */
  erasedAgain: number;
  /** Clocks still due when the run's budget ran out: the next run goes on with them. */
  more: boolean;
}

export interface RetentionRun {
  at: string;
  /** At most this many clocks judged in one run. */
  maxClocks?: number;
  /** Stop taking new clocks when this says so (the Lambda's remaining time). */
  outOfTime?: () => boolean;
  /** Check the ledger from here (default: the restore window before `at`): after restoring an older backup. */
  ledgerSince?: string;
}

const DEFAULT_MAX_CLOCKS = 2_000;
const PAGE = 100;
const AT_ONCE = 8;

interface DueClock extends ClockItem {
  source: 'household' | 'contact';
  key: Record<string, string>;
}

export async function enforceRetention(run: RetentionRun): Promise<RetentionReport> {
  const { at } = run;
  const maxClocks = run.maxClocks ?? DEFAULT_MAX_CLOCKS;
  const report: RetentionReport = {
    at,
    erased: { enquiry: 0, applicant: 0, carer: 0, unrecorded: 0 },
    clocks: { judged: 0, putOff: 0, dropped: 0 },
    skipped: 0,
    erasedAgain: 0,
    more: false,
  };
  report.erasedAgain = await eraseAgainFromLedger(
    run.ledgerSince ?? new Date(Date.parse(at) - RESTORE_WINDOW_DAYS * DAY_MS).toISOString(),
    at,
  );

  const periods = new Map<string, Promise<RetentionPeriods>>();
  const periodsOf = (agencyId: string) => {
    if (!periods.has(agencyId)) periods.set(agencyId, agencySettingsChanges(agencyId).then(settingsInForce));
    return periods.get(agencyId)!;
  };
  const sources = clockShards.flatMap((shard) => [
    { source: 'household' as const, table: tableName(projectionsTable), keyNames: ['pk', 'sk'], partition: householdClockPartition(shard) },
    {
      source: 'contact' as const,
      table: tableName(contactsTable),
      keyNames: ['agencyId', 'householdId'],
      partition: contactClockPartition(shard),
    },
  ]);
  for (const { source, table, keyNames, partition } of sources) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      if (report.clocks.judged >= maxClocks || run.outOfTime?.()) {
        report.more = true;
        return report;
      }
      const [pkName, skName] = keyNames as [string, string];
      const page = await dynamoDbDocumentClient().send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: '#pk = :partition AND #sk <= :upTo',
          ExpressionAttributeNames: { '#pk': pkName, '#sk': skName },
          ExpressionAttributeValues: { ':partition': partition, ':upTo': `${at}~` },
          Limit: Math.min(PAGE, maxClocks - report.clocks.judged),
          ExclusiveStartKey,
        }),
      );
      const due: DueClock[] = (page.Items ?? []).map((item) => ({
        ...(item.retentionClock as ClockItem),
        source,
        key: { [pkName]: item[pkName] as string, [skName]: item[skName] as string },
      }));
      for (let i = 0; i < due.length; i += AT_ONCE) {
        await Promise.all(due.slice(i, i + AT_ONCE).map((clock) => judge(clock, at, periodsOf, report)));
      }
      report.clocks.judged += due.length;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  return report;
}

/** One clock: erase the details if due under the agency's periods, put it off if not yet, drop it if the household moved on. */
async function judge(clock: DueClock, at: string, periodsOf: (agencyId: string) => Promise<RetentionPeriods>, report: RetentionReport) {
  const { agencyId, householdId } = clock;
  const [stateItem, contact] = await Promise.all([
    getConsistent(tableName(projectionsTable), { pk: householdKey(agencyId, householdId), sk: STATE_SK }, 'household, version'),
    getConsistent(tableName(contactsTable), { agencyId, householdId }, 'recordedAt, searchKeys'),
  ]);
  const household = stateItem?.household as Parameters<typeof retentionClock>[0]['household'];
  const drop = () => write([deleteClock(clock)]).then(() => void (report.clocks.dropped += 1));
  // Nothing held any more (erased on request, or never taken): nothing to erase.
  if (!contact) return drop();
  const subject =
    clock.source === 'contact' && !household
      ? { household: undefined, contactRecordedAt: (contact.recordedAt as string | undefined) ?? clock.since }
      : household
        ? { household }
        : undefined;
  const now = subject && retentionClock(subject);
  // A contact clock whose household was recorded: the household's own clock governs. A household
  // clock that another closure (or a reopening) replaced: dropped; a newer one, if any, has its own item.
  if (!subject || !now || now.ground !== clock.ground || now.since !== clock.since) return drop();
  const endsAt = retentionEndsAt(subject, await periodsOf(agencyId))!;
  if (endsAt > at) {
    // Not yet due under this agency's longer period: looked at again on its own date.
    const table = clock.source === 'household' ? tableName(projectionsTable) : tableName(contactsTable);
    const [pkName, skName] = Object.keys(clock.key) as [string, string];
    const { source: _source, key: _key, ...item } = clock;
    await write([
      deleteClock(clock),
      {
        Put: {
          TableName: table,
          Item: { [pkName]: clock.key[pkName], [skName]: clockSortKey(endsAt, agencyId, householdId), retentionClock: item },
        },
      },
    ]);
    report.clocks.putOff += 1;
    return;
  }
  const erased = await write([
    // The household as judged: the same version (or still none), so one reopened meanwhile keeps its details.
    {
      ConditionCheck: {
        TableName: tableName(projectionsTable),
        Key: { pk: householdKey(agencyId, householdId), sk: STATE_SK },
        ...(stateItem
          ? { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': stateItem.version } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    ...contactDeletes(agencyId, householdId, (contact.searchKeys as string[] | undefined) ?? []),
    ...erasureRecords(agencyId, householdId, RETENTION_JOB_SUB, at),
    deleteClock(clock),
  ]);
  if (erased) report.erased[clock.ground] += 1;
  else report.skipped += 1;
}

/** After a restore: details the ledger says were erased since `since` and that are back are erased again. */
async function eraseAgainFromLedger(since: string, at: string): Promise<number> {
  const records = await erasuresSince(since);
  const Table = tableName(contactsTable);
  const keys = [
    ...new Map(records.map((r) => [`${r.agencyId}#${r.householdId}`, { agencyId: r.agencyId, householdId: r.householdId }])).values(),
  ];
  let erasedAgain = 0;
  for (let i = 0; i < keys.length; i += 100) {
    let batch: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
    while (batch && batch.length > 0) {
      const page: BatchGetCommandOutput = await dynamoDbDocumentClient().send(
        new BatchGetCommand({
          RequestItems: { [Table]: { Keys: batch, ProjectionExpression: 'agencyId, householdId, searchKeys', ConsistentRead: true } },
        }),
      );
      for (const item of page.Responses?.[Table] ?? []) {
        const { agencyId, householdId } = item as { agencyId: string; householdId: string };
        const deletes = contactDeletes(agencyId, householdId, (item.searchKeys as string[] | undefined) ?? []);
        if (await write([...deletes, ...erasureRecords(agencyId, householdId, RETENTION_JOB_SUB, at)])) erasedAgain += 1;
      }
      batch = page.UnprocessedKeys?.[Table]?.Keys;
    }
  }
  return erasedAgain;
}

const getConsistent = async (TableName: string, Key: Record<string, string>, ProjectionExpression: string) =>
  (await dynamoDbDocumentClient().send(new GetCommand({ TableName, Key, ConsistentRead: true, ProjectionExpression }))).Item;

function deleteClock(clock: DueClock) {
  const TableName = clock.source === 'household' ? tableName(projectionsTable) : tableName(contactsTable);
  return { Delete: { TableName, Key: clock.key } };
}

/** One transaction; false when a condition failed or another writer got there first. */
async function write(TransactItems: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>): Promise<boolean> {
  try {
    await dynamoDbDocumentClient().send(new TransactWriteCommand({ TransactItems }));
    return true;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
    if (codes.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict')) return false;
    throw error;
  }
}

// ---- Clocks for what was stored before clocks were written ----

export interface ClockBackfill {
  /** Household states and contact items read. */
  read: number;
  /** Clocks written (writing one twice is harmless: the same key). */
  written: number;
  /** Where the next call carries on, when this one ran out of time; absent once both tables are read. */
  resumeFrom?: { table: 'projections' | 'contacts'; key: Record<string, unknown> };
}

/**
 * Writes the clock of every household with a closure or resignation in force and of every set of
 * contact details, as the writes since the clocks exist do: once, for a table that holds records
 * from before them. A scan of both tables: not for the nightly run.
 */
export async function writeMissingClocks(
  options: { outOfTime?: () => boolean; resumeFrom?: ClockBackfill['resumeFrom']; pageSize?: number } = {},
): Promise<ClockBackfill> {
  const report: ClockBackfill = { read: 0, written: 0 };
  const tables = [
    { name: 'projections' as const, table: tableName(projectionsTable), filter: 'sk = :state', values: { ':state': STATE_SK } },
    {
      name: 'contacts' as const,
      table: tableName(contactsTable),
      // The details themselves: not their search items, not the clocks' own partitions.
      filter: 'NOT begins_with(householdId, :search) AND NOT begins_with(agencyId, :clocks)',
      values: { ':search': SEARCH_KEY_PREFIX, ':clocks': '#' },
    },
  ];
  const start = options.resumeFrom ? tables.findIndex((t) => t.name === options.resumeFrom!.table) : 0;
  let pagesRead = 0;
  for (const [i, { name, table, filter, values }] of tables.entries()) {
    if (i < start) continue;
    let ExclusiveStartKey: Record<string, unknown> | undefined = i === start ? options.resumeFrom?.key : undefined;
    do {
      // Every call reads a page at least, so a call out of time still moves on.
      if (pagesRead > 0 && options.outOfTime?.() && ExclusiveStartKey)
        return { ...report, resumeFrom: { table: name, key: ExclusiveStartKey } };
      const page = await dynamoDbDocumentClient().send(
        new ScanCommand({
          TableName: table,
          FilterExpression: filter,
          ExpressionAttributeValues: values,
          ExclusiveStartKey,
          Limit: options.pageSize,
        }),
      );
      type ClockPut = { Put: { TableName: string; Item: Record<string, unknown> } };
      const puts = (page.Items ?? []).flatMap((item): ClockPut[] => {
        report.read += 1;
        if (name === 'projections') {
          const household = item.household as HouseholdState;
          const clock = retentionClock({ household });
          return clock ? [householdClockPut(household.agencyId, household.householdId, clock)] : [];
        }
        const { agencyId, householdId, recordedAt } = item as { agencyId: string; householdId: string; recordedAt?: string };
        return recordedAt ? [contactClockPut(agencyId, householdId, recordedAt)] : [];
      });
      for (let j = 0; j < puts.length; j += 25) {
        await dynamoDbDocumentClient().send(new TransactWriteCommand({ TransactItems: puts.slice(j, j + 25) }));
        report.written += Math.min(25, puts.length - j);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
      pagesRead += 1;
    } while (ExclusiveStartKey);
  }
  return report;
}
