// Reading a query to its end, page by page, and counting what it read: every store module pages the
// same way, and the tests and the benchmark bound a metric's reads by this tally.
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';

/** Counts the items a query read (DynamoDB's ScannedCount), so tests and the bench can bound it. */
export class ReadTally {
  itemsRead = 0;
  requests = 0;
}

/** Every page of a query; counts what it read into the tally. */
export async function queryAll(
  input: QueryCommandInput,
  tally?: ReadTally,
  options: { firstPageOnly?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDbDocumentClient().send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    if (tally) {
      tally.itemsRead += page.ScannedCount ?? 0;
      tally.requests += 1;
    }
    ExclusiveStartKey = options.firstPageOnly ? undefined : page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
