// Puts the outbox's stored events of a time window on the bus again: for what the outbox pipe
// dead-lettered (its dead letters describe stream batches, whose records the stream keeps only 24
// hours), and for an outbox stopped longer than that. The entries stay in the projections table
// (shared/store/outbox.ts), so they are read from there, by when they were stored. Putting an event
// on the bus twice is harmless: every projector records an event once, by its eventId.
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { OUTBOX_AT_ATTRIBUTE, OUTBOX_ATTRIBUTE, OUTBOX_MARKER, outboxEntry, outboxEventOf } from '../../shared/store/outbox';

export interface Window {
  from: string;
  to: string;
}

/** The stream's records are kept 24 hours: a batch the pipe gave up on was stored within this of the letter. */
const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Slack for clocks and the stream's approximate arrival times. */
const MARGIN_MS = 60 * 1000;

/**
 * The window of stored entries a pipe dead letter stands for: its batch's approximate arrival times
 * when the letter names them (`DDBStreamBatchInfo`, as Lambda's stream failures do), otherwise the
 * 24 hours before it was sent.
 */
export function windowOfDeadLetter(message: Pick<Message, 'Body' | 'Attributes'>): Window {
  const sentAt = Number(message.Attributes?.SentTimestamp ?? Date.now());
  let batch: { approximateArrivalOfFirstRecord?: unknown; approximateArrivalOfLastRecord?: unknown } | undefined;
  try {
    batch = (JSON.parse(message.Body ?? '') as { DDBStreamBatchInfo?: typeof batch }).DDBStreamBatchInfo;
  } catch {
    batch = undefined;
  }
  const first = Date.parse(String(batch?.approximateArrivalOfFirstRecord));
  const last = Date.parse(String(batch?.approximateArrivalOfLastRecord));
  const from = Number.isNaN(first) ? sentAt - STREAM_RETENTION_MS : first;
  const to = Number.isNaN(last) ? sentAt : last;
  return { from: new Date(from - MARGIN_MS).toISOString(), to: new Date(to + MARGIN_MS).toISOString() };
}

export interface RepublishOptions {
  documents: DynamoDBDocumentClient;
  eventBridge: EventBridgeClient;
  tableName: string;
  busName: string;
  log: (line: string) => void;
}

export interface RepublishReport {
  found: number;
  republished: number;
  /** Entries that do not parse as an event (reported, never published) or that PutEvents refused. */
  failed: number;
}

/** Every outbox entry stored in `window`, put on the bus in batches of 10 (PutEvents' limit). */
export async function republishWindow(window: Window, options: RepublishOptions): Promise<RepublishReport> {
  const report: RepublishReport = { found: 0, republished: 0, failed: 0 };
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    // A Scan: this is an operator's recovery, run rarely, and no index keeps the outbox by time.
    const page = await options.documents.send(
      new ScanCommand({
        TableName: options.tableName,
        FilterExpression: '#outbox = :publish AND #at BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#outbox': OUTBOX_ATTRIBUTE, '#at': OUTBOX_AT_ATTRIBUTE },
        ExpressionAttributeValues: { ':publish': OUTBOX_MARKER, ':from': window.from, ':to': window.to },
        ExclusiveStartKey,
      }),
    );
    const entries = [];
    for (const item of page.Items ?? []) {
      report.found++;
      const outcome = outboxEventOf(item);
      if (!outcome.publish) continue;
      if ('error' in outcome) {
        report.failed++;
        options.log(`skipped ${String(item.pk)} ${String(item.sk)}: ${outcome.error}`);
      } else entries.push(outboxEntry(outcome.event, options.busName));
    }
    for (let i = 0; i < entries.length; i += 10) {
      const batch = entries.slice(i, i + 10);
      const answer = await options.eventBridge.send(new PutEventsCommand({ Entries: batch }));
      const refused = answer.FailedEntryCount ?? 0;
      report.failed += refused;
      report.republished += batch.length - refused;
      (answer.Entries ?? []).forEach((entry, index) => {
        if (entry.ErrorCode) options.log(`refused ${batch[index]!.DetailType}: ${entry.ErrorCode} ${entry.ErrorMessage ?? ''}`);
      });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return report;
}

/** Each of the pipe's dead letters in turn: its window republished, then the letter deleted (kept if anything failed). */
export async function republishDeadLetters(
  options: RepublishOptions & { sqs: SQSClient; queueUrl: string },
): Promise<RepublishReport & { letters: number; kept: number }> {
  const total = { found: 0, republished: 0, failed: 0, letters: 0, kept: 0 };
  for (;;) {
    const { Messages: messages = [] } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 2,
        VisibilityTimeout: 900,
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    if (messages.length === 0) return total;
    for (const message of messages) {
      total.letters++;
      const window = windowOfDeadLetter(message);
      const report = await republishWindow(window, options);
      total.found += report.found;
      total.republished += report.republished;
      total.failed += report.failed;
      options.log(`window ${window.from} – ${window.to}: ${report.republished} event(s) put on the bus, ${report.failed} failed`);
      if (report.failed > 0) total.kept++;
      else await options.sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}
