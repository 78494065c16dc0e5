// `npm run event-items -- --aws`: a stream batch the keeper gave up on reaches its dead-letter queue
// as a pointer (shard, first and last sequence numbers); the tool reads that range from the stream
// and writes the items of the events its state items carry, and no others.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { readHouseholdPartition } from '../../shared/store/households';
import { projectionsTable, tableName } from '../../shared/store/tables';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../../shared/wiring/environment';
import { localDynamoDbClientConfig } from '../../local/dynamodb-local';
import { archiveStreamRange, streamRangeOf } from '../../tools/event-items';
import { assessment, enquiry, initialVisit } from '../support/funnel-events';
import { useFreshTables } from '../support/tables';

// No stream reader runs in this file: the events' items are written by the tool alone.
beforeAll(useFreshTables);

const AGENCY = 'items-agency';
const events = [enquiry('h', '2019-07-01'), initialVisit('h', '2019-07-10'), assessment('h', '2019-08-12', 2)].map((e) => ({
  ...e,
  detail: { ...e.detail, agencyId: AGENCY },
})) as HouseholdEvent[];

async function streamRecords() {
  const config = localDynamoDbClientConfig(process.env[LOCAL_DYNAMODB_ENDPOINT_ENV]!);
  const dynamo = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const streamArn = (await dynamo.send(new DescribeTableCommand({ TableName: tableName(projectionsTable) }))).Table!.LatestStreamArn!;
  const shardId = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards![0]!.ShardId!;
  const iterator = (
    await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))
  ).ShardIterator;
  const { Records = [] } = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
  dynamo.destroy();
  return { streams, streamArn, shardId, sequenceNumbers: Records.map((r) => r.dynamodb!.SequenceNumber!) };
}

const itemOf = async (event: HouseholdEvent) =>
  (
    await dynamoDbDocumentClient().send(
      new GetCommand({ TableName: tableName(projectionsTable), Key: { pk: `HOUSEHOLD#${AGENCY}#h`, sk: `EVENT#${event.detail.eventId}` } }),
    )
  ).Item;

describe('writing again the events’ items of a dead-lettered stream batch', () => {
  it('reads the range the dead letter points at and writes the items of its events, and only those', async () => {
    for (const event of events) await projectHouseholdEvent(event);
    expect((await readHouseholdPartition(AGENCY, 'h')).archiveBehind).toBe(true);
    const { streams, streamArn, shardId, sequenceNumbers } = await streamRecords();
    expect(sequenceNumbers).toHaveLength(3); // one record per state write

    // Lambda's on-failure record for a batch of the first two records.
    const body = JSON.stringify({
      version: '1.0',
      timestamp: '2026-12-06T00:00:00.000Z',
      requestContext: { requestId: 'r', functionArn: 'arn:aws:lambda:eu-west-2:1:function:keeper', condition: 'RetryAttemptsExhausted' },
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: sequenceNumbers[0],
        endSequenceNumber: sequenceNumbers[1],
        approximateArrivalOfFirstRecord: '2026-12-06T00:00:00Z',
        approximateArrivalOfLastRecord: '2026-12-06T00:00:00Z',
        batchSize: 2,
        streamArn,
      },
    });
    const pointed = streamRangeOf({ Body: body });
    if (!('range' in pointed)) throw new Error(pointed.problem);
    expect(await archiveStreamRange(streams, pointed.range)).toEqual({ records: 2, items: 2 });

    expect(await itemOf(events[0]!)).toMatchObject({ event: events[0] });
    expect(await itemOf(events[1]!)).toMatchObject({ event: events[1] });
    expect(await itemOf(events[2]!)).toBeUndefined(); // past the range: the keeper's next batch
    const partition = await readHouseholdPartition(AGENCY, 'h');
    expect(partition.archiveBehind).toBe(false);
    streams.destroy();
  });

  it('leaves alone a message that points at no stream batch, saying why', () => {
    expect(streamRangeOf({ Body: 'not json' })).toEqual({ problem: 'the body is not JSON' });
    expect(streamRangeOf({ Body: JSON.stringify({ requestPayload: {} }) })).toEqual({
      problem: 'not a DynamoDB stream batch record (no DDBStreamBatchInfo)',
    });
  });
});
