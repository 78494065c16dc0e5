// `npm run republish-outbox -- --table <ProjectionsTableName> --queue <OutboxDeadLettersUrl> [--bus fostering]`:
// republishes what the outbox pipe dead-lettered. `--from <ISO time> --to <ISO time>` instead of
// --queue: every entry stored in that window (an outbox stopped longer than the stream keeps records).
// AWS credentials and region from the usual environment (docs/runbook.md).
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { republishDeadLetters, republishWindow } from './republish';

const usage =
  'usage: npm run republish-outbox -- --table <ProjectionsTableName> (--queue <OutboxDeadLettersUrl> | --from <ISO time> --to <ISO time>) [--bus <name>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      table: { type: 'string' },
      queue: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      bus: { type: 'string', default: EVENT_BUS_NAME },
    },
  });
  const byWindow =
    values.from !== undefined && values.to !== undefined && !Number.isNaN(Date.parse(values.from)) && !Number.isNaN(Date.parse(values.to));
  if (!values.table || (values.queue === undefined) === !byWindow) {
    console.error(usage);
    process.exitCode = 2;
    return;
  }
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 6 }));
  const eventBridge = new EventBridgeClient({ maxAttempts: 6 });
  const options = { documents, eventBridge, tableName: values.table, busName: values.bus, log: (line: string) => console.log(line) };
  if (byWindow) {
    const window = { from: new Date(values.from!).toISOString(), to: new Date(values.to!).toISOString() };
    const report = await republishWindow(window, options);
    if (report.failed > 0) process.exitCode = 1;
    console.log(
      `${report.found} outbox entr(ies) stored ${window.from} – ${window.to}: ${report.republished} put on bus ${values.bus}, ${report.failed} failed.`,
    );
  } else {
    const sqs = new SQSClient({ maxAttempts: 6 });
    const report = await republishDeadLetters({ ...options, sqs, queueUrl: values.queue! });
    if (report.kept > 0) process.exitCode = 1;
    console.log(
      `${report.letters} dead letter(s): ${report.republished} event(s) put on bus ${values.bus}; ${report.kept} letter(s) kept because something failed.`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
