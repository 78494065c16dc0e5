// The local bus as a publisher sees it (the unmodified SDK client over HTTP) and as a projector sees
// it (the envelope it is handed), routed by the real eventRoutes to injected fake handlers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { EVENT_SOURCE } from '../../shared/events/catalogue';
import { DeadLetterStore } from '../../local/dead-letters/store';
import { startLocalEventBus, type BusEvent, type LocalEventBus } from '../../local/event-bus';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { busEventIn } from '../support/bus-input';

interface Call {
  entry: string;
  event: BusEvent;
  context: Context;
  input: unknown;
}

let dataDir: string;
let deadLetters: DeadLetterStore;
let bus: LocalEventBus;
let client: EventBridgeClient;
let calls: Call[];
/** Lets a test hold a handler until it says so: every one, or those of one household. */
let gate: Promise<void>;
let holds: Map<string, Promise<void>>;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-bus-'));
  deadLetters = new DeadLetterStore(dataDir);
  calls = [];
  gate = Promise.resolve();
  holds = new Map();
  bus = await startLocalEventBus({
    port: 0,
    deadLetters,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    log: () => undefined,
    loadHandler: (entry) => async (input, context) => {
      const event = busEventIn(input);
      calls.push({ entry, event, context, input });
      await (holds.get((event.detail as { householdId?: string }).householdId ?? '') ?? gate);
      if (entry === 'projectors/unknown-event') throw new Error(`no projector knows ${event['detail-type']}`);
      return { ok: true };
    },
  });
  client = new EventBridgeClient({
    endpoint: bus.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterEach(async () => {
  client.destroy();
  await bus.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const detail = { eventId: 'e-1', agencyId: 'agency-1', occurredAt: '2025-01-06T09:00:00.000Z' };
const entry = (detailType: string, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: EVENT_SOURCE,
  DetailType: detailType,
  Detail: JSON.stringify({ ...detail, householdId: 'h-1', channel: 'website' }),
  EventBusName: EVENT_BUS_NAME,
  ...extra,
});
const handlersFor = (eventId: string | undefined): string[] =>
  calls
    .filter((call) => call.event.id === eventId)
    .map((call) => call.context.functionName)
    .sort();

test('takes PutEvents from the unmodified SDK client and hands projectors the full envelope', async () => {
  const time = new Date('2025-01-06T09:00:00.250Z');
  const answer = await client.send(new PutEventsCommand({ Entries: [entry('EnquiryReceived', { Time: time, Resources: ['arn:x'] })] }));

  expect(answer.FailedEntryCount).toBe(0);
  const eventId = answer.Entries?.[0]?.EventId;
  expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
  await bus.whenIdle();

  expect(calls).toHaveLength(1);
  const [call] = calls;
  expect(call?.entry).toBe('projectors/household');
  // The household projector reads an SQS FIFO queue in AWS: the same batch shape, grouped by agency and household.
  expect(call?.input).toMatchObject({
    Records: [{ eventSource: 'aws:sqs', attributes: { MessageGroupId: 'agency-1#h-1', MessageDeduplicationId: eventId } }],
  });
  // toEqual: the bus clones the event per route with structuredClone, whose objects come from
  // Node's realm, not the test's, so toStrictEqual would see different prototypes.
  expect(call?.event).toEqual({
    version: '0',
    id: eventId,
    'detail-type': 'EnquiryReceived',
    source: EVENT_SOURCE,
    account: '000000000000',
    time: '2025-01-06T09:00:00Z',
    region: 'eu-west-2',
    resources: ['arn:x'],
    detail: { ...detail, householdId: 'h-1', channel: 'website' },
  });
  expect(call?.context.functionName).toBe('HouseholdProjector');
  expect(call?.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(call?.context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  expect(bus.counts()).toMatchObject({ delivered: 1, failed: 0, deadLettered: 0, pending: 0 });
});

test('routes each event to the matching routes only', async () => {
  const answer = await client.send(
    new PutEventsCommand({
      Entries: [
        entry('EnquiryReceived'),
        entry('CampaignLaunched'),
        entry('ChildrenInCareRecorded'),
        entry('EnquiryReceived', { Source: 'someone.else' }),
      ],
    }),
  );
  await bus.whenIdle();

  const [enquiry, campaign, childrenInCare, foreign] = answer.Entries ?? [];
  expect(handlersFor(enquiry?.EventId)).toEqual(['HouseholdProjector']);
  expect(handlersFor(campaign?.EventId)).toEqual(['CampaignProjector']);
  expect(handlersFor(childrenInCare?.EventId)).toEqual(['AgencyLedgerProjector']);
  expect(handlersFor(foreign?.EventId)).toEqual([]);
  expect(calls).toHaveLength(3);
});

test('retries a handler that throws, then dead-letters the event with the reason', async () => {
  const answer = await client.send(new PutEventsCommand({ Entries: [entry('SomethingNew')] }));
  const eventId = answer.Entries?.[0]?.EventId;
  await bus.whenIdle();

  expect(handlersFor(eventId)).toEqual(['UnknownEventRejector', 'UnknownEventRejector', 'UnknownEventRejector']);
  const letters = await deadLetters.list();
  expect(letters).toHaveLength(1);
  expect(letters[0]).toMatchObject({
    route: 'UnknownEventRejector',
    attempts: 3,
    reason: 'no projector knows SomethingNew',
    event: { id: eventId, 'detail-type': 'SomethingNew', source: EVENT_SOURCE },
  });
  expect(bus.counts()).toMatchObject({ delivered: 0, failed: 3, deadLettered: 1, pending: 0 });

  expect(await deadLetters.remove([letters[0]?.id ?? ''])).toBe(1);
  expect(await deadLetters.list()).toEqual([]);
});

test('keeps one dead letter per route and event: the same event failing again updates it', async () => {
  await client.send(new PutEventsCommand({ Entries: [entry('SomethingNew')] }));
  await bus.whenIdle();
  const [first] = await deadLetters.list();
  await deadLetters.update([{ ...first!, redrives: 1 }]);

  // The publisher sends the same domain event again (another envelope id), and it fails again.
  await client.send(new PutEventsCommand({ Entries: [entry('SomethingNew')] }));
  await bus.whenIdle();

  const letters = await deadLetters.list();
  expect(letters).toHaveLength(1);
  expect(letters[0]).toMatchObject({
    id: first!.id,
    route: 'UnknownEventRejector',
    redrives: 1,
    reason: 'no projector knows SomethingNew',
  });
  expect(letters[0]!.failedAt >= first!.failedAt).toBe(true);
});

test('replays the events it accepted since a moment, to the same routes (the archive replay after a database crash)', async () => {
  await client.send(
    new PutEventsCommand({
      Entries: [
        entry('EnquiryReceived', { Detail: JSON.stringify({ ...detail, eventId: 'before', householdId: 'h-1', channel: 'website' }) }),
      ],
    }),
  );
  await bus.whenIdle();
  // Clear of the first event's millisecond on both sides.
  await new Promise((r) => setTimeout(r, 5));
  const since = Date.now();
  await new Promise((r) => setTimeout(r, 5));
  const answer = await client.send(
    new PutEventsCommand({
      Entries: [
        entry('EnquiryReceived', { Detail: JSON.stringify({ ...detail, eventId: 'after', householdId: 'h-2', channel: 'website' }) }),
      ],
    }),
  );
  await bus.whenIdle();
  calls = [];

  expect(bus.replayAcceptedSince(since)).toBe(1);
  await bus.whenIdle();

  expect(calls.map((call) => [call.context.functionName, call.event.id, (call.event.detail as { eventId: string }).eventId])).toEqual([
    ['HouseholdProjector', answer.Entries?.[0]?.EventId, 'after'],
  ]);
  expect(bus.replayAcceptedSince(Date.now() + 1)).toBe(0);
});

test('answers before delivering, and whenIdle resolves only once deliveries are done', async () => {
  let release = (): void => undefined;
  gate = new Promise((done) => {
    release = done;
  });

  const answer = await client.send(new PutEventsCommand({ Entries: [entry('CampaignLaunched')] }));
  expect(answer.FailedEntryCount).toBe(0); // answered while the handler is still held

  let idle = false;
  const whenIdle = bus.whenIdle().then(() => {
    idle = true;
  });
  await new Promise((done) => setTimeout(done, 30));
  expect(idle).toBe(false);
  expect(bus.counts().pending).toBe(1);

  release();
  await whenIdle;
  expect(bus.counts()).toMatchObject({ delivered: 1, pending: 0 });
  await expect(bus.whenIdle()).resolves.toBeUndefined();
});

test('fails entries for another bus or with malformed detail one by one, as EventBridge does', async () => {
  const answer = await client.send(
    new PutEventsCommand({
      Entries: [
        entry('EnquiryReceived', { EventBusName: 'default' }),
        entry('EnquiryReceived', { EventBusName: undefined }),
        entry('EnquiryReceived', { EventBusName: 'arn:aws:events:eu-west-2:123456789012:event-bus/other' }),
        entry('EnquiryReceived', { Detail: '{not json' }),
        entry('EnquiryReceived', { EventBusName: `arn:aws:events:eu-west-2:123456789012:event-bus/${EVENT_BUS_NAME}` }),
      ],
    }),
  );
  await bus.whenIdle();

  expect(answer.FailedEntryCount).toBe(4);
  const [other, unnamed, otherArn, malformed, byArn] = answer.Entries ?? [];
  for (const failed of [other, unnamed, otherArn]) {
    expect(failed).toEqual({ ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('does not exist') });
  }
  expect(malformed).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
  expect(byArn?.EventId).toBeDefined();
  expect(calls.map((call) => call.event.id)).toEqual([byArn?.EventId]);
});

test('refuses a request with more than 10 entries as a whole', async () => {
  const entries = Array.from({ length: 11 }, () => entry('EnquiryReceived'));
  await expect(client.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({ name: 'ValidationException' });
  expect(calls).toEqual([]);
});

describe("an ordered route (the household projector: one household's events one at a time, in order)", () => {
  const householdEntry = (householdId: string, eventId: string) =>
    entry('EnquiryReceived', { Detail: JSON.stringify({ ...detail, eventId, householdId, channel: 'website' }) });
  const eventIdsOf = (householdId: string) =>
    calls
      .filter((call) => call.entry === 'projectors/household' && (call.event.detail as { householdId: string }).householdId === householdId)
      .map((call) => (call.event.detail as { eventId: string }).eventId);

  test("holds a household's next event until the one before it is over, while other households go on", async () => {
    let release = (): void => undefined;
    holds.set(
      'h-1',
      new Promise((done) => {
        release = done;
      }),
    );

    await client.send(
      new PutEventsCommand({
        Entries: [householdEntry('h-1', 'a1'), householdEntry('h-1', 'a2'), householdEntry('h-2', 'b1'), householdEntry('h-1', 'a3')],
      }),
    );
    // h-2's event is delivered although h-1's first is still running.
    await waitFor(() => eventIdsOf('h-2').length === 1);
    expect(eventIdsOf('h-1')).toEqual(['a1']);
    expect(bus.counts().pending).toBe(3);

    release();
    await bus.whenIdle();
    expect(eventIdsOf('h-1')).toEqual(['a1', 'a2', 'a3']);
    expect(bus.counts()).toMatchObject({ delivered: 4, failed: 0, deadLettered: 0, pending: 0 });
  });

  test("a failing event is retried and dead-lettered before its household's next event is delivered", async () => {
    let failing = true;
    await bus.stop();
    bus = await startLocalEventBus({
      port: 0,
      deadLetters,
      retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 5 },
      log: () => undefined,
      loadHandler: (entryName) => async (input, context) => {
        const event = busEventIn(input);
        calls.push({ entry: entryName, event, context, input });
        if (failing && (event.detail as { eventId: string }).eventId === 'a1') throw new Error('DynamoDB unavailable');
        return { batchItemFailures: [] };
      },
    });
    client.destroy();
    client = new EventBridgeClient({
      endpoint: bus.url,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    await client.send(new PutEventsCommand({ Entries: [householdEntry('h-1', 'a1'), householdEntry('h-1', 'a2')] }));
    await bus.whenIdle();
    failing = false;

    expect(eventIdsOf('h-1')).toEqual(['a1', 'a1', 'a2']);
    expect((await deadLetters.list()).map((letter) => [letter.route, letter.reason])).toEqual([
      ['HouseholdProjector', 'DynamoDB unavailable'],
    ]);
  });

  test('treats a batch item failure the handler reports as a failed delivery', async () => {
    await bus.stop();
    bus = await startLocalEventBus({
      port: 0,
      deadLetters,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      log: () => undefined,
      loadHandler: () => async (input) => ({
        batchItemFailures: [{ itemIdentifier: (input as { Records: Array<{ messageId: string }> }).Records[0]!.messageId }],
      }),
    });
    bus.putEvents({ Entries: [householdEntry('h-1', 'a1') as never] });
    await bus.whenIdle();
    expect(bus.counts()).toMatchObject({ delivered: 0, failed: 1, deadLettered: 1 });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((done) => setImmediate(done));
}
