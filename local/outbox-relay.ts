// The local stand-in for the two readers of the projections table's stream in AWS: EventBridge Pipes
// (infra/outbox.ts), which puts the events of new outbox entries on the bus, and the conversion
// counts' Lambda (infra/conversion-counts.ts), with its code. Written by hand: no library reads
// DynamoDB Local's stream into a local bus.
//
// After each batch is counted and on the bus, the last sequence number read is saved (a checkpoint
// file under DATA_DIR, written whole then renamed), so after a crash or a restart reading resumes
// after what was already handled: an event stored before the crash and not yet published is
// published once. If the process dies between handling a batch and saving its checkpoint, that batch
// is handled again (at least once, as Pipes and Lambda deliver); every projector counts an eventId
// once, and the conversion counts a state version once.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { OUTBOX_FILTER_PATTERN, outboxEntry, outboxEventOf } from '../shared/store/outbox';
import { applyStateChanges, STATE_CHANGE_FILTER_PATTERN } from '../shared/store/conversion-counts';
import { ACKNOWLEDGEMENT_FILTER_PATTERN, type AcknowledgementOwed } from '../shared/store/acknowledgements';
import { matchesEventPattern } from './event-pattern';
import type { DomainEvent } from '../shared/events/catalogue';
import { localDynamoDbClientConfig } from './dynamodb-local';
import type { LocalEventBus } from './event-bus';

export interface OutboxRelayOptions {
  dynamoDbEndpoint: string;
  /** The table whose stream is the outbox (the projections table). */
  tableName: () => string;
  bus: Pick<LocalEventBus, 'putEvents'>;
  busName: string;
  /** Where the checkpoint is kept; absent, only in memory (a fresh in-memory database has a new stream anyway). */
  checkpointFile?: string;
  /** Pause after a read that found nothing new; it doubles while the stream stays quiet, up to
   *  IDLE_POLL_MAX_MS, and is back to this as soon as something is found or someone waits. */
  pollMs?: number;
  log?: (line: string) => void;
  /** Sends the acknowledgement an enquiry is owed (the third reader in AWS: infra/acknowledgements.ts);
   *  retries and dead-letters on its own, so the outbox never waits on mail. */
  acknowledge?: (owed: AcknowledgementOwed) => Promise<void>;
  /** Called with each batch just before it is put on the bus (the fault test stops the process here). */
  beforePublish?: (events: readonly DomainEvent[]) => void | Promise<void>;
}

export interface OutboxRelay {
  /** Resolves once a full read of every shard, begun after this call, found nothing new. */
  whenCaughtUp(): Promise<void>;
  counts(): { published: number; invalid: number };
  stop(): Promise<void>;
}

const DESCRIBE_EVERY = 40;
/** A quiet stream is read four times a second (as Lambda polls a stream's shards), not forty: polling
 *  at 25 ms kept an idle `npm start` at about 30% of a core (DynamoDB Local's JVM and the relay). */
const IDLE_POLL_MAX_MS = 250;

/** Stream ARN → shard id → the last sequence number whose record was handled. */
type Checkpoints = Record<string, Record<string, string>>;

export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const log = options.log ?? (() => undefined);
  const pollMs = options.pollMs ?? 25;
  const config = localDynamoDbClientConfig(options.dynamoDbEndpoint);
  const dynamo = new DynamoDBClient({ ...config, maxAttempts: 2 });
  const streams = new DynamoDBStreamsClient({ ...config, maxAttempts: 2 });
  const checkpoints: Checkpoints = readCheckpoints(options.checkpointFile);
  const tally = { published: 0, invalid: 0 };
  let stopped = false;
  let cycle = 0;
  // The pause between reads ends early when someone waits to see the outbox caught up.
  let wake: (() => void) | undefined;
  /** Resolves after `ms`, or sooner when woken: true if it was woken. */
  const pause = (ms: number) =>
    new Promise<boolean>((done) => {
      const timer = setTimeout(() => {
        wake = undefined;
        done(false);
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        done(true);
      };
    });
  const waiters: Array<{ after: number; done: () => void }> = [];

  const saveCheckpoint = (streamArn: string, shardId: string, sequenceNumber: string): void => {
    (checkpoints[streamArn] ??= {})[shardId] = sequenceNumber;
    if (!options.checkpointFile) return;
    const temporary = `${options.checkpointFile}.tmp`;
    writeFileSync(temporary, JSON.stringify(checkpoints));
    renameSync(temporary, options.checkpointFile);
  };

  const publish = async (records: StreamRecord[]): Promise<void> => {
    // The conversion counts first; a failure throws, and the batch is read again from the checkpoint.
    const stateRecords = records.filter((r) => matchesEventPattern(STATE_CHANGE_FILTER_PATTERN, r));
    const { failedAt, error } = await applyStateChanges(stateRecords);
    if (failedAt !== -1) throw error;
    const events: DomainEvent[] = [];
    for (const record of records) {
      // The Pipe's filter, the same pattern: new items that bear the outbox marker. Other writes
      // (projections, states, what projectors stored from the bus) are not published.
      if (!matchesEventPattern(OUTBOX_FILTER_PATTERN, record) || !record.dynamodb?.NewImage) continue;
      const entry = outboxEventOf(unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>));
      if (!entry.publish) continue;
      if ('error' in entry) {
        tally.invalid += 1;
        log(`[outbox] an outbox entry that is not a valid event was left unpublished: ${entry.error}`);
        continue;
      }
      events.push(entry.event);
    }
    for (let i = 0; i < events.length; i += 10) {
      const batch = events.slice(i, i + 10);
      await options.beforePublish?.(batch);
      const result = options.bus.putEvents({ Entries: batch.map((event) => outboxEntry(event, options.busName)) });
      if (result.FailedEntryCount > 0)
        throw new Error(`the bus refused ${result.FailedEntryCount} outbox event(s): ${JSON.stringify(result.Entries)}`);
      tally.published += batch.length;
    }
    if (options.acknowledge) {
      for (const record of records.filter((r) => matchesEventPattern(ACKNOWLEDGEMENT_FILTER_PATTERN, r))) {
        const item = unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>);
        await options.acknowledge(item.acknowledgement as AcknowledgementOwed);
      }
    }
  };

  /** Reads every shard of the stream once, from its checkpoint to its end; true if anything was new. */
  let shardIds: string[] = [];
  /** A shard was read to its close: its child is described before the next read, not cycles later,
   *  so that a caller told "caught up" is not told so with the child's records unread. */
  let awaitingChild = false;
  const readOnce = async (iterators: Map<string, string | undefined>, streamArn: string, describe: boolean): Promise<boolean> => {
    // New shards appear now and then: the stream is described again every so often, not on every read.
    if (describe || awaitingChild || shardIds.length === 0) {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      const described = (StreamDescription?.Shards ?? []).map((shard) => shard.ShardId!);
      if (described.some((id) => !shardIds.includes(id))) awaitingChild = false;
      shardIds = described;
    }
    let found = false;
    for (const shardId of shardIds) {
      if (iterators.has(shardId) && iterators.get(shardId) === undefined) continue; // closed and read to its end
      let iterator = iterators.get(shardId);
      if (!iterator) {
        const after = checkpoints[streamArn]?.[shardId];
        iterator = (
          await streams.send(
            new GetShardIteratorCommand({
              StreamArn: streamArn,
              ShardId: shardId,
              ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
            }),
          )
        ).ShardIterator;
      }
      // Read the shard until a read returns nothing (or the shard is closed).
      for (;;) {
        if (!iterator) break;
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const records = page.Records ?? [];
        if (records.length > 0) {
          found = true;
          await publish(records);
          saveCheckpoint(streamArn, shardId, records.at(-1)!.dynamodb!.SequenceNumber!);
        }
        iterator = page.NextShardIterator;
        if (records.length === 0) break;
      }
      if (iterator === undefined) awaitingChild = true;
      iterators.set(shardId, iterator);
    }
    return found;
  };

  const run = async (): Promise<void> => {
    let streamArn: string | undefined;
    let iterators = new Map<string, string | undefined>();
    let idlePause = pollMs;
    while (!stopped) {
      const started = ++cycle;
      try {
        // Looked up again after any failure: an in-memory DynamoDB Local restarted has new tables and streams.
        streamArn ??= (await dynamo.send(new DescribeTableCommand({ TableName: options.tableName() }))).Table?.LatestStreamArn;
        if (!streamArn) throw new Error(`table ${options.tableName()} has no stream`);
        const found = await readOnce(iterators, streamArn, started % DESCRIBE_EVERY === 1);
        if (found) idlePause = pollMs;
        else {
          for (const waiter of waiters.filter((w) => w.after < started)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.done();
          }
          // Whoever still waits asked during this read: the next one, begun after they asked, starts now.
          if (waiters.length > 0) {
            idlePause = pollMs;
            continue;
          }
          // Someone asking wakes the pause (whenCaughtUp), and reading goes back to its quick pace.
          if (await pause(idlePause)) idlePause = pollMs;
          else idlePause = Math.min(idlePause * 2, Math.max(pollMs, IDLE_POLL_MAX_MS));
        }
      } catch (error) {
        if (stopped) break;
        if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException)) {
          log(`[outbox] reading the stream failed, trying again: ${(error as Error).message}`);
        }
        streamArn = undefined;
        iterators = new Map();
        shardIds = [];
        await pause(Math.max(pollMs, 250));
      }
    }
  };
  const running = run();

  return {
    whenCaughtUp: () =>
      new Promise<void>((done) => {
        waiters.push({ after: cycle, done });
        wake?.();
      }),
    counts: () => ({ ...tally }),
    stop: async () => {
      stopped = true;
      wake?.();
      await running;
      for (const waiter of waiters.splice(0)) waiter.done();
      dynamo.destroy();
      streams.destroy();
    },
  };
}

function readCheckpoints(file: string | undefined): Checkpoints {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Checkpoints;
  } catch {
    return {}; // none yet
  }
}

/** Resolves once the outbox is read to its end and the bus has delivered everything, including what
 *  those deliveries stored in the outbox in turn (a reward made due by a projector). */
export async function whenOutboxAndBusIdle(relay: OutboxRelay | undefined, bus: Pick<LocalEventBus, 'whenIdle'>): Promise<void> {
  for (;;) {
    const before = relay?.counts().published ?? 0;
    await relay?.whenCaughtUp();
    await bus.whenIdle();
    if (!relay) return;
    await relay.whenCaughtUp();
    if (relay.counts().published === before) return;
  }
}
