// One DynamoDB client per Lambda container, created at cold start and reused (the EventBridge client
// lives with the publisher, its only user, so that no other bundle loads that SDK package).
// Locally the runtime points it at DynamoDB Local through its env var (the local bus: publisher.ts);
// in AWS it is unset and the SDK uses the regional endpoint.
// Retries: throttling (ProvisionedThroughputExceeded, ThrottlingException, …), 5xx answers and
// transient network errors (a reset or refused connection, a timeout) are retried by the SDK itself
// in its `standard` mode: up to `maxAttempts` tries in all, with exponential backoff and full jitter.
// What still fails makes the projector throw, and the delivery is retried in turn (the rule's retry
// policy and Lambda's two async retries in AWS, the local bus's locally) before it is dead-lettered.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from './wiring/environment';

let dynamoDb: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;

export function dynamoDbClient(): DynamoDBClient {
  dynamoDb ??= new DynamoDBClient({
    endpoint: process.env[LOCAL_DYNAMODB_ENDPOINT_ENV] || undefined,
    retryMode: 'standard',
    maxAttempts: 6,
  });
  return dynamoDb;
}

export function dynamoDbDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(dynamoDbClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}
