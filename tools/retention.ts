// `npm run retention`: enforces the retention rule once against the local database (DATA_DIR), with
// the same handler the daily schedule runs in AWS. While `npm start` runs, its DynamoDB Local is used
// (two emulators must not open one database); otherwise one is started on DATA_DIR for the run.
import { join, resolve } from 'node:path';
import { POWERTOOLS_SERVICE_NAME_ENV, SERVICE_NAME } from '../shared/wiring/environment';
import { retentionJob } from '../shared/wiring/scheduled-jobs';
import type { RetentionReport } from '../shared/store/retention';
import { localDataDir, localPort } from '../local/settings';
import { startDynamoDbLocal, type DynamoDbLocal } from '../local/dynamodb-local';
import { LocalRuntimeError } from '../local/errors';
import { runScheduledJob } from '../local/scheduler';
import { dynamoDbLocalAnswers, useLocalDynamoDb } from './local-data';

async function main(): Promise<void> {
  const dataDir = resolve(localDataDir());
  const port = localPort('dynamoDbPort');
  const running = `http://127.0.0.1:${port}`;
  let started: DynamoDbLocal | undefined;
  try {
    let endpoint = running;
    if (await dynamoDbLocalAnswers(running)) {
      console.log(`Using the DynamoDB Local of the running stack at ${running}.`);
    } else {
      started = await startDynamoDbLocal({ port, dbPath: join(dataDir, 'dynamodb') });
      endpoint = started.endpoint;
      console.log(`Started DynamoDB Local on ${join(dataDir, 'dynamodb')} for this run.`);
    }
    process.env[POWERTOOLS_SERVICE_NAME_ENV] ||= SERVICE_NAME;
    await useLocalDynamoDb(endpoint);
    const report = (await runScheduledJob(retentionJob)) as RetentionReport;
    const { closed, resigned, orphaned } = report.erased;
    console.log(
      `Retention (${report.retentionDays} days; closures and resignations up to ${report.cutoff}): ` +
        `erased the contact details of ${closed} closed enquiries, ${resigned} resigned carers and ${orphaned} never-recorded enquiries; ` +
        `${report.contacts} were present, ${report.skipped} changed meanwhile and are left for the next run.`,
    );
  } finally {
    await started?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof LocalRuntimeError ? error.message : error);
  process.exitCode = 1;
});
