// Runs the official DynamoDB Local jar (shipped in the npm package amplify-dynamodb-simulator) as a
// child process of this one. Facts behind the choices: /work/shared/ENGINEERING.md, "DynamoDB Local".
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { LocalRuntimeError } from './errors';

/** The variable the local runtime reads DynamoDB Local's port from. */
export const LOCAL_DYNAMODB_PORT_ENV = 'DYNAMODB_PORT';
const MIN_JAVA = 17;
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  port: number;
  /** Directory for a persistent database; absent = in memory. */
  dbPath?: string;
  /** Host in the endpoint URL (the jar listens on all IPv4 interfaces). */
  host?: string;
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
  const { port, dbPath, host = '127.0.0.1' } = options;
  await assertJava();
  await assertPortFree(port);

  const emulator = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  const dir = dbPath ? resolve(dbPath) : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  const storage = dir ? ['-dbPath', dir] : ['-inMemory'];
  // Not detached: it shares our process group, so Ctrl-C reaches it too.
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-jar', join(emulator, 'DynamoDBLocal.jar'),
      '-sharedDb', '-disableTelemetry', '-port', String(port), ...storage,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  let stderr = '';
  let spawnError: Error | undefined;
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
  child.on('error', (error) => { spawnError = error; process.off('exit', killOnExit); });

  const endpoint = `http://${host}:${port}`;
  const stop = () => stopChild(child);
  try {
    await waitUntilReady(endpoint, () => {
      // On a failed bind the jar prints the exception but its JVM stays up, so watch stderr too.
      if (spawnError || exited(child) || stderr.includes('Exception in thread "main"')) {
        return `DynamoDB Local failed to start${spawnError ? `: ${spawnError.message}` : ''}`;
      }
      return undefined;
    });
  } catch (error) {
    await stop();
    const tail = stderr.trim().split('\n').slice(-15).join('\n');
    throw new LocalRuntimeError(`${(error as Error).message}\n--- DynamoDB Local stderr (tail) ---\n${tail || '(empty)'}`);
  }
  return { endpoint, stop };
}

async function assertJava(): Promise<void> {
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
      `Port ${port} for DynamoDB Local is already in use. Stop whatever listens on it, or choose another port with ${LOCAL_DYNAMODB_PORT_ENV}=<port>.`,
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
