// What the ingest's writes cost by their shape alone, with nothing of ours around them. Each shape
// is measured on a DynamoDB Local of its own, started fresh and warmed up (its JIT) with writes into
// a table without a stream, because in DynamoDB Local writes into a newly created table with a
// stream slow down with the stream records its earlier tables hold (deleted ones' too: none are
// trimmed within a run), so a shape measured after the ingest, in tables of its own, would carry the
// ingest's records. A table's own stream records do not slow its writes, nor do empty streamed
// tables: both series are measured here too, the first being the ingest's case (one table).
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type BatchWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { localDynamoDbClientConfig, startDynamoDbLocal } from '../local/dynamodb-local';
import { createTables } from '../local/create-tables';
import type { HouseholdState } from '../shared/domain/household';
import type { HouseholdEvent } from '../shared/events/catalogue';
import { eventItem, householdRecordItems } from '../shared/store/households';
import { projectionsTable } from '../shared/store/tables';
import { freePort } from '../test/support/free-port';
import { floorTable, floorWrite, timedWrites } from './floor';

export interface ShapeResult {
  msPerWrite: number;
  requestsPerWrite: number;
  /** As DynamoDB Local reports them (ReturnConsumedCapacity INDEXES: the table's and every index's). */
  writeUnitsPerWrite: number;
}

export interface WriteShapes {
  writes: number;
  inFlight: number;
  /** Households whose real items the two projector shapes write. */
  households: number;
  /** The floor's own shape on a fresh emulator: a bare PutItem into a table without indexes or stream. */
  bare: ShapeResult;
  /** The same into a table with a stream (NEW_AND_OLD_IMAGES, as the projections table's). */
  bareWithStream: ShapeResult;
  /** A consistent GetItem of the state item, then a PutItem of it with the event it folds, conditional
   *  on its version, in a table of the projections table's schema: the projector's write for an event
   *  in order, and the least a design that folds an event onto the stored state can do. */
  readThenPut: ShapeResult;
  /** The same read and write in a table with only the keys (no index, no stream): what the schema adds. */
  readThenPutKeysOnly: ShapeResult;
  /** The same read, then a command's transaction (the projector's too before the event archive): the
   *  event item (a new eventId, conditional on being new) and the state item (conditional on its version). */
  readThenTransaction: ShapeResult;
  /** Bare PutItems into tables with a stream, in rounds on one emulator, against the stream records
   *  it held when the round began: all into one table (the ingest's case), then on another emulator
   *  each round into a table created for it (the test run's case: each test file makes its own). */
  streamGrowth: Record<'oneTable' | 'newTableEachRound', Array<{ recordsHeld: number; msPerWrite: number }>>;
}

const WARM_UP_WRITES = 3000;
const GROWTH_ROUNDS = 6;

export async function measureWriteShapes(
  households: ReadonlyArray<{ state: HouseholdState; events: readonly HouseholdEvent[] }>,
  writes: number,
  inFlight: number,
): Promise<WriteShapes> {
  const withEvents = households.filter((h) => h.events.length > 0);
  const bareShape = (stream: boolean) =>
    onFreshDynamoDbLocal(async (client) => {
      const TableName = await floorTable(client, { stream });
      const seconds = await timedWrites(writes, inFlight, (i) => floorWrite(client, TableName, i));
      return { msPerWrite: (seconds * 1000) / writes, requestsPerWrite: 1, writeUnitsPerWrite: 1 };
    });
  const bare = await bareShape(false);
  const bareWithStream = await bareShape(true);
  const readThenPutKeysOnly = await onFreshDynamoDbLocal((client) => projectorShape(client, withEvents, writes, inFlight, 'keys only'));
  const readThenPut = await onFreshDynamoDbLocal((client) => projectorShape(client, withEvents, writes, inFlight, 'put'));
  const readThenTransaction = await onFreshDynamoDbLocal((client) => projectorShape(client, withEvents, writes, inFlight, 'transaction'));
  const series = (newTableEachRound: boolean) =>
    onFreshDynamoDbLocal(async (client) => {
      const rounds: Array<{ recordsHeld: number; msPerWrite: number }> = [];
      const roundWrites = Math.ceil(writes / 2);
      let TableName = await floorTable(client, { stream: true });
      for (let round = 0; round < GROWTH_ROUNDS; round++) {
        if (newTableEachRound && round > 0) TableName = await floorTable(client, { stream: true });
        const seconds = await timedWrites(roundWrites, inFlight, (i) => floorWrite(client, TableName, round * roundWrites + i));
        rounds.push({ recordsHeld: round * roundWrites, msPerWrite: (seconds * 1000) / roundWrites });
      }
      return rounds;
    });
  const streamGrowth = { oneTable: await series(false), newTableEachRound: await series(true) };
  return {
    writes,
    inFlight,
    households: withEvents.length,
    bare,
    bareWithStream,
    readThenPutKeysOnly,
    readThenPut,
    readThenTransaction,
    streamGrowth,
  };
}

async function onFreshDynamoDbLocal<T>(work: (client: DynamoDBClient) => Promise<T>): Promise<T> {
  const local = await startDynamoDbLocal({ port: await freePort() });
  const client = new DynamoDBClient(localDynamoDbClientConfig(local.endpoint));
  try {
    const warmUp = await floorTable(client, { stream: false });
    await timedWrites(WARM_UP_WRITES, 8, (i) => floorWrite(client, warmUp, i));
    await client.send(new DeleteTableCommand({ TableName: warmUp }));
    return await work(client);
  } finally {
    client.destroy();
    await local.stop();
  }
}

async function projectionsSchema(client: DynamoDBClient): Promise<string> {
  const prefix = `BenchShape${Date.now()}-`;
  await createTables(client, { prefix });
  return prefix + projectionsTable.id;
}

async function keysOnlyTable(client: DynamoDBClient): Promise<string> {
  const TableName = `BenchShapeKeys${Date.now()}`;
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  return TableName;
}

/**
 * The projector's in-order read and write, without the projector: each household's real state item
 * (shared/store/households.ts builders), stored once first (untimed) so that no timed write moves an
 * index key (the real stage events do: this is a floor), then read and written again, write after
 * write, with one of its real events as the event item (a new eventId each time).
 */
async function projectorShape(
  client: DynamoDBClient,
  households: ReadonlyArray<{ state: HouseholdState; events: readonly HouseholdEvent[] }>,
  writes: number,
  inFlight: number,
  write: 'keys only' | 'put' | 'transaction',
): Promise<ShapeResult> {
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const TableName = write === 'keys only' ? await keysOnlyTable(client) : await projectionsSchema(client);
  const stateItems = households.map((h) => householdRecordItems(h.state, 1)[0]!);
  for (let i = 0; i < stateItems.length; i += 25) {
    let unprocessed: BatchWriteCommandInput['RequestItems'] = {
      [TableName]: stateItems.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (unprocessed && Object.keys(unprocessed).length > 0)
      unprocessed = (await doc.send(new BatchWriteCommand({ RequestItems: unprocessed }))).UnprocessedItems;
  }
  let units = 0;
  const count = (consumed: ConsumedCapacity[] | ConsumedCapacity | undefined) => {
    for (const c of [consumed ?? []].flat()) units += c.CapacityUnits ?? 0;
  };
  const seconds = await timedWrites(writes, inFlight, async (i) => {
    const h = i % stateItems.length;
    const stored = stateItems[h]!;
    const read = await doc.send(new GetCommand({ TableName, Key: { pk: stored.pk, sk: stored.sk }, ConsistentRead: true }));
    const version = read.Item!.version as number;
    const statePut = {
      TableName,
      Item: { ...stored, version: version + 1 },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': version },
    };
    const { state, events } = households[h]!;
    const folded = events[i % events.length]!;
    if (write !== 'transaction') {
      count((await doc.send(new PutCommand({ ...statePut, ReturnConsumedCapacity: 'INDEXES' }))).ConsumedCapacity);
      return;
    }
    const event = { ...eventItem(state.agencyId, state.householdId, folded), sk: `EVENT#shape-${i}` };
    const written = await doc.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName, Item: event, ConditionExpression: 'attribute_not_exists(pk)' } }, { Put: statePut }],
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    count(written.ConsumedCapacity);
  });
  return { msPerWrite: (seconds * 1000) / writes, requestsPerWrite: 2, writeUnitsPerWrite: units / writes };
}
