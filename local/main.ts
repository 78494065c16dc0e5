// `npm start`: the whole backend on this machine, no cloud account. DynamoDB Local, the local bus
// and the HTTP API, wired by the same route and table definitions the CDK stack deploys.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  EVENT_BUS_NAME_ENV,
  LOCAL_DYNAMODB_ENDPOINT_ENV,
  LOCAL_EVENTBRIDGE_ENDPOINT_ENV,
  POWERTOOLS_SERVICE_NAME_ENV,
  SERVICE_NAME,
} from '../shared/wiring/environment';
import { EVENT_BUS_NAME } from '../shared/wiring/event-routes';
import { createTables } from './create-tables';
import { DeadLetterStore } from './dead-letters/store';
import { localDynamoDbClientConfig, startDynamoDbLocal } from './dynamodb-local';
import { LocalRuntimeError } from './errors';
import { localDataDir, localPort, OUTBOX_FAULT_ENV } from './settings';
import { startLocalEventBus, type EventBusOptions, type LocalEventBus, type RetryPolicy } from './event-bus';
import { type HandlerLoader } from './lambda-runtime';
import { startLocalHttpServer, type LocalHttpServer } from './http-server';
import { localRedriver } from './dead-letters/redrive';
import { DASHBOARD_BUILD_DIR } from '../dashboard/paths';
import { localIntervalMs, startLocalSchedules, type LocalSchedules } from './scheduler';
import { retentionJob } from '../shared/wiring/scheduled-jobs';
import { regions } from '../shared/wiring/regions';
import { projectionsTable, tableName } from '../shared/store/tables';
import { startOutboxRelay, whenOutboxAndBusIdle, type OutboxRelay } from './outbox-relay';
import { LOCAL_MAIL_FROM, localAcknowledger } from './mail';
import { ACKNOWLEDGEMENT_SENDER_ENV } from '../shared/wiring/environment';

export const LOCAL_REGION = 'eu-west-2';
/** Events accepted this long before DynamoDB Local died are delivered again once it is back. */
const REPLAY_BEFORE_CRASH_MS = 30_000;

export interface LocalStackOptions {
  /** HTTP API port; 0 picks a free one. Default 3000. */
  port?: number;
  /** Event bus port; 0 picks a free one. Default 3001. */
  eventsPort?: number;
  /** Default 8000. */
  dynamoDbPort?: number;
  /** Holds the database and the dead letters. Default `.local`. */
  dataDir?: string;
  /** DynamoDB in memory (tests, bench) instead of persisted under `${dataDir}/dynamodb`. */
  inMemory?: boolean;
  retry?: Partial<RetryPolicy>;
  loadHandler?: HandlerLoader;
  log?: (line: string) => void;
  /** Each bus delivery once it is over (the bench's latency probe). */
  onDeliverySettled?: EventBusOptions['onSettled'];
}

export interface LocalStack {
  apiUrl: string;
  eventsUrl: string;
  dynamoDbEndpoint: string;
  bus: LocalEventBus;
  outbox: OutboxRelay;
  deadLetters: DeadLetterStore;
  /** Resolves once the outbox is read to its end and the bus has delivered everything. */
  whenIdle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts everything in this process. It sets the env vars the handlers read (table names, bus,
 * endpoints, region, dummy credentials): process-wide, so run one stack per process.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = '127.0.0.1';
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = resolve(options.dataDir ?? '.local');
  const deadLetters = new DeadLetterStore(dataDir);
  let bus: LocalEventBus | undefined;
  let outbox: OutboxRelay | undefined;
  let api: LocalHttpServer | undefined;
  let dynamo: { endpoint: string; stop(): Promise<void> } | undefined;
  let client: DynamoDBClient | undefined;
  let tablesReady = false;
  // The API first, Java last, so no handler is left running against a stopped database.
  const stop = async (): Promise<void> => {
    await api?.stop();
    api = undefined;
    await outbox?.stop();
    outbox = undefined;
    await bus?.stop();
    bus = undefined;
    client?.destroy();
    client = undefined;
    await dynamo?.stop();
    dynamo = undefined;
  };

  try {
    setProcessEnv({
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      [EVENT_BUS_NAME_ENV]: EVENT_BUS_NAME,
      [ACKNOWLEDGEMENT_SENDER_ENV]: LOCAL_MAIL_FROM,
    });
    delete process.env.AWS_SESSION_TOKEN; // a real session token beside dummy keys would only confuse the SDK
    process.env[POWERTOOLS_SERVICE_NAME_ENV] ||= SERVICE_NAME;

    bus = await startLocalEventBus({
      port: options.eventsPort ?? 3001,
      host,
      region: LOCAL_REGION,
      deadLetters,
      retry: options.retry,
      loadHandler: options.loadHandler,
      log,
      onSettled: options.onDeliverySettled,
    });
    process.env[LOCAL_EVENTBRIDGE_ENDPOINT_ENV] = bus.url;

    // The API listens before DynamoDB is up, so that `GET /health` answers "starting" (503) meanwhile.
    const whenIdle = () => whenOutboxAndBusIdle(outbox, bus!);
    api = await startLocalHttpServer({
      port: options.port ?? 3000,
      host,
      deadLetters,
      bus: {
        whenIdle,
        whenBusIdle: () => bus!.whenIdle(),
        counts: () => ({ ...bus!.counts(), outbox: outbox?.counts() }),
        acceptedWithEventId: (id) => bus!.acceptedWithEventId(id),
      },
      loadHandler: options.loadHandler,
      log,
      redrive: localRedriver(deadLetters, bus),
      dashboardDir: DASHBOARD_BUILD_DIR,
      ready: async () => tablesReady && client !== undefined && (await answers(client)),
    });

    const dbPath = options.inMemory ? undefined : join(dataDir, 'dynamodb');
    if (dbPath) await mkdir(dbPath, { recursive: true });
    const { endpoint } = (dynamo = await startDynamoDbLocal({
      port: options.dynamoDbPort ?? 8000,
      dbPath,
      // A crashed or killed DynamoDB Local comes back by itself; in memory its tables must be made again.
      // It can also lose the last writes it acknowledged before dying (measured: 1 of ~990 transactions
      // acknowledged just before a SIGKILL), so the events accepted shortly before are delivered again:
      // projectors are idempotent by eventId, so what was kept is a duplicate and what was lost is written.
      supervise: {
        log,
        onRestarted: async (exitedAt) => {
          if (client) setProcessEnv(await createTables(client, {}));
          const replayed = bus?.replayAcceptedSince(exitedAt - REPLAY_BEFORE_CRASH_MS) ?? 0;
          log(`[dynamodb] replaying the ${replayed} event(s) accepted from ${REPLAY_BEFORE_CRASH_MS / 1000} s before it exited`);
        },
      },
    }));
    process.env[LOCAL_DYNAMODB_ENDPOINT_ENV] = endpoint;
    client = new DynamoDBClient(localDynamoDbClientConfig(endpoint));
    setProcessEnv(await createTables(client, {}));
    const publishingBus = bus;
    outbox = startOutboxRelay({
      dynamoDbEndpoint: endpoint,
      tableName: () => tableName(projectionsTable),
      bus: publishingBus,
      busName: EVENT_BUS_NAME,
      checkpointFile: options.inMemory ? undefined : join(dataDir, 'outbox-checkpoint.json'),
      log,
      acknowledge: localAcknowledger(dataDir, { log }),
      beforePublish:
        process.env[OUTBOX_FAULT_ENV] === 'kill-before-publish'
          ? async () => {
              // Every answer already computed is sent first, so the caller holds its 202 for what was stored.
              await api?.whenAnswered();
              log('[outbox] fault injected: killing the process before publishing');
              process.kill(process.pid, 'SIGKILL');
            }
          : undefined,
    });
    tablesReady = true;

    return { apiUrl: api.url, eventsUrl: bus.url, dynamoDbEndpoint: endpoint, bus, outbox, deadLetters, whenIdle, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function setProcessEnv(vars: Record<string, string>): void {
  Object.assign(process.env, vars);
}

async function answers(client: DynamoDBClient): Promise<boolean> {
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

const every = (ms: number): string => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${ms} ms`);

async function main(): Promise<void> {
  const dataDir = localDataDir();
  const stack = await startLocalStack({
    port: localPort('port'),
    eventsPort: localPort('eventsPort'),
    dynamoDbPort: localPort('dynamoDbPort'),
    dataDir,
  });
  // The scheduled jobs (retention) at start and then every local interval: DynamoDB Local never expires items.
  let schedules: LocalSchedules;
  try {
    schedules = startLocalSchedules({ log: (line) => console.log(line) });
  } catch (error) {
    await stack.stop();
    throw error;
  }

  let stopping = false;
  const shutdown = (why: string, exitCode: number): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping the local stack...`);
    schedules
      .stop()
      .then(() => stack.stop())
      .finally(() => process.exit(exitCode));
  };
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  // Whatever goes wrong later, stop Java rather than leave it running.
  process.on('uncaughtException', (error) => {
    console.error(error);
    shutdown('uncaught exception', 1);
  });

  // Suggest an agency and a region that exist (the region file's first).
  const [exampleRegion, firstRegion] = Object.entries(regions)[0] ?? ['east-of-england', { agencyIds: ['cambs'] }];
  const exampleAgency = firstRegion.agencyIds[0] ?? 'cambs';
  console.log(
    [
      '',
      'Fostering recruitment backend, running locally:',
      `  Dashboard    ${stack.apiUrl}/   (local sign-in: pick a role and an agency)`,
      `  API          ${stack.apiUrl}   (GET /health, GET /openapi.json)`,
      `  Event bus    ${stack.eventsUrl}   (EventBridge PutEvents, bus "${EVENT_BUS_NAME}")`,
      `  DynamoDB     ${stack.dynamoDbEndpoint}   (data in ${join(dataDir, 'dynamodb')})`,
      '',
      `  A token:      npm run token -- --group recruitment --agency ${exampleAgency} --name "Jo Bloggs"`,
      `                (TOKEN=$(npm run -s token -- --group recruitment --agency ${exampleAgency}), then curl -H "Authorization: Bearer $TOKEN" ...)`,
      `                a region's: npm run token -- --group regional --region ${exampleRegion}; npm run token -- --help says more`,
      '  Dead letters: npm run dead-letters; npm run redrive delivers them again once the cause is fixed',
      `  Retention:    enforced now and every ${every(localIntervalMs(retentionJob))} (${retentionJob.localInterval.env}); npm run retention runs it once`,
      '',
      'Ctrl-C stops everything.',
      // The line a newcomer (and a script) waits for: /health answers 200 from here on.
      `ready: ${stack.apiUrl}/`,
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // A LocalRuntimeError already says what to do (install Java, free a port): no stack trace.
    console.error(error instanceof LocalRuntimeError ? `Cannot start: ${error.message}` : error);
    process.exit(1);
  });
}
