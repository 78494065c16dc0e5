// The local stand-in for the scheduled rules of shared/wiring/scheduled-jobs.ts: each job's handler runs with the
// event a scheduled EventBridge rule sends, at start and then every local interval. Needed because
// DynamoDB Local never expires anything by TTL: retention only happens if the job runs.
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { scheduledJobs, type ScheduledJob } from '../shared/wiring/scheduled-jobs';
import { LocalRuntimeError } from './errors';
import { lambdaContext, LOCAL_ACCOUNT, requireHandler, type HandlerLoader } from './lambda-runtime';

/** The event EventBridge sends a scheduled rule's target. */
export function scheduledEvent(job: ScheduledJob, time: Date): ScheduledEvent {
  const region = process.env.AWS_REGION ?? 'eu-west-2';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:events:${region}:${LOCAL_ACCOUNT}:rule/${job.name}Schedule`],
    detail: {},
  };
}

/** Runs one job once, as its rule would, and returns what the handler returned. */
export async function runScheduledJob(job: ScheduledJob, loadHandler: HandlerLoader = requireHandler): Promise<unknown> {
  const handler = await loadHandler(job.handler);
  return handler(scheduledEvent(job, new Date()), lambdaContext(job.name, job.timeoutSeconds * 1000));
}

export function localIntervalMs(job: ScheduledJob): number {
  const raw = process.env[job.localInterval.env];
  if (raw === undefined || raw === '') return job.localInterval.defaultMs;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 100)
    throw new LocalRuntimeError(`${job.localInterval.env}=${raw} is not a number of milliseconds (100 or more)`);
  return ms;
}

export interface LocalSchedules {
  stop(): Promise<void>;
}

/** Starts every job now and then every interval; a run never overlaps the previous one. */
export function startLocalSchedules(options: { loadHandler?: HandlerLoader; log: (line: string) => void }): LocalSchedules {
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;
  for (const job of scheduledJobs) {
    const intervalMs = localIntervalMs(job);
    const run = (): void => {
      if (stopped) return;
      const done = runScheduledJob(job, options.loadHandler)
        // The handler logs what it did; only a failure is added here, by its message.
        .then(
          () => undefined,
          (error: unknown) => options.log(`[schedule] ${job.name} failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => {
          running.delete(done);
          if (!stopped) timers.set(job.name, setTimeout(run, intervalMs));
        });
      running.add(done);
    };
    run();
  }
  return {
    stop: async () => {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}
