// The retention job's work list: one clock item per household whose closure or resignation came into
// force (written with the household's state, in the projections table), and one per set of contact
// details taken (written with them, in the contacts table, for details whose enquiry the records never
// receive). Each sorts by the earliest instant it could fall due, so the job reads only what is due
// now, and removes or puts off each one it judges: it never reads every closed household again.
import { earliestDueAt, type RetentionClock } from '../domain/retention';
import { contactsTable, indexShardOf, indexShards, projectionsTable, tableName } from './tables';

/** What begins every household clock's partition key: the job's only writes to the projections table (IAM holds it to these). */
export const HOUSEHOLD_CLOCK_PREFIX = 'RETENTION#';
/** A clock's partition: one of a few shards over every agency, so the job need not know the agencies. */
export const householdClockPartition = (shard: number) => `${HOUSEHOLD_CLOCK_PREFIX}${shard}`;
/** In the contacts table, whose partition key is `agencyId` ('#' is in no agency id). */
export const contactClockPartition = (shard: number) => `#retention#${shard}`;
export const clockShards = Array.from({ length: indexShards.household }, (_, shard) => shard);

/** `<when to look at it>#<agency>#<household>`: '~' after the instant reads every clock up to it. */
export const clockSortKey = (lookAt: string, agencyId: string, householdId: string) => `${lookAt}#${agencyId}#${householdId}`;

export interface ClockItem {
  agencyId: string;
  householdId: string;
  ground: RetentionClock['ground'];
  since: string;
}

/** A household's clock item, first looked at when the shortest period any agency may set has run. */
export function householdClockPut(agencyId: string, householdId: string, clock: RetentionClock) {
  return {
    Put: {
      TableName: tableName(projectionsTable),
      Item: {
        pk: householdClockPartition(indexShardOf(householdId, 'household')),
        sk: clockSortKey(earliestDueAt(clock), agencyId, householdId),
        retentionClock: { agencyId, householdId, ground: clock.ground, since: clock.since } satisfies ClockItem,
      },
    },
  };
}

/** The clock of contact details just taken: judged as an unrecorded enquiry's unless a household is recorded by then. */
export function contactClockPut(agencyId: string, householdId: string, recordedAt: string, Table = tableName(contactsTable)) {
  const clock: RetentionClock = { ground: 'unrecorded', since: recordedAt };
  return {
    Put: {
      TableName: Table,
      Item: {
        agencyId: contactClockPartition(indexShardOf(householdId, 'household')),
        householdId: clockSortKey(earliestDueAt(clock), agencyId, householdId),
        retentionClock: { agencyId, householdId, ground: clock.ground, since: clock.since } satisfies ClockItem,
      },
    },
  };
}
