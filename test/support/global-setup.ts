// Starts one in-memory DynamoDB Local for the whole jest run; each integration test file then
// creates its own tables in it (test/support/tables.ts).
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../../shared/wiring/environment';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local';
import { DYNAMODB_JAVA_OPTIONS_ENV, QUICK_START_JAVA_OPTIONS } from '../../local/settings';
import { freePort } from './free-port';

declare global {
  // Read by global-teardown.ts: jest runs both in this process, sharing globalThis.
  var dynamoDbLocal: DynamoDbLocal | undefined;
}

export default async function globalSetup(): Promise<void> {
  // Every JVM of the run, this one and those of the stacks the end-to-end tests start (they inherit our
  // environment), starts quickly and takes half the CPU (local/settings.ts).
  process.env[DYNAMODB_JAVA_OPTIONS_ENV] ??= QUICK_START_JAVA_OPTIONS;
  const local = await startDynamoDbLocal({ port: await freePort() });
  globalThis.dynamoDbLocal = local;
  // Test files see these: their process.env is copied from ours after this runs. Dummy
  // credentials and a fixed region so no test can ever reach a real AWS account.
  process.env[LOCAL_DYNAMODB_ENDPOINT_ENV] = local.endpoint;
  process.env.AWS_REGION = 'eu-west-2';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
}
