// The transactional outbox's marker: a command stores the item recording its fact with it, and the
// relay (EventBridge Pipes in AWS, local/outbox-relay.ts locally) puts exactly the marked new items
// on the bus. What a projector stores from the bus carries none, so it is never published again.
import { EVENT_SOURCE, parseDomainEvent, type DomainEvent } from '../events/catalogue';

/** Present (value `publish`) only on items whose event the outbox puts on the bus. */
export const OUTBOX_ATTRIBUTE = 'outbox';
export const OUTBOX_MARKER = 'publish';
/** The detail-type as a top-level string, for the relay to name the event (the Pipe reads it by path). */
export const OUTBOX_DETAIL_TYPE_ATTRIBUTE = 'outboxDetailType';
/** When the entry was stored (ISO 8601): what `npm run republish-outbox` selects a window of entries by. */
export const OUTBOX_AT_ATTRIBUTE = 'outboxAt';

/** The Pipe's filter, in EventBridge's pattern language over the stream record: only new items that
 *  bear the outbox marker. The local relay matches records with this same pattern. */
export const OUTBOX_FILTER_PATTERN = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { [OUTBOX_ATTRIBUTE]: { S: [OUTBOX_MARKER] } } },
} as const;

/** The attributes that make an item an outbox entry for `event` (stored under `event`, as household
 *  event items already keep it). */
export function outboxAttributes(event: DomainEvent) {
  return {
    [OUTBOX_ATTRIBUTE]: OUTBOX_MARKER,
    [OUTBOX_DETAIL_TYPE_ATTRIBUTE]: event.detailType,
    [OUTBOX_AT_ATTRIBUTE]: new Date().toISOString(),
    event,
  };
}

/** The event an item (as lib-dynamodb unmarshals it) asks to publish, if it is an outbox entry; an
 *  entry that does not parse is reported, never published. */
export function outboxEventOf(
  item: Record<string, unknown>,
): { publish: false } | { publish: true; event: DomainEvent } | { publish: true; error: string } {
  if (item[OUTBOX_ATTRIBUTE] !== OUTBOX_MARKER) return { publish: false };
  const stored = item.event as { detailType?: unknown; detail?: unknown } | undefined;
  const parsed = parseDomainEvent(String(stored?.detailType), stored?.detail);
  return parsed.success ? { publish: true, event: parsed.event } : { publish: true, error: parsed.error };
}

/** The PutEvents entry of an outbox event (the same shape EventBridge Pipes gives the bus). */
export function outboxEntry(event: DomainEvent, busName: string) {
  return { EventBusName: busName, Source: EVENT_SOURCE, DetailType: event.detailType, Detail: JSON.stringify(event.detail) };
}
