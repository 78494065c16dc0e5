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

interface Call { entry: string; event: BusEvent; context: Context }

let dataDir: string;
let deadLetters: DeadLetterStore;
let bus: LocalEventBus;
let client: EventBridgeClient;
let calls: Call[];
/** Lets a test hold a handler until it says so. */
let gate: Promise<void>;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-bus-'));
  deadLetters = new DeadLetterStore(dataDir);
  calls = [];
  gate = Promise.resolve();
  bus = await startLocalEventBus({
    port: 0,
    deadLetters,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    log: () => undefined,
    loadHandler: (entry) => async (event, context) => {
      calls.push({ entry, event: event as BusEvent, context });
      await gate;
      if (entry === 'projectors/unknown-event') throw new Error(`no projector knows ${(event as BusEvent)['detail-type']}`);
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
  calls.filter((call) => call.event.id === eventId).map((call) => call.context.functionName).sort();

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
  const answer = await client.send(new PutEventsCommand({
    Entries: [
      entry('EnquiryReceived'),
      entry('CampaignLaunched'),
      entry('ChildrenInCareRecorded'),
      entry('EnquiryReceived', { Source: 'someone.else' }),
    ],
  }));
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
  expect(letters[0]).toMatchObject({ id: first!.id, route: 'UnknownEventRejector', redrives: 1, reason: 'no projector knows SomethingNew' });
  expect(letters[0]!.failedAt >= first!.failedAt).toBe(true);
});

test('replays the events it accepted since a moment, to the same routes (the archive replay after a database crash)', async () => {
  await client.send(new PutEventsCommand({ Entries: [entry('EnquiryReceived', { Detail: JSON.stringify({ ...detail, eventId: 'before', householdId: 'h-1', channel: 'website' }) })] }));
  await bus.whenIdle();
  // Clear of the first event's millisecond on both sides.
  await new Promise((r) => setTimeout(r, 5));
  const since = Date.now();
  await new Promise((r) => setTimeout(r, 5));
  const answer = await client.send(new PutEventsCommand({ Entries: [entry('EnquiryReceived', { Detail: JSON.stringify({ ...detail, eventId: 'after', householdId: 'h-2', channel: 'website' }) })] }));
  await bus.whenIdle();
  calls = [];

  expect(bus.replayAcceptedSince(since)).toBe(1);
  await bus.whenIdle();

  expect(calls.map((call) => [call.context.functionName, call.event.id, (call.event.detail as { eventId: string }).eventId]))
    .toEqual([['HouseholdProjector', answer.Entries?.[0]?.EventId, 'after']]);
  expect(bus.replayAcceptedSince(Date.now() + 1)).toBe(0);
});

test('answers before delivering, and whenIdle resolves only once deliveries are done', async () => {
  let release = (): void => undefined;
  gate = new Promise((done) => { release = done; });

  const answer = await client.send(new PutEventsCommand({ Entries: [entry('CampaignLaunched')] }));
  expect(answer.FailedEntryCount).toBe(0); // answered while the handler is still held

  let idle = false;
  const whenIdle = bus.whenIdle().then(() => { idle = true; });
  await new Promise((done) => setTimeout(done, 30));
  expect(idle).toBe(false);
  expect(bus.counts().pending).toBe(1);

  release();
  await whenIdle;
  expect(bus.counts()).toMatchObject({ delivered: 1, pending: 0 });
  await expect(bus.whenIdle()).resolves.toBeUndefined();
});

test('fails entries for another bus or with malformed detail one by one, as EventBridge does', async () => {
  const answer = await client.send(new PutEventsCommand({
    Entries: [
      entry('EnquiryReceived', { EventBusName: 'default' }),
      entry('EnquiryReceived', { EventBusName: undefined }),
      entry('EnquiryReceived', { EventBusName: 'arn:aws:events:eu-west-2:123456789012:event-bus/other' }),
      entry('EnquiryReceived', { Detail: '{not json' }),
      entry('EnquiryReceived', { EventBusName: `arn:aws:events:eu-west-2:123456789012:event-bus/${EVENT_BUS_NAME}` }),
    ],
  }));
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
