// The floor: what DynamoDB Local itself takes to absorb N writes, with nothing of ours around them:
// bare single-item PutItem calls from one SDK client, into a table without indexes, at the same
// number in flight as the bus runs deliveries.
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { probeWriteUnitRules, type WriteUnitRules } from './write-unit-rules';
import { localDynamoDbClientConfig } from '../local/dynamodb-local';

export interface FloorResult {
  writes: number;
  inFlight: number;
  seconds: number;
  msPerWrite: number;
  writeUnitRules: WriteUnitRules;
}

export async function measureFloor(endpoint: string, writes: number, inFlight: number): Promise<FloorResult> {
  const client = new DynamoDBClient(localDynamoDbClientConfig(endpoint));
  try {
    const TableName = await floorTable(client, { stream: false });
    const seconds = await timedWrites(writes, inFlight, (i) => floorWrite(client, TableName, i));
    await client.send(new DeleteTableCommand({ TableName }));
    return {
      writes,
      inFlight,
      seconds,
      msPerWrite: (seconds * 1000) / writes,
      // How DynamoDB Local counts units, to read the ingest's write units against.
      writeUnitRules: await probeWriteUnitRules(client),
    };
  } finally {
    client.destroy();
  }
}

let tablesMade = 0;

/** The floor's table: its key alone, and a stream (as the projections table's) when asked. */
export async function floorTable(client: DynamoDBClient, options: { stream: boolean }): Promise<string> {
  const TableName = `BenchFloor${options.stream ? 'Streamed' : ''}${Date.now()}-${++tablesMade}`;
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: options.stream ? { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } : undefined,
    }),
  );
  return TableName;
}

/** The floor's write: one small item, a key of its own. */
export const floorWrite = (client: DynamoDBClient, TableName: string, i: number) =>
  client.send(new PutItemCommand({ TableName, Item: { pk: { S: `write-${i}` }, n: { N: String(i) } } }));

/** Runs write(0 … n-1), `inFlight` at a time; the seconds it took. */
export async function timedWrites(n: number, inFlight: number, write: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let i = next++; i < n; i = next++) await write(i);
    }),
  );
  return (performance.now() - started) / 1000;
}
