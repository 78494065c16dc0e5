// Where the import sends in a test: the in-process stack's bus and the jest run's DynamoDB Local (the
// contacts and audit tables), with the local search key. `destroy` closes its clients.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localDynamoDbClientConfig } from '../../local/dynamodb-local';
import { searchHasher } from '../../shared/store/search-hash';
import { auditTable, contactsTable, tableName } from '../../shared/store/tables';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from '../../shared/wiring/environment';
import type { ImportTarget } from '../../tools/import/cli';
import type { InProcessStack } from './in-process-stack';

export type LocalImportTarget = ImportTarget & { contacts: NonNullable<ImportTarget['contacts']>; destroy(): void };

export async function localImportTarget(stack: Pick<InProcessStack, 'bus'>): Promise<LocalImportTarget> {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(localDynamoDbClientConfig(process.env[LOCAL_DYNAMODB_ENDPOINT_ENV]!)));
  const eventBridge = new EventBridgeClient({
    endpoint: stack.bus.url,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    eventBridge,
    busName: EVENT_BUS_NAME,
    contacts: { client: documents, tableName: tableName(contactsTable) },
    audit: { tableName: tableName(auditTable) },
    hashTerm: await searchHasher(),
    destroy: () => {
      eventBridge.destroy();
      documents.destroy();
    },
  };
}
