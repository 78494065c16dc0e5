// Contact details (personal data, SPEC §7) live in their own table, keyed by agency and household,
// never on the bus and never in the analytics records, so erasing them changes no metric. A manager's
// note on a resignation risk flag (free text about a carer) lives on the same item: erasure and the
// retention job delete it with the details.
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
  // An item with notes only (a carer whose details came from another system) holds no contact details.
  if (!result.Item || result.Item.name === undefined) return undefined;
  const { name, email, phone } = result.Item as ContactDetails;
  return { name, email, phone };
}

/** What a manager wrote when flagging a resignation risk; `eventId` is the flag's event. */
export interface RiskFlagNote {
  eventId: string;
  at: string;
  note: string;
}

/** Adds a note to the household's item (made if there is none), beside any contact details: a part of
 *  the flag's own transaction, so the note is stored with its event or not at all. */
export function riskFlagNoteUpdate(agencyId: string, householdId: string, note: RiskFlagNote) {
  return {
    Update: {
      TableName: tableName(contactsTable),
      Key: { agencyId, householdId },
      UpdateExpression: 'SET riskFlagNotes = list_append(if_not_exists(riskFlagNotes, :none), :note)',
      ExpressionAttributeValues: { ':none': [], ':note': [note] },
    },
  };
}

export async function getRiskFlagNotes(agencyId: string, householdId: string): Promise<RiskFlagNote[]> {
  const result = await dynamoDbDocumentClient().send(
    new GetCommand({
      TableName: tableName(contactsTable),
      Key: { agencyId, householdId },
      ProjectionExpression: 'riskFlagNotes',
    }),
  );
  return (result.Item?.riskFlagNotes as RiskFlagNote[] | undefined) ?? [];
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
