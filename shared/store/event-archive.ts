// The household events' own items, written from the projections table's stream. A projector stores
// an event from the bus on the state item that folds it (households.ts FOLDED_EVENT_ATTRIBUTE: one
// conditional PutItem, not a transaction of two items); the stream's reader of state items (the
// conversion counts' keeper in AWS, the local relay here) then writes the event's item: the
// partition's record of it (a refold reads it) and its entry in the agency's log (the export). At
// least once: the same item put again changes nothing. Until it is written the partition has the
// event from the state item, and a refold that finds an earlier one missing waits for it
// (households.ts readCompletePartition).
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import type { HouseholdEvent } from '../events/catalogue';
import { eventItem, FOLDED_EVENT_ATTRIBUTE, STATE_SK } from './households';
import { projectionsTable, tableName } from './tables';

/** BatchWriteItem's maximum. */
const BATCH_WRITE_LIMIT = 25;
const UNPROCESSED_RETRIES = 8;

type StreamRecordLike = { dynamodb?: { Keys?: Record<string, unknown>; NewImage?: Record<string, unknown> } };

/** The events the state items of these records folded and stored no item of (each once). */
export function foldedEventsOf(records: readonly StreamRecordLike[]): HouseholdEvent[] {
  const events = new Map<string, HouseholdEvent>();
  for (const record of records) {
    const keys = record.dynamodb?.Keys as Record<string, AttributeValue> | undefined;
    const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
    if (keys?.sk?.S !== STATE_SK || !image?.[FOLDED_EVENT_ATTRIBUTE]) continue;
    const { [FOLDED_EVENT_ATTRIBUTE]: event } = unmarshall({ [FOLDED_EVENT_ATTRIBUTE]: image[FOLDED_EVENT_ATTRIBUTE] }) as {
      foldedEvent: HouseholdEvent;
    };
    events.set(event.detail.eventId, event);
  }
  return [...events.values()];
}

/** Writes the items of the events these records' state items folded (BatchWriteItem, 25 a request,
 *  unprocessed ones sent again); throws if DynamoDB keeps leaving some, so the batch is read again. */
export async function archiveFoldedEvents(records: readonly StreamRecordLike[]): Promise<number> {
  const TableName = tableName(projectionsTable);
  const puts = foldedEventsOf(records).map((event) => ({
    PutRequest: { Item: eventItem(event.detail.agencyId, event.detail.householdId, event) },
  }));
  for (let i = 0; i < puts.length; i += BATCH_WRITE_LIMIT) {
    let pending: typeof puts = puts.slice(i, i + BATCH_WRITE_LIMIT);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > UNPROCESSED_RETRIES) throw new Error(`the event archive: DynamoDB kept leaving ${pending.length} item(s) unprocessed`);
      if (attempt > 0) await new Promise((done) => setTimeout(done, Math.min(1_000, 25 * 2 ** attempt)));
      const result = await dynamoDbDocumentClient().send(new BatchWriteCommand({ RequestItems: { [TableName]: pending } }));
      pending = (result.UnprocessedItems?.[TableName] ?? []) as typeof puts;
    }
  }
  return puts.length;
}
