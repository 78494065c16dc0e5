// `npm run redrive` end to end on the local runtime's pieces (real bus, real projectors, real
// dead-letter store, DynamoDB Local): events dead-lettered because of a cause — one projector failing
// after it had in fact written, another before — are delivered once the cause is fixed, and then
// count exactly as in an agency that never saw the fault; a second redrive changes nothing.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EVENT_BUS_NAME_ENV, LOCAL_EVENTBRIDGE_ENDPOINT_ENV } from '../../shared/wiring/environment';
import { EVENT_SOURCE, type DomainEvent } from '../../shared/events/catalogue';
import { DeadLetterStore } from '../../local/dead-letters/store';
import { startLocalEventBus, type LocalEventBus } from '../../local/event-bus';
import { requireHandler } from '../../local/lambda-runtime';
import { startLocalHttpServer, type LocalHttpServer } from '../../local/http-server';
import { localRedriver, type RedriveReport } from '../../local/dead-letters/redrive';
import { campaignConversionFor } from '../../shared/queries/campaign-conversion';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { spendBetween } from '../../shared/store/campaigns';
import { anEvent, enquiry } from '../support/funnel-events';
import { runStreamReader, useFreshTables } from '../support/tables';
import { busEventIn } from '../support/bus-input';

const FAULTY = 'redrive-faulty';
const CONTROL = 'redrive-control';

/** The cause: while in force, the campaign projector fails after writing (its answer lost, as in a
 *  timeout) and the household projector before writing (throttled), for the faulty agency only. */
const cause = { inForce: true };

let dataDir: string;
let store: DeadLetterStore;
let bus: LocalEventBus;
let server: LocalHttpServer;
const savedEnv = { ...process.env };

beforeAll(async () => {
  await useFreshTables();
  dataDir = mkdtempSync(join(tmpdir(), 'redrive-'));
  store = new DeadLetterStore(dataDir);
  bus = await startLocalEventBus({
    deadLetters: store,
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    log: () => undefined,
    loadHandler: (entry) => {
      const handler = requireHandler(entry);
      return async (event, context) => {
        const faulty = cause.inForce && (busEventIn(event).detail as { agencyId?: unknown } | undefined)?.agencyId === FAULTY;
        if (faulty && entry === 'projectors/household') throw new Error('ProvisionedThroughputExceededException: simulated throttling');
        const result = await handler(event, context);
        if (faulty && entry === 'projectors/campaign') throw new Error('Task timed out after 30.00 seconds (simulated, after the write)');
        return result;
      };
    },
  });
  process.env[LOCAL_EVENTBRIDGE_ENDPOINT_ENV] = bus.url;
  process.env[EVENT_BUS_NAME_ENV] = EVENT_BUS_NAME;
  server = await startLocalHttpServer({ port: 0, bus, deadLetters: store, redrive: localRedriver(store, bus), log: () => undefined });
});
const counts = runStreamReader();

afterAll(async () => {
  await server?.stop();
  await bus?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.env = savedEnv;
});

function eventsOf(agencyId: string): DomainEvent[] {
  return [
    anEvent('CampaignLaunched', '2019-07-01', {
      agencyId,
      campaignId: 'link',
      name: 'Link carers',
      channels: ['facebook'],
      startsOn: '2019-07-01',
      agencyIds: [agencyId],
    }),
    anEvent('CampaignSpendRecorded', '2019-07-01', { agencyId, campaignId: 'link', amountPence: 450_000 }),
    enquiry('sam', '2019-07-08', { agencyId, channel: 'facebook', campaignId: 'link' }),
  ];
}

function put(events: readonly DomainEvent[]): void {
  const result = bus.putEvents({
    Entries: events.map((e) => ({
      EventBusName: EVENT_BUS_NAME,
      Source: EVENT_SOURCE,
      DetailType: e.detailType,
      Detail: JSON.stringify(e.detail),
    })),
  });
  expect(result.FailedEntryCount).toBe(0);
}

const conversion = (agencyId: string) =>
  counts.caughtUp().then(() => campaignConversionFor(agencyId, { from: '2019-07-01', to: '2019-07-31', groupBy: 'campaign' }));
const eventIdOf = (letter: { event: { detail: unknown } }) => (letter.event.detail as { eventId: string }).eventId;

it('delivers dead-lettered events once the cause is fixed, counting each once, and a second redrive changes nothing', async () => {
  const faulty = eventsOf(FAULTY);
  // Poison: approvedBeds must be at least 1. No fix makes it valid, so it stays, with its reason.
  const poison = {
    detailType: 'HouseholdApproved',
    detail: {
      eventId: 'poison',
      agencyId: FAULTY,
      occurredAt: '2019-07-20T10:00:00Z',
      householdId: 'sam',
      category: 'mainstream',
      approvedBeds: 0,
    },
  };
  put(eventsOf(CONTROL));
  put([...faulty, poison as unknown as DomainEvent]);
  await bus.whenIdle();

  const dead = await store.list();
  expect(dead.map((letter) => [letter.route, eventIdOf(letter), letter.attempts]).sort()).toStrictEqual(
    [
      ['CampaignProjector', faulty[0]!.detail.eventId, 2],
      ['CampaignProjector', faulty[1]!.detail.eventId, 2],
      ['HouseholdProjector', faulty[2]!.detail.eventId, 2],
      ['HouseholdProjector', 'poison', 2],
    ].sort(),
  );
  expect(dead.every((letter) => /simulated/.test(letter.reason))).toBe(true);
  // The spend had in fact been written before its delivery failed: a redrive must not add it again.
  expect((await spendBetween(FAULTY, '2019-07-01', '2019-07-31')).map((s) => s.amountPence)).toStrictEqual([450_000]);
  expect((await conversion(FAULTY)).cohort.enquiries).toBe(0);

  cause.inForce = false; // the cause is fixed

  // `npm run redrive`, as a developer runs it against the running stack.
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tools/redrive/cli.ts'], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, PORT: String(server.port) },
  });
  expect(stdout).toContain(`delivered     CampaignProjector  CampaignSpendRecorded  ${faulty[1]!.detail.eventId}`);
  expect(stdout).toContain(`delivered     HouseholdProjector  EnquiryReceived  ${faulty[2]!.detail.eventId}`);
  expect(stdout).toMatch(/failed again {2}HouseholdProjector {2}HouseholdApproved {2}poison: invalid HouseholdApproved .*approvedBeds/);
  expect(stdout).toContain('Redrove 4 dead letter(s): 3 delivered and removed, 1 failed again and kept with the new reason');

  const control = await conversion(CONTROL);
  expect(control.cohort.enquiries).toBe(1);
  expect(await conversion(FAULTY)).toStrictEqual(control);
  expect((await spendBetween(FAULTY, '2019-07-01', '2019-07-31')).map((s) => s.amountPence)).toStrictEqual([450_000]);
  const [left] = await store.list();
  expect(await store.list()).toHaveLength(1);
  expect(left).toMatchObject({
    route: 'HouseholdProjector',
    redrives: 1,
    reason: expect.stringMatching(/invalid HouseholdApproved .*approvedBeds/),
  });

  // Again, through the endpoint the CLI calls: only the poison is tried, and nothing counts twice.
  const again = await fetch(`${server.url}/_local/dead-letters/redrive`, { method: 'POST' });
  expect(again.status).toBe(200);
  expect((await again.json()) as RedriveReport).toMatchObject({ tried: 1, delivered: 0, failedAgain: 1 });
  expect(await conversion(FAULTY)).toStrictEqual(control);
  expect(await store.list()).toStrictEqual([{ ...left, redrives: 2, failedAt: expect.any(String) }]);
});
