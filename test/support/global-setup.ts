// What every integration and end-to-end test file's process sees: their process.env is copied from
// ours after this runs. Each integration file gets its own DynamoDB Local
// (test/support/dynamodb-environment.ts); each end-to-end stack starts its own.
import { DYNAMODB_JAVA_OPTIONS_ENV, QUICK_START_JAVA_OPTIONS } from '../../local/settings';

export default async function globalSetup(): Promise<void> {
  // Every JVM of the run starts quickly and takes half the CPU (local/settings.ts).
  process.env[DYNAMODB_JAVA_OPTIONS_ENV] ??= QUICK_START_JAVA_OPTIONS;
  // Dummy credentials and a fixed region so no test can ever reach a real AWS account.
  process.env.AWS_REGION = 'eu-west-2';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
}
