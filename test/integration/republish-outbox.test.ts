// `npm run republish-outbox`: what the outbox pipe dead-lettered (or an outbox stopped longer than the
// stream keeps records) is put on the bus again from the entries kept in the projections table.
// DynamoDB Local is real; SQS and the bus are stand-ins recording what they are asked (they cannot run here).
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { appendHouseholdEvent } from '../../shared/store/households';
import { projectionsTable, tableName } from '../../shared/store/tables';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { republishDeadLetters, republishWindow, windowOfDeadLetter } from '../../tools/republish-outbox/republish';
import { enquiry, initialVisit } from '../support/funnel-events';
import { useFreshTables } from '../support/tables';

const inAgency = (event: HouseholdEvent) => ({ ...event, detail: { ...event.detail, agencyId: 'republish' } }) as HouseholdEvent;
const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

/** A bus that records every entry put on it. */
function recordingBus() {
  const entries: PutEventsRequestEntry[] = [];
  const client = {
    send: async (command: PutEventsCommand) => {
      entries.push(...(command.input.Entries ?? []));
      return { FailedEntryCount: 0, Entries: (command.input.Entries ?? []).map((_, i) => ({ EventId: `bus-${entries.length}-${i}` })) };
    },
  } as unknown as EventBridgeClient;
  return { client, entries };
}

/** A queue holding the given letters until they are deleted. */
function queueOf(letters: Message[]) {
  const held = [...letters];
  const deleted: string[] = [];
  const client = {
    send: async (command: ReceiveMessageCommand | DeleteMessageCommand) => {
      if (command instanceof ReceiveMessageCommand) return { Messages: held.splice(0, 10).map((m) => ({ ...m })) };
      deleted.push(String(command.input.ReceiptHandle));
      return {};
    },
  } as unknown as SQSClient;
  return { client, deleted };
}

const options = (eventBridge: EventBridgeClient) => ({
  documents: dynamoDbDocumentClient(),
  eventBridge,
  tableName: tableName(projectionsTable),
  busName: 'fostering',
  log: () => undefined,
});

let before = '';
let between = '';
let after = '';
const firstTwo = [inAgency(enquiry('o1', '2026-11-02', { reference: 'R-1' })), inAgency(enquiry('o2', '2026-11-02', { reference: 'R-2' }))];
const later = inAgency(initialVisit('o1', '2026-11-09'));
const fromTheBus = inAgency(enquiry('o3', '2026-11-02', { reference: 'R-3' }));

beforeAll(async () => {
  await useFreshTables();
  before = new Date().toISOString();
  // Stored by commands: each an outbox entry.
  for (const event of firstTwo) await appendHouseholdEvent(event, { publish: true });
  // Stored by a projector from the bus: no outbox entry, never put on the bus again.
  await appendHouseholdEvent(fromTheBus);
  await pause();
  between = new Date().toISOString();
  await pause();
  await appendHouseholdEvent(later, { publish: true });
  after = new Date().toISOString();
});

it('puts on the bus exactly the outbox entries stored in the window, each as the outbox first put it', async () => {
  const bus = recordingBus();
  const report = await republishWindow({ from: before, to: between }, options(bus.client));
  expect(report).toMatchObject({ republished: 2, failed: 0 });
  // In the table's order (a Scan's): the projectors take a household's events in any order.
  const byDetail = (a: PutEventsRequestEntry, b: PutEventsRequestEntry) => a.Detail!.localeCompare(b.Detail!);
  expect([...bus.entries].sort(byDetail)).toEqual(
    firstTwo
      .map((event) => ({
        EventBusName: 'fostering',
        Source: expect.any(String),
        DetailType: 'EnquiryReceived',
        Detail: JSON.stringify(event.detail),
      }))
      .sort(byDetail),
  );
  const all = recordingBus();
  await republishWindow({ from: before, to: after }, options(all.client));
  expect(all.entries.map((entry) => JSON.parse(entry.Detail!).householdId).sort()).toEqual(['o1', 'o1', 'o2']);
});

it("takes a pipe dead letter's window from its batch's arrival times, and deletes the letter once its events are on the bus", async () => {
  const letter: Message = {
    MessageId: 'm-1',
    ReceiptHandle: 'receipt-1',
    Attributes: { SentTimestamp: String(Date.now()) },
    Body: JSON.stringify({
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: 'shard-1',
        approximateArrivalOfFirstRecord: before,
        approximateArrivalOfLastRecord: after,
        batchSize: 3,
      },
    }),
  };
  const window = windowOfDeadLetter(letter);
  expect(Date.parse(window.from)).toBe(Date.parse(before) - 60_000);
  expect(Date.parse(window.to)).toBe(Date.parse(after) + 60_000);
  const bus = recordingBus();
  const queue = queueOf([letter]);
  const report = await republishDeadLetters({
    ...options(bus.client),
    sqs: queue.client,
    queueUrl: 'https://sqs.eu-west-2.amazonaws.com/1/outbox-dlq',
  });
  expect(report).toMatchObject({ letters: 1, republished: 3, failed: 0, kept: 0 });
  expect(queue.deleted).toEqual(['receipt-1']);
});

it('reads a letter without batch times as the 24 hours before it was sent', () => {
  const sentAt = Date.parse('2026-12-07T10:00:00.000Z');
  expect(windowOfDeadLetter({ Body: '{}', Attributes: { SentTimestamp: String(sentAt) } })).toEqual({
    from: '2026-12-06T09:59:00.000Z',
    to: '2026-12-07T10:01:00.000Z',
  });
});
