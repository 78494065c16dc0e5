// Contact details (personal data, SPEC §7) live in their own table, keyed by agency and household,
// never on the bus and never in the analytics records, so erasing them changes no metric.
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { contactsTable, tableName } from './tables';

export interface ContactDetails {
  name: string;
  email?: string;
  phone?: string;
}

export async function saveContact(agencyId: string, householdId: string, contact: ContactDetails): Promise<void> {
  await dynamoDbDocumentClient().send(new PutCommand(contactPut(agencyId, householdId, contact).Put));
}

/** The contact record as one item of a transaction: an enquiry stores it with its event, or neither. */
export function contactPut(agencyId: string, householdId: string, contact: ContactDetails) {
  return {
    Put: {
      TableName: tableName(contactsTable),
      Item: { agencyId, householdId, ...contact, recordedAt: new Date().toISOString() },
      ConditionExpression: 'attribute_not_exists(agencyId)',
    },
  };
}

export async function getContact(agencyId: string, householdId: string): Promise<ContactDetails | undefined> {
  const result = await dynamoDbDocumentClient().send(
    new GetCommand({ TableName: tableName(contactsTable), Key: { agencyId, householdId } }),
  );
  if (!result.Item) return undefined;
  const { name, email, phone } = result.Item as ContactDetails;
  return { name, email, phone };
}

/** Erasure for good: the item is deleted, not flagged. Returns whether there was anything to erase. */
export async function eraseContact(agencyId: string, householdId: string): Promise<boolean> {
  const result = await dynamoDbDocumentClient().send(
    new DeleteCommand({
      TableName: tableName(contactsTable),
      Key: { agencyId, householdId },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return result.Attributes !== undefined;
}
