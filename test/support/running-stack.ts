// Runs `npm start`'s program as a child process on free ports, as a newcomer would, and talks to it
// over HTTP only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Role } from '../../shared/wiring/http-routes';
import { signLocalToken } from '../../local/tokens';
import { freePort } from './free-port';

export { freePort };

export interface RunningStack {
  apiUrl: string;
  eventsUrl: string;
  /** Its PORT and DATA_DIR, for running the CLIs (`npm run redrive`, …) against it. */
  port: number;
  eventsPort: number;
  dataDir: string;
  dynamoDbPort: number;
  /** How the runtime's process ended (for a test that makes it kill itself). */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills (SIGKILL) the DynamoDB Local the runtime started, as a power cut would, and waits for its port to be free. */
  killDynamoDbLocal(): Promise<void>;
  /** The DynamoDB Local JVM's pid as the runtime last logged it (a supervised restart logs a new one). */
  dynamoDbPid(): number | undefined;
  output: () => string;
  /** Waits until the outbox is read to its end and the bus has delivered everything sent so far (`busOnly`: the bus alone). */
  idle(options?: { busOnly?: boolean }): Promise<void>;
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>;
  /** Stops the runtime (SIGTERM, as Ctrl-C) and removes its data, unless `keepData` (to run a CLI on it). */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface RunningStackOptions {
  /** Extra environment for the runtime (a fault to inject). */
  env?: Record<string, string>;
  /** Start again on the ports and data of a stack whose process has ended (a restart after a crash). */
  sameAs?: RunningStack;
}

export async function startRunningStack(options: RunningStackOptions = {}): Promise<RunningStack> {
  const { sameAs } = options;
  const [port, eventsPort, dynamoDbPort] = sameAs
    ? [sameAs.port, sameAs.eventsPort, sameAs.dynamoDbPort]
    : [await freePort(), await freePort(), await freePort()];
  const dataDir = sameAs?.dataDir ?? mkdtempSync(join(tmpdir(), 'fostering-e2e-'));
  // `node --import tsx`, as `npm start` runs it: one process, which gets our signals itself. (tsx's CLI runs
  // the program in a second process and SIGKILLs it if it has not answered a relayed signal within 60 ms,
  // which a busy machine makes happen: the stop's SIGTERM then left its DynamoDB Local running.)
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    cwd: join(__dirname, '../..'),
    env: {
      ...process.env,
      ...options.env,
      PORT: String(port),
      EVENTS_PORT: String(eventsPort),
      DYNAMODB_PORT: String(dynamoDbPort),
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const apiUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!running(child)) throw new Error(`the local stack exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    try {
      if ((await fetch(`${apiUrl}/health`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the local stack did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  const call: RunningStack['call'] = async (method, path, options = {}) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await response.text();
    // A page (the enquiry form's) is its text; everything else the API answers is JSON.
    const isPage = (response.headers.get('content-type') ?? '').startsWith('text/html');
    return { status: response.status, body: text ? (isPage ? text : JSON.parse(text)) : undefined };
  };

  const dynamoDbPid = (): number | undefined => {
    const pids = [...output.matchAll(/\[dynamodb\] DynamoDB Local (?:started|is back) on port \d+ \(pid (\d+)\)/g)];
    const last = pids.at(-1)?.[1];
    return last === undefined ? undefined : Number(last);
  };

  return {
    apiUrl,
    eventsUrl: `http://127.0.0.1:${eventsPort}`,
    port,
    eventsPort,
    dataDir,
    dynamoDbPort,
    exited: () => exit,
    killDynamoDbLocal: async () => {
      const pid = dynamoDbPid();
      if (pid === undefined) throw new Error(`no DynamoDB Local pid in the runtime's output:\n${output}`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await untilPortFree(dynamoDbPort);
    },
    dynamoDbPid,
    output: () => output,
    idle: async ({ busOnly = false } = {}) => {
      const response = await fetch(`${apiUrl}/_local/idle${busOnly ? '?only=bus' : ''}`);
      if (response.status !== 200) throw new Error(`idle: ${response.status}`);
    },
    call,
    stop: async ({ keepData = false } = {}) => {
      if (running(child)) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Neither exited nor killed by a signal (then its exitCode stays null: the outbox fault test's SIGKILL). */
const running = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/** Waits (up to 30 s) until nothing listens on the port. */
async function untilPortFree(port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return;
    if (Date.now() > deadline) throw new Error(`port ${port} was still taken 30 s after the kill`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const tokenFor = (agencyId: string, ...groups: Role[]) => signLocalToken({ groups, agencyId });

export type StackCall = () => Promise<{ status: number; body: any }>;

/** Sends calls a few at a time (as several officers would), expects each to be accepted (202),
 *  then waits until the bus has delivered everything. Returns the answers in order. */
export async function acceptedInBatches(stack: RunningStack, calls: StackCall[], label: string): Promise<any[]> {
  const bodies: any[] = [];
  for (let i = 0; i < calls.length; i += 8) {
    const results = await Promise.all(calls.slice(i, i + 8).map((call) => call()));
    results.forEach((r, j) => expect([label, i + j, r.status, r.body?.error]).toEqual([label, i + j, 202, undefined]));
    bodies.push(...results.map((r) => r.body));
  }
  await stack.idle();
  return bodies;
}
