// The contacts' search entries on DynamoDB Local: no name, email or phone readable in any key, and a
// search still finds a household by a word of the name from its start, the email and the phone.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { eraseContact, saveContact, searchContacts } from '../../shared/store/contacts';
import { contactsTable, tableName } from '../../shared/store/tables';
import { useFreshTables } from '../support/tables';

const agencyId = 'agency-search';
const zoe = { name: "Zoë O'Brien-Quarrendon", email: 'Zoe.Q@Example.org', phone: '+44 1223 400003' };

beforeAll(async () => {
  await useFreshTables();
  await saveContact(agencyId, 'h-first', zoe);
  await saveContact(agencyId, 'h-second', { name: 'Zola Budd', phone: '01223 499999' });
});

const found = async (q: string) => (await searchContacts(agencyId, q, 50)).map((m) => `${m.householdId}:${m.matched}`).sort();

test('no key of the contacts table holds a name word, an email or a phone number', async () => {
  const items = (await dynamoDbDocumentClient().send(new ScanCommand({ TableName: tableName(contactsTable) }))).Items ?? [];
  const keys = JSON.stringify(items.map((item) => [item.agencyId, item.householdId]));
  expect(items.length).toBeGreaterThan(10);
  for (const clear of ['zoe', 'quarr', 'obrien', 'zola', 'budd', 'example', '1223', '400003', '499999'])
    expect([clear, keys.toLowerCase().includes(clear)]).toEqual([clear, false]);
});

test('a word of the name from its start, any case and accents, every word narrowing', async () => {
  expect(await found('zo')).toEqual(['h-first:name', 'h-second:name']);
  expect(await found('ZOË')).toEqual(['h-first:name']);
  expect(await found('zo quarr')).toEqual(['h-first:name']);
  expect(await found('obrien')).toEqual(['h-first:name']);
  // One letter is no search: every name starting with it would be a list of the agency's contacts.
  expect(await found('z')).toEqual([]);
});

test('the whole email, any case; the whole phone, by its digits (+44 as 0)', async () => {
  expect(await found('zoe.q@example.ORG')).toEqual(['h-first:email']);
  expect(await found('zoe.q@')).toEqual([]);
  expect(await found('01223 400003')).toEqual(['h-first:phone']);
  expect(await found('01223')).toEqual([]);
});

test('erasure removes the entries with the details', async () => {
  await eraseContact(agencyId, 'h-first', { sub: 'sub-test' });
  expect(await found('zo')).toEqual(['h-second:name']);
  expect(await found('zoe.q@example.org')).toEqual([]);
});
