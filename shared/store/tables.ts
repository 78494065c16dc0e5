// The DynamoDB tables, declared once: infra/ deploys them and local/ creates them in
// DynamoDB Local from these same definitions.
import { createHash } from 'node:crypto';

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}
export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  /** Every index projects keys only: an event then rewrites an index entry only when its key moves,
   *  never a copy of the record (readers fetch the items they find by key). */
  projection: 'KEYS_ONLY';
  /** How many shards of an agency its partition key spreads over (indexShards). */
  shardedAs: IndexFamily;
}
export interface TableDefinition {
  /** CDK construct id and the local table name. */
  id: string;
  /** Environment variable through which a function learns the table's name. */
  envVar: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  indexes: IndexDefinition[];
  timeToLiveAttribute?: string;
  /** Holds personal data: encrypted with a customer-managed key in AWS, never joined into metrics. */
  personalData?: boolean;
  /** Its DynamoDB stream carries each changed item's images, new and old: the outbox (store/outbox.ts)
   *  and the conversion counts (store/conversion-counts.ts: a state's change) are read from it. */
  stream?: 'NEW_AND_OLD_IMAGES';
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });

/** Household time indexes: partition = one of the agency's index shards (indexPartition), sort =
 *  `<ISO instant (UTC, ms, Z)>#<householdId>` (indexSortValue), so no two households share an index
 *  key, not even the serving carers' open end. Sparse: only household state items carry these
 *  attributes, so each index holds exactly the households that reached that point, ordered by when.
 *  A query for a window reads only the households in it, from every shard. Keys only
 *  (IndexDefinition.projection). */
export const householdIndexes = {
  byEnquiredAt: 'enquiredAt',
  byInitialVisitAt: 'initialVisitAt',
  byAssessmentAt: 'assessmentAt',
  byApprovedAt: 'approvedAt',
  /** When a household that applied saw its assessment end (approval, closure, referral), or OPEN_END while it runs. */
  byAssessmentEnd: 'assessmentEndsAt',
  /** When the household stopped being approved (resignation), or OPEN_END while it is approved. */
  byApprovalEnd: 'approvalEndsAt',
  byClosedAt: 'closedAt',
  byResignedAt: 'resignedAt',
  /** When the household stopped being the recruitment team's to work (approval or a closure in
   *  force), or OPEN_END while it is open: the caseload at D reads those from D on. */
  byRecruitmentEnd: 'recruitmentEndsAt',
  /** Not a time: the household's reference, so a search by reference reads its one item. */
  byReference: 'reference',
} as const;
export type HouseholdIndexName = keyof typeof householdIndexes;
/** The household indexes' partition key: one of the agency's shards (indexPartition). */
export const INDEX_PARTITION_ATTRIBUTE = 'indexPartition';

/**
 * Index partitions per agency. A replay (an import, a rebuilt table) writes an agency's index
 * entries in time order, and DynamoDB cannot split a hot partition whose sort key only grows, so
 * under one partition key per agency every entry of the replay would land in one partition (about
 * 1,000 write units a second). An index's partition key is therefore the agency and a shard drawn
 * from a hash of the household (of the event, for the event log): a replay spreads over the shards,
 * and a query reads them side by side and merges them in order. The event log takes an entry for
 * every event, a household index one for the few events that move its key, so the log has more
 * shards; the household indexes fewer, as every figure's query reads each of their shards.
 */
export const indexShards = { household: 4, eventLog: 8 } as const;
export type IndexFamily = keyof typeof indexShards;
/** The shard of a household or an event: a stable hash of its id. */
export const indexShardOf = (id: string, family: IndexFamily): number =>
  createHash('sha256').update(id).digest().readUInt32BE(0) % indexShards[family];
/** An index's partition key: the agency, then the shard (the agency's id may hold '#'; the shard never does). */
export const indexPartition = (agencyId: string, shard: number) => `${agencyId}#${shard}`;
/** Every partition of the agency in an index of `family`, shard by shard: what a query of one agency reads. */
export const indexPartitionsOf = (agencyId: string, family: IndexFamily): string[] =>
  Array.from({ length: indexShards[family] }, (_, shard) => indexPartition(agencyId, shard));

/** Sorts after every real instant: "has not ended". */
export const OPEN_END = '9999-12-31T23:59:59.999Z';

/** A household index's sort value: the instant, then the household, so keys are distinct. */
export const indexSortValue = (instant: string, householdId: string) => `${instant}#${householdId}`;
/** The sort-key range of the instants [from, to]: '~' sorts after '#' and every id character. */
export const indexSortRange = (fromInstant: string, toInstant: string) => [fromInstant, `${toInstant}~`] as const;

/** Every event an agency's records hold, by when it happened (the events export): a sparse index over the
 *  items that store one event each, partition = one of the agency's index shards (by the event's id),
 *  sort = `<UTC instant>#<eventId>`. */
export const eventLogIndex = { indexName: 'byAgencyEvent', partitionAttribute: 'eventLogPartition', sortAttribute: 'eventAt' } as const;

export const projectionsTable: TableDefinition = {
  id: 'Projections',
  envVar: 'PROJECTIONS_TABLE',
  partitionKey: S('pk'),
  sortKey: S('sk'),
  indexes: [
    ...Object.entries(householdIndexes).map(([indexName, attribute]) => ({
      indexName,
      partitionKey: S(INDEX_PARTITION_ATTRIBUTE),
      sortKey: S(attribute),
      projection: 'KEYS_ONLY' as const,
      shardedAs: 'household' as const,
    })),
    {
      indexName: eventLogIndex.indexName,
      partitionKey: S(eventLogIndex.partitionAttribute),
      sortKey: S(eventLogIndex.sortAttribute),
      projection: 'KEYS_ONLY',
      shardedAs: 'eventLog',
    },
  ],
  stream: 'NEW_AND_OLD_IMAGES',
};

export const contactsTable: TableDefinition = {
  id: 'Contacts',
  envVar: 'CONTACTS_TABLE',
  partitionKey: S('agencyId'),
  sortKey: S('householdId'),
  indexes: [],
  personalData: true,
};

/** Powertools idempotency records for `Idempotency-Key` on commands (its default key `id`). */
export const idempotencyTable: TableDefinition = {
  id: 'Idempotency',
  envVar: 'IDEMPOTENCY_TABLE',
  partitionKey: S('id'),
  indexes: [],
  timeToLiveAttribute: 'expiration',
};

/** The access audit and the erasure ledger: appended to, never changed. No API route may update or
 *  delete an item (each function holding it may only put and read); DynamoDB's TTL removes an entry
 *  at its `expiresAt`, seven years on. Holds household ids and staff subs, never contact details. */
export const auditTable: TableDefinition = {
  id: 'Audit',
  envVar: 'AUDIT_TABLE',
  partitionKey: S('pk'),
  sortKey: S('sk'),
  indexes: [],
  timeToLiveAttribute: 'expiresAt',
};

export const tableDefinitions: readonly TableDefinition[] = [projectionsTable, contactsTable, idempotencyTable, auditTable];

export function tableName(table: TableDefinition): string {
  const name = process.env[table.envVar];
  if (!name) throw new Error(`${table.envVar} is not set`);
  return name;
}

/** What a figure reads of a household's state item: the state and its keys, not the index attributes and version. */
export const STATE_FOR_FIGURES = 'pk, sk, household';
