// Integration test files call `beforeAll(useFreshTables)`: every file gets its own set of tables
// in the shared DynamoDB Local, so files never see each other's items.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../../shared/wiring/environment';
import { createTables } from '../../local/create-tables';
import { localDynamoDbClientConfig } from '../../local/dynamodb-local';

export async function useFreshTables(): Promise<void> {
  const endpoint = process.env[LOCAL_DYNAMODB_ENDPOINT_ENV];
  if (!endpoint)
    throw new Error(`${LOCAL_DYNAMODB_ENDPOINT_ENV} is not set: is jest's globalSetup (test/support/global-setup.ts) configured?`);
  const client = new DynamoDBClient(localDynamoDbClientConfig(endpoint));
  try {
    const names = await createTables(client, { prefix: `t${randomBytes(4).toString('hex')}-` });
    Object.assign(process.env, names);
  } finally {
    client.destroy();
  }
}
