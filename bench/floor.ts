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
  const TableName = `BenchFloor${Date.now()}`;
  try {
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (let i = next++; i < writes; i = next++) {
          await client.send(new PutItemCommand({ TableName, Item: { pk: { S: `write-${i}` }, n: { N: String(i) } } }));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
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
