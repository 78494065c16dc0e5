// Contact details (personal data) in their own table, keyed by agency and household, never on the bus
// nor in the analytics records; with them a risk flag's note, and the caseload's search entries.
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { contactsTable, tableName } from './tables';
import { contactClockPut } from './retention-clocks';
import { auditPuts, ledgerPut } from './audit';
import { searchHasher, type TermHasher } from './search-hash';

export interface ContactDetails {
  name: string;
  email?: string;
  phone?: string;
  /** From the enquiry form: how and when the enquirer would like to be reached, and when they agreed to be contacted. */
  preferredContact?: { method: string; timeOfDay?: string };
  consentedAt?: string;
}

/** Sort keys of search items start with this; household ids start with a letter or digit. One item per
 *  search term, written with the details in one transaction and erased with them in another; the
 *  contact item lists its search keys, so erasure and the retention job delete them without reading a
 *  name. A term is stored as its keyed hash (search-hash.ts), never in clear. */
export const SEARCH_KEY_PREFIX = '#search#';
/** A name word is found from its start by any of its first letters, two or more. */
export const MIN_NAME_PREFIX = 2;
/** A household's search items at most: they are written in one transaction with its enquiry. */
export const MAX_SEARCH_TERMS = 60;

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

/** Every start of a word a search may type: "zoe" → ["zo", "zoe"]; a one-letter word is itself. */
const wordStarts = (word: string) =>
  word.length < MIN_NAME_PREFIX
    ? [word]
    : Array.from({ length: word.length - MIN_NAME_PREFIX + 1 }, (_, i) => word.slice(0, MIN_NAME_PREFIX + i));

/** The search terms of one household, in clear (hashed before they are stored): `x:` its key in the
 *  spreadsheet or system it came from, `e:` the email, `p:` the phone (each whole), and `n:` each start
 *  of each word of the name, up to MAX_SEARCH_TERMS in all. */
export function searchTerms(contact: ContactDetails | undefined, externalRef?: string): string[] {
  const whole = [
    ...(externalRef ? [`x:${externalRef.trim().toLowerCase()}`] : []),
    ...(contact?.email ? [`e:${contact.email.trim().toLowerCase()}`] : []),
    ...(contact?.phone
      ? phoneForms(contact.phone)
          .filter(Boolean)
          .map((p) => `p:${p}`)
      : []),
  ];
  const names = contact ? nameWords(contact.name).flatMap((word) => wordStarts(word).map((start) => `n:${start}`)) : [];
  return [...new Set([...whole, ...names])].slice(0, MAX_SEARCH_TERMS);
}

const searchKey = (hashedTerm: string, householdId: string) => `${SEARCH_KEY_PREFIX}${hashedTerm}#${householdId}`;

export async function saveContact(agencyId: string, householdId: string, contact: ContactDetails): Promise<void> {
  const hashTerm = await searchHasher();
  await dynamoDbDocumentClient().send(
    new TransactWriteCommand({ TransactItems: contactPuts(agencyId, householdId, contact, { hashTerm }) }),
  );
}

/** The keys of a household's search items, as stored. */
export function searchKeysOf(
  householdId: string,
  contact: ContactDetails | undefined,
  hashTerm: TermHasher,
  externalRef?: string,
): string[] {
  return searchTerms(contact, externalRef).map((term) => searchKey(hashTerm(term), householdId));
}

/** The contact record and its search items as items of one transaction: an enquiry stores them with
 *  its event, or none of them. Without contact details (an imported row with a key only), the record
 *  holds the search keys alone. */
export function contactPuts(
  agencyId: string,
  householdId: string,
  contact: ContactDetails | undefined,
  { hashTerm, externalRef, table: Table = tableName(contactsTable) }: { hashTerm: TermHasher; externalRef?: string; table?: string },
) {
  const searchKeys = searchKeysOf(householdId, contact, hashTerm, externalRef);
  const recordedAt = new Date().toISOString();
  return [
    {
      Put: {
        TableName: Table,
        Item: { agencyId, householdId, ...contact, searchKeys, recordedAt },
        ConditionExpression: 'attribute_not_exists(agencyId)',
      },
    },
    ...searchKeys.map((key) => ({ Put: { TableName: Table, Item: { agencyId, householdId: key, forHousehold: householdId } } })),
    contactClockPut(agencyId, householdId, recordedAt, Table),
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
 * Households whose contact matches `q`: the email (any case) when it holds an @, the phone (its digits)
 * when it is only digits and punctuation, else every word of `q` starting a word of the name (two
 * letters or more) or the whole of the key it was imported with. At most `limit` households.
 */
export async function searchContacts(
  agencyId: string,
  q: string,
  limit: number,
): Promise<Array<{ householdId: string; matched: ContactMatch }>> {
  const hash = await searchHasher();
  const text = q.trim();
  const withTerm = (term: string, cap: number) => householdsWithTerm(agencyId, hash(term), cap);
  if (text.includes('@'))
    return (await withTerm(`e:${text.toLowerCase()}`, limit)).map((householdId) => ({ householdId, matched: 'email' }));
  if (/^[+\d\s().-]+$/.test(text) && text.replace(/\D/g, '').length >= 3) {
    const ids = new Set((await Promise.all(phoneForms(text).map((p) => withTerm(`p:${p}`, limit)))).flat());
    return [...ids].slice(0, limit).map((householdId) => ({ householdId, matched: 'phone' }));
  }
  const byExternalRef = (await withTerm(`x:${text.toLowerCase()}`, limit)).map((householdId) => ({
    householdId,
    matched: 'externalRef' as const,
  }));
  const words = [...new Set(nameWords(text))].slice(0, 5);
  if (words.length === 0) return byExternalRef;
  // Each word narrows: a household matches when every word of q starts a word of its name.
  const perWord = await Promise.all(words.map((w) => withTerm(`n:${w}`, 500)));
  const [first, ...rest] = perWord.map((ids) => new Set(ids));
  const byName = [...first!]
    .filter((id) => rest.every((ids) => ids.has(id)) && !byExternalRef.some((m) => m.householdId === id))
    .map((householdId) => ({ householdId, matched: 'name' as const }));
  return [...byExternalRef, ...byName].slice(0, limit);
}

/** Households with this hashed term, in household order; reads at most `cap` items. */
async function householdsWithTerm(agencyId: string, hashedTerm: string, cap: number, ConsistentRead = false): Promise<string[]> {
  const page = await dynamoDbDocumentClient().send(
    new QueryCommand({
      TableName: tableName(contactsTable),
      KeyConditionExpression: 'agencyId = :agency AND begins_with(householdId, :prefix)',
      ExpressionAttributeValues: { ':agency': agencyId, ':prefix': searchKey(hashedTerm, '') },
      ProjectionExpression: 'forHousehold',
      Limit: cap,
      ConsistentRead,
    }),
  );
  return [...new Set((page.Items ?? []).map((item) => item.forHousehold as string))];
}

/** The email and phone terms (hashed) among a household's search keys: what a duplicate is matched by. */
export function contactTermsOf(searchKeys: readonly string[]): string[] {
  return searchKeys
    .map((key) => key.slice(SEARCH_KEY_PREFIX.length, key.lastIndexOf('#')))
    .filter((term) => term.startsWith('e:') || term.startsWith('p:'));
}

/** The other households whose stored email or phone equals one of these (hashed) terms, read
 *  consistently: a household stored a moment ago is found. */
export async function householdsSharingTerms(agencyId: string, householdId: string, hashedTerms: readonly string[]): Promise<string[]> {
  const found = await Promise.all(hashedTerms.map((term) => householdsWithTerm(agencyId, term, 100, true)));
  return [...new Set(found.flat())].filter((id) => id !== householdId);
}

/** A household's stored search keys, read consistently; undefined when it has no contact item. */
export async function storedSearchKeys(agencyId: string, householdId: string): Promise<string[] | undefined> {
  const result = await dynamoDbDocumentClient().send(
    new GetCommand({
      TableName: tableName(contactsTable),
      Key: { agencyId, householdId },
      ProjectionExpression: 'searchKeys',
      ConsistentRead: true,
    }),
  );
  return result.Item ? ((result.Item.searchKeys as string[] | undefined) ?? []) : undefined;
}

/** The contact item and its search items, as keys to delete in one transaction. */
export function contactDeletes(agencyId: string, householdId: string, searchKeys: readonly string[]) {
  const Table = tableName(contactsTable);
  return [
    { Delete: { TableName: Table, Key: { agencyId, householdId }, ConditionExpression: 'attribute_exists(householdId)' } },
    ...searchKeys.map((key) => ({ Delete: { TableName: Table, Key: { agencyId, householdId: key } } })),
  ];
}

/** Erasure for good: the details and every search item are deleted, not flagged; the erasure ledger and
 *  the access audit record it in the same transaction. Returns whether there was anything to erase. */
export async function eraseContact(agencyId: string, householdId: string, by: { sub: string; at?: string }): Promise<boolean> {
  const searchKeys = await storedSearchKeys(agencyId, householdId);
  if (!searchKeys) return false;
  const at = by.at ?? new Date().toISOString();
  try {
    await dynamoDbDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [...contactDeletes(agencyId, householdId, searchKeys), ...erasureRecords(agencyId, householdId, by.sub, at)],
      }),
    );
    return true;
  } catch (error) {
    // Erased by someone else (another request, the retention job) between the read and the delete.
    if ((error as { name?: string }).name === 'TransactionCanceledException') return false;
    throw error;
  }
}

/** What every erasure writes besides the deletes: its ledger entry and its audit entry. */
export function erasureRecords(agencyId: string, householdId: string, sub: string, at: string) {
  return [
    ledgerPut({ agencyId, householdId, erasedAt: at }),
    ...auditPuts({ at, sub, agencyId, action: 'erased', householdIds: [householdId] }),
  ];
}
