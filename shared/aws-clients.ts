// One SDK client of each kind per Lambda container, created at cold start and reused.
// Locally the runtime points them at DynamoDB Local and the local bus through these env vars;
// in AWS they are unset and the SDK uses the regional endpoints.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

export const LOCAL_DYNAMODB_ENDPOINT_ENV = 'DYNAMODB_ENDPOINT';
export const LOCAL_EVENTBRIDGE_ENDPOINT_ENV = 'EVENTBRIDGE_ENDPOINT';

let dynamoDb: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;
let eventBridge: EventBridgeClient | undefined;

export function dynamoDbClient(): DynamoDBClient {
  dynamoDb ??= new DynamoDBClient({
    endpoint: process.env[LOCAL_DYNAMODB_ENDPOINT_ENV] || undefined,
    maxAttempts: 6, // throttling and transient errors: the SDK retries with exponential backoff and jitter
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
    maxAttempts: 6,
  });
  return eventBridge;
}
