// Reading a query to its end, page by page, and counting what it read: every store module pages the
// same way, and the tests and the benchmark bound a metric's reads by this tally.
import { BatchGetCommand, QueryCommand, type BatchGetCommandOutput, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { indexPartitionsOf } from './tables';

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

/** Every page of a query of an agency's household index, in each of its shards (tables.ts
 *  indexShards) side by side, merged in the index's order of `sortAttribute`: as one partition per
 *  agency would answer. */
export async function queryEveryShard(
  agencyId: string,
  input: (partition: string) => QueryCommandInput,
  sortAttribute: string,
  tally?: ReadTally,
): Promise<Record<string, unknown>[]> {
  const partitions = indexPartitionsOf(agencyId, 'household');
  const shards = await Promise.all(partitions.map((partition) => queryAll(input(partition), tally)));
  return inIndexOrder(shards.flat(), sortAttribute);
}

/** Items of several shards in their index's order. The sort values are ASCII (ISO instants, and ids
 *  and references whose catalogue schemas allow nothing else), so JavaScript's order of strings is
 *  DynamoDB's order of their UTF-8 bytes. */
export function inIndexOrder<T extends Record<string, unknown>>(items: T[], sortAttribute: string): T[] {
  const value = (item: T) => String(item[sortAttribute]);
  return items.sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : 0));
}

/** At most this many keys a BatchGetItem request. */
export const BATCH_GET_LIMIT = 100;

/**
 * The items with these keys (`pk`, `sk`), as stored, in the order asked (missing ones left out):
 * BatchGetItem, 100 keys a request, unprocessed keys asked again. Readers of the keys-only indexes
 * fetch what they found with it.
 */
export async function getAll(
  TableName: string,
  keys: ReadonlyArray<{ pk: string; sk: string }>,
  tally?: ReadTally,
  options: { consistent?: boolean; projection?: string; names?: Record<string, string> } = {},
): Promise<Record<string, unknown>[]> {
  const found = new Map<string, Record<string, unknown>>();
  const keyOf = (k: { pk: unknown; sk: unknown }) => `${String(k.pk)}\n${String(k.sk)}`;
  const distinct = [...new Map(keys.map((k) => [keyOf(k), { pk: k.pk, sk: k.sk }])).values()];
  for (let i = 0; i < distinct.length; i += BATCH_GET_LIMIT) {
    let pending: Record<string, unknown>[] | undefined = distinct.slice(i, i + BATCH_GET_LIMIT);
    while (pending && pending.length > 0) {
      const page: BatchGetCommandOutput = await dynamoDbDocumentClient().send(
        new BatchGetCommand({
          RequestItems: {
            [TableName]: {
              Keys: pending,
              ConsistentRead: options.consistent,
              ProjectionExpression: options.projection,
              ExpressionAttributeNames: options.names,
            },
          },
        }),
      );
      const items = (page.Responses?.[TableName] ?? []) as Record<string, unknown>[];
      if (tally) {
        tally.itemsRead += items.length;
        tally.requests += 1;
      }
      for (const item of items) found.set(keyOf(item as { pk: unknown; sk: unknown }), item);
      pending = page.UnprocessedKeys?.[TableName]?.Keys;
    }
  }
  return distinct.map((k) => found.get(keyOf(k))).filter((item): item is Record<string, unknown> => item !== undefined);
}
