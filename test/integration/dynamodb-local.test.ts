// What the store code relies on from DynamoDB Local, checked against the database the launcher runs.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbClient, dynamoDbDocumentClient } from '../../shared/aws-clients';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../../shared/wiring/environment';
import { createTables } from '../../local/create-tables';
import { assertJava, localDynamoDbClientConfig, startDynamoDbLocal } from '../../local/dynamodb-local';
import { dynamoDbLocalClasses } from '../../local/dynamodb-local-classes';
import { dynamoDbJavaOptions } from '../../local/settings';
import { LocalRuntimeError } from '../../local/errors';
import { INDEX_PARTITION_ATTRIBUTE, projectionsTable, tableDefinitions, tableName } from '../../shared/store/tables';
import { freePort } from '../support/free-port';
import { useFreshTables } from '../support/tables';

const endpoint = () => process.env[LOCAL_DYNAMODB_ENDPOINT_ENV] ?? '';
const db = () => dynamoDbDocumentClient();

beforeAll(useFreshTables);
afterAll(() => dynamoDbClient().destroy());

test('a TransactWrite whose condition fails cancels every write in it', async () => {
  const TableName = tableName(projectionsTable);
  await db().send(new PutCommand({ TableName, Item: { pk: 'h#1', sk: 'state', stage: 'enquiry' } }));

  const write = db().send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName, Item: { pk: 'h#2', sk: 'state', stage: 'enquiry' } } },
        { Put: { TableName, Item: { pk: 'h#1', sk: 'state', stage: 'approved' }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    }),
  );

  const error = await write.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TransactionCanceledException);
  expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
  expect((await db().send(new GetCommand({ TableName, Key: { pk: 'h#2', sk: 'state' } }))).Item).toBeUndefined();
  expect((await db().send(new GetCommand({ TableName, Key: { pk: 'h#1', sk: 'state' } }))).Item?.stage).toBe('enquiry');
});

test('a Query on a GSI returns the items in the sort key range, in order', async () => {
  const TableName = tableName(projectionsTable);
  const enquiry = (id: string, enquiredAt?: string, agency = 'a1') => ({
    pk: `h#${id}`,
    sk: 'state',
    [INDEX_PARTITION_ATTRIBUTE]: agency,
    ...(enquiredAt && { enquiredAt }),
  });
  const items = [
    enquiry('early', '2019-06-30T23:59:59.999Z'),
    enquiry('second', '2019-08-31T10:00:00.000Z'),
    enquiry('first', '2019-07-01T00:00:00.000Z'),
    enquiry('late', '2019-09-01T00:00:00.000Z'),
    enquiry('other-agency', '2019-07-15T00:00:00.000Z', 'a2'),
    enquiry('no-date'), // sparse: not in the index at all
  ];
  for (const Item of items) await db().send(new PutCommand({ TableName, Item }));

  const { Items } = await db().send(
    new QueryCommand({
      TableName,
      IndexName: 'byEnquiredAt',
      KeyConditionExpression: '#agency = :agency AND enquiredAt BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#agency': INDEX_PARTITION_ATTRIBUTE },
      ExpressionAttributeValues: { ':agency': 'a1', ':from': '2019-07-01T00:00:00.000Z', ':to': '2019-08-31T23:59:59.999Z' },
    }),
  );
  expect(Items?.map((i) => i.pk)).toEqual(['h#first', 'h#second']);
});

test('createTables is idempotent', async () => {
  const client = new DynamoDBClient(localDynamoDbClientConfig(endpoint()));
  try {
    const prefix = `idem${Date.now()}-`;
    const first = await createTables(client, { prefix });
    expect(first).toEqual(Object.fromEntries(tableDefinitions.map((d) => [d.envVar, prefix + d.id])));
    const TableName = first[projectionsTable.envVar];
    await db().send(new PutCommand({ TableName, Item: { pk: 'kept', sk: 'state' } }));
    const tablesBefore = (await client.send(new ListTablesCommand({}))).TableNames;

    expect(await createTables(client, { prefix })).toEqual(first);
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(tablesBefore);
    expect((await db().send(new GetCommand({ TableName, Key: { pk: 'kept', sk: 'state' } }))).Item).toBeDefined();
  } finally {
    client.destroy();
  }
});

test('starting on a taken port fails with a LocalRuntimeError naming the port', async () => {
  const port = Number(new URL(endpoint()).port); // the global instance holds it
  const start = startDynamoDbLocal({ port }).catch((e: unknown) => e);
  const error = await start;
  expect(error).toBeInstanceOf(LocalRuntimeError);
  expect((error as Error).message).toContain(`Port ${port}`);
});

test("every JVM after the first maps the archive of DynamoDB Local's classes that the first one wrote as it stopped", async () => {
  const local = await startDynamoDbLocal({ port: await freePort() });
  await local.stop(); // on a fresh clone, the first JVM to stop writes the archive
  const { args } = dynamoDbLocalClasses(await assertJava());
  expect(args[0]).toMatch(/^-XX:SharedArchiveFile=.*\.jsa$/);
  // With -Xshare:on the JVM refuses to start unless it can map that archive for this class path.
  const classPath = args.slice(1, -1);
  await expect(
    promisify(execFile)('java', [...dynamoDbJavaOptions(), '-Xshare:on', args[0]!, ...classPath, '-version']),
  ).resolves.toBeDefined();
});
