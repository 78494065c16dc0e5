// One DynamoDB client per Lambda container, made at cold start and reused; locally pointed at DynamoDB
// Local through its env var. The EventBridge client is the publisher's alone. Retries: sdk-retries.ts.
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
