// One DynamoDB client per Lambda container, created at cold start and reused (the EventBridge client
// lives with the publisher, its only user, so that no other bundle loads that SDK package).
// Locally the runtime points it at DynamoDB Local through its env var (the local bus: publisher.ts);
// in AWS it is unset and the SDK uses the regional endpoint.
// Retries: sdk-retries.ts.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_DYNAMODB_ENDPOINT_ENV } from './wiring/environment';
import { SDK_RETRIES } from './sdk-retries';

let dynamoDb: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;

export function dynamoDbClient(): DynamoDBClient {
  dynamoDb ??= new DynamoDBClient({
    endpoint: process.env[LOCAL_DYNAMODB_ENDPOINT_ENV] || undefined,
    ...SDK_RETRIES,
  });
  return dynamoDb;
}

export function dynamoDbDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(dynamoDbClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}
