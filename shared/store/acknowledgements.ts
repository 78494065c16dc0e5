// The acknowledgement an enquirer is owed, as a fact stored with the enquiry: an item beside the
// household's (no contact details in it), written in the enquiry's own transaction. The table's stream
// hands each new one to the mailer (infra/acknowledgements.ts; locally the outbox relay), which reads
// the stored household, contact details and settings, never the bus.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { householdKey } from './households';
import { projectionsTable, tableName } from './tables';

export const ACKNOWLEDGEMENT_SK = 'ACKNOWLEDGEMENT';

/** New acknowledgement items on the stream (the mailer's filter, in AWS and locally). */
export const ACKNOWLEDGEMENT_FILTER_PATTERN = {
  eventName: ['INSERT'],
  dynamodb: { Keys: { sk: { S: [ACKNOWLEDGEMENT_SK] } } },
} as const;

export interface AcknowledgementOwed {
  agencyId: string;
  householdId: string;
}

/** The item owed, as a part of the enquiry's transaction. */
export function acknowledgementPut(owed: AcknowledgementOwed, requestedAt: string) {
  return {
    Put: {
      TableName: tableName(projectionsTable),
      Item: { pk: householdKey(owed.agencyId, owed.householdId), sk: ACKNOWLEDGEMENT_SK, acknowledgement: owed, requestedAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The acknowledgement as sent: once marked, a redelivered record sends nothing. False if it was marked already. */
export async function markAcknowledged(owed: AcknowledgementOwed, sentAt: string): Promise<boolean> {
  try {
    await dynamoDbDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(projectionsTable),
        Key: { pk: householdKey(owed.agencyId, owed.householdId), sk: ACKNOWLEDGEMENT_SK },
        UpdateExpression: 'SET sentAt = :sentAt',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(sentAt)',
        ExpressionAttributeValues: { ':sentAt': sentAt },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
