// An agency's conversion counts, kept as households move on: campaign conversion's per day and the
// forecast's application outcomes per month, so a window's figures read its days, not its households.
import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { addDays, type IsoDate } from '../domain/calendar';
import { conversionCountChanges, type ConversionCount, type CountedFigure } from '../domain/campaign-conversion';
import type { HouseholdState } from '../domain/household';
import { applicationOutcomeChanges, type ApplicationOutcome } from '../domain/resignation-forecast';
import type { Channel } from '../events/vocabulary';
import { FIRST_DATE, LAST_DATE } from '../events/catalogue';
import { countedHouseholdsOf, STATE_SK } from './households';
import { queryAll, type ReadTally } from './query-pages';
import { projectionsTable, tableName } from './tables';

// A year a partition (a replay, which writes in time order, moves from partition to partition). A
// day's item holds each count as `n|<figure>|<campaignId>|<channel>|<referredTo>`, a month's each
// outcome as `o|<outcome>|<day>|<until>|<referredTo>` (empty for none; no id, channel or date holds
// `|`). Each household that changed an item leaves `h|<householdId>` = the state version it applied
// last, and a change is applied only over a lower one: a stream record handled twice counts once,
// and a household's versions apply in order (the consumers stop at a record that fails).
const conversionKey = (agencyId: string, year: string) => `AGENCY#${agencyId}#CONVERSION#${year}`;
const DAY_PREFIX = 'DAY#';
const MONTH_PREFIX = 'MONTH#';
const COUNT_PREFIX = 'n|';
const OUTCOME_PREFIX = 'o|';
const MARKER_PREFIX = 'h|';

const countAttribute = (c: ConversionCount) => `${COUNT_PREFIX}${c.figure}|${c.campaignId ?? ''}|${c.channel ?? ''}|${c.referredTo ?? ''}`;
const outcomeAttribute = (o: ApplicationOutcome) =>
  `${OUTCOME_PREFIX}${o.outcome}|${o.day}|${o.until ?? ''}|${o.referredTo ?? ''}|${o.assessmentDays ?? ''}`;

/** An item of counts, and what a change adds to each of its attributes. */
interface CountsItemChange {
  key: { pk: string; sk: string };
  additions: Map<string, number>;
}

/** What a household's change of state adds to its agency's items: its days' and its months'. */
function countsItemChanges(agencyId: string, before: HouseholdState | undefined, after: HouseholdState | undefined): CountsItemChange[] {
  const items = new Map<string, CountsItemChange>();
  const add = (day: IsoDate, sk: string, attribute: string, n: number) => {
    const item = items.get(sk) ?? { key: { pk: conversionKey(agencyId, day.slice(0, 4)), sk }, additions: new Map() };
    item.additions.set(attribute, (item.additions.get(attribute) ?? 0) + n);
    items.set(sk, item);
  };
  for (const c of conversionCountChanges(before, after)) add(c.day, `${DAY_PREFIX}${c.day}`, countAttribute(c), c.n);
  for (const o of applicationOutcomeChanges(before, after)) add(o.day, `${MONTH_PREFIX}${o.day.slice(0, 7)}`, outcomeAttribute(o), o.n);
  return [...items.values()];
}

/** A household's state item changed (or came, or went): the state before and after, and the new version. */
export interface HouseholdStateChange {
  agencyId: string;
  householdId: string;
  version: number;
  before?: HouseholdState;
  after?: HouseholdState;
}

/** The state change a record of the projections table's stream carries, if it is a state item's. */
export function stateChangeOf(record: {
  dynamodb?: { Keys?: Record<string, unknown>; OldImage?: Record<string, unknown>; NewImage?: Record<string, unknown> };
}): HouseholdStateChange | undefined {
  const keys = record.dynamodb?.Keys as Record<string, AttributeValue> | undefined;
  if (keys?.sk?.S !== STATE_SK) return undefined;
  const image = (typed: Record<string, unknown> | undefined) =>
    typed ? (unmarshall(typed as Record<string, AttributeValue>) as { household: HouseholdState; version: number }) : undefined;
  const before = image(record.dynamodb?.OldImage);
  const after = image(record.dynamodb?.NewImage);
  const state = after?.household ?? before?.household;
  if (!state) return undefined;
  return {
    agencyId: state.agencyId,
    householdId: state.householdId,
    // A state item removed leaves its counts as of one version later.
    version: after?.version ?? (before?.version ?? 0) + 1,
    before: before?.household,
    after: after?.household,
  };
}

/**
 * Applies a household's change of state to its agency's day and month items: one conditional
 * UpdateItem per item it changes (ADD is atomic, so households changing the same item never
 * conflict). An item the change was already applied to is left alone. Returns the items written.
 */
export async function applyStateChange(change: HouseholdStateChange): Promise<number> {
  const written = await Promise.all(
    countsItemChanges(change.agencyId, change.before, change.after).map(async ({ key, additions }) => {
      const names: Record<string, string> = { '#household': `${MARKER_PREFIX}${change.householdId}` };
      const values: Record<string, unknown> = { ':version': change.version };
      const adds = [...additions].map(([attribute, n], i) => {
        names[`#c${i}`] = attribute;
        values[`:c${i}`] = n;
        return `#c${i} :c${i}`;
      });
      try {
        await dynamoDbDocumentClient().send(
          new UpdateCommand({
            TableName: tableName(projectionsTable),
            Key: key,
            UpdateExpression: `SET #household = :version ADD ${adds.join(', ')}`,
            ConditionExpression: 'attribute_not_exists(#household) OR #household < :version',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return 1;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 0; // applied before
        throw error;
      }
    }),
  );
  return written.reduce((sum: number, n) => sum + n, 0);
}

/** The counts of the days in the windows (overlapping windows read once), one Query per year each spans. */
export async function conversionCountsBetween(
  agencyId: string,
  windows: ReadonlyArray<{ from: IsoDate; to: IsoDate }>,
  tally?: ReadTally,
): Promise<ConversionCount[]> {
  const items = await countItemsBetween(agencyId, windows, (date) => `${DAY_PREFIX}${date}`, tally);
  return items.flatMap((item) => {
    const day = String(item.sk).slice(DAY_PREFIX.length);
    return countsIn(item, COUNT_PREFIX).map(([[figure, campaignId, channel, referredTo], n]) => ({
      day,
      figure: figure as CountedFigure,
      campaignId: campaignId || null,
      channel: (channel || null) as Channel | null,
      referredTo: referredTo || null,
      n,
    }));
  });
}

/** The application outcomes dated from `from` to `to` (and the rest of their first and last months),
 *  one Query per calendar year the window spans: 25 month items for q's 730 days. */
export async function applicationOutcomesBetween(
  agencyId: string,
  from: IsoDate,
  to: IsoDate,
  tally?: ReadTally,
): Promise<ApplicationOutcome[]> {
  const items = await countItemsBetween(agencyId, [{ from, to }], (date) => `${MONTH_PREFIX}${date.slice(0, 7)}`, tally);
  return items.flatMap((item) =>
    countsIn(item, OUTCOME_PREFIX).map(([[outcome, day, until, referredTo, assessmentDays], n]) => ({
      outcome: outcome as ApplicationOutcome['outcome'],
      day: day!,
      until: until || null,
      referredTo: referredTo || null,
      assessmentDays: assessmentDays ? Number(assessmentDays) : null,
      n,
    })),
  );
}

/** The agency's items whose sort key (`sortKeyOf` a date) lies within the windows, one Query per
 *  calendar year each spans (overlapping windows read once). */
async function countItemsBetween(
  agencyId: string,
  windows: ReadonlyArray<{ from: IsoDate; to: IsoDate }>,
  sortKeyOf: (date: IsoDate) => string,
  tally: ReadTally | undefined,
): Promise<Record<string, unknown>[]> {
  const pages = await Promise.all(
    yearRanges(windows).map(({ from, to }) =>
      queryAll(
        {
          TableName: tableName(projectionsTable),
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': conversionKey(agencyId, from.slice(0, 4)), ':from': sortKeyOf(from), ':to': sortKeyOf(to) },
        },
        tally,
      ),
    ),
  );
  return pages.flat();
}

/** The windows' days as ranges within one calendar year each, merged where they overlap or touch. */
function yearRanges(windows: ReadonlyArray<{ from: IsoDate; to: IsoDate }>): Array<{ from: IsoDate; to: IsoDate }> {
  const merged: Array<{ from: IsoDate; to: IsoDate }> = [];
  for (const w of [...windows].sort((a, b) => (a.from < b.from ? -1 : 1))) {
    const last = merged[merged.length - 1];
    if (last && w.from <= addDays(last.to, 1)) last.to = w.to > last.to ? w.to : last.to;
    else merged.push({ ...w });
  }
  return merged.flatMap(({ from, to }) => {
    const ranges: Array<{ from: IsoDate; to: IsoDate }> = [];
    for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 1) {
      const start = `${year}-01-01` > from ? `${year}-01-01` : from;
      const end = `${year}-12-31` < to ? `${year}-12-31` : to;
      ranges.push({ from: start, to: end });
    }
    return ranges;
  });
}

/** An item's non-zero numbers under `prefix`: each attribute name's `|`-separated fields, and its number. */
function countsIn(item: Record<string, unknown>, prefix: string): Array<[string[], number]> {
  return Object.entries(item).flatMap(([name, n]): Array<[string[], number]> =>
    name.startsWith(prefix) && n !== 0 ? [[name.slice(prefix.length).split('|'), n as number]] : [],
  );
}

/** The stream records the counts are kept from, in EventBridge's pattern language (a Lambda event
 *  source mapping's filter in AWS; the local relay matches records with it too): state items'. */
export const STATE_CHANGE_FILTER_PATTERN = { dynamodb: { Keys: { sk: { S: [STATE_SK] } } } } as const;
/** The keeper's function timeout in AWS: the longest a batch handed to it runs (the rebuild waits that long after pausing it). */
export const KEEPER_TIMEOUT_SECONDS = 60;

/**
 * Applies the state changes of a shard's records, in order, one at a time: a household's later
 * version is never applied before an earlier one (its marker would then refuse the earlier). At the
 * first record that fails, stops and returns its index, so that the records from it on are handed
 * over again (a Lambda's partial batch response; the relay's checkpoint); -1 when all were applied.
 */
export async function applyStateChanges(
  records: readonly Parameters<typeof stateChangeOf>[0][],
): Promise<{ failedAt: number; error?: unknown }> {
  for (const [i, record] of records.entries()) {
    try {
      const change = stateChangeOf(record);
      if (change) await applyStateChange(change);
    } catch (error) {
      return { failedAt: i, error };
    }
  }
  return { failedAt: -1 };
}

/**
 * Rewrites an agency's day items from its households' stored states: each state's counts, with its
 * version as the household's marker. The repair after a stream batch was dead-lettered (the counts
 * lack its changes), and how a table written before the counts existed gets them. It must be the
 * only writer of the counts while it runs (in AWS the stream's event source mapping disabled, locally
 * `npm start` stopped): what the stream holds meanwhile is applied when reading resumes, and a
 * version the rebuild already counted is refused by its marker.
 */
export async function rebuildConversionCounts(
  agencyId: string,
): Promise<{ households: number; itemsWritten: number; itemsRemoved: number }> {
  const households = await countedHouseholdsOf(agencyId);
  const items = new Map<string, Record<string, unknown>>(); // by `pk|sk`
  const keyOf = (item: Record<string, unknown>) => `${item.pk as string}|${item.sk as string}`;
  for (const { state, version } of households) {
    for (const { key, additions } of countsItemChanges(agencyId, undefined, state)) {
      const item = items.get(keyOf(key)) ?? { ...key };
      for (const [name, n] of additions) item[name] = ((item[name] as number | undefined) ?? 0) + n;
      item[`${MARKER_PREFIX}${state.householdId}`] = version;
      items.set(keyOf(item), item);
    }
  }
  // Every day and month item the agency has now, in each year a date may fall in (1970 to 2100).
  const years = Array.from({ length: Number(LAST_DATE.slice(0, 4)) - Number(FIRST_DATE.slice(0, 4)) + 1 }, (_, i) =>
    String(Number(FIRST_DATE.slice(0, 4)) + i),
  );
  const existing = (
    await inBatches(years, (year) =>
      queryAll({
        TableName: tableName(projectionsTable),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': conversionKey(agencyId, year) },
        ProjectionExpression: 'pk, sk',
      }),
    )
  ).flat();
  const stale = existing.filter((key) => !items.has(keyOf(key)));
  const TableName = tableName(projectionsTable);
  await inBatches([...items.values()], (Item) => dynamoDbDocumentClient().send(new PutCommand({ TableName, Item })));
  await inBatches(stale, (Key) => dynamoDbDocumentClient().send(new DeleteCommand({ TableName, Key })));
  return { households: households.length, itemsWritten: items.size, itemsRemoved: stale.length };
}

/** `work` over the list, eight at a time (a repair, not a hot path: no more than that in flight). */
async function inBatches<T, R>(list: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < list.length; i += 8) results.push(...(await Promise.all(list.slice(i, i + 8).map(work))));
  return results;
}
