// jest's node environment, which drops the tables a test file made (useFreshTables) once the file
// has finished, after its own afterAll hooks have stopped whatever still read them. Left in the run's
// shared DynamoDB Local, every file's items and stream records stay in its one in-memory database,
// and the files that ran late ran slower (funnel-projection 43-47 s after eighteen other
// integration files, 16 s alone; 30-34 s with the tables dropped).
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import NodeEnvironment from 'jest-environment-node';
import { localDynamoDbClientConfig } from '../../local/dynamodb-local';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../../shared/wiring/environment';
import { FRESH_TABLES_GLOBAL } from './fresh-tables-global';

export default class FreshTablesEnvironment extends NodeEnvironment {
  override async teardown(): Promise<void> {
    const tables = (this.global[FRESH_TABLES_GLOBAL] as string[] | undefined) ?? [];
    const endpoint = process.env[LOCAL_DYNAMODB_ENDPOINT_ENV];
    if (endpoint && tables.length > 0) {
      const client = new DynamoDBClient(localDynamoDbClientConfig(endpoint));
      try {
        await Promise.all(tables.map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
      } finally {
        client.destroy();
      }
    }
    await super.teardown();
  }
}
