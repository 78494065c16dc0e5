// The access audit and the erasure ledger (docs/security.md), in a table of their own that every
// function may only add to (infra grants PutItem, never UpdateItem or DeleteItem), so no route can
// change or delete an entry. An entry names households and a staff sub; never a search term, a name,
// an email, a phone or a note.
import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { auditTable, indexShardOf, indexShards, tableName } from './tables';

export const auditActions = ['viewed', 'listed', 'searched', 'exported', 'subject_access', 'erased', 'imported'] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditEntry {
  at: string;
  sub: string;
  agencyId: string;
  action: AuditAction;
  householdIds: string[];
}

/** Who the import tool is, in the audit: whoever ran it signed in to the account, not the API. */
export const IMPORT_TOOL_SUB = 'tool:import';
/** Who the retention job is, in the audit: no person erased those details. */
export const RETENTION_JOB_SUB = 'system:retention';
/** An entry names at most this many households; a longer list (an import) takes several entries. */
export const HOUSEHOLDS_PER_ENTRY = 100;
/** Kept at least six years: DynamoDB's TTL removes an entry seven years on. */
const KEPT_YEARS = 7;

const auditPartition = (agencyId: string) => `AUDIT#${agencyId}`;
const expiresAt = (at: string) => Math.floor(Date.parse(at) / 1000) + Math.round(KEPT_YEARS * 365.25 * 86_400);

/** Entries of one agency sort by time, then a random id, so two at the same instant never collide. */
export function auditItems(entry: AuditEntry): Record<string, unknown>[] {
  const chunks: string[][] = [];
  for (let i = 0; i < entry.householdIds.length; i += HOUSEHOLDS_PER_ENTRY)
    chunks.push(entry.householdIds.slice(i, i + HOUSEHOLDS_PER_ENTRY));
  return (chunks.length > 0 ? chunks : [[]]).map((householdIds) => ({
    pk: auditPartition(entry.agencyId),
    sk: `${entry.at}#${randomUUID()}`,
    at: entry.at,
    sub: entry.sub,
    agencyId: entry.agencyId,
    action: entry.action,
    householdIds,
    expiresAt: expiresAt(entry.at),
  }));
}

/** The entry as items of a transaction (an erasure's): written with what it records, or not at all. */
export function auditPuts(entry: AuditEntry) {
  return auditItems(entry).map((Item) => ({
    Put: { TableName: tableName(auditTable), Item, ConditionExpression: 'attribute_not_exists(pk)' },
  }));
}

/** Appends the entry before the answer leaves: an answer whose entry could not be written is not sent. */
export async function appendAudit(entry: AuditEntry): Promise<void> {
  await Promise.all(
    auditItems(entry).map((Item) =>
      dynamoDbDocumentClient().send(
        new PutCommand({ TableName: tableName(auditTable), Item, ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    ),
  );
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Where the next page starts; absent on the last. */
  next?: string;
}

/** An agency's entries in [from, to] (instants), oldest first, optionally of one household or sub. */
export async function auditEntries(
  agencyId: string,
  window: { from: string; to: string },
  filter: { householdId?: string; sub?: string },
  page: { cursor?: string; limit: number },
): Promise<AuditPage> {
  const conditions = [...(filter.householdId ? ['contains(householdIds, :household)'] : []), ...(filter.sub ? ['#sub = :sub'] : [])];
  const entries: AuditEntry[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined = page.cursor ? { pk: auditPartition(agencyId), sk: page.cursor } : undefined;
  // A filter may leave a page of the window short: read on until the page is full or the window done.
  do {
    const result = await dynamoDbDocumentClient().send(
      new QueryCommand({
        TableName: tableName(auditTable),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeNames: filter.sub ? { '#sub': 'sub' } : undefined,
        ExpressionAttributeValues: {
          ':pk': auditPartition(agencyId),
          ':from': window.from,
          ':to': `${window.to}~`,
          ...(filter.householdId ? { ':household': filter.householdId } : {}),
          ...(filter.sub ? { ':sub': filter.sub } : {}),
        },
        ExclusiveStartKey,
        Limit: page.limit - entries.length,
      }),
    );
    for (const item of result.Items ?? []) {
      const { at, sub, agencyId: agency, action, householdIds } = item as AuditEntry;
      entries.push({ at, sub, agencyId: agency, action, householdIds });
    }
    ExclusiveStartKey = result.LastEvaluatedKey;
  } while (ExclusiveStartKey && entries.length < page.limit);
  return { entries, ...(ExclusiveStartKey ? { next: ExclusiveStartKey.sk as string } : {}) };
}

// ---- The erasure ledger: which household's details were erased, and when (no personal data) ----

const ledgerPartition = (shard: number) => `ERASED#${shard}`;
const ledgerShards = Array.from({ length: indexShards.household }, (_, shard) => shard);

export interface ErasureRecord {
  agencyId: string;
  householdId: string;
  erasedAt: string;
}

/** The ledger's entry for an erasure, as an item of the erasure's own transaction. */
export function ledgerPut({ agencyId, householdId, erasedAt }: ErasureRecord) {
  return {
    Put: {
      TableName: tableName(auditTable),
      Item: {
        pk: ledgerPartition(indexShardOf(householdId, 'household')),
        sk: `${erasedAt}#${agencyId}#${householdId}`,
        agencyId,
        householdId,
        erasedAt,
        expiresAt: expiresAt(erasedAt),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Erasures recorded at or after `since`, oldest first. */
export async function erasuresSince(since: string): Promise<ErasureRecord[]> {
  const perShard = await Promise.all(
    ledgerShards.map(async (shard) => {
      const records: ErasureRecord[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const result = await dynamoDbDocumentClient().send(
          new QueryCommand({
            TableName: tableName(auditTable),
            KeyConditionExpression: 'pk = :pk AND sk >= :since',
            ExpressionAttributeValues: { ':pk': ledgerPartition(shard), ':since': since },
            ExclusiveStartKey,
          }),
        );
        for (const item of result.Items ?? []) {
          const { agencyId, householdId, erasedAt } = item as ErasureRecord;
          records.push({ agencyId, householdId, erasedAt });
        }
        ExclusiveStartKey = result.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return records;
    }),
  );
  return perShard.flat().sort((a, b) => a.erasedAt.localeCompare(b.erasedAt));
}
