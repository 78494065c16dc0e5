// Runs the official DynamoDB Local jar (shipped in the npm package amplify-dynamodb-simulator) as a
// child process of this one.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { dynamoDbLocalClasses, dynamoDbLocalEmulator } from './dynamodb-local-classes';
import { LocalRuntimeError } from './errors';
import { dynamoDbJavaOptions, localSettings } from './settings';

const MIN_JAVA = 17;
// About 2 s when idle; a JVM starting on a busy 2-core machine has been measured past 30 s.
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 5_000;
// A supervised instance that keeps dying is left down rather than restarted in a loop.
const MAX_RESTARTS_PER_WINDOW = 5;
const RESTART_WINDOW_MS = 60_000;
/** How long a restart keeps trying while the port is still held (the old JVM's socket, or another process). */
const RELAUNCH_PATIENCE_MS = 60_000;

export interface DynamoDbLocal {
  endpoint: string;
  /** The JVM's process id; a supervised instance gets a new one on each restart. */
  pid(): number | undefined;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  port: number;
  /** Directory for a persistent database; absent = in memory. */
  dbPath?: string;
  /** Host in the endpoint URL (the jar listens on all IPv4 interfaces). */
  host?: string;
  /** Restart it, on the same port and data, whenever it exits without stop() (a crash, an OOM kill). */
  supervise?: {
    log: (line: string) => void;
    /** Runs once it answers again, before requests are expected to succeed (e.g. recreate tables,
     *  replay recent events); told when (Date.now()) the exit was seen. */
    onRestarted?: (exitedAt: number) => Promise<void>;
  };
}

/** How every local caller builds a DynamoDB client: explicit endpoint and region, and dummy
 *  credentials (letters and digits only, which DynamoDB Local requires; `-sharedDb` makes their
 *  value irrelevant). */
export function localDynamoDbClientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  } satisfies DynamoDBClientConfig;
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const { port, dbPath, host = '127.0.0.1', supervise } = options;
  const javaVersion = await assertJava();
  const dir = dbPath ? resolve(dbPath) : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  const endpoint = `http://${host}:${port}`;
  let child = await launch(port, dir, endpoint, javaVersion);
  if (!supervise) return { endpoint, pid: () => child.pid, stop: () => stopChild(child) };

  const { log } = supervise;
  const where = dir ? `data in ${dir}` : 'in memory: its data is lost';
  log(`[dynamodb] DynamoDB Local started on port ${port} (pid ${child.pid})`);
  let stopping = false;
  let restarting: Promise<void> | undefined;
  const recentRestarts: number[] = [];

  const restart = async (why: string): Promise<void> => {
    const now = Date.now();
    recentRestarts.push(now);
    while (recentRestarts[0]! < now - RESTART_WINDOW_MS) recentRestarts.shift();
    if (recentRestarts.length > MAX_RESTARTS_PER_WINDOW) {
      log(
        `[dynamodb] DynamoDB Local exited (${why}) ${recentRestarts.length} times within ${RESTART_WINDOW_MS / 1000} s: not restarting it again. Stop with Ctrl-C and start again.`,
      );
      return;
    }
    log(`[dynamodb] DynamoDB Local exited unexpectedly (${why}): restarting it on port ${port} (${where})`);
    for (let attempt = 1; !stopping; attempt += 1) {
      try {
        child = await launch(port, dir, endpoint, javaVersion);
        break;
      } catch (error) {
        if (Date.now() - now >= RELAUNCH_PATIENCE_MS) {
          log(
            `[dynamodb] could not restart DynamoDB Local after ${attempt} attempts in ${RELAUNCH_PATIENCE_MS / 1000} s: ${(error as Error).message}`,
          );
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(2_000, 500 * attempt))); // e.g. the port not yet released
      }
    }
    if (stopping) return;
    await supervise.onRestarted?.(now).catch((error: unknown) => log(`[dynamodb] after the restart: ${(error as Error).message}`));
    log(
      `[dynamodb] DynamoDB Local is back on port ${port} (pid ${child.pid}) after ${Date.now() - now} ms; events that failed meanwhile are in the dead letters: npm run redrive`,
    );
    watch();
  };
  const watch = (): void => {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      // Stopped, not crashed: Ctrl-C in a terminal reaches the JVM as well as us (the JVM exits 130 on
      // SIGINT, 143 on SIGTERM), and our own handler is stopping the rest; restarting it would only delay that.
      if (signal === 'SIGINT' || signal === 'SIGTERM' || code === 130 || code === 143) {
        log(`[dynamodb] DynamoDB Local was stopped (${signal ?? `exit code ${code}`}): not restarting it`);
        return;
      }
      restarting = restart(signal ?? `exit code ${code}`).finally(() => {
        restarting = undefined;
      });
    });
  };
  watch();

  return {
    endpoint,
    pid: () => child.pid,
    stop: async () => {
      stopping = true;
      await restarting;
      await stopChild(child);
    },
  };
}

/** Spawns the jar and resolves once it answers; rejects (with its stderr) if it cannot. */
async function launch(port: number, dir: string | undefined, endpoint: string, javaVersion: string): Promise<ChildProcess> {
  await assertPortFree(port);
  const storage = dir ? ['-dbPath', dir] : ['-inMemory'];
  const classes = dynamoDbLocalClasses(javaVersion);
  const java = [
    ...dynamoDbJavaOptions(),
    `-Djava.library.path=${join(dynamoDbLocalEmulator(), 'DynamoDBLocal_lib')}`,
    ...classes.args,
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
    ...storage,
  ];
  // Not detached: it shares our process group, so Ctrl-C in a terminal reaches it too. A program that
  // handles Ctrl-C itself (the demo: local/stop-on-signals.ts) stops it last, after the API and the bus
  // have finished what they were doing, so there the JVM ignores SIGINT (a JVM keeps a signal ignored
  // at its start ignored; `exec` keeps the pid): a database gone first would fail the deliveries under
  // way into dead letters. Closing the terminal (SIGHUP) still ends it.
  const handlesCtrlC = process.listenerCount('SIGINT') > 0;
  const child = handlesCtrlC
    ? spawn('sh', ['-c', 'trap "" INT; exec "$0" "$@"', 'java', ...java], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn('java', java, { stdio: ['ignore', 'ignore', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  child.once('exit', (code) => {
    process.off('exit', killOnExit);
    classes.exited(code);
  });

  let stderr = '';
  let spawnError: Error | undefined;
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  child.on('error', (error) => {
    spawnError = error;
    process.off('exit', killOnExit);
  });

  try {
    await waitUntilReady(endpoint, () => {
      // On a failed bind the jar prints the exception but its JVM stays up, so watch stderr too.
      if (spawnError || exited(child) || stderr.includes('Exception in thread "main"')) {
        return `DynamoDB Local failed to start${spawnError ? `: ${spawnError.message}` : ''}`;
      }
      return undefined;
    });
  } catch (error) {
    await stopChild(child);
    const tail = stderr.trim().split('\n').slice(-15).join('\n');
    throw new LocalRuntimeError(`${(error as Error).message}\n--- DynamoDB Local stderr (tail) ---\n${tail || '(empty)'}`);
  }
  return child;
}

/** Fails with what to install unless Java 17 or later is on the PATH; returns what `java -version` prints. */
export async function assertJava(): Promise<string> {
  const install = `Install Java ${MIN_JAVA} or later (e.g. \`apt-get install openjdk-17-jre-headless\`, or \`brew install openjdk@17\` on macOS) and make sure \`java\` is on the PATH.`;
  let output: string;
  try {
    // `java -version` prints to stderr.
    const { stdout, stderr } = await promisify(execFile)('java', ['-version']);
    output = stderr + stdout;
  } catch (error) {
    throw new LocalRuntimeError(`DynamoDB Local needs Java, but \`java -version\` failed (${(error as Error).message}). ${install}`);
  }
  // "17.0.15" → 17; the old scheme "1.8.0_351" → 8.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  const major = match?.[1] === '1' ? Number(match[2]) : Number(match?.[1]);
  if (!(major >= MIN_JAVA)) {
    throw new LocalRuntimeError(`DynamoDB Local needs Java ${MIN_JAVA} or later, found: ${output.split('\n')[0]?.trim()}. ${install}`);
  }
  return output;
}

/** The jar does not exit when its port is taken (and our readiness check would then talk to
 *  whoever holds it), so check first. It binds 0.0.0.0, so we try the same. */
async function assertPortFree(port: number): Promise<void> {
  const free = await new Promise<boolean>((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '0.0.0.0', () => server.close(() => done(true)));
  });
  if (!free) {
    throw new LocalRuntimeError(
      `Port ${port} for DynamoDB Local is already in use. Stop whatever listens on it, or choose another port with ${localSettings.dynamoDbPort.env}=<port>.`,
    );
  }
}

async function waitUntilReady(endpoint: string, failure: () => string | undefined): Promise<void> {
  const client = new DynamoDBClient({
    ...localDynamoDbClientConfig(endpoint),
    maxAttempts: 1, // we poll ourselves
    requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      const failed = failure();
      if (failed) throw new Error(failed);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000} s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || exited(child)) return; // never started, or already gone
  const exit = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  // The JVM normally exits at once on SIGTERM; force it if it hangs.
  const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exit;
  clearTimeout(force);
}
