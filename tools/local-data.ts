// Where the local runs keep their data: `npm start` in DATA_DIR (default `.local`), `npm run demo`
// in the `demo` folder inside it (wiped at each demo). The dead-letter tools look in both.
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../shared/wiring/environment';
import { createTables } from '../local/create-tables';
import { localDynamoDbClientConfig } from '../local/dynamodb-local';
import { LOCAL_REGION } from '../local/main';
import { localDataDir } from '../local/settings';

export const demoDataDir = (dataDir: string = localDataDir()): string => join(dataDir, 'demo');

/** The data folders a dead letter may be in: DATA_DIR's own, then the demo's (once each). */
export function localDataDirs(dataDir: string = localDataDir()): Array<{ dir: string; what: string }> {
  const dirs = [
    { dir: dataDir, what: 'npm start' },
    { dir: demoDataDir(dataDir), what: 'npm run demo' },
  ];
  return dirs.filter((d, i) => dirs.findIndex((o) => resolve(o.dir) === resolve(d.dir)) === i);
}

/** Whether a DynamoDB Local answers at `endpoint` (`npm start`'s, while it runs). */
export async function dynamoDbLocalAnswers(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({ ...localDynamoDbClientConfig(endpoint), maxAttempts: 1 });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** Points this process's store code at the DynamoDB Local at `endpoint`, as the runtime does: its
 *  region and dummy credentials, and the tables (created if missing) named in their env vars. */
export async function useLocalDynamoDb(endpoint: string): Promise<void> {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    [LOCAL_DYNAMODB_ENDPOINT_ENV]: endpoint,
  });
  const client = new DynamoDBClient(localDynamoDbClientConfig(endpoint));
  try {
    Object.assign(process.env, await createTables(client));
  } finally {
    client.destroy();
  }
}
