// The agency's events as its records hold them, oldest first: what `GET /export/events` answers
// (SPEC §9). Each item that stores one event (a household's event, a campaign launch, a spend, a
// children-in-care count, a settings change, a referral reward) carries the attributes of the sparse
// eventLogIndex and the event itself, so the export is one Query per page over the window asked for,
// whatever the agency's size, and a BatchGet of the page's items (the index holds keys only). Contact details are never in these items (they live in the Contacts table).
import type { DomainEvent } from '../events/catalogue';
import { toUtcInstant } from '../domain/household';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { getAll, type ReadTally } from './query-pages';
import { eventLogIndex, projectionsTable, tableName } from './tables';

/** What an item storing `event` adds, so the event appears in its agency's log. */
export function eventLogAttributes(event: DomainEvent) {
  const { agencyId, eventId, occurredAt } = event.detail;
  return {
    [eventLogIndex.agencyAttribute]: agencyId,
    [eventLogIndex.sortAttribute]: `${toUtcInstant(occurredAt)}#${eventId}`,
    event,
  };
}

export interface EventLogPage {
  events: DomainEvent[];
  next?: string;
}

export class InvalidCursorError extends Error {}

/** The agency's events with occurredAt in [fromInstant, toInstant], oldest first, at most `limit` a page. */
export async function eventLogPage(
  agencyId: string,
  fromInstant: string,
  toInstant: string,
  options: { limit: number; cursor?: string },
  tally?: ReadTally,
): Promise<EventLogPage> {
  // '~' sorts after '#eventId': events at exactly toInstant are in.
  const [from, to] = [fromInstant, `${toInstant}~`];
  const start = options.cursor === undefined ? undefined : startKey(agencyId, options.cursor, from, to);
  const page = await dynamoDbDocumentClient().send(
    new QueryCommand({
      TableName: tableName(projectionsTable),
      IndexName: eventLogIndex.indexName,
      KeyConditionExpression: '#agency = :agency AND #at BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#agency': eventLogIndex.agencyAttribute, '#at': eventLogIndex.sortAttribute },
      ExpressionAttributeValues: { ':agency': agencyId, ':from': from, ':to': to },
      Limit: options.limit,
      ExclusiveStartKey: start,
    }),
  );
  if (tally) {
    tally.itemsRead += page.ScannedCount ?? 0;
    tally.requests += 1;
  }
  const last = page.LastEvaluatedKey;
  // The index holds keys only: the page's items are fetched by key, in the index's order.
  const keys = (page.Items ?? []).map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
  const items = await getAll(tableName(projectionsTable), keys, tally, { projection: 'pk, sk, event' });
  return {
    events: items.map((item) => item.event as DomainEvent),
    ...(last
      ? { next: Buffer.from(JSON.stringify({ pk: last.pk, sk: last.sk, at: last[eventLogIndex.sortAttribute] })).toString('base64url') }
      : {}),
  };
}

/** A cursor carries the last item's keys; the agency is always the caller's, never the cursor's. */
function startKey(agencyId: string, cursor: string, from: string, to: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    /* refused below */
  }
  const { pk, sk, at } = (typeof key === 'object' && key !== null ? key : {}) as Record<string, unknown>;
  if (typeof pk !== 'string' || typeof sk !== 'string' || typeof at !== 'string' || !pk || !sk || at < from || at > to) {
    throw new InvalidCursorError('not a cursor this export gave for this window');
  }
  return { pk, sk, [eventLogIndex.agencyAttribute]: agencyId, [eventLogIndex.sortAttribute]: at };
}
