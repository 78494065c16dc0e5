// The fault test: DynamoDB Local killed mid-burst, restarted, dead letters redriven; then every metric
// equals a clean replay's, and only the burst's poison is left in the dead letters.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DeadLetter } from '../../local/dead-letters/store';
import type { RedriveReport } from '../../local/dead-letters/redrive';
import { entryFor, eventBurst, type BurstEvent } from '../support/event-burst';
import { startRunningStack, tokenFor, type RunningStack } from '../support/running-stack';

const agencies = ['cambs', 'peterborough'] as const;
const burst = eventBurst({ seed: 5, households: 80, agencyId: 'cambs', referralAgencyId: 'peterborough' });
// Poison: no projector takes the first, and the second fails validation (approvedBeds must be ≥ 1).
const poison: BurstEvent[] = [
  {
    detailType: 'HouseholdTeleported',
    detail: { eventId: 'poison-unknown', agencyId: 'cambs', occurredAt: '2019-03-01T10:00:00Z', householdId: 'hh-1' },
  },
  {
    detailType: 'HouseholdApproved',
    detail: {
      eventId: 'poison-invalid',
      agencyId: 'cambs',
      occurredAt: '2019-03-01T10:00:00Z',
      householdId: 'hh-2',
      category: 'mainstream',
      approvedBeds: 0,
    },
  },
];
const events = [...burst.slice(0, 150), ...poison, ...burst.slice(150)];
const BATCH = 10;
const KILL_AFTER_BATCH = 12;

const metricPaths = [
  '/metrics/campaign-conversion?from=2019-01-01&to=2019-12-31',
  '/metrics/campaign-conversion?from=2019-01-01&to=2019-12-31&groupBy=campaign',
  '/metrics/campaign-conversion?from=2019-01-01&to=2019-12-31&groupBy=channel',
  '/metrics/capacity?at=2019-12-31',
  '/metrics/beds-on-hold?at=2019-12-31',
  '/metrics/sufficiency?at=2019-12-31',
  '/metrics/resignation-forecast?financialYear=2019&asOf=2019-12-31',
  '/metrics/annual-return?financialYear=2019',
  '/agency/settings',
];

let clean: RunningStack;
let faulty: RunningStack;
const figures: Record<string, number | string> = { events: events.length };

beforeAll(async () => {
  [clean, faulty] = await Promise.all([startRunningStack(), startRunningStack()]);
}, 90_000);
afterAll(async () => {
  await Promise.all([clean?.stop(), faulty?.stop()]);
  console.log(`fault test figures: ${JSON.stringify(figures)}`);
});

const busClient = (stack: RunningStack) =>
  new EventBridgeClient({
    endpoint: stack.eventsUrl,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** Puts batches [from, to) of the events on the stack's bus, ten per PutEvents call, as another system would. */
async function putBatches(client: EventBridgeClient, from: number, to: number): Promise<void> {
  for (let i = from; i < to && i * BATCH < events.length; i++) {
    const result = await client.send(new PutEventsCommand({ Entries: events.slice(i * BATCH, (i + 1) * BATCH).map(entryFor) }));
    expect(result.FailedEntryCount).toBe(0);
  }
}

const ALL_BATCHES = Math.ceil(events.length / BATCH);

/**
 * Kills the JVM and keeps its port taken (every connection refused at once), so DynamoDB Local stays
 * down, whatever the machine's speed, until `release()`: the supervisor keeps trying to restart it.
 */
async function killAndHoldPort(pid: number, port: number): Promise<{ release(): Promise<void> }> {
  process.kill(pid, 'SIGKILL');
  const holder = createServer((socket) => socket.destroy());
  const deadline = Date.now() + 10_000;
  for (;;) {
    const held = await new Promise<boolean>((done) => {
      holder.once('error', () => done(false));
      holder.listen(port, '0.0.0.0', () => done(true));
    });
    if (held) break;
    // Each attempt's listeners go with it (a busy machine takes more than ten: Node warns of a leak).
    holder.removeAllListeners('error');
    holder.removeAllListeners('listening');
    if (Date.now() > deadline) throw new Error(`port ${port} was not free 10 s after the kill`);
    await new Promise((r) => setTimeout(r, 10)); // the dying JVM's socket, or the supervisor's own port check
  }
  return { release: () => new Promise<void>((done) => holder.close(() => done())) };
}
async function metrics(stack: RunningStack): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {};
  for (const agencyId of agencies) {
    const token = await tokenFor(agencyId, 'manager');
    for (const path of metricPaths) {
      const { status, body } = await stack.call('GET', path, { token });
      expect([agencyId, path, status]).toEqual([agencyId, path, 200]);
      // References are drawn in the order enquiries arrive, which the crash changes: the figures must match.
      answers[`${agencyId} ${path}`] = JSON.parse(JSON.stringify(body, (key, value: unknown) => (key === 'reference' ? undefined : value)));
    }
  }
  return answers;
}

async function deadLetters(stack: RunningStack): Promise<DeadLetter[]> {
  return (await stack.call('GET', '/_local/dead-letters')).body.deadLetters;
}

const poisonIds = (letters: DeadLetter[]) => letters.map((letter) => (letter.event.detail as { eventId: string }).eventId).sort();

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The same events into a fresh stack, nothing killed: what the metrics must be. */
async function cleanReplay(): Promise<Record<string, unknown>> {
  const client = busClient(clean);
  try {
    await putBatches(client, 0, ALL_BATCHES);
  } finally {
    client.destroy();
  }
  await clean.idle();
  expect(poisonIds(await deadLetters(clean))).toEqual(['poison-invalid', 'poison-unknown']);
  return metrics(clean);
}

/**
 * SIGKILLs the JVM at a point the test controls: once the first KILL_AFTER_BATCH batches are all
 * projected (a known number of acknowledged writes). It is kept down while the next batch is
 * delivered, so each of those deliveries fails every attempt and is dead-lettered; then it is let
 * back, and the rest of the burst follows.
 */
async function faultyRun(): Promise<void> {
  const client = busClient(faulty);
  try {
    const pid = faulty.dynamoDbPid();
    expect(pid).toBeDefined();
    const started = performance.now();
    await putBatches(client, 0, KILL_AFTER_BATCH);
    await faulty.idle();

    const down = await killAndHoldPort(pid!, faulty.dynamoDbPort);
    await putBatches(client, KILL_AFTER_BATCH, KILL_AFTER_BATCH + 1);
    // Every delivery of that batch has run out of attempts. The bus alone: the outbox relay cannot read
    // DynamoDB Local's stream while it is down, so it is not "caught up" until it is back.
    await faulty.idle({ busOnly: true });
    figures.deadLetteredWhileDown = (await deadLetters(faulty)).length;
    await down.release();

    await until(() => /DynamoDB Local is back on port/.test(faulty.output()), 'the supervisor to restart DynamoDB Local', 60_000);
    expect(faulty.output()).toContain(`DynamoDB Local exited unexpectedly (SIGKILL): restarting it on port ${faulty.dynamoDbPort}`);
    expect(faulty.dynamoDbPid()).not.toBe(pid);
    // What DynamoDB Local acknowledged just before dying may be lost: the events of the 30 s before go again.
    figures.replayed = Number(/replaying the (\d+) event\(s\) accepted from 30 s before it exited/.exec(faulty.output())?.[1]);
    expect(figures.replayed).toBeGreaterThan(0);

    await putBatches(client, KILL_AFTER_BATCH + 1, ALL_BATCHES);
    await faulty.idle();
    figures.restartMs = Number(/is back on port \d+ \(pid \d+\) after (\d+) ms/.exec(faulty.output())?.[1]);
    figures.burstToIdleMs = Math.round(performance.now() - started);
  } finally {
    client.destroy();
  }
}

it('counts every event exactly once after DynamoDB Local is killed mid-burst, restarted and the dead letters redriven', async () => {
  const [expected] = await Promise.all([cleanReplay(), faultyRun()]);
  // Not an empty comparison: the burst gives approved carers, placements, holds, spend and a referral.
  expect((expected['cambs /metrics/capacity?at=2019-12-31'] as { households: number }).households).toBeGreaterThan(10);
  expect((expected['cambs /metrics/beds-on-hold?at=2019-12-31'] as { households: number }).households).toBeGreaterThan(0);
  expect(
    (expected['peterborough /metrics/campaign-conversion?from=2019-01-01&to=2019-12-31'] as { cohort: { enquiries: number } }).cohort
      .enquiries,
  ).toBeGreaterThan(0);

  // The kill hit every delivery made while DynamoDB Local was down (one route each), and nothing else.
  const sentWhileDown = events.slice(KILL_AFTER_BATCH * BATCH, (KILL_AFTER_BATCH + 1) * BATCH);
  expect(figures.deadLetteredWhileDown).toBe(sentWhileDown.length);
  const before = await deadLetters(faulty);
  figures.deadLetteredByTheFault = before.length - poison.length;
  expect(poisonIds(before)).toEqual([...sentWhileDown.map((e) => e.detail.eventId as string), 'poison-invalid', 'poison-unknown'].sort());
  expect(before.every((letter) => letter.reason.length > 0)).toBe(true);

  // `npm run redrive`, as a developer runs it against the running stack.
  const redriveStarted = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tools/redrive/cli.ts', '--json'], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, PORT: String(faulty.port), DATA_DIR: faulty.dataDir },
  });
  figures.redriveMs = Math.round(performance.now() - redriveStarted);
  const report = JSON.parse(stdout) as RedriveReport;
  expect(report).toMatchObject({ tried: before.length, delivered: before.length - poison.length, failedAgain: poison.length });
  await faulty.idle();

  // What remains explains itself: the poison, with why it cannot be projected.
  const after = await deadLetters(faulty);
  expect(poisonIds(after)).toEqual(['poison-invalid', 'poison-unknown']);
  const reasonOf = (eventId: string) => after.find((letter) => (letter.event.detail as { eventId: string }).eventId === eventId);
  expect(reasonOf('poison-unknown')).toMatchObject({
    route: 'UnknownEventRejector',
    redrives: 1,
    reason: expect.stringContaining('unknown detail-type "HouseholdTeleported"'),
  });
  expect(reasonOf('poison-invalid')).toMatchObject({
    route: 'HouseholdProjector',
    redrives: 1,
    reason: expect.stringMatching(/invalid HouseholdApproved .*approvedBeds/),
  });

  expect(await metrics(faulty)).toStrictEqual(expected);

  // Redriving again (POST /_local/dead-letters/redrive, what `npm run redrive` calls) delivers the
  // poison once more, fails again, and counts nothing twice.
  const again = (await faulty.call('POST', '/_local/dead-letters/redrive')).body as RedriveReport;
  expect(again).toMatchObject({ tried: poison.length, delivered: 0, failedAgain: poison.length });
  await faulty.idle();
  const afterSecond = await deadLetters(faulty);
  expect(poisonIds(afterSecond)).toEqual(['poison-invalid', 'poison-unknown']);
  expect(afterSecond.map((letter) => letter.redrives)).toStrictEqual([2, 2]);
  expect(await metrics(faulty)).toStrictEqual(expected);
}, 90_000);
