// What the front door keeps besides the enquiries: the key its pages' served-at stamps are signed
// with, the recent posts each source address and each agency made (the rate limits), and the count
// of posts screened out, without their content, for the manager.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { countPost, type PostLimit, type Screened } from '../domain/front-door';
import { idempotencyTable, projectionsTable, tableName } from './tables';
import { retryOnConflict } from './retry';

const STAMP_KEY = { pk: 'FRONT-DOOR', sk: 'STAMP-KEY' };

let stampKey: Buffer | undefined;

/** The service's stamp key: drawn at random by the first function that needs it, kept in the table. */
async function getStampKey(): Promise<Buffer> {
  if (stampKey) return stampKey;
  const TableName = tableName(projectionsTable);
  const read = async () =>
    (await dynamoDbDocumentClient().send(new GetCommand({ TableName, Key: STAMP_KEY, ConsistentRead: true }))).Item?.key as
      string | undefined;
  let key = await read();
  if (!key) {
    try {
      await dynamoDbDocumentClient().send(
        new PutCommand({
          TableName,
          Item: { ...STAMP_KEY, key: randomBytes(32).toString('base64') },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // another drew it first
    }
    key = await read();
  }
  stampKey = Buffer.from(key!, 'base64');
  return stampKey;
}

const mac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest('base64url');

/** The page's served-at stamp: the time and a signature of it with the agency, so it cannot be made up. */
export async function servedAtStamp(agencyId: string, nowMs: number): Promise<string> {
  return `${nowMs}.${mac(await getStampKey(), `${agencyId}|${nowMs}`)}`;
}

/** When the page was served, if the stamp is one this service signed for this agency. */
export async function servedAtOf(agencyId: string, stamp: string | undefined): Promise<number | undefined> {
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(stamp ?? '');
  if (!match) return undefined;
  const expected = Buffer.from(mac(await getStampKey(), `${agencyId}|${match[1]}`));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? Number(match[1]) : undefined;
}

/** A source address as it is kept: a keyed hash, never the address itself. */
export async function sourceKey(address: string): Promise<string> {
  return mac(await getStampKey(), `source|${address}`);
}

/**
 * Counts a post against a limit for one subject (a source address's key, an agency): the newest
 * posts' times in one item of the idempotency table (short-lived request guards), written only if
 * nobody wrote it since it was read, and expiring once the window has passed.
 */
export async function countPostAgainst(subject: string, limit: PostLimit, nowMs: number) {
  const TableName = tableName(idempotencyTable);
  const id = `front-door#posts#${subject}`;
  return retryOnConflict(`the posts of ${subject}`, async () => {
    const item = (await dynamoDbDocumentClient().send(new GetCommand({ TableName, Key: { id }, ConsistentRead: true }))).Item;
    const version = (item?.version as number | undefined) ?? 0;
    const verdict = countPost((item?.posts as number[] | undefined) ?? [], nowMs, limit);
    try {
      await dynamoDbDocumentClient().send(
        new PutCommand({
          TableName,
          Item: { id, posts: verdict.kept, version: version + 1, expiration: Math.ceil((nowMs + limit.windowMs) / 1000) },
          ConditionExpression: version === 0 ? 'attribute_not_exists(id)' : 'version = :version',
          ExpressionAttributeValues: version === 0 ? undefined : { ':version': version },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'conflict' as const;
      throw error;
    }
    return verdict;
  });
}

const screenedKey = (agencyId: string) => `AGENCY#${agencyId}#FRONT-DOOR-SCREENED`;
/** What the manager sees of posts the front door kept out: how many, why, by day. */
export type ScreenedReason = Screened | 'too_many';

/** One more post screened out on `date`: a count, nothing of what it held. */
export async function countScreened(agencyId: string, date: string, reason: ScreenedReason): Promise<void> {
  await dynamoDbDocumentClient().send(
    new UpdateCommand({
      TableName: tableName(projectionsTable),
      Key: { pk: screenedKey(agencyId), sk: date },
      UpdateExpression: 'ADD #reason :one',
      ExpressionAttributeNames: { '#reason': reason },
      ExpressionAttributeValues: { ':one': 1 },
    }),
  );
}

/** The days of [from, to] with posts screened out, oldest first. */
export async function screenedBetween(
  agencyId: string,
  from: string,
  to: string,
): Promise<Array<{ date: string } & Record<ScreenedReason, number>>> {
  const result = await dynamoDbDocumentClient().send(
    new QueryCommand({
      TableName: tableName(projectionsTable),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': screenedKey(agencyId), ':from': from, ':to': to },
    }),
  );
  return (result.Items ?? []).map((item) => ({
    date: item.sk as string,
    honeypot: (item.honeypot as number | undefined) ?? 0,
    too_fast: (item.too_fast as number | undefined) ?? 0,
    too_many: (item.too_many as number | undefined) ?? 0,
  }));
}
