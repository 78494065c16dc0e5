// Household references: short, unique in the agency, given when the enquiry is logged,
// e.g. CAMBS-2019-0042. One counter per agency and year, incremented atomically (UpdateItem ADD), so
// two enquiries logged at the same moment never share a number. A refused enquiry may leave a gap:
// references are unique, not consecutive.
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import type { HouseholdState } from '../domain/household';
import { householdIndexes, INDEX_PARTITION_ATTRIBUTE, indexPartitionsOf, projectionsTable, STATE_FOR_FIGURES, tableName } from './tables';
import { getAll, inIndexOrder, type ReadTally } from './query-pages';

/** The item holding the agency's reference counters, one per year. */
export const referenceCountersKey = (agencyId: string) => `AGENCY#${agencyId}#REFERENCES`;

/** The agency's part of a reference: its id's first six letters and digits, in capitals. */
export function referencePrefix(agencyId: string): string {
  return (
    agencyId
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 6)
      .toUpperCase() || 'HH'
  );
}

export function formatReference(agencyId: string, year: string, number: number): string {
  return `${referencePrefix(agencyId)}-${year}-${String(number).padStart(4, '0')}`;
}

/** The next reference of the agency for an enquiry in `year`. */
export async function allocateReference(agencyId: string, year: string): Promise<string> {
  const result = await dynamoDbDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(projectionsTable),
      Key: { pk: referenceCountersKey(agencyId), sk: year },
      UpdateExpression: 'ADD #next :one',
      ExpressionAttributeNames: { '#next': 'next' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return formatReference(agencyId, year, result.Attributes?.next as number);
}

/** Households whose reference starts with `prefix` (a whole reference finds its one household): the
 *  first `limit` by reference, each shard's first `limit` merged. */
export async function householdsByReference(agencyId: string, prefix: string, limit: number, tally?: ReadTally): Promise<HouseholdState[]> {
  const shards = await Promise.all(
    indexPartitionsOf(agencyId, 'household').map(async (partition) => {
      const page = await dynamoDbDocumentClient().send(
        new QueryCommand({
          TableName: tableName(projectionsTable),
          IndexName: 'byReference',
          KeyConditionExpression: '#partition = :partition AND begins_with(#reference, :prefix)',
          ExpressionAttributeNames: { '#partition': INDEX_PARTITION_ATTRIBUTE, '#reference': householdIndexes.byReference },
          ExpressionAttributeValues: { ':partition': partition, ':prefix': prefix },
          Limit: limit,
        }),
      );
      if (tally) {
        tally.itemsRead += page.ScannedCount ?? 0;
        tally.requests += 1;
      }
      return (page.Items ?? []) as Record<string, unknown>[];
    }),
  );
  const found = inIndexOrder(shards.flat(), householdIndexes.byReference).slice(0, limit);
  // The index holds keys only: the households found are fetched by key.
  const keys = found.map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
  return (await getAll(tableName(projectionsTable), keys, tally, { projection: STATE_FOR_FIGURES })).map(
    (item) => item.household as HouseholdState,
  );
}
