// Integration test files call `beforeAll(useFreshTables)`: a fresh set of tables in the file's own
// DynamoDB Local (test/support/dynamodb-environment.ts), under a prefix of their own, so that a
// second set (an in-process stack beside the file's own tables) never sees the first one's items.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../../shared/wiring/environment';
import { createTables } from '../../local/create-tables';
import { localDynamoDbClientConfig } from '../../local/dynamodb-local';
import { startOutboxRelay, type OutboxRelay } from '../../local/outbox-relay';
import { projectionsTable, tableName } from '../../shared/store/tables';

export async function useFreshTables(): Promise<void> {
  const endpoint = process.env[LOCAL_DYNAMODB_ENDPOINT_ENV];
  if (!endpoint)
    throw new Error(
      `${LOCAL_DYNAMODB_ENDPOINT_ENV} is not set: does this file run with the integration project's environment (test/support/dynamodb-environment.ts)?`,
    );
  const client = new DynamoDBClient(localDynamoDbClientConfig(endpoint));
  try {
    const names = await createTables(client, { prefix: `t${randomBytes(4).toString('hex')}-` });
    Object.assign(process.env, names);
  } finally {
    client.destroy();
  }
}

/**
 * For files that call the store and projectors directly, without the local stack: reads this file's
 * projections table's stream as the local runtime does (local/outbox-relay.ts), so that the
 * conversion counts are kept. These files run no bus, so the outbox's events are let go (accepted
 * and dropped). `caughtUp()` resolves once the stream is read to its end.
 */
export function runStreamReader(): { caughtUp: () => Promise<void> } {
  let relay: OutboxRelay | undefined;
  beforeAll(() => {
    relay = startOutboxRelay({
      dynamoDbEndpoint: process.env[LOCAL_DYNAMODB_ENDPOINT_ENV]!,
      tableName: () => tableName(projectionsTable),
      bus: {
        putEvents: ({ Entries }) => ({
          FailedEntryCount: 0,
          Entries: (Entries ?? []).map(() => ({ EventId: randomBytes(8).toString('hex') })),
        }),
      },
      busName: 'no-bus',
    });
  });
  afterAll(async () => relay?.stop());
  return { caughtUp: () => relay!.whenCaughtUp() };
}
