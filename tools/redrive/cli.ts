// `npm run redrive [-- --json]`: the running `npm start` delivers the local dead letters again.
// `npm run redrive -- --aws --queue <dead-letter-queue-url> [--bus fostering]`: the same for AWS.
import { parseArgs } from 'node:util';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { RedriveReport } from '../../local/dead-letters/redrive';
import { DeadLetterStore } from '../../local/dead-letters/store';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { localPort } from '../../local/settings';
import { localDataDirs } from '../local-data';
import { redriveQueue } from './redrive-queue';

const usage = 'usage: npm run redrive [-- --json]   |   npm run redrive -- --aws --queue <dead-letter-queue-url> [--bus <name>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      aws: { type: 'boolean', default: false },
      queue: { type: 'string' },
      bus: { type: 'string', default: EVENT_BUS_NAME },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.aws !== (values.queue !== undefined)) {
    console.error(`${values.aws ? '--aws needs --queue <url>' : '--queue is for --aws'}\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (values.aws) await redriveAws(values.queue!, values.bus);
  else await redriveLocal(values.json);
}

async function redriveLocal(asJson: boolean): Promise<void> {
  const url = `http://127.0.0.1:${localPort('port')}/_local/dead-letters/redrive`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST' });
  } catch {
    throw new Error(`the local stack does not answer on ${url}: start it with \`npm start\` (same PORT and DATA_DIR) and run this again`);
  }
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  const report = (await response.json()) as RedriveReport;
  if (asJson) {
    console.log(JSON.stringify(report));
    return;
  }
  for (const entry of report.entries) {
    const what = `${entry.route}  ${entry.detailType}  ${entry.eventId ?? '(no eventId)'}`;
    console.log(entry.outcome === 'delivered' ? `delivered     ${what}` : `failed again  ${what}: ${entry.reason}`);
  }
  if (report.tried === 0) {
    console.log('No dead letters to redrive in the running stack.');
    // The stack on PORT redrives only its own: say where others are waiting, and how to reach them.
    for (const { dir, what } of localDataDirs()) {
      const waiting = (await new DeadLetterStore(dir).list()).length;
      if (waiting > 0)
        console.log(
          `${waiting} dead letter(s) wait in ${dir} (${what}): run npm run redrive while ${what === 'npm run demo' ? 'the demo' : `DATA_DIR=${dir} npm start`} is running on this PORT.`,
        );
    }
    return;
  }
  console.log(
    `\nRedrove ${report.tried} dead letter(s): ${report.delivered} delivered and removed, ${report.failedAgain} failed again and kept with the new reason (npm run dead-letters).`,
  );
}

async function redriveAws(queueUrl: string, busName: string): Promise<void> {
  // The queue URL names its region (https://sqs.<region>.amazonaws.com/<account>/<name>).
  const region = process.env.AWS_REGION || /^https:\/\/sqs\.([a-z0-9-]+)\./.exec(queueUrl)?.[1];
  const sqs = new SQSClient({ region, maxAttempts: 6 });
  const eventBridge = new EventBridgeClient({ region, maxAttempts: 6 });
  try {
    const report = await redriveQueue({ sqs, eventBridge, queueUrl, busName, log: (line) => console.log(line) });
    console.log(
      report.received === 0
        ? `No messages in ${queueUrl}.`
        : `\n${report.received} message(s) read from ${queueUrl}: ${report.republished} re-put on bus ${busName} and deleted, ${report.left} left in the queue.`,
    );
  } finally {
    sqs.destroy();
    eventBridge.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
