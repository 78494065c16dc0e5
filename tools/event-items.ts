// `npm run event-items -- --aws --dead-letters <queue url>`: writes again the events' own items of
// the stream batches the keeper gave up on (docs/deploy.md). The keeper (infra/conversion-counts.ts)
// writes each event's item from the state item that carries it (shared/store/event-archive.ts); a
// batch it keeps failing for a day goes to its dead-letter queue as a pointer (Lambda's on-failure
// record: the shard and the first and last sequence numbers), not as the records. The stream keeps
// them 24 hours: this reads each pointed-at range from the stream and writes its events' items, with
// the keeper's own code. The messages are left in the queue: the batch's conversion counts still need
// `npm run conversion-counts` (then purge the queue). Locally there is nothing to do: the relay of
// `npm start` never gives up on a batch (it reads again from its checkpoint).
import { parseArgs } from 'node:util';
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { archiveFoldedEvents } from '../shared/store/event-archive';
import { projectionsTable } from '../shared/store/tables';
import { LocalRuntimeError } from '../local/errors';

/** What Lambda's on-failure record says of a DynamoDB stream batch it discarded. */
const StreamBatchPointerSchema = z.object({
  DDBStreamBatchInfo: z.object({
    streamArn: z.string(),
    shardId: z.string(),
    startSequenceNumber: z.string(),
    endSequenceNumber: z.string(),
  }),
});
export type StreamBatchRange = z.infer<typeof StreamBatchPointerSchema>['DDBStreamBatchInfo'];

/** The range of stream records a dead-letter message points at, or why it points at none. */
export function streamRangeOf(message: Pick<Message, 'Body'>): { range: StreamBatchRange } | { problem: string } {
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? '');
  } catch {
    return { problem: 'the body is not JSON' };
  }
  const parsed = StreamBatchPointerSchema.safeParse(body);
  return parsed.success
    ? { range: parsed.data.DDBStreamBatchInfo }
    : { problem: 'not a DynamoDB stream batch record (no DDBStreamBatchInfo)' };
}

/** Reads the records of `range` from the stream (while it still holds them) and writes the items of
 *  the events their state items carry. Returns the records read and the items written. */
export async function archiveStreamRange(
  streams: DynamoDBStreamsClient,
  range: StreamBatchRange,
): Promise<{ records: number; items: number }> {
  const last = BigInt(range.endSequenceNumber);
  let iterator = (
    await streams.send(
      new GetShardIteratorCommand({
        StreamArn: range.streamArn,
        ShardId: range.shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: range.startSequenceNumber,
      }),
    )
  ).ShardIterator;
  const records: _Record[] = [];
  const sequenceOf = (record: _Record) => BigInt(record.dynamodb!.SequenceNumber!);
  // A page may come back empty before the range's last record (a stream's pages need not be full).
  for (let emptyPages = 0; iterator && emptyPages < 5;) {
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    const read = page.Records ?? [];
    records.push(...read.filter((r) => sequenceOf(r) <= last));
    if (read.some((r) => sequenceOf(r) >= last)) break;
    emptyPages = read.length === 0 ? emptyPages + 1 : 0;
    iterator = page.NextShardIterator;
  }
  return { records: records.length, items: await archiveFoldedEvents(records) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { aws: { type: 'boolean', default: false }, 'dead-letters': { type: 'string' } } });
  if (!values.aws) {
    throw new LocalRuntimeError(
      'nothing to do locally: the relay of `npm start` never gives up on a batch. In AWS: npm run event-items -- --aws --dead-letters <queue url>',
    );
  }
  const queueUrl = values['dead-letters'];
  if (!queueUrl) throw new LocalRuntimeError("--aws needs --dead-letters <queue url>: the keeper's dead-letter queue (the stack's output)");
  if (!process.env[projectionsTable.envVar])
    throw new LocalRuntimeError(`--aws needs ${projectionsTable.envVar}: the deployed table's name`);
  const sqs = new SQSClient({});
  const streams = new DynamoDBStreamsClient({});
  const seen = new Set<string>();
  for (;;) {
    // Received, not deleted: each message comes back after the visibility timeout, for the counts' rebuild.
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300, WaitTimeSeconds: 1 }),
    );
    const fresh = Messages.filter((m) => !seen.has(m.MessageId!));
    if (fresh.length === 0) break;
    for (const message of fresh) {
      seen.add(message.MessageId!);
      const pointed = streamRangeOf(message);
      if ('problem' in pointed) {
        console.log(`message ${message.MessageId}: left alone, ${pointed.problem}`);
        continue;
      }
      const { records, items } = await archiveStreamRange(streams, pointed.range);
      console.log(
        `message ${message.MessageId}: ${records} stream record(s) read, ${items} event item(s) written (shard ${pointed.range.shardId})`,
      );
    }
  }
  console.log(`${seen.size} message(s) read; they stay in the queue until the conversion counts are rebuilt (docs/deploy.md).`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof LocalRuntimeError ? error.message : error);
    process.exit(1);
  });
}
