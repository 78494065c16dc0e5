// The agency's event log, oldest first (`GET /export/events`): every item that stores one event carries
// the sparse eventLogIndex's attributes, so a page is one keys-only Query per shard and a BatchGet.
import type { DomainEvent } from '../events/catalogue';
import { toUtcInstant } from '../domain/household';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { getAll, inIndexOrder, type ReadTally } from './query-pages';
import { eventLogIndex, indexPartition, indexPartitionsOf, indexShardOf, projectionsTable, tableName } from './tables';

/** What an item storing `event` adds, so the event appears in its agency's log. */
export function eventLogAttributes(event: DomainEvent) {
  const { agencyId, eventId, occurredAt } = event.detail;
  return {
    [eventLogIndex.partitionAttribute]: indexPartition(agencyId, indexShardOf(eventId, 'eventLog')),
    [eventLogIndex.sortAttribute]: `${toUtcInstant(occurredAt)}#${eventId}`,
    event,
  };
}

export interface EventLogPage {
  events: DomainEvent[];
  next?: string;
}

export class InvalidCursorError extends Error {}

/**
 * The agency's events with occurredAt in [fromInstant, toInstant], oldest first, at most `limit` a
 * page. Each shard of the log (tables.ts indexShards) is asked for its first `limit` after the
 * cursor, side by side; the merged first `limit` are the log's (none of them can be further down
 * its shard than that), so a page reads at most `indexShards.eventLog` × `limit` keys.
 */
export async function eventLogPage(
  agencyId: string,
  fromInstant: string,
  toInstant: string,
  options: { limit: number; cursor?: string },
  tally?: ReadTally,
): Promise<EventLogPage> {
  // '~' sorts after '#eventId': events at exactly toInstant are in.
  const [from, to] = [fromInstant, `${toInstant}~`];
  const after = options.cursor === undefined ? undefined : positionOf(options.cursor, from, to);
  const shards = await Promise.all(
    indexPartitionsOf(agencyId, 'eventLog').map(async (partition) => {
      const page = await dynamoDbDocumentClient().send(
        new QueryCommand({
          TableName: tableName(projectionsTable),
          IndexName: eventLogIndex.indexName,
          KeyConditionExpression: '#partition = :partition AND #at BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#partition': eventLogIndex.partitionAttribute, '#at': eventLogIndex.sortAttribute },
          // BETWEEN includes the cursor's own entry: one more is asked for, and it is left out.
          ExpressionAttributeValues: { ':partition': partition, ':from': after ?? from, ':to': to },
          Limit: options.limit + (after === undefined ? 0 : 1),
        }),
      );
      if (tally) {
        tally.itemsRead += page.ScannedCount ?? 0;
        tally.requests += 1;
      }
      const entries = ((page.Items ?? []) as Record<string, unknown>[]).filter((item) => item[eventLogIndex.sortAttribute] !== after);
      return { entries, more: page.LastEvaluatedKey !== undefined };
    }),
  );
  const merged = inIndexOrder(
    shards.flatMap((shard) => shard.entries),
    eventLogIndex.sortAttribute,
  );
  const entries = merged.slice(0, options.limit);
  const more = merged.length > options.limit || shards.some((shard) => shard.more);
  // The index holds keys only: the page's items are fetched by key, in the log's order.
  const keys = entries.map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
  const items = await getAll(tableName(projectionsTable), keys, tally, { projection: 'pk, sk, event' });
  const last = entries.at(-1)?.[eventLogIndex.sortAttribute] as string | undefined;
  return {
    events: items.map((item) => item.event as DomainEvent),
    ...(more && last !== undefined ? { next: Buffer.from(JSON.stringify({ at: last })).toString('base64url') } : {}),
  };
}

/** A cursor carries the log position of the page's last event (its instant and id): the agency is
 *  always the caller's, never the cursor's, and the position must lie in the window asked for. */
function positionOf(cursor: string, from: string, to: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    /* refused below */
  }
  const { at } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (typeof at !== 'string' || at < from || at > to) throw new InvalidCursorError('not a cursor this export gave for this window');
  return at;
}
