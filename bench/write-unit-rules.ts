// How DynamoDB Local counts write units, probed in each run so the ingest's write units are read
// against rules measured on the same emulator rather than remembered: a table with two keys-only
// indexes, then one write of each shape whose units the projector's writes are made of.
import {
  CreateTableCommand,
  DeleteTableCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type ConsumedCapacity,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export interface WriteUnitRules {
  /** PutItem of one small item in no index. */
  put: number;
  /** PutItem of one item just over 1 KB, in no index. */
  putOverOneKb: number;
  /** PutItem of a new item with one index key: its index units (an event log entry, as the
   *  projector's event item in order adds it). */
  putAddingEntry: number;
  /** TransactWriteItems, table units: of one small item; of two small items, one of them in an
   *  index (as the projector's event item and state item differ); of one item just over 1 KB. */
  transactionOfOne: number;
  transactionOfTwo: number;
  transactionOverOneKb: number;
  /** Of two small items alike (no index): DynamoDB Local reports each item's units and merges equal
   *  reports into one, so alike items are counted once. An artefact of its report, shown so that a
   *  reader does not take it for a rule; the projector's two items are never alike. */
  transactionOfTwoAlike: number;
  /** An item in both indexes, one of its two index keys moved: the index units of a PutItem and of a
   *  one-item transaction. */
  putMovingOneKey: number;
  transactionMovingOneKey: number;
  /** The same item written again by a one-item transaction with neither key moved: its index units. */
  transactionKeysKept: number;
  /** A one-item transaction of a new item with one index key: its index units (an event log entry). */
  transactionAddingEntry: number;
}

const S = (value: string): AttributeValue => ({ S: value });
const indexUnits = (c: ConsumedCapacity | undefined) =>
  Object.values(c?.GlobalSecondaryIndexes ?? {}).reduce((sum, u) => sum + (u.CapacityUnits ?? 0), 0);
const total = (c: ConsumedCapacity | undefined) => c?.CapacityUnits ?? 0;
const tableUnits = (c: ConsumedCapacity | undefined) => c?.Table?.CapacityUnits ?? 0;

export async function probeWriteUnitRules(client: DynamoDBClient): Promise<WriteUnitRules> {
  const TableName = `BenchWriteUnits${Date.now()}`;
  const index = (name: string) => ({
    IndexName: `by-${name}`,
    KeySchema: [
      { AttributeName: 'agency', KeyType: 'HASH' as const },
      { AttributeName: name, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'KEYS_ONLY' as const },
  });
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'agency', 'first', 'second'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [index('first'), index('second')],
    }),
  );
  try {
    const small = (pk: string) => ({ pk: S(pk), n: { N: '0' } });
    const indexed = (first: string, second: string) => ({ pk: S('indexed'), agency: S('a'), first: S(first), second: S(second) });
    const put = async (Item: Record<string, AttributeValue>) =>
      (await client.send(new PutItemCommand({ TableName, Item, ReturnConsumedCapacity: 'INDEXES' }))).ConsumedCapacity;
    const transaction = async (...items: Record<string, AttributeValue>[]) =>
      (
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: items.map((Item) => ({ Put: { TableName, Item } })),
            ReturnConsumedCapacity: 'INDEXES',
          }),
        )
      ).ConsumedCapacity?.[0];
    const rules: Partial<WriteUnitRules> = {};
    rules.put = total(await put(small('put')));
    rules.putOverOneKb = total(await put({ ...small('put-large'), pad: S('x'.repeat(1100)) }));
    rules.putAddingEntry = indexUnits(await put({ pk: S('put-entry'), agency: S('a'), first: S('2019') }));
    rules.transactionOfOne = total(await transaction(small('one')));
    rules.transactionOfTwo = tableUnits(await transaction(small('two-a'), { pk: S('two-b'), agency: S('a'), first: S('2018') }));
    rules.transactionOfTwoAlike = total(await transaction(small('alike-a'), small('alike-b')));
    rules.transactionOverOneKb = total(await transaction({ ...small('large'), pad: S('x'.repeat(1100)) }));
    await put(indexed('2019', '2020'));
    rules.putMovingOneKey = indexUnits(await put(indexed('2019', '2021')));
    rules.transactionMovingOneKey = indexUnits(await transaction(indexed('2019', '2022')));
    rules.transactionKeysKept = indexUnits(await transaction(indexed('2019', '2022')));
    rules.transactionAddingEntry = indexUnits(await transaction({ pk: S('entry'), agency: S('a'), first: S('2019') }));
    return rules as WriteUnitRules;
  } finally {
    await client.send(new DeleteTableCommand({ TableName }));
  }
}
