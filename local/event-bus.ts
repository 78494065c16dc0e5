// The local EventBridge: an HTTP endpoint that speaks PutEvents (AWS JSON 1.1) to the unmodified
// SDK client, and routes each event by the same rules the CDK stack deploys (shared/wiring/event-routes.ts) to
// the same handlers, with retries and a dead-letter store in place of the targets' SQS queues.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { EventBridgeEvent, SQSEvent } from 'aws-lambda';
import { EVENT_BUS_NAME, eventRoutes, type EventRoute } from '../shared/wiring/event-routes';
import { messageGroupOf } from '../shared/wiring/message-groups';
import type { DeadLetterStore } from './dead-letters/store';
import { BodyTooLargeError, close, listen, readBody } from './http-helpers';
import { lambdaContext, LOCAL_ACCOUNT, requireHandler, type HandlerLoader } from './lambda-runtime';
import { localSettings } from './settings';
import { matchesEventPattern } from './event-pattern';

export type BusEvent = EventBridgeEvent<string, unknown>;

export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
  Resources?: string[];
}
export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };
export interface PutEventsResponse {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

/** A request-level error, answered as the AWS JSON protocol does (`__type` + message). */
class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024; // EventBridge's limit for one PutEvents call

export interface RetryPolicy {
  /** Invocations per delivery, the first included. */
  attempts: number;
  /** Delay before the first retry; doubled before each further one, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface EventBusOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  busName?: string;
  region?: string;
  routes?: readonly EventRoute[];
  loadHandler?: HandlerLoader;
  deadLetters: Pick<DeadLetterStore, 'add'>;
  retry?: Partial<RetryPolicy>;
  /** Deliveries running at once. */
  concurrency?: number;
  /** Timeout each handler is told about through its context. */
  handlerTimeoutMs?: number;
  log?: (line: string) => void;
  /** Told when each delivery is over (the bench measures accepted → projection visible with it). */
  onSettled?: (settled: DeliverySettled) => void;
}

export interface DeliverySettled {
  event: BusEvent;
  route: string;
  outcome: 'delivered' | 'dead-lettered';
  /** performance.now() when PutEvents accepted the event, and when this delivery ended. */
  acceptedAt: number;
  settledAt: number;
}

export interface BusCounts {
  /** Deliveries whose handler succeeded. */
  delivered: number;
  /** Invocations that threw (each attempt counts, retried or not). */
  failed: number;
  /** Deliveries given up after the last attempt and written to the dead-letter store. */
  deadLettered: number;
  /** Deliveries queued, running or waiting to be retried. */
  pending: number;
}

export type RedeliveryOutcome = { delivered: true } | { delivered: false; attempts: number; reason: string };

export interface LocalEventBus {
  url: string;
  port: number;
  /** PutEvents in-process: what the HTTP endpoint does with a request. */
  putEvents(request: { Entries?: PutEventsEntry[] }): PutEventsResponse;
  /** Resolves once no delivery is queued, running or waiting for a retry. */
  whenIdle(): Promise<void>;
  counts(): BusCounts;
  /** Delivers an event again to one route (a redrive), with the same retries; dead-letters nothing itself. */
  redeliver(routeName: string, event: BusEvent): Promise<RedeliveryOutcome>;
  /** Routes again every event accepted at or after `sinceMs` (Date.now() time) that is still remembered
   *  (the last RECENT_EVENTS_MS): the local archive replay after DynamoDB Local lost writes. Returns how many. */
  replayAcceptedSince(sinceMs: number): number;
  /** The events accepted in the last RECENT_EVENTS_MS whose detail has this eventId (how often an event reached the bus). */
  acceptedWithEventId(eventId: string): BusEvent[];
  /** Stops taking events and waits (up to drainMs) for deliveries under way. */
  stop(drainMs?: number): Promise<void>;
}

export async function startLocalEventBus(options: EventBusOptions): Promise<LocalEventBus> {
  const bus = new EventBus(options);
  const host = options.host ?? '127.0.0.1';
  const port = await listen(bus.server, options.port ?? 0, host, localSettings.eventsPort.env);
  const url = `http://${host}:${port}`;
  return {
    url,
    port,
    putEvents: (request) => bus.putEvents(request),
    whenIdle: () => bus.whenIdle(),
    counts: () => bus.counts(),
    redeliver: (routeName, event) => bus.redeliver(routeName, event),
    replayAcceptedSince: (sinceMs) => bus.replayAcceptedSince(sinceMs),
    acceptedWithEventId: (eventId) => bus.acceptedWithEventId(eventId),
    stop: async (drainMs = 5_000) => {
      await close(bus.server);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        bus.whenIdle(),
        new Promise((done) => {
          timer = setTimeout(done, drainMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

/** How long, and how many, accepted events the bus remembers for a replay. */
export const RECENT_EVENTS_MS = 60_000;
const MAX_RECENT_EVENTS = 100_000;

class EventBus {
  readonly server = createServer((request, response) => {
    void this.serve(request).then(({ statusCode, body, errorType }) => {
      response.writeHead(statusCode, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': randomUUID(),
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      response.end(JSON.stringify(body));
    });
  });

  private readonly busName: string;
  private readonly region: string;
  private readonly routes: readonly EventRoute[];
  private readonly loadHandler: HandlerLoader;
  private readonly retry: RetryPolicy;
  private readonly concurrency: number;
  private readonly log: (line: string) => void;
  private readonly tally = { delivered: 0, failed: 0, deadLettered: 0 };
  private pending = 0;
  private running = 0;
  private readonly slotWaiters: Array<() => void> = [];
  private readonly idleWaiters: Array<() => void> = [];
  /** Ordered routes: the last delivery queued in each message group, which the next one waits for. */
  private readonly groupTails = new Map<string, Promise<void>>();
  /** Events accepted in the last RECENT_EVENTS_MS, oldest first: what a replay can deliver again. */
  private readonly recent: Array<{ acceptedAt: number; event: BusEvent }> = [];

  constructor(private readonly options: EventBusOptions) {
    this.busName = options.busName ?? EVENT_BUS_NAME;
    this.region = options.region ?? process.env.AWS_REGION ?? 'eu-west-2';
    this.routes = options.routes ?? eventRoutes;
    this.loadHandler = options.loadHandler ?? requireHandler;
    this.retry = { attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000, ...options.retry };
    this.concurrency = options.concurrency ?? 8;
    this.log = options.log ?? ((line) => console.log(line));
  }

  private async serve(request: IncomingMessage): Promise<{ statusCode: number; body: unknown; errorType?: string }> {
    try {
      if (request.method !== 'POST' || request.url !== '/') {
        throw new AwsError('UnknownOperationException', 'the local bus takes PutEvents as POST /', 404);
      }
      const target = request.headers['x-amz-target'];
      if (target !== 'AWSEvents.PutEvents') {
        throw new AwsError('UnknownOperationException', `${String(target)} is not supported locally: only AWSEvents.PutEvents`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readBody(request, MAX_REQUEST_BYTES));
      } catch (error) {
        if (error instanceof BodyTooLargeError)
          throw new AwsError('ValidationException', 'Total size of the entries in the request is over the limit.', 413);
        throw new AwsError('SerializationException', 'the request body is not JSON');
      }
      return { statusCode: 200, body: this.putEvents(parsed as { Entries?: PutEventsEntry[] }) };
    } catch (error) {
      const aws = error instanceof AwsError ? error : new AwsError('InternalFailure', 'internal error in the local bus', 500);
      if (!(error instanceof AwsError)) this.log(`[bus] PutEvents failed: ${(error as Error).message}`);
      return { statusCode: aws.statusCode, body: { __type: aws.type, message: aws.message }, errorType: aws.type };
    }
  }

  putEvents(request: { Entries?: PutEventsEntry[] }): PutEventsResponse {
    const entries = request?.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
      );
    }
    const results = entries.map((entry) => this.accept(entry));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  whenIdle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((done) => this.idleWaiters.push(done));
  }

  counts(): BusCounts {
    return { ...this.tally, pending: this.pending };
  }

  private accept(entry: PutEventsEntry): PutEventsResultEntry {
    if (!this.isThisBus(entry.EventBusName)) {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Event bus ${entry.EventBusName ?? 'default'} does not exist: the local bus is ${this.busName}.`,
      };
    }
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof entry[field] !== 'string' || entry[field] === '') {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
      }
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail as string);
    } catch {
      detail = undefined;
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const time = entry.Time === undefined ? new Date() : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
    if (Number.isNaN(time.getTime())) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid.' };
    }
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType as string,
      source: entry.Source as string,
      account: LOCAL_ACCOUNT,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'), // AWS gives whole seconds
      region: this.region,
      resources: entry.Resources ?? [],
      detail,
    };
    this.remember(event);
    this.route(event);
    return { EventId: event.id };
  }

  // The local stand-in for the bus archive's replay (StartReplay in AWS), kept in memory and short:
  // it only has to cover the writes a crashed DynamoDB Local acknowledged but did not keep.
  private remember(event: BusEvent): void {
    const now = Date.now();
    this.recent.push({ acceptedAt: now, event });
    while (this.recent.length > MAX_RECENT_EVENTS || this.recent[0]!.acceptedAt < now - RECENT_EVENTS_MS) this.recent.shift();
  }

  acceptedWithEventId(eventId: string): BusEvent[] {
    return this.recent.map((accepted) => accepted.event).filter((event) => (event.detail as { eventId?: unknown }).eventId === eventId);
  }

  replayAcceptedSince(sinceMs: number): number {
    const replayed = this.recent.filter((accepted) => accepted.acceptedAt >= sinceMs);
    for (const { event } of replayed) this.route(event);
    return replayed.length;
  }

  private isThisBus(name: string | undefined): boolean {
    if (name === this.busName) return true;
    return name !== undefined && /^arn:aws[\w-]*:events:[\w-]+:\d{12}:event-bus\/(.+)$/.exec(name)?.[1] === this.busName;
  }

  /** Counts each delivery now, so that whenIdle() after the reply covers it, and starts it after the reply. */
  private route(event: BusEvent): void {
    const targets = this.routes.filter((route) => matchesEventPattern(route.pattern, event));
    if (targets.length === 0) this.log(`[bus] no rule matches ${event.source} ${event['detail-type']} (${event.id}): dropped`);
    const acceptedAt = performance.now();
    for (const route of targets) {
      this.pending += 1;
      void this.inOrder(route, event, () => this.deliver(route, event, acceptedAt));
    }
  }

  /**
   * Starts `work` after the reply; for an ordered route, only once the deliveries queued before it in
   * the event's message group are over (delivered or dead-lettered), as a FIFO queue hands a group's
   * messages to Lambda one at a time. Waiting deliveries hold no slot.
   */
  private inOrder<T>(route: EventRoute, event: BusEvent, work: () => Promise<T>): Promise<T> {
    const group = messageGroupOf(route, event);
    const key = group === undefined ? undefined : `${route.name}\u0000${group}`;
    const before = key === undefined ? undefined : this.groupTails.get(key);
    const run = new Promise<void>((started) => setImmediate(started)).then(() => before).then(work);
    if (key !== undefined) {
      const tail = run.then(
        () => undefined,
        () => undefined,
      );
      this.groupTails.set(key, tail);
      void tail.then(() => {
        if (this.groupTails.get(key) === tail) this.groupTails.delete(key);
      });
    }
    return run;
  }

  private async deliver(route: EventRoute, event: BusEvent, acceptedAt: number): Promise<void> {
    let outcome: DeliverySettled['outcome'] = 'dead-lettered';
    try {
      const result = await this.withRetries(route, event);
      if (result.delivered) outcome = 'delivered';
      else await this.deadLetter(route, event, result.attempts, result.reason);
    } finally {
      this.options.onSettled?.({ event, route: route.name, outcome, acceptedAt, settledAt: performance.now() });
      this.settled();
    }
  }

  async redeliver(routeName: string, event: BusEvent): Promise<RedeliveryOutcome> {
    const route = this.routes.find((candidate) => candidate.name === routeName);
    if (!route) return { delivered: false, attempts: 0, reason: `no route is named ${routeName} any more` };
    this.pending += 1;
    try {
      return await this.inOrder(route, event, () => this.withRetries(route, event));
    } finally {
      this.settled();
    }
  }

  /** Invokes the route's handler up to `attempts` times, backing off between attempts. */
  private async withRetries(route: EventRoute, event: BusEvent): Promise<RedeliveryOutcome> {
    const { attempts } = this.retry;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.withSlot(() => this.invoke(route, event));
        this.tally.delivered += 1;
        return { delivered: true };
      } catch (error) {
        this.tally.failed += 1;
        const reason = error instanceof Error ? error.message : String(error);
        this.log(`[bus] ${route.name} failed on ${event['detail-type']} ${event.id} (attempt ${attempt}/${attempts}): ${reason}`);
        if (attempt >= attempts) return { delivered: false, attempts: attempt, reason };
        // The slot is free while waiting, so one failing handler cannot stall the others.
        await sleep(Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  private settled(): void {
    this.pending -= 1;
    if (this.pending === 0) for (const done of this.idleWaiters.splice(0)) done();
  }

  private async invoke(route: EventRoute, event: BusEvent): Promise<void> {
    const handler = await this.loadHandler(route.handler);
    // Each target gets its own copy, as in AWS: one handler changing the event cannot affect another.
    const input = route.ordered ? fifoBatchOf(event, messageGroupOf(route, event), this.region) : structuredClone(event);
    const result = await handler(input, lambdaContext(route.name, this.options.handlerTimeoutMs));
    const failures = (result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures;
    if (Array.isArray(failures) && failures.length > 0)
      throw new Error(`${route.name} reported ${failures.length} record(s) of the batch failed`);
  }

  private async deadLetter(route: EventRoute, event: BusEvent, attempts: number, reason: string): Promise<void> {
    try {
      await this.options.deadLetters.add({ route: route.name, attempts, reason, event });
      this.tally.deadLettered += 1;
      this.log(`[bus] ${route.name}: event ${event.id} dead-lettered (npm run dead-letters; npm run redrive once the cause is fixed)`);
    } catch (error) {
      this.log(`[bus] could not dead-letter event ${event.id} for ${route.name}: ${(error as Error).message}`);
    }
  }

  private async withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) this.running += 1;
    else await new Promise<void>((granted) => this.slotWaiters.push(granted)); // the slot is handed over as is
    try {
      return await work();
    } finally {
      const next = this.slotWaiters.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** What Lambda's SQS event source hands a function reading an ordered route's FIFO queue: here a
 *  batch of one, the message body being the EventBridge event as the router put it on the queue. */
export function fifoBatchOf(event: BusEvent, group: string | undefined, region: string): SQSEvent {
  const now = String(Date.now());
  const messageId = randomUUID();
  return {
    Records: [
      {
        messageId,
        receiptHandle: `local-${messageId}`,
        body: JSON.stringify(event),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: now,
          SenderId: LOCAL_ACCOUNT,
          ApproximateFirstReceiveTimestamp: now,
          SequenceNumber: '0',
          // An event without a group (an invalid one) goes alone, under its own id.
          MessageGroupId: group ?? event.id,
          MessageDeduplicationId: event.id,
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${region}:${LOCAL_ACCOUNT}:local-ordered.fifo`,
        awsRegion: region,
      },
    ],
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
