// `npm run retention [-- --write-clocks]`: enforces the retention rule once against the local database (DATA_DIR), with
// the same handler the daily schedule runs in AWS. While `npm start` runs, its DynamoDB Local is used
// (two emulators must not open one database); otherwise one is started on DATA_DIR for the run.
import { join, resolve } from 'node:path';
import { POWERTOOLS_SERVICE_NAME_ENV, SERVICE_NAME } from '../shared/wiring/environment';
import { retentionJob } from '../shared/wiring/scheduled-jobs';
import { writeMissingClocks, type RetentionReport } from '../shared/store/retention';
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
    if (process.argv.includes('--write-clocks')) {
      // Once, for a database with records from before the retention clocks: a scan of both tables.
      const backfill = await writeMissingClocks();
      console.log(`Retention clocks: read ${backfill.read} households and contact details, wrote ${backfill.written} clocks.`);
    }
    const report = (await runScheduledJob(retentionJob)) as RetentionReport;
    const { enquiry, applicant, carer, unrecorded } = report.erased;
    console.log(
      `Retention: erased the contact details of ${enquiry} closed enquiries, ${applicant} applicants who withdrew or were refused, ` +
        `${carer} carers whose approval ended and ${unrecorded} never-recorded enquiries; ` +
        `${report.erasedAgain} erased again from the erasure ledger; ${report.clocks.judged} clocks judged ` +
        `(${report.clocks.putOff} put off to their agency's date, ${report.clocks.dropped} no longer running), ` +
        `${report.skipped} changed meanwhile${report.more ? '; more are due: run again' : ''}.`,
    );
  } finally {
    await started?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof LocalRuntimeError ? error.message : error);
  process.exitCode = 1;
});
