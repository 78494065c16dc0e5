// The local runtime under test, in a process of its own (forked by run.ts), so that its peak RSS is
// the runtime's alone and not the load generator's. It is `npm start`'s stack (in-memory DynamoDB)
// plus instruments: DynamoDB request counting per handler, and the bus's delivery-settled hook.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamoDbClient } from '../shared/aws-clients';
import { DYNAMODB_LOCAL_MAIN_CLASS } from '../local/dynamodb-local-classes';
import { type BusCounts } from '../local/event-bus';
import { requireHandler, type LambdaHandler } from '../local/lambda-runtime';
import { startLocalStack, type LocalStack } from '../local/main';
import { addCounts, DynamoDbCounter, emptyCounts, type DynamoDbCounts } from './dynamodb-counter';
import { summarize } from './stats';
import { STREAM_READER_ENTRY, type InvocationShapes, type WorkerReply, type WorkerRequest } from './worker-protocol';

/** Sent by the system itself (the household projector), not by the bench's publisher. */
const SYSTEM_DETAIL_TYPES = new Set(['ReferralRewardDue']);

const counter = new DynamoDbCounter();
let byEntry = new Map<string, DynamoDbCounts>();
let invocations = new Map<string, InvocationShapes>();
/** Per API invocation, in order: the query phase sends one request at a time. */
let apiInvocations: Array<{ entry: string; counts: DynamoDbCounts }> = [];
let latenciesMs: number[] = [];
let settled = { delivered: 0, deadLettered: 0, system: 0, lastSettledEpochMs: 0 };
let busAtReset = { delivered: 0, failed: 0, deadLettered: 0 };
let unreportedSettled = 0;
let flushTimer: NodeJS.Timeout | undefined;

function send(message: WorkerReply): void {
  process.send?.(message);
}

/** Every handler runs with its DynamoDB requests attributed to its entry (and, for the API, to the call). */
function countingLoader(entry: string): LambdaHandler {
  const handler = requireHandler(entry);
  return (event, context) => {
    const counts = emptyCounts();
    const done = () => {
      const total = byEntry.get(entry) ?? emptyCounts();
      byEntry.set(entry, addCounts(total, counts));
      if (entry.startsWith('api/')) apiInvocations.push({ entry, counts });
      else {
        const shapes = invocations.get(entry) ?? { byRequests: {}, byAwsUnits: {} };
        const sent =
          Object.entries(counts.byOperation)
            .sort()
            .map(([op, n]) => (n > 1 ? `${op} × ${n}` : op))
            .join(' + ') || 'nothing';
        const units = String(counts.aws.units);
        shapes.byRequests[sent] = (shapes.byRequests[sent] ?? 0) + 1;
        shapes.byAwsUnits[units] = (shapes.byAwsUnits[units] ?? 0) + 1;
        invocations.set(entry, shapes);
      }
    };
    return counter.run(counts, async () => {
      try {
        return await handler(event, context);
      } finally {
        done();
      }
    });
  };
}

/** Tells the publisher how many of its events became visible, a few ms at a time (flow control). */
function flushSettled(): void {
  flushTimer = undefined;
  if (unreportedSettled === 0) return;
  send({ type: 'settled', count: unreportedSettled });
  unreportedSettled = 0;
}

/** DynamoDB Local's JVM: our child process running its main class (Linux /proc; undefined elsewhere). */
function javaPid(): string | undefined {
  try {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(DYNAMODB_LOCAL_MAIN_CLASS)) return pid;
      } catch {
        /* gone meanwhile */
      }
    }
  } catch {
    /* no /proc */
  }
  return undefined;
}

let java: string | undefined;

function javaPeakRssBytes(): number | undefined {
  if (!java) return undefined;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${java}/status`, 'utf8'));
  return hwm ? Number(hwm[1]) * 1024 : undefined;
}

/** CPU time used so far by this process and by DynamoDB Local (utime + stime, in clock ticks of 10 ms). */
function cpuMs(): { runtimeMs: number; dynamoDbLocalMs?: number } {
  const { user, system } = process.cpuUsage();
  let dynamoDbLocalMs: number | undefined;
  if (java) {
    const fields = readFileSync(`/proc/${java}/stat`, 'utf8').split(') ')[1]!.split(' ');
    dynamoDbLocalMs = (Number(fields[11]) + Number(fields[12])) * 10; // fields 14 and 15 of stat(5); USER_HZ is 100 on Linux
  }
  return { runtimeMs: (user + system) / 1000, dynamoDbLocalMs };
}

function busSinceReset(now: BusCounts): BusCounts {
  return {
    delivered: now.delivered - busAtReset.delivered,
    failed: now.failed - busAtReset.failed,
    deadLettered: now.deadLettered - busAtReset.deadLettered,
    pending: now.pending,
  };
}

async function main(): Promise<void> {
  const dynamoDbPort = Number(process.env.BENCH_DYNAMODB_PORT);
  const dataDir = mkdtempSync(join(tmpdir(), 'fostering-bench-'));
  let stack: LocalStack | undefined;
  const stop = async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    stack = await startLocalStack({
      port: 0,
      eventsPort: 0,
      dynamoDbPort,
      dataDir,
      inMemory: true,
      loadHandler: countingLoader,
      log: (line) => process.stderr.write(`${line}\n`),
      onDeliverySettled: ({ event, outcome, acceptedAt, settledAt }) => {
        if (SYSTEM_DETAIL_TYPES.has(event['detail-type'])) {
          settled.system += 1;
          return;
        }
        if (outcome === 'delivered') {
          settled.delivered += 1;
          latenciesMs.push(settledAt - acceptedAt);
        } else settled.deadLettered += 1;
        settled.lastSettledEpochMs = performance.timeOrigin + settledAt;
        unreportedSettled += 1;
        flushTimer ??= setTimeout(flushSettled, 2);
      },
    });
    // After startLocalStack: the shared client reads DynamoDB Local's endpoint when first created.
    counter.attach(dynamoDbClient());
    java = javaPid();
  } catch (error) {
    await stop();
    throw error;
  }

  process.on('message', (request: WorkerRequest) => {
    void (async () => {
      switch (request.type) {
        case 'reset':
          byEntry = new Map();
          invocations = new Map();
          apiInvocations = [];
          latenciesMs = [];
          settled = { delivered: 0, deadLettered: 0, system: 0, lastSettledEpochMs: 0 };
          counter.total = emptyCounts();
          counter.outsideHandlers = emptyCounts();
          busAtReset = stack!.bus.counts();
          return send({ type: 'reset' });
        case 'ingest-report':
          await stack!.bus.whenIdle();
          return send({
            type: 'ingest-report',
            latency: summarize(latenciesMs),
            settled,
            bus: busSinceReset(stack!.bus.counts()),
            byEntry: Object.fromEntries([
              ...byEntry,
              ...(counter.outsideHandlers.requests > 0 ? [[STREAM_READER_ENTRY, counter.outsideHandlers] as const] : []),
            ]),
            invocations: Object.fromEntries(invocations),
            total: counter.total,
            memory: { runtimePeakRssBytes: process.resourceUsage().maxRSS * 1024, dynamoDbLocalPeakRssBytes: javaPeakRssBytes() },
          });
        case 'caught-up':
          await stack!.whenIdle();
          return send({ type: 'caught-up' });
        case 'cpu':
          return send({ type: 'cpu', ...cpuMs() });
        case 'take-api-invocations': {
          const taken = apiInvocations.map(({ entry, counts }) => ({ entry, counts: counter.settleBytes(counts) }));
          apiInvocations = [];
          return send({ type: 'api-invocations', invocations: taken });
        }
        case 'stop':
          await stop();
          send({ type: 'stopped' });
          return process.exit(0);
      }
    })().catch((error: unknown) => send({ type: 'error', message: String((error as Error)?.stack ?? error) }));
  });
  process.on('disconnect', () => void stop().finally(() => process.exit(1)));

  send({
    type: 'ready',
    apiUrl: stack.apiUrl,
    eventsUrl: stack.eventsUrl,
    dynamoDbEndpoint: stack.dynamoDbEndpoint,
    tableEnv: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.endsWith('_TABLE'))) as Record<string, string>,
  });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: String((error as Error)?.stack ?? error) });
  process.exit(1);
});
