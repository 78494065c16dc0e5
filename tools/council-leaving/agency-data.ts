// Everything one agency has in the service, for a council leaving it: exported as the items are
// stored (one JSON line an item, a file a table), then deleted. The projections table keys every
// item of an agency under `HOUSEHOLD#<agency>#` or `AGENCY#<agency>#` (agency ids hold no `#`); the
// contacts table's partition key is the agency.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { BatchWriteCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { contactsTable, projectionsTable, tableName } from '../../shared/store/tables';

type Item = Record<string, unknown>;

/** Every projections item of the agency, page by page (a Scan: a one-off operator's job). */
async function* projectionItems(agencyId: string): AsyncGenerator<Item[]> {
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await dynamoDbDocumentClient().send(
      new ScanCommand({
        TableName: tableName(projectionsTable),
        FilterExpression: 'begins_with(pk, :household) OR begins_with(pk, :agency)',
        ExpressionAttributeValues: { ':household': `HOUSEHOLD#${agencyId}#`, ':agency': `AGENCY#${agencyId}#` },
        ExclusiveStartKey,
      }),
    );
    yield page.Items ?? [];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

async function* contactItems(agencyId: string): AsyncGenerator<Item[]> {
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await dynamoDbDocumentClient().send(
      new QueryCommand({
        TableName: tableName(contactsTable),
        KeyConditionExpression: 'agencyId = :agency',
        ExpressionAttributeValues: { ':agency': agencyId },
        ExclusiveStartKey,
      }),
    );
    yield page.Items ?? [];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

const sources = [
  { file: 'projections.ndjson', table: projectionsTable, items: projectionItems, key: (item: Item) => ({ pk: item.pk, sk: item.sk }) },
  {
    file: 'contacts.ndjson',
    table: contactsTable,
    items: contactItems,
    key: (item: Item) => ({ agencyId: item.agencyId, householdId: item.householdId }),
  },
];

export type AgencyDataCounts = Record<string, number>;

/** Writes the agency's items into `dir`, one file a table; answers how many each holds. */
export async function exportAgencyData(agencyId: string, dir: string): Promise<AgencyDataCounts> {
  await mkdir(dir, { recursive: true });
  const counts: AgencyDataCounts = {};
  for (const source of sources) {
    const out = createWriteStream(join(dir, source.file), { mode: 0o600 });
    counts[source.file] = 0;
    for await (const page of source.items(agencyId))
      for (const item of page) {
        if (!out.write(`${JSON.stringify(item)}\n`)) await once(out, 'drain');
        counts[source.file]!++;
      }
    out.end();
    await once(out, 'finish');
  }
  return counts;
}

/** Deletes every item of the agency; answers how many, by the same file names as the export. */
export async function deleteAgencyData(agencyId: string): Promise<AgencyDataCounts> {
  const counts: AgencyDataCounts = {};
  for (const source of sources) {
    counts[source.file] = 0;
    const TableName = tableName(source.table);
    for await (const page of source.items(agencyId))
      for (let i = 0; i < page.length; i += 25) {
        let requests: unknown[] = page.slice(i, i + 25).map((item) => ({ DeleteRequest: { Key: source.key(item) } }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          if (attempt > 10) throw new Error(`${TableName}: BatchWriteItem kept leaving deletes unprocessed`);
          const result = await dynamoDbDocumentClient().send(new BatchWriteCommand({ RequestItems: { [TableName]: requests as never } }));
          requests = result.UnprocessedItems?.[TableName] ?? [];
        }
        counts[source.file]! += Math.min(25, page.length - i);
      }
  }
  return counts;
}
