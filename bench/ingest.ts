// Ingest: events published to the local bus with the unmodified SDK client, as another system
// would, in batches of up to 10 (PutEvents' maximum), with at most `inFlight` events not yet visible:
// enough to keep every delivery slot busy, few enough that the latency measured is the system's
// own and not the time spent queueing behind a backlog the publisher piled up.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type DomainEvent } from '../shared/events/catalogue';
import { EVENT_BUS_NAME } from '../shared/wiring/event-routes';
import type { RuntimeWorker } from './worker-client';
import type { IngestReport } from './worker-protocol';

export interface CpuUse {
  runtimeMs: number;
  dynamoDbLocalMs?: number;
  publisherMs: number;
}
export interface IngestResult {
  events: number;
  inFlight: number;
  seconds: number;
  eventsPerSecond: number;
  report: IngestReport;
  cpu: CpuUse;
}

/** CPU used by the runtime, DynamoDB Local and this process (the publisher, or the floor's client) while `work` runs. */
export async function cpuDuring<T>(worker: RuntimeWorker, work: () => Promise<T>): Promise<{ result: T; cpu: CpuUse }> {
  const before = await worker.request({ type: 'cpu' }, 'cpu');
  const own = process.cpuUsage();
  const result = await work();
  const { user, system } = process.cpuUsage(own);
  const after = await worker.request({ type: 'cpu' }, 'cpu');
  return {
    result,
    cpu: {
      runtimeMs: after.runtimeMs - before.runtimeMs,
      dynamoDbLocalMs: after.dynamoDbLocalMs === undefined ? undefined : after.dynamoDbLocalMs - before.dynamoDbLocalMs!,
      publisherMs: (user + system) / 1000,
    },
  };
}

const BATCH = 10;

export async function runIngest(worker: RuntimeWorker, events: readonly DomainEvent[], inFlight: number): Promise<IngestResult> {
  const client = new EventBridgeClient({
    endpoint: worker.eventsUrl,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await worker.request({ type: 'reset' }, 'reset');
  let settled = 0;
  let wake: (() => void) | undefined;
  worker.onSettled((count) => {
    settled += count;
    wake?.();
  });
  let startedEpochMs = 0;
  try {
    const { result: report, cpu } = await cpuDuring(worker, () => publish());
    const seconds = (report.settled.lastSettledEpochMs - startedEpochMs) / 1000;
    return { events: events.length, inFlight, seconds, eventsPerSecond: events.length / seconds, report, cpu };
  } finally {
    worker.onSettled(undefined);
    client.destroy();
  }

  async function publish(): Promise<IngestReport> {
    startedEpochMs = performance.timeOrigin + performance.now();
    let sent = 0;
    // Waits for room for a sizeable batch, so a saturated bus is not fed one event per request.
    const minBatch = Math.min(BATCH, Math.ceil(inFlight / 2));
    while (sent < events.length) {
      while (inFlight - (sent - settled) < Math.min(minBatch, events.length - sent))
        await new Promise<void>((done) => {
          wake = done;
        });
      const batch = events.slice(sent, sent + Math.min(BATCH, inFlight - (sent - settled)));
      sent += batch.length;
      const result = await client.send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({
            EventBusName: EVENT_BUS_NAME,
            Source: EVENT_SOURCE,
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
          })),
        }),
      );
      if (result.FailedEntryCount)
        throw new Error(`PutEvents refused ${result.FailedEntryCount} event(s): ${JSON.stringify(result.Entries)}`);
    }
    // The stream reader keeps the conversion counts behind the projectors (in AWS a Lambda of its
    // own): the report waits for it, so that its requests are all counted and the floor, measured
    // next, does not share DynamoDB Local with it. The wall time ends at the last projection.
    await worker.request({ type: 'caught-up' }, 'caught-up');
    return worker.request({ type: 'ingest-report' }, 'ingest-report');
  }
}
