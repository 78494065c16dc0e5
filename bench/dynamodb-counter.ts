// Counts what a DynamoDB client sends and what DynamoDB says it cost: SDK middleware on the client
// (no proxy hop, so the timings being measured are not disturbed), attributed to whichever handler
// invocation is running through AsyncLocalStorage.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoDbCounts {
  /** HTTP requests sent: every SDK attempt, retries included. */
  requests: number;
  byOperation: Record<string, number>;
  /** Requests DynamoDB answered with an error (e.g. a transaction cancelled by a condition). */
  failed: number;
  /** Items DynamoDB read: ScannedCount of a Query or Scan, items returned by a Get. */
  itemsRead: number;
  /** ConsumedCapacity as DynamoDB Local reports it (we ask for it: ReturnConsumedCapacity INDEXES). */
  readUnits: number;
  /** Bytes of the items DynamoDB answered to reads, in their wire form (JSON of attribute values);
   *  read units round each item up to 4 KB, so only this shows the items read growing below that.
   *  Measured only where `settleBytes` is called (the bench's API calls), after the call. */
  bytesRead: number;
  writeUnits: number;
  /** The write units by where they were spent: 'table', or the index's name. */
  writeUnitsBy: Record<string, number>;
}

export const emptyCounts = (): DynamoDbCounts => ({
  requests: 0,
  byOperation: {},
  failed: 0,
  itemsRead: 0,
  readUnits: 0,
  bytesRead: 0,
  writeUnits: 0,
  writeUnitsBy: {},
});

export function addCounts(into: DynamoDbCounts, from: DynamoDbCounts): DynamoDbCounts {
  into.requests += from.requests;
  into.failed += from.failed;
  into.itemsRead += from.itemsRead;
  into.readUnits += from.readUnits;
  into.bytesRead += from.bytesRead;
  into.writeUnits += from.writeUnits;
  for (const [op, n] of Object.entries(from.byOperation)) into.byOperation[op] = (into.byOperation[op] ?? 0) + n;
  for (const [at, n] of Object.entries(from.writeUnitsBy)) into.writeUnitsBy[at] = (into.writeUnitsBy[at] ?? 0) + n;
  return into;
}

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
/** Operations that accept ReturnConsumedCapacity. */
const CAPACITY_OPERATIONS = new Set([...WRITE_OPERATIONS, 'GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

type Units = { CapacityUnits?: number };
type Capacity = Units & { Table?: Units; GlobalSecondaryIndexes?: Record<string, Units> };
type Output = {
  ConsumedCapacity?: Capacity | Capacity[];
  ScannedCount?: number;
  Item?: unknown;
  Items?: unknown[];
  Responses?: unknown[] | Record<string, unknown[]>;
};

/** What a read answered: its items (a Get's, a Query's or Scan's, a batch's). */
const itemsAnswered = (output: Output) => [output.Item, output.Items, output.Responses].filter((part) => part !== undefined);

/** 'QueryCommand' (and lib-dynamodb's 'TransactWriteCommand') → the API operation name. */
export function operationOf(commandName: string | undefined): string {
  const name = (commandName ?? 'Unknown').replace(/Command$/, '');
  return (
    (
      {
        TransactWrite: 'TransactWriteItems',
        TransactGet: 'TransactGetItems',
        BatchWrite: 'BatchWriteItem',
        BatchGet: 'BatchGetItem',
        Put: 'PutItem',
        Get: 'GetItem',
        Update: 'UpdateItem',
        Delete: 'DeleteItem',
      } as Record<string, string>
    )[name] ?? name
  );
}

/** Adds one answered request to the counts. */
export function countResponse(counts: DynamoDbCounts, operation: string, output: Output | undefined): void {
  counts.requests += 1;
  counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
  if (!output) {
    counts.failed += 1;
    return;
  }
  const units = [output.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
  if (WRITE_OPERATIONS.has(operation)) {
    counts.writeUnits += units;
    const add = (at: string, n: number | undefined) => (counts.writeUnitsBy[at] = (counts.writeUnitsBy[at] ?? 0) + (n ?? 0));
    for (const capacity of [output.ConsumedCapacity ?? []].flat()) {
      add('table', capacity.Table?.CapacityUnits);
      for (const [index, used] of Object.entries(capacity.GlobalSecondaryIndexes ?? {})) add(index, used.CapacityUnits);
    }
  } else counts.readUnits += units;
  if (operation === 'Query' || operation === 'Scan') counts.itemsRead += output.ScannedCount ?? 0;
  else if (operation === 'GetItem') counts.itemsRead += output.Item ? 1 : 0;
  else if (operation === 'BatchGetItem' || operation === 'TransactGetItems') {
    const responses = output.Responses ?? [];
    counts.itemsRead += Array.isArray(responses) ? responses.length : Object.values(responses).reduce((n, items) => n + items.length, 0);
  }
}

/** Counts every request of the clients it is attached to: in `total`, and in the scope running. */
export class DynamoDbCounter {
  total = emptyCounts();
  /** Requests made outside any handler: the local runtime's stream reader keeping the conversion
   *  counts (in AWS their own Lambda on the table's stream, infra/conversion-counts.ts). */
  outsideHandlers = emptyCounts();
  private readonly scope = new AsyncLocalStorage<DynamoDbCounts>();
  /** The answers of reads counted into a scope, kept until `settleBytes` sizes them. */
  private readonly answers = new WeakMap<DynamoDbCounts, unknown[]>();

  /** Adds the bytes of the reads counted into `counts` since the last call. Sizing is JSON work, so it
   *  is done when the caller says, after the timed call, not while DynamoDB's answers come in. */
  settleBytes(counts: DynamoDbCounts): DynamoDbCounts {
    for (const answer of this.answers.get(counts) ?? []) counts.bytesRead += Buffer.byteLength(JSON.stringify(answer), 'utf8');
    this.answers.delete(counts);
    return counts;
  }

  /** Runs `work` with its requests also counted into `counts`. */
  run<T>(counts: DynamoDbCounts, work: () => T): T {
    return this.scope.run(counts, work);
  }

  attach(client: DynamoDBClient): void {
    // Before serialization: ask DynamoDB for the capacity each request consumed.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { ReturnConsumedCapacity?: string };
        if (CAPACITY_OPERATIONS.has(operationOf(context.commandName)) && input.ReturnConsumedCapacity === undefined) {
          input.ReturnConsumedCapacity = 'INDEXES';
        }
        return next(args);
      },
      { step: 'serialize', priority: 'high', name: 'benchAskConsumedCapacity' },
    );
    // Inside the retry loop, so every attempt counts as the request it is.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = operationOf(context.commandName);
        const scoped = this.scope.getStore();
        let output: Output | undefined;
        try {
          const result = await next(args);
          output = result.output as Output;
          return result;
        } finally {
          countResponse(this.total, operation, output);
          if (!scoped) countResponse(this.outsideHandlers, operation, output);
          else {
            countResponse(scoped, operation, output);
            if (output && !WRITE_OPERATIONS.has(operation)) {
              const kept = this.answers.get(scoped) ?? [];
              kept.push(...itemsAnswered(output));
              this.answers.set(scoped, kept);
            }
          }
        }
      },
      { step: 'deserialize', priority: 'high', name: 'benchCountRequests' },
    );
  }
}
