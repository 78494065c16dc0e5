// Idempotency by eventId for projections of one item per event (spend, children-in-care counts,
// settings changes): the item and a receipt keyed by the eventId alone, in one transaction.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import type { DomainEvent } from '../events/catalogue';
import { projectionsTable, tableName } from './tables';
import { outboxAttributes } from './outbox';

export const receiptKey = (agencyId: string, eventId: string) => ({ pk: `AGENCY#${agencyId}#EVENT#${eventId}`, sk: 'RECEIPT' });

/** `publish`: the event is a command's, and its receipt is the outbox entry that puts it on the bus. */
export async function putOncePerEvent(
  event: { agencyId: string; eventId: string },
  item: Record<string, unknown> & { pk: string; sk: string },
  publish?: DomainEvent,
): Promise<'written' | 'duplicate'> {
  const TableName = tableName(projectionsTable);
  try {
    await dynamoDbDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: receiptItem(event, item, publish), ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName, Item: item } },
        ],
      }),
    );
    return 'written';
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed')
      return 'duplicate';
    throw error;
  }
}

/** The receipt of an event: which item it wrote, and (for a command's event) the outbox entry. */
export function receiptItem(event: { agencyId: string; eventId: string }, item: { pk: string; sk: string }, publish?: DomainEvent) {
  return {
    ...receiptKey(event.agencyId, event.eventId),
    item: { pk: item.pk, sk: item.sk },
    ...(publish ? outboxAttributes(publish) : {}),
  };
}
