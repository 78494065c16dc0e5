// Contact details (personal data) in their own table, keyed by agency and household, never on the bus
// nor in the analytics records; with them a risk flag's note, and the caseload's search entries.
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { contactsTable, tableName } from './tables';

export interface ContactDetails {
  name: string;
  email?: string;
  phone?: string;
  /** From the enquiry form: how and when the enquirer would like to be reached, and when they agreed to be contacted. */
  preferredContact?: { method: string; timeOfDay?: string };
  consentedAt?: string;
}

/** Sort keys of search items start with this; household ids start with a letter or digit. One item per
 *  searchable word of the name, the email and the phone, written with the details in one transaction
 *  and erased with them in another; the contact item lists its search keys, so erasure and the
 *  retention job delete them without reading a name. */
export const SEARCH_KEY_PREFIX = '#search#';
const MAX_NAME_WORDS = 12;

/** Lower case, accents and apostrophes gone: "Zoë O'Brien-Smith" → ["zoe", "obrien", "smith"]. */
export function nameWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/['’]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Digits only; a UK number given with +44 is also found by its 0… form. */
export function phoneForms(text: string): string[] {
  const digits = text.replace(/\D/g, '');
  return digits.startsWith('44') && digits.length > 10 ? [digits, `0${digits.slice(2)}`] : [digits];
}

/** The search terms of one household: `n:` a word of the name, `e:` the email, `p:` the phone, `x:`
 *  its key in the spreadsheet or system it came from. */
export function searchTerms(contact: ContactDetails | undefined, externalRef?: string): string[] {
  if (!contact) return externalRef ? [`x:${externalRef.trim().toLowerCase()}`] : [];
  return [
    ...new Set([
      ...(externalRef ? [`x:${externalRef.trim().toLowerCase()}`] : []),
      ...nameWords(contact.name)
        .slice(0, MAX_NAME_WORDS)
        .map((w) => `n:${w}`),
      ...(contact.email ? [`e:${contact.email.trim().toLowerCase()}`] : []),
      ...(contact.phone
        ? phoneForms(contact.phone)
            .filter(Boolean)
            .map((p) => `p:${p}`)
        : []),
    ]),
  ];
}

const searchKey = (term: string, householdId: string) => `${SEARCH_KEY_PREFIX}${term}#${householdId}`;

export async function saveContact(agencyId: string, householdId: string, contact: ContactDetails): Promise<void> {
  await dynamoDbDocumentClient().send(new TransactWriteCommand({ TransactItems: contactPuts(agencyId, householdId, contact) }));
}

/** The contact record and its search items as items of one transaction: an enquiry stores them with
 *  its event, or none of them. Without contact details (an imported row with a key only), the record
 *  holds the search keys alone. */
export function contactPuts(
  agencyId: string,
  householdId: string,
  contact: ContactDetails | undefined,
  externalRef?: string,
  Table = tableName(contactsTable),
) {
  const searchKeys = searchTerms(contact, externalRef).map((term) => searchKey(term, householdId));
  return [
    {
      Put: {
        TableName: Table,
        Item: { agencyId, householdId, ...contact, searchKeys, recordedAt: new Date().toISOString() },
        ConditionExpression: 'attribute_not_exists(agencyId)',
      },
    },
    ...searchKeys.map((key) => ({ Put: { TableName: Table, Item: { agencyId, householdId: key, forHousehold: householdId } } })),
  ];
}

export async function getContact(agencyId: string, householdId: string): Promise<ContactDetails | undefined> {
  const result = await dynamoDbDocumentClient().send(
    new GetCommand({ TableName: tableName(contactsTable), Key: { agencyId, householdId } }),
  );
  // An item with notes only (a carer whose details came from another system) holds no contact details.
  if (!result.Item || result.Item.name === undefined) return undefined;
  const { name, email, phone, preferredContact, consentedAt } = result.Item as ContactDetails;
  return { name, email, phone, ...(preferredContact ? { preferredContact } : {}), ...(consentedAt ? { consentedAt } : {}) };
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

/** The names of several households (for recruitment's lists), by household id. */
export async function getNames(agencyId: string, householdIds: readonly string[]): Promise<Map<string, string>> {
  const Table = tableName(contactsTable);
  const names = new Map<string, string>();
  for (let i = 0; i < householdIds.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = [...new Set(householdIds.slice(i, i + 100))].map((householdId) => ({
      agencyId,
      householdId,
    }));
    while (keys && keys.length > 0) {
      const page: BatchGetCommandOutput = await dynamoDbDocumentClient().send(
        new BatchGetCommand({
          RequestItems: {
            [Table]: { Keys: keys, ProjectionExpression: 'householdId, #name', ExpressionAttributeNames: { '#name': 'name' } },
          },
        }),
      );
      for (const item of page.Responses?.[Table] ?? []) names.set(item.householdId as string, item.name as string);
      keys = page.UnprocessedKeys?.[Table]?.Keys;
    }
  }
  return names;
}

export type ContactMatch = 'name' | 'email' | 'phone' | 'externalRef';

/**
 * Households whose contact matches `q`: an email (case-insensitive, from its start) when it holds
 * an @, a phone (its digits, from the start) when it is only digits and punctuation, else every word
 * of `q` starting a word of the name. At most `limit` households.
 */
export async function searchContacts(
  agencyId: string,
  q: string,
  limit: number,
): Promise<Array<{ householdId: string; matched: ContactMatch }>> {
  const text = q.trim();
  if (text.includes('@'))
    return (await householdsWithTerm(agencyId, `e:${text.toLowerCase()}`, limit)).map((householdId) => ({ householdId, matched: 'email' }));
  if (/^[+\d\s().-]+$/.test(text) && text.replace(/\D/g, '').length >= 3) {
    const ids = new Set((await Promise.all(phoneForms(text).map((p) => householdsWithTerm(agencyId, `p:${p}`, limit)))).flat());
    return [...ids].slice(0, limit).map((householdId) => ({ householdId, matched: 'phone' }));
  }
  const byExternalRef = (await householdsWithTerm(agencyId, `x:${text.toLowerCase()}`, limit)).map((householdId) => ({
    householdId,
    matched: 'externalRef' as const,
  }));
  const words = [...new Set(nameWords(text))].slice(0, 5);
  if (words.length === 0) return byExternalRef;
  // Each word narrows: a household matches when every word of q starts a word of its name.
  const perWord = await Promise.all(words.map((w) => householdsWithTerm(agencyId, `n:${w}`, 500)));
  const [first, ...rest] = perWord.map((ids) => new Set(ids));
  const byName = [...first!]
    .filter((id) => rest.every((ids) => ids.has(id)) && !byExternalRef.some((m) => m.householdId === id))
    .map((householdId) => ({ householdId, matched: 'name' as const }));
  return [...byExternalRef, ...byName].slice(0, limit);
}

/** Households with a search term starting with `prefix`, in term order; reads at most `cap` items. */
async function householdsWithTerm(agencyId: string, prefix: string, cap: number): Promise<string[]> {
  const page = await dynamoDbDocumentClient().send(
    new QueryCommand({
      TableName: tableName(contactsTable),
      KeyConditionExpression: 'agencyId = :agency AND begins_with(householdId, :prefix)',
      ExpressionAttributeValues: { ':agency': agencyId, ':prefix': `${SEARCH_KEY_PREFIX}${prefix}` },
      ProjectionExpression: 'forHousehold',
      Limit: cap,
    }),
  );
  return [...new Set((page.Items ?? []).map((item) => item.forHousehold as string))];
}

/** The contact item and its search items, as keys to delete in one transaction. */
export function contactDeletes(agencyId: string, householdId: string, searchKeys: readonly string[]) {
  const Table = tableName(contactsTable);
  return [
    { Delete: { TableName: Table, Key: { agencyId, householdId }, ConditionExpression: 'attribute_exists(householdId)' } },
    ...searchKeys.map((key) => ({ Delete: { TableName: Table, Key: { agencyId, householdId: key } } })),
  ];
}

/** Erasure for good: the details and every search item are deleted, not flagged. Returns whether
 *  there was anything to erase. */
export async function eraseContact(agencyId: string, householdId: string): Promise<boolean> {
  const current = await dynamoDbDocumentClient().send(
    new GetCommand({
      TableName: tableName(contactsTable),
      Key: { agencyId, householdId },
      ProjectionExpression: 'searchKeys',
      ConsistentRead: true,
    }),
  );
  if (!current.Item) return false;
  try {
    await dynamoDbDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: contactDeletes(agencyId, householdId, (current.Item.searchKeys as string[] | undefined) ?? []),
      }),
    );
    return true;
  } catch (error) {
    // Erased by someone else (another request, the retention job) between the read and the delete.
    if ((error as { name?: string }).name === 'TransactionCanceledException') return false;
    throw error;
  }
}
