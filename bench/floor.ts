// The floor: what DynamoDB Local itself takes to absorb N writes, with nothing of ours around them:
// bare single-item PutItem calls from one SDK client, into a table without indexes, at the same
// number in flight as the bus runs deliveries.
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { localDynamoDbClientConfig } from '../local/dynamodb-local';

export interface FloorResult {
  writes: number;
  inFlight: number;
  seconds: number;
  msPerWrite: number;
  /** Write units DynamoDB Local reports for one PutItem, and for a TransactWriteItems of one such item. */
  unitsPerPut?: number;
  unitsPerOneItemTransaction?: number;
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
    // How DynamoDB Local counts units, to read the ingest's write units against.
    const put = await client.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'probe-put' }, n: { N: '0' } }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    const transaction = await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [{ Put: { TableName, Item: { pk: { S: 'probe-transaction' }, n: { N: '0' } } } }],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    await client.send(new DeleteTableCommand({ TableName }));
    return {
      writes,
      inFlight,
      seconds,
      msPerWrite: (seconds * 1000) / writes,
      unitsPerPut: put.ConsumedCapacity?.CapacityUnits,
      unitsPerOneItemTransaction: transaction.ConsumedCapacity?.[0]?.CapacityUnits,
    };
  } finally {
    client.destroy();
  }
}
