// Counts what a DynamoDB client sends and what it reads, and prices its writes by AWS's published
// rules: SDK middleware on the client (no proxy hop, so the timings being measured are not
// disturbed), attributed to whichever handler invocation is running through AsyncLocalStorage.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { tableDefinitions } from '../shared/store/tables';

/** One kind of item written (e.g. 'HOUSEHOLD STATE', by its keys' fixed parts): the writes of such
 *  items, the bytes each was charged by (the larger of the item before and after), their units. */
export interface ItemWrites {
  writes: number;
  bytes: number;
  units: number;
}

/**
 * Write request units by AWS's published rules, not DynamoDB Local's accounting: each item written 1
 * per KB (1,024 bytes) of the larger of its size before and after the write, rounded up; twice that
 * in a transaction; a write refused by its condition still pays for its items. Each index entry a
 * write puts or deletes 1 more (the indexes project keys only: an entry is well under 1 KB), one
 * whose key moves 2 (the old entry deleted, the new put); none when the index keys stay as they were.
 */
export interface AwsWrites {
  units: number;
  /** Of the units, the index entries' (each index write is 1). */
  indexWrites: number;
  indexWritesBy: Record<string, number>;
  byKind: Record<string, ItemWrites>;
}

export interface DynamoDbCounts {
  /** HTTP requests sent: every SDK attempt, retries included. */
  requests: number;
  byOperation: Record<string, number>;
  /** Requests DynamoDB answered with an error (e.g. a transaction cancelled by a condition). */
  failed: number;
  /** Items DynamoDB read: ScannedCount of a Query or Scan, items returned by a Get. */
  itemsRead: number;
  /** Read capacity as DynamoDB Local reports it (we ask for it: ReturnConsumedCapacity INDEXES). */
  readUnits: number;
  /** Bytes of the items DynamoDB answered to reads, as JSON (of the plain values the document client gives);
   *  read units round each item up to 4 KB, so only this shows the items read growing below that.
   *  Measured only where `settleBytes` is called (the bench's API calls), after the call. */
  bytesRead: number;
  aws: AwsWrites;
}

const emptyAws = (): AwsWrites => ({ units: 0, indexWrites: 0, indexWritesBy: {}, byKind: {} });

export const emptyCounts = (): DynamoDbCounts => ({
  requests: 0,
  byOperation: {},
  failed: 0,
  itemsRead: 0,
  readUnits: 0,
  bytesRead: 0,
  aws: emptyAws(),
});

const addTo = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
};

function addAws(into: AwsWrites, from: AwsWrites): void {
  into.units += from.units;
  into.indexWrites += from.indexWrites;
  addTo(into.indexWritesBy, from.indexWritesBy);
  for (const [kind, w] of Object.entries(from.byKind)) {
    const known = (into.byKind[kind] ??= { writes: 0, bytes: 0, units: 0 });
    known.writes += w.writes;
    known.bytes += w.bytes;
    known.units += w.units;
  }
}

export function addCounts(into: DynamoDbCounts, from: DynamoDbCounts): DynamoDbCounts {
  into.requests += from.requests;
  into.failed += from.failed;
  into.itemsRead += from.itemsRead;
  into.readUnits += from.readUnits;
  into.bytesRead += from.bytesRead;
  addTo(into.byOperation, from.byOperation);
  addAws(into.aws, from.aws);
  return into;
}

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
/** Reads that report their capacity when asked (ReturnConsumedCapacity). */
const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

type Item = Record<string, AttributeValue>;
type Capacity = { CapacityUnits?: number };
type Output = {
  ConsumedCapacity?: Capacity | Capacity[];
  ScannedCount?: number;
  Item?: Item;
  Items?: Item[];
  Attributes?: Item;
  Responses?: unknown[] | Record<string, Item[]>;
};
/** A write request's input as it goes on the wire (lib-dynamodb has marshalled it by then). */
type WriteInput = {
  TableName?: string;
  Item?: Item;
  Key?: Item;
  ExpressionAttributeValues?: Item;
  RequestItems?: Record<string, Array<{ PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }>>;
  TransactItems?: Array<Record<string, WriteInput | undefined>>;
};
type ReadInput = {
  TableName?: string;
  IndexName?: string;
  ProjectionExpression?: string;
  RequestItems?: Record<string, { ProjectionExpression?: string }>;
};

/** What an answer read: its items (a Get's, a Query's or Scan's, a batch's). */
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

/** Adds one answered request to the counts (its AWS write units, priced by the counter, apart). */
export function countResponse(counts: DynamoDbCounts, operation: string, output: Output | undefined, aws?: AwsWrites): void {
  counts.requests += 1;
  counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
  if (aws) addAws(counts.aws, aws);
  if (!output) {
    counts.failed += 1;
    return;
  }
  if (!WRITE_OPERATIONS.has(operation))
    counts.readUnits += [output.ConsumedCapacity ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
  if (operation === 'Query' || operation === 'Scan') counts.itemsRead += output.ScannedCount ?? 0;
  else if (operation === 'GetItem') counts.itemsRead += output.Item ? 1 : 0;
  else if (operation === 'BatchGetItem' || operation === 'TransactGetItems') {
    const responses = output.Responses ?? [];
    counts.itemsRead += Array.isArray(responses) ? responses.length : Object.values(responses).reduce((n, items) => n + items.length, 0);
  }
}

// ---- Item sizes ----

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
/** A number: 1 byte per two significant digits (leading and trailing zeros trimmed), plus 1. */
const numberBytes = (n: string) => {
  const digits = n.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
  return Math.ceil(Math.max(1, digits) / 2) + 1;
};
const binaryBytes = (b: Uint8Array | string) => (typeof b === 'string' ? Buffer.from(b, 'base64').length : b.length);

function valueBytes(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberBytes(v.N);
  if (v.B !== undefined) return binaryBytes(v.B);
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.L !== undefined) return 3 + v.L.reduce((sum, x) => sum + 1 + valueBytes(x), 0);
  if (v.M !== undefined) return 3 + Object.entries(v.M).reduce((sum, [k, x]) => sum + 1 + utf8(k) + valueBytes(x), 0);
  if (v.SS !== undefined) return v.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (v.NS !== undefined) return v.NS.reduce((sum, s) => sum + numberBytes(s), 0);
  if (v.BS !== undefined) return v.BS.reduce((sum, b) => sum + binaryBytes(b), 0);
  return 0;
}

/** An item's size (attribute values, as on the wire) as DynamoDB counts it ("Item sizes and formats"
 *  in the DynamoDB developer guide): each attribute's name in UTF-8 bytes plus its value's size. */
export const attributeItemBytes = (item: Item) => Object.entries(item).reduce((sum, [name, v]) => sum + utf8(name) + valueBytes(v), 0);

/** The same of an item as the document client takes it (plain values). The SDK offers no such function. */
export const dynamoDbItemBytes = (item: Record<string, unknown>) =>
  attributeItemBytes(marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true }));

// ---- Pricing writes by AWS's rules ----

const KB = 1024;

/** What the counter knows of an item it saw written or read whole: its size and its index keys. */
interface KnownItem {
  bytes: number;
  /** Per index of its table, the entry's key ('' when the item is not in that index). */
  indexKeys: string[];
}

/** A table's key and index attributes, by the table's name as the runtime's environment gives it. */
function schemaOf(tableName: string | undefined) {
  const definition = tableDefinitions.find((d) => process.env[d.envVar] === tableName);
  if (!definition) return undefined;
  return {
    keys: [definition.partitionKey.name, definition.sortKey?.name].filter((k): k is string => k !== undefined),
    indexes: definition.indexes.map((i) => ({ name: i.indexName, keys: [i.partitionKey.name, i.sortKey.name] })),
  };
}

/** The fixed parts of an item's keys, ids and dates left out: 'HOUSEHOLD STATE', 'HOUSEHOLD EVENT',
 *  'AGENCY#CONVERSION DAY'; another table's items by the table's name. */
function kindOf(tableName: string | undefined, key: Item): string {
  const schema = schemaOf(tableName);
  if (!schema) return tableName ?? 'unknown';
  const words = (part: string) =>
    part
      .split('#')
      .filter((s) => /^[A-Z][A-Z-]*$/.test(s))
      .join('#') || '(id)';
  return schema.keys.map((k) => words(key[k]?.S ?? '')).join(' ');
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
  /** Items seen written or read whole, by table and key: what a write replaces or moves. */
  private readonly known = new Map<string, KnownItem>();

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
    // Before serialization: ask reads for the capacity they consumed, and a standalone update for
    // the item it leaves (what AWS charges it by, when larger than the item it found).
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = operationOf(context.commandName);
        const input = args.input as { ReturnConsumedCapacity?: string; ReturnValues?: string };
        if (READ_OPERATIONS.has(operation) && input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = 'INDEXES';
        if (operation === 'UpdateItem' && input.ReturnValues === undefined) input.ReturnValues = 'ALL_NEW';
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
          const aws = WRITE_OPERATIONS.has(operation) ? this.priceWrite(operation, args.input as WriteInput, output) : undefined;
          if (output && !aws) this.remember(operation, args.input as ReadInput, output);
          countResponse(this.total, operation, output, aws);
          if (!scoped) countResponse(this.outsideHandlers, operation, output, aws);
          else {
            countResponse(scoped, operation, output, aws);
            if (output && !aws) {
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

  /** An answer's item in attribute values: the document client has turned its answers into plain
   *  values by the time the counter sees them (the requests it still sees as sent). The tables' keys
   *  are strings, so a plain key tells. */
  private attributesOf(tableName: string | undefined, item: Record<string, unknown>): Item {
    const key = schemaOf(tableName)?.keys[0];
    return key !== undefined && typeof item[key] === 'string'
      ? marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true })
      : (item as Item);
  }

  private keyOf(tableName: string | undefined, item: Item): string | undefined {
    const schema = schemaOf(tableName);
    return schema && `${tableName}|${schema.keys.map((k) => JSON.stringify(item[k])).join('|')}`;
  }

  private knownFrom(tableName: string | undefined, item: Item): KnownItem {
    const indexes = schemaOf(tableName)?.indexes ?? [];
    return {
      bytes: attributeItemBytes(item),
      indexKeys: indexes.map((i) =>
        i.keys.every((k) => item[k] !== undefined) ? i.keys.map((k) => JSON.stringify(item[k])).join('|') : '',
      ),
    };
  }

  /** Whole items a read answered (no projection, not an index's entries): what later writes replace. */
  private remember(operation: string, input: ReadInput, output: Output): void {
    const keep = (tableName: string | undefined, items: Item[]) => {
      for (const answered of items) {
        const item = this.attributesOf(tableName, answered);
        const key = this.keyOf(tableName, item);
        if (key) this.known.set(key, this.knownFrom(tableName, item));
      }
    };
    if (operation === 'GetItem' && output.Item && !input.ProjectionExpression) keep(input.TableName, [output.Item]);
    if (operation === 'Query' && output.Items && !input.ProjectionExpression && !input.IndexName) keep(input.TableName, output.Items);
    if (operation === 'BatchGetItem' && output.Responses && !Array.isArray(output.Responses))
      for (const [table, items] of Object.entries(output.Responses))
        if (!input.RequestItems?.[table]?.ProjectionExpression) keep(table, items);
  }

  /** One write request priced by AWS's rules (AwsWrites); what it wrote remembered. */
  private priceWrite(operation: string, input: WriteInput, output: Output | undefined): AwsWrites {
    const aws = emptyAws();
    const written = output !== undefined;
    const one = (
      tableName: string | undefined,
      change: { put?: Item; key?: Item; update?: Item; values?: Item; check?: boolean },
      transactional: boolean,
    ) => {
      const keyItem = change.put ?? change.key!;
      const key = this.keyOf(tableName, keyItem);
      const before = key === undefined ? undefined : this.known.get(key);
      let after: KnownItem | undefined = change.check ? before : undefined;
      if (change.put) after = this.knownFrom(tableName, change.put);
      else if (change.update) after = this.knownFrom(tableName, this.attributesOf(tableName, change.update));
      else if (change.values) {
        // An update inside a transaction answers nothing: the item found grown by the values it sets.
        const grown = (before?.bytes ?? attributeItemBytes(change.key!)) + attributeItemBytes(change.values);
        after = { bytes: grown, indexKeys: before?.indexKeys ?? this.knownFrom(tableName, change.key!).indexKeys };
      }
      const bytes = Math.max(before?.bytes ?? 0, after?.bytes ?? 0);
      const units = Math.max(1, Math.ceil(bytes / KB)) * (transactional ? 2 : 1);
      const kind = kindOf(tableName, keyItem);
      const w = (aws.byKind[kind] ??= { writes: 0, bytes: 0, units: 0 });
      w.writes += 1;
      w.bytes += bytes;
      w.units += units;
      aws.units += units;
      if (!written || key === undefined) return;
      // The index entries it puts, deletes or moves.
      (schemaOf(tableName)?.indexes ?? []).forEach((index, i) => {
        const [was, is] = [before?.indexKeys[i] ?? '', after?.indexKeys[i] ?? ''];
        if (was === is) return;
        const n = was && is ? 2 : 1;
        aws.indexWrites += n;
        aws.units += n;
        aws.indexWritesBy[index.name] = (aws.indexWritesBy[index.name] ?? 0) + n;
      });
      if (after) this.known.set(key, after);
      else this.known.delete(key);
    };
    switch (operation) {
      case 'PutItem':
        one(input.TableName, { put: input.Item }, false);
        break;
      case 'DeleteItem':
        one(input.TableName, { key: input.Key }, false);
        break;
      case 'UpdateItem':
        one(
          input.TableName,
          { key: input.Key, update: output?.Attributes, values: output?.Attributes ? undefined : (input.ExpressionAttributeValues ?? {}) },
          false,
        );
        break;
      case 'BatchWriteItem':
        for (const [table, requests] of Object.entries(input.RequestItems ?? {}))
          for (const r of requests) one(table, r.PutRequest ? { put: r.PutRequest.Item } : { key: r.DeleteRequest!.Key }, false);
        break;
      case 'TransactWriteItems':
        for (const entry of input.TransactItems ?? []) {
          const [action, item] = Object.entries(entry).find(([, v]) => v !== undefined)!;
          if (action === 'Put') one(item!.TableName, { put: item!.Item }, true);
          else if (action === 'Update') one(item!.TableName, { key: item!.Key, values: item!.ExpressionAttributeValues ?? {} }, true);
          else one(item!.TableName, { key: item!.Key, check: action === 'ConditionCheck' }, true);
        }
        break;
    }
    return aws;
  }
}
