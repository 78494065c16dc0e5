// Creates the tables of shared/store/tables.ts in DynamoDB Local, from the same definitions infra/
// deploys, so the local schema cannot drift from the real one.
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { tableDefinitions, type KeyAttribute, type TableDefinition } from '../shared/store/tables';

/** Creates every table that does not exist yet (a second call is a no-op) and returns
 *  envVar → table name, the name being `prefix + definition.id`. */
export async function createTables(client: DynamoDBClient, options: { prefix?: string } = {}): Promise<Record<string, string>> {
  const prefix = options.prefix ?? '';
  const names: Record<string, string> = {};
  await Promise.all(
    tableDefinitions.map(async (definition) => {
      const name = prefix + definition.id;
      const created = !(await exists(client, name)) && (await create(client, name, definition));
      // Waits for ACTIVE (immediate in DynamoDB Local; AWS needs it before UpdateTimeToLive).
      await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: name });
      if (created && definition.timeToLiveAttribute) {
        // DynamoDB Local never expires items, but records the setting as AWS would.
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
          }),
        );
      }
      names[definition.envVar] = name;
    }),
  );
  return names;
}

async function exists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/** False when another caller created it meanwhile. */
async function create(client: DynamoDBClient, name: string, definition: TableDefinition): Promise<boolean> {
  const keyAttributes = [definition.partitionKey, definition.sortKey, ...definition.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  // Indexes share attributes (every household index is keyed by the agency's shard): declare each once.
  const attributes = new Map<string, AttributeDefinition>();
  for (const key of keyAttributes) if (key) attributes.set(key.name, { AttributeName: key.name, AttributeType: key.type });

  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes.values()],
        KeySchema: keySchema(definition.partitionKey, definition.sortKey),
        GlobalSecondaryIndexes: definition.indexes.length
          ? definition.indexes.map((index) => ({
              IndexName: index.indexName,
              KeySchema: keySchema(index.partitionKey, index.sortKey),
              Projection: { ProjectionType: index.projection },
            }))
          : undefined, // an empty list is rejected
        StreamSpecification: definition.stream ? { StreamEnabled: true, StreamViewType: definition.stream } : undefined,
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return false;
    throw error;
  }
  return true;
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}
