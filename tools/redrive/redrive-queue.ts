// The AWS redrive: reads a route's dead-letter queue and puts each original event back on the bus.
// Every rule matching it receives it again, not only the one that failed: harmless, since every
// projector de-duplicates by detail.eventId. A message is deleted only after PutEvents accepted its
// event; anything else stays in the queue (visible again after the visibility timeout) and is reported.
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { parseDeadLetterMessage, putEventsEntryFor, type ParsedDeadLetter } from './queue-messages';

export interface QueueRedriveOptions {
  sqs: SQSClient;
  eventBridge: EventBridgeClient;
  queueUrl: string;
  busName: string;
  log: (line: string) => void;
  /** How long a received message stays hidden from other readers while this run handles it. */
  visibilityTimeoutSeconds?: number;
}

export interface QueueRedriveReport {
  received: number;
  republished: number;
  /** Left in the queue: unreadable, refused by PutEvents, or failed again since this run began. */
  left: number;
}

const BATCH = 10; // SQS ReceiveMessage and EventBridge PutEvents both take at most 10

export async function redriveQueue(options: QueueRedriveOptions): Promise<QueueRedriveReport> {
  const { sqs, queueUrl } = options;
  const report: QueueRedriveReport = { received: 0, republished: 0, left: 0 };
  const startedAt = Date.now();
  for (;;) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: BATCH,
        WaitTimeSeconds: 2, // long polling asks every SQS server, so an empty answer means an empty queue
        VisibilityTimeout: options.visibilityTimeoutSeconds ?? 300,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    if (messages.length === 0) return report;
    report.received += messages.length;
    const outcome = await republish(messages, startedAt, options);
    report.republished += outcome.republished;
    report.left += messages.length - outcome.republished;
  }
}

async function republish(messages: Message[], startedAt: number, options: QueueRedriveOptions): Promise<{ republished: number }> {
  const { log } = options;
  const ready: Array<{ message: Message; letter: Extract<ParsedDeadLetter, { ok: true }> }> = [];
  for (const message of messages) {
    const letter = parseDeadLetterMessage(message);
    if (!letter.ok) {
      log(`left    message ${message.MessageId}: ${letter.problem}`);
    } else if (Number(message.Attributes?.SentTimestamp ?? 0) >= startedAt) {
      // Failed again after this run put it back: the cause is not fixed yet.
      log(`left    message ${message.MessageId}: ${letter.event['detail-type']} failed again during this run (${letter.reason})`);
    } else {
      ready.push({ message, letter });
    }
  }
  if (ready.length === 0) return { republished: 0 };

  const { Entries: results = [] } = await options.eventBridge.send(
    new PutEventsCommand({
      Entries: ready.map(({ letter }) => putEventsEntryFor(letter.event, options.busName)),
    }),
  );
  const accepted: Message[] = [];
  ready.forEach(({ message, letter }, i) => {
    const result = results[i];
    const eventId = (letter.event.detail as { eventId?: unknown } | undefined)?.eventId;
    if (result?.EventId) {
      accepted.push(message);
      log(`re-put  ${letter.event['detail-type']} ${String(eventId)} (${letter.writer}; it had failed with ${letter.reason})`);
    } else {
      log(
        `left    message ${message.MessageId}: PutEvents refused it (${result?.ErrorCode ?? 'no result'}: ${result?.ErrorMessage ?? ''})`,
      );
    }
  });
  if (accepted.length === 0) return { republished: 0 };

  const deleted = await options.sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: options.queueUrl,
      Entries: accepted.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
    }),
  );
  for (const failure of deleted.Failed ?? []) {
    // Re-put but still queued: a later run re-puts it again, which projectors de-duplicate.
    log(`warning message ${accepted[Number(failure.Id)]?.MessageId} was re-put but not deleted: ${failure.Code} ${failure.Message ?? ''}`);
  }
  return { republished: accepted.length };
}
