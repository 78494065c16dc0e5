// One SDK client of each kind per Lambda container, created at cold start and reused.
// Locally the runtime points them at DynamoDB Local and the local bus through these env vars;
// in AWS they are unset and the SDK uses the regional endpoints.
// Retries: throttling (ProvisionedThroughputExceeded, ThrottlingException, …), 5xx answers and
// transient network errors (a reset or refused connection, a timeout) are retried by the SDK itself
// in its `standard` mode: up to `maxAttempts` tries in all, with exponential backoff and full jitter.
// What still fails makes the projector throw, and the delivery is retried in turn (the rule's retry
// policy and Lambda's two async retries in AWS, the local bus's locally) before it is dead-lettered.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LOCAL_DYNAMODB_ENDPOINT_ENV, LOCAL_EVENTBRIDGE_ENDPOINT_ENV } from './wiring/environment';

let dynamoDb: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;
let eventBridge: EventBridgeClient | undefined;

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

export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient({
    endpoint: process.env[LOCAL_EVENTBRIDGE_ENDPOINT_ENV] || undefined,
    retryMode: 'standard',
    maxAttempts: 6,
  });
  return eventBridge;
}
