// The floor: the least write of this design, with nothing of ours around it. For each write, a
// consistent GetItem of a household's state item, then one TransactWriteItems of an event's own item
// (conditional on being new) and the state item (conditional on the version read): what
// shared/store/households.ts appendHouseholdEvent sends for an event in order. From one SDK client,
// into the projections table the ingest wrote (its indexes and stream), on the same DynamoDB Local,
// as many in flight as the bus runs deliveries. The households are the ingest's own, moved to
// agencies of their own: their real state items and events, the state item stored once first
// (untimed), so that no timed write moves a household index key (the stage events do: this is a floor).
// Its client carries the same counter as the runtime's (the ingest pays for that instrument too).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type BatchWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { localDynamoDbClientConfig } from '../local/dynamodb-local';
import type { HouseholdState } from '../shared/domain/household';
import type { HouseholdEvent } from '../shared/events/catalogue';
import { eventItem, householdRecordItems } from '../shared/store/households';
import { projectionsTable, tableName } from '../shared/store/tables';
import { DynamoDbCounter, type DynamoDbCounts } from './dynamodb-counter';

export interface FloorResult {
  writes: number;
  inFlight: number;
  /** Households written, round robin. */
  households: number;
  seconds: number;
  msPerWrite: number;
  /** The timed writes' requests, and their write units by AWS's rules. */
  counts: DynamoDbCounts;
}

export interface FloorHousehold {
  state: HouseholdState;
  events: readonly HouseholdEvent[];
}

/** The floor's households, their state items stored; the client that writes them. */
export interface PreparedFloor {
  client: DynamoDBClient;
  households: ReadonlyArray<FloorHousehold & { stored: Record<string, unknown> }>;
}

/** Stores each household's state item (untimed), at version 1. */
export async function prepareFloor(endpoint: string, households: readonly FloorHousehold[]): Promise<PreparedFloor> {
  const client = new DynamoDBClient(localDynamoDbClientConfig(endpoint));
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const TableName = tableName(projectionsTable);
  const prepared = households.filter((h) => h.events.length > 0).map((h) => ({ ...h, stored: householdRecordItems(h.state, 1)[0]! }));
  for (let i = 0; i < prepared.length; i += 25) {
    let unprocessed: BatchWriteCommandInput['RequestItems'] = {
      [TableName]: prepared.slice(i, i + 25).map((h) => ({ PutRequest: { Item: h.stored } })),
    };
    while (unprocessed && Object.keys(unprocessed).length > 0)
      unprocessed = (await doc.send(new BatchWriteCommand({ RequestItems: unprocessed }))).UnprocessedItems;
  }
  return { client, households: prepared };
}

/** `writes` timed writes, `inFlight` at a time, each lane of writes over households of its own
 *  (round robin), so that no two writes in flight meet in one household. */
export async function measureFloor(floor: PreparedFloor, writes: number, inFlight: number): Promise<FloorResult> {
  const { client, households } = floor;
  if (households.length < inFlight) throw new Error(`the floor needs at least ${inFlight} households, has ${households.length}`);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const counter = new DynamoDbCounter();
  counter.attach(client);
  const TableName = tableName(projectionsTable);
  const lanes = Array.from({ length: inFlight }, (_, lane) => ({
    households: households.filter((_, h) => h % inFlight === lane),
    turn: 0,
  }));
  try {
    const seconds = await timedWrites(writes, inFlight, async (i, l) => {
      const lane = lanes[l]!;
      const turn = lane.turn++;
      const { state, events, stored } = lane.households[turn % lane.households.length]!;
      const read = await doc.send(new GetCommand({ TableName, Key: { pk: stored.pk, sk: stored.sk }, ConsistentRead: true }));
      const version = read.Item!.version as number;
      // One of the household's real events, under an id of its own.
      const event = events[Math.floor(turn / lane.households.length) % events.length]!;
      const again = { ...event, detail: { ...event.detail, eventId: `${event.detail.eventId}~${i.toString(36)}` } } as HouseholdEvent;
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName,
                Item: eventItem(state.agencyId, state.householdId, again),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName,
                Item: { ...stored, version: version + 1 },
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': version },
              },
            },
          ],
        }),
      );
    });
    return { writes, inFlight, households: households.length, seconds, msPerWrite: (seconds * 1000) / writes, counts: counter.total };
  } finally {
    client.destroy();
  }
}

/** Runs write(0 … n-1) in `inFlight` lanes, each a write at a time; the seconds it took. */
export async function timedWrites(n: number, inFlight: number, write: (i: number, lane: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, lane) => {
      for (let i = next++; i < n; i = next++) await write(i, lane);
    }),
  );
  return (performance.now() - started) / 1000;
}
