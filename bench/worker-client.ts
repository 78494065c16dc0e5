// Starts the runtime worker and talks to it over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { WorkerReply, WorkerRequest } from './worker-protocol';
import { freePort } from '../test/support/free-port';

type Ready = Extract<WorkerReply, { type: 'ready' }>;

export interface RuntimeWorker extends Ready {
  pid: number;
  /** Sends a request and resolves with the worker's next reply of `replyType`. */
  request<T extends WorkerReply['type']>(message: WorkerRequest, replyType: T): Promise<Extract<WorkerReply, { type: T }>>;
  /** Called with each batch of newly visible events the publisher sent. */
  onSettled(listener: ((count: number) => void) | undefined): void;
  stop(): Promise<void>;
}

export async function startRuntimeWorker(): Promise<RuntimeWorker> {
  const child: ChildProcess = fork(join(__dirname, 'runtime-worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    // The handlers' INFO logs go where Lambda's would, here nowhere; errors stay visible.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_DYNAMODB_PORT: String(await freePort()) },
  });
  const waiting = new Map<string, Array<(reply: WorkerReply) => void>>();
  let settledListener: ((count: number) => void) | undefined;
  let failed: ((error: Error) => void) | undefined;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const ready = new Promise<Ready>((resolve, reject) => {
    failed = reject;
    child.once('exit', (code) => reject(new Error(`the runtime worker exited (${code})`)));
    child.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') return resolve(reply);
      if (reply.type === 'settled') return settledListener?.(reply.count);
      if (reply.type === 'error') return failed?.(new Error(`runtime worker: ${reply.message}`));
      waiting.get(reply.type)?.shift()?.(reply);
    });
  });

  const info = await ready;
  return {
    ...info,
    pid: child.pid!,
    request: (message, replyType) =>
      new Promise((resolve, reject) => {
        failed = reject;
        const queue = waiting.get(replyType) ?? [];
        queue.push(resolve as (reply: WorkerReply) => void);
        waiting.set(replyType, queue);
        child.send(message);
      }),
    onSettled: (listener) => {
      settledListener = listener;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      child.send({ type: 'stop' } satisfies WorkerRequest);
      const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(force);
    },
  };
}
