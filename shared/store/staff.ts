// The staff directory: who each token's `sub` is, by the display name its sign-in carried, so that a
// timeline says "recorded by Jo Bloggs". Kept in the store (never on the bus: events carry the sub
// alone), written when a member of staff records something under a name not seen before.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { getAll } from './query-pages';
import { projectionsTable, tableName } from './tables';

const staffKey = (agencyId: string, subject: string) => ({ pk: `AGENCY#${agencyId}#STAFF`, sk: subject });
/** What this container has written already: a name changes rarely, so it is written once. */
const remembered = new Map<string, string>();

export async function rememberStaffName(agencyId: string, subject: string, name: string): Promise<void> {
  const key = `${agencyId}\n${subject}`;
  if (remembered.get(key) === name) return;
  await dynamoDbDocumentClient().send(
    new PutCommand({
      TableName: tableName(projectionsTable),
      Item: { ...staffKey(agencyId, subject), name, seenAt: new Date().toISOString() },
    }),
  );
  remembered.set(key, name);
}

/** The display names of these subs in the agency's directory (those never seen are left out). */
export async function staffNames(agencyId: string, subjects: readonly string[]): Promise<Map<string, string>> {
  const items = await getAll(
    tableName(projectionsTable),
    [...new Set(subjects)].map((subject) => staffKey(agencyId, subject)),
    undefined,
    { projection: 'pk, sk, #name', names: { '#name': 'name' } },
  );
  return new Map(items.map((item) => [item.sk as string, item.name as string]));
}
