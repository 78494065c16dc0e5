// DynamoDB access for households. One partition per household per agency holds its events (one
// item each, keyed by eventId), what referring agencies passed on, its folded state (with the sparse
// index attributes of tables.ts) and, once a carer has years behind it, its year items: the
// placements and holds that ended before the state item's year (household-years.ts), so that no
// item grows with the carer's years. An event from the bus is stored with the state item that folds
// it (its `foldedEvent`: one conditional PutItem); its own item is written from the table's stream
// (event-archive.ts). A command's event is written as its own item, with the state, in one
// transaction (it is an outbox entry).
import { isDeepStrictEqual } from 'node:util';
import { GetCommand, PutCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { FIRST_DATE, type HouseholdEvent } from '../events/catalogue';
import { startOfDay } from '../domain/calendar';
import {
  assessmentEndedAt,
  currentClosure,
  hasApplied,
  toUtcInstant,
  carerRecordFields,
  forecastEnquiryFields,
  forecastRecordFields,
  type CarerRecord,
  type ForecastRecord,
  type HouseholdState,
  type ReferralIn,
} from '../domain/household';
import { eventLogAttributes } from './event-log';
import { getAll, queryAll, queryEveryShard, type ReadTally } from './query-pages';
import { referralRewardFor } from '../domain/referral-reward';
import { outboxAttributes } from './outbox';
import { splitByYear, withYearSpans, yearSpanKinds, yearSpansFrom, yearsNeeded, yearsNeededUpTo, type YearSpans } from './household-years';
import {
  householdIndexes,
  INDEX_PARTITION_ATTRIBUTE,
  indexPartition,
  indexShardOf,
  indexSortRange,
  indexSortValue,
  OPEN_END,
  projectionsTable,
  tableName,
  type HouseholdIndexName,
} from './tables';

export const householdKey = (agencyId: string, householdId: string) => `HOUSEHOLD#${agencyId}#${householdId}`;
export const STATE_SK = 'STATE';
/** Year items sort right after the state item, so one Query reads the record without its events. */
const YEAR_SK_PREFIX = 'STATE#YEAR#';
const yearSk = (year: number) => `${YEAR_SK_PREFIX}${year}`;
const eventSk = (eventId: string) => `EVENT#${eventId}`;
const referralInSk = (fromAgencyId: string) => `REFERRAL-IN#${fromAgencyId}`;
/** The refer-a-friend reward this household made due: one per household, an outbox entry. */
const REWARD_SK = 'REWARD';
/** On a state item: the event its write folded, when the write stored no item of the event's own.
 *  The stream's reader writes that item (event-archive.ts); until it has, the partition reads the
 *  event from here. The next write of the state item replaces it. */
export const FOLDED_EVENT_ATTRIBUTE = 'foldedEvent';

/** The household's record as stored: the state item (what is in force) and its year items. */
export interface StoredHousehold {
  /** The state item's state: without the spans kept in year items. */
  state?: HouseholdState;
  version: number;
  /** The state with every year item merged back: the household's whole record. */
  whole?: HouseholdState;
  /** The years that have a year item (yearSpans' keys, in order). */
  years: number[];
  /** What each year item holds, as stored: a refold rewrites only the years it changes. */
  yearSpans: Map<number, YearSpans>;
}

export interface HouseholdPartition extends StoredHousehold {
  /** Each event once: the event items, and the state item's folded event if it has no item yet. */
  events: HouseholdEvent[];
  referralsIn: ReferralIn[];
  /** The state has folded events the partition does not hold yet: events stored with an earlier
   *  version of the state item whose items the stream's reader has not written yet. A refold must
   *  wait for them (households.ts readCompletePartition). */
  archiveBehind: boolean;
}

function storedHousehold(items: readonly Record<string, unknown>[]): StoredHousehold {
  const stored: StoredHousehold = { version: 0, years: [], yearSpans: new Map() };
  for (const item of items) {
    const sk = item.sk as string;
    if (sk === STATE_SK) {
      stored.state = item.household as HouseholdState;
      stored.version = item.version as number;
    } else if (sk.startsWith(YEAR_SK_PREFIX)) {
      stored.yearSpans.set(Number(sk.slice(YEAR_SK_PREFIX.length)), yearSpansOf(item));
    }
  }
  stored.years = [...stored.yearSpans.keys()];
  if (stored.state) {
    const { yearItems: _kept, ...whole } = withYearSpans(stored.state, [...stored.yearSpans.values()]);
    stored.whole = whole;
  }
  return stored;
}

/** A year item's entries; a kind it has none of is not stored (items written before terms and flags left the state have neither). */
const yearSpansOf = (item: Record<string, unknown>): YearSpans => yearSpansFrom((kind) => item[kind] as unknown[] | undefined);
/** The kinds of entry a year item gets from these spans (an empty list costs bytes for nothing). */
const storedSpans = (spans: YearSpans) =>
  Object.fromEntries(yearSpanKinds.filter((kind) => spans[kind].length > 0).map((kind) => [kind, spans[kind]]));

/** Everything the household's partition holds, read consistently (a late event refolds it all). */
export async function readHouseholdPartition(agencyId: string, householdId: string): Promise<HouseholdPartition> {
  const items = await queryAll({
    TableName: tableName(projectionsTable),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': householdKey(agencyId, householdId) },
    ConsistentRead: true,
  });
  const partition: HouseholdPartition = { ...storedHousehold(items), events: [], referralsIn: [], archiveBehind: false };
  let folded: HouseholdEvent | undefined;
  for (const item of items) {
    const sk = item.sk as string;
    if (sk.startsWith('EVENT#')) partition.events.push(item.event as HouseholdEvent);
    else if (sk.startsWith('REFERRAL-IN#')) partition.referralsIn.push(item.referral as ReferralIn);
    else if (sk === STATE_SK) folded = item[FOLDED_EVENT_ATTRIBUTE] as HouseholdEvent | undefined;
  }
  if (folded && !partition.events.some((e) => e.detail.eventId === folded.detail.eventId)) partition.events.push(folded);
  const distinct = new Set(partition.events.map((e) => e.detail.eventId)).size;
  partition.archiveBehind = partition.state !== undefined && distinct < partition.state.eventCount;
  return partition;
}

/** Waits this long at most, in all, for the stream's reader to write the items of events already
 *  folded (usually well under a second behind). Short beside the projector's 30 s timeout: a record
 *  that still finds them missing fails alone and is delivered again later, its batch goes on. */
const ARCHIVE_WAIT_MS = 5_000;

export class ArchiveBehindError extends Error {}

/**
 * The household's partition with every event its state has folded (what a refold needs): while the
 * stream's reader has not yet written the items of events stored with earlier versions of the state
 * item, read again after a pause (it is usually well under a second behind). Throws
 * ArchiveBehindError after ARCHIVE_WAIT_MS: the projector's delivery is then retried.
 */
export async function readCompletePartition(agencyId: string, householdId: string): Promise<HouseholdPartition> {
  let waited = 0;
  for (let pause = 20; ; pause = Math.min(pause * 2, 1_000)) {
    const partition = await readHouseholdPartition(agencyId, householdId);
    if (!partition.archiveBehind) return partition;
    if (waited >= ARCHIVE_WAIT_MS)
      throw new ArchiveBehindError(`household ${householdId}: the stream has not yet stored events its state folded`);
    await new Promise((done) => setTimeout(done, pause));
    waited += pause;
  }
}

/** The state item and its year items, read consistently, without the events: what a command checks. */
export async function readHouseholdRecord(agencyId: string, householdId: string): Promise<StoredHousehold> {
  const items = await queryAll({
    TableName: tableName(projectionsTable),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :state)',
    ExpressionAttributeValues: { ':pk': householdKey(agencyId, householdId), ':state': STATE_SK },
    ConsistentRead: true,
  });
  return storedHousehold(items);
}

const stateKey = (agencyId: string, householdId: string) => ({ pk: householdKey(agencyId, householdId), sk: STATE_SK });

/** What a figure reads of a state item: the state and the keys BatchGet answers by. The index
 *  attributes and the version (up to half a recruited carer's item) are for the indexes and for
 *  writers, not for figures. */
export const STATE_FOR_FIGURES = 'pk, sk, household';

/** Several households' state items (BatchGet), missing ones left out: the state alone. */
async function stateItems(keys: ReadonlyArray<{ pk: string; sk: string }>, tally?: ReadTally) {
  return getAll(tableName(projectionsTable), keys, tally, { projection: STATE_FOR_FIGURES });
}

/** Several households' states, as stored (their state items); missing ones left out. */
export async function getHouseholdStates(agencyId: string, householdIds: readonly string[], tally?: ReadTally): Promise<HouseholdState[]> {
  const items = await stateItems(
    householdIds.map((id) => stateKey(agencyId, id)),
    tally,
  );
  return items.map((item) => item.household as HouseholdState);
}

/**
 * The states with what the year items hold of [fromInstant, toInstant] merged back: exact for any
 * question about a date or window inside it. A state whose item keeps that window reads nothing more.
 */
export function withHistory<S extends HistoryHolder>(states: readonly S[], fromInstant: string, toInstant: string, tally?: ReadTally) {
  return withYearItems(states, (state) => yearsNeeded(state, fromInstant, toInstant), tally);
}

/** The states with every placement and hold before `instant` (household-years.ts yearsNeededUpTo). */
export function withHistoryUpTo<S extends HistoryHolder>(states: readonly S[], instant: string, tally?: ReadTally) {
  return withYearItems(states, (state) => yearsNeededUpTo(state, instant), tally);
}

/** What merging a household's year items back needs of its state. */
type HistoryHolder = Pick<HouseholdState, 'agencyId' | 'householdId' | 'yearItems' | 'placements' | 'holds'>;

async function withYearItems<S extends HistoryHolder>(
  states: readonly S[],
  yearsOf: (state: S) => number[],
  tally: ReadTally | undefined,
): Promise<S[]> {
  const wanted = states.flatMap((state) =>
    yearsOf(state).map((year) => ({ pk: householdKey(state.agencyId, state.householdId), sk: yearSk(year) })),
  );
  if (wanted.length === 0) return [...states];
  const spansOf = new Map<string, YearSpans[]>();
  for (const item of await getAll(tableName(projectionsTable), wanted, tally)) {
    const pk = item.pk as string;
    spansOf.set(pk, [...(spansOf.get(pk) ?? []), yearSpansOf(item)]);
  }
  return states.map((state) => withYearSpans(state, spansOf.get(householdKey(state.agencyId, state.householdId)) ?? []));
}

/** The household's stored state, read consistently: what a command checks is what was last written. */
export async function getHouseholdState(agencyId: string, householdId: string): Promise<HouseholdState | undefined> {
  return (await readStoredHousehold(agencyId, householdId)).state;
}

/** The household's state item alone with its version, read consistently: one item, whatever the household's history. */
export async function readStoredHousehold(agencyId: string, householdId: string): Promise<{ state?: HouseholdState; version: number }> {
  const result = await dynamoDbDocumentClient().send(
    new GetCommand({ TableName: tableName(projectionsTable), Key: stateKey(agencyId, householdId), ConsistentRead: true }),
  );
  return { state: result.Item?.household as HouseholdState | undefined, version: (result.Item?.version as number | undefined) ?? 0 };
}

/** The index attributes a state item carries (absent ones leave it out of that sparse index). */
function indexAttributes(state: HouseholdState): Record<string, string | undefined> {
  const closure = currentClosure(state);
  const at = (instant: string | undefined) => (instant === undefined ? undefined : indexSortValue(instant, state.householdId));
  const times = {
    [householdIndexes.byEnquiredAt]: state.enquiry?.at,
    [householdIndexes.byInitialVisitAt]: state.initialVisitAt,
    [householdIndexes.byAssessmentAt]: state.assessmentAt,
    [householdIndexes.byApprovedAt]: state.approvedAt,
    [householdIndexes.byAssessmentEnd]: hasApplied(state) ? (assessmentEndedAt(state) ?? OPEN_END) : undefined,
    [householdIndexes.byApprovalEnd]: state.approvedAt === undefined ? undefined : (state.resignation?.at ?? OPEN_END),
    [householdIndexes.byClosedAt]: state.approvedAt === undefined ? closure?.at : undefined,
    [householdIndexes.byResignedAt]: state.resignation?.at,
    [householdIndexes.byRecruitmentEnd]:
      state.enquiry || state.initialVisitAt || state.assessmentAt ? (state.approvedAt ?? closure?.at ?? OPEN_END) : undefined,
  };
  return {
    [INDEX_PARTITION_ATTRIBUTE]: indexPartition(state.agencyId, indexShardOf(state.householdId, 'household')),
    ...Object.fromEntries(Object.entries(times).map(([attribute, instant]) => [attribute, at(instant)])),
    [householdIndexes.byReference]: state.enquiry?.reference,
  };
}

// The items of a household partition, exported so the bench can seed a history with exactly these.
function stateItem(state: HouseholdState, version: number, foldedEvent?: HouseholdEvent) {
  return {
    pk: householdKey(state.agencyId, state.householdId),
    sk: STATE_SK,
    version,
    household: state,
    ...indexAttributes(state),
    ...(foldedEvent ? { [FOLDED_EVENT_ATTRIBUTE]: foldedEvent } : {}),
  };
}

/** A state folded from every event, as its items: the state item (carrying the last event it folded,
 *  as the projector leaves it) and its year items. */
export function householdRecordItems(state: HouseholdState, version: number, foldedEvent?: HouseholdEvent): Record<string, unknown>[] {
  const { current, leaving } = splitByYear(state);
  const pk = householdKey(state.agencyId, state.householdId);
  return [
    stateItem(current, version, foldedEvent),
    ...[...leaving].map(([year, spans]) => ({ pk, sk: yearSk(year), ...storedSpans(spans) })),
  ];
}

export function eventItem(agencyId: string, householdId: string, event: HouseholdEvent) {
  return {
    pk: householdKey(agencyId, householdId),
    sk: eventSk(event.detail.eventId),
    occurredAt: toUtcInstant(event.detail.occurredAt),
    ...eventLogAttributes(event),
  };
}

export function referralInItem(agencyId: string, householdId: string, referral: ReferralIn) {
  return { pk: householdKey(agencyId, householdId), sk: referralInSk(referral.fromAgencyId), referral };
}

export type WriteOutcome = 'written' | 'duplicate' | 'conflict';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What a household write stores besides the state. */
export interface HouseholdWriteOptions {
  /** The state the write replaces (as read at `expectedVersion`): a reward newly due is stored with it. */
  previous?: HouseholdState;
  /** The event is a command's: its item is an outbox entry, put on the bus from the stream. */
  publish?: boolean;
  /** Written in the same transaction (e.g. the enquirer's contact details, in the contacts table). */
  alongside?: TransactItem[];
  /**
   * The year items as stored, when `state` was folded from every event (a refold): a year whose
   * spans the refold changed is written whole, one it no longer has deleted, the others left alone.
   * Absent, `state` is the stored state item's with events folded onto it, and the spans leaving
   * it are added to their years.
   */
  storedYears?: ReadonlyMap<number, YearSpans>;
}

function cancellationOutcome(error: unknown, duplicateIndex: number | undefined): WriteOutcome | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  if (duplicateIndex !== undefined && reasons[duplicateIndex]?.Code === 'ConditionalCheckFailed') return 'duplicate';
  if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return 'conflict';
  return undefined;
}

/**
 * Records one event and the household's new state, the state only if nobody wrote it since we read
 * version `expectedVersion` (optimistic concurrency; the caller re-reads and retries on 'conflict').
 * A command's event (`publish`) is an outbox entry: its item is written, only if its eventId is new,
 * in one transaction with the state and what goes `alongside`. Any other event (one from the bus,
 * which its caller has checked the partition does not hold) is stored on the state item as its
 * `foldedEvent`: one conditional PutItem, its item written later from the stream. A refer-a-friend
 * reward that this state makes due, and year items the state's spans leave for, are stored in the
 * same transaction as the state, so a reward reaches the bus exactly when the state that makes it due is stored.
 */
export async function writeHouseholdEvent(
  event: HouseholdEvent,
  state: HouseholdState,
  expectedVersion: number,
  options: HouseholdWriteOptions = {},
): Promise<WriteOutcome> {
  const Table = tableName(projectionsTable);
  if (!options.publish) {
    const writes = [...recordWrites(Table, state, expectedVersion, options, event), ...(options.alongside ?? [])];
    return writes.length === 1 ? putState(writes[0]!.Put!) : transact(writes, undefined);
  }
  const eventPut: TransactItem = {
    Put: {
      TableName: Table,
      Item: { ...eventItem(state.agencyId, state.householdId, event), ...outboxAttributes(event) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  return transact([eventPut, ...recordWrites(Table, state, expectedVersion, options), ...(options.alongside ?? [])], 0);
}

/** The state item alone, as one conditional PutItem (what most events from the bus write). */
async function putState(put: NonNullable<TransactItem['Put']>): Promise<'written' | 'conflict'> {
  try {
    await dynamoDbDocumentClient().send(new PutCommand(put));
    return 'written';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'conflict';
    throw error;
  }
}

/** Writes the household's state (folded from every event) alone, if nobody wrote it since version `expectedVersion`. */
export async function writeHouseholdState(
  state: HouseholdState,
  expectedVersion: number,
  options: Pick<HouseholdWriteOptions, 'previous' | 'storedYears'>,
): Promise<'written' | 'conflict'> {
  const outcome = await transact(recordWrites(tableName(projectionsTable), state, expectedVersion, options), undefined);
  return outcome === 'duplicate' ? 'conflict' : outcome;
}

/** Records what a referring agency passed on, and the receiving household's new state (folded from every event). */
export async function writeReferralIn(
  agencyId: string,
  householdId: string,
  referral: ReferralIn,
  state: HouseholdState,
  expectedVersion: number,
  options: Pick<HouseholdWriteOptions, 'previous' | 'storedYears'>,
): Promise<WriteOutcome> {
  const Table = tableName(projectionsTable);
  return transact(
    [
      { Put: { TableName: Table, Item: referralInItem(agencyId, householdId, referral) } },
      ...recordWrites(Table, state, expectedVersion, options),
    ],
    undefined,
  );
}

async function transact(TransactItems: TransactItem[], duplicateIndex: number | undefined): Promise<WriteOutcome> {
  try {
    await dynamoDbDocumentClient().send(new TransactWriteCommand({ TransactItems }));
    return 'written';
  } catch (error) {
    const outcome = cancellationOutcome(error, duplicateIndex);
    if (outcome) return outcome;
    throw error;
  }
}

/**
 * The state item, guarded by its version; the year items the spans leaving it go to; and the reward
 * item when the new state makes one due. The year items change only with the state item's version,
 * so what they hold is exactly what the state item no longer does.
 */
function recordWrites(
  Table: string,
  state: HouseholdState,
  expectedVersion: number,
  options: HouseholdWriteOptions,
  foldedEvent?: HouseholdEvent,
): TransactItem[] {
  const { current, leaving } = splitByYear(state);
  const pk = householdKey(state.agencyId, state.householdId);
  const statePut: TransactItem = {
    Put: {
      TableName: Table,
      Item: stateItem(current, expectedVersion + 1, foldedEvent),
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
      ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
    },
  };
  const yearWrites: TransactItem[] =
    options.storedYears === undefined
      ? [...leaving].map(([year, spans]) => {
          const added = storedSpans(spans);
          return {
            Update: {
              TableName: Table,
              Key: { pk, sk: yearSk(year) },
              UpdateExpression: `SET ${Object.keys(added)
                .map((kind) => `${kind} = list_append(if_not_exists(${kind}, :none), :${kind})`)
                .join(', ')}`,
              ExpressionAttributeValues: {
                ':none': [],
                ...Object.fromEntries(Object.entries(added).map(([kind, list]) => [`:${kind}`, list])),
              },
            },
          };
        })
      : [
          ...[...leaving]
            .filter(([year, spans]) => !sameSpans(options.storedYears!.get(year), spans))
            .map(([year, spans]) => ({ Put: { TableName: Table, Item: { pk, sk: yearSk(year), ...storedSpans(spans) } } })),
          ...[...options.storedYears.keys()]
            .filter((year) => !leaving.has(year))
            .map((year) => ({ Delete: { TableName: Table, Key: { pk, sk: yearSk(year) } } })),
        ];
  const reward = options.previous?.referralRewardEventId === undefined ? referralRewardFor(state) : undefined;
  const rewardPut: TransactItem[] = reward
    ? [
        {
          Put: {
            TableName: Table,
            Item: { pk, sk: REWARD_SK, ...outboxAttributes(reward) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]
    : [];
  return [statePut, ...yearWrites, ...rewardPut];
}

/** Whether a year item as stored holds these spans, in any order (appends keep the order they left in)
 *  and whatever the attributes' order (DynamoDB's maps have none). Spans are flat. */
function sameSpans(stored: YearSpans | undefined, spans: YearSpans): boolean {
  if (!stored) return false;
  const canonical = (list: ReadonlyArray<object>) =>
    list
      .map((span) =>
        JSON.stringify(
          Object.entries(span)
            .filter(([, value]) => value !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : 1)),
        ),
      )
      .sort();
  return yearSpanKinds.every((kind) => isDeepStrictEqual(canonical(stored[kind]), canonical(spans[kind])));
}

/** The state items a keys-only index query found, fetched by key (each household once). */
async function statesFound(keys: readonly Record<string, unknown>[], tally?: ReadTally): Promise<HouseholdState[]> {
  return (await recordsFound(keys, { projection: STATE_FOR_FIGURES }, tally)) as HouseholdState[];
}

/** The keys of an agency's households whose index attribute lies in [fromInstant, toInstant]. */
export function householdKeysByIndex(
  agencyId: string,
  index: HouseholdIndexName,
  fromInstant: string,
  toInstant: string,
  tally?: ReadTally,
): Promise<Record<string, unknown>[]> {
  const [from, to] = indexSortRange(fromInstant, toInstant);
  return queryEveryShard(
    agencyId,
    (partition) => ({
      TableName: tableName(projectionsTable),
      IndexName: index,
      KeyConditionExpression: '#partition = :partition AND #at BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#partition': INDEX_PARTITION_ATTRIBUTE, '#at': householdIndexes[index] },
      ExpressionAttributeValues: { ':partition': partition, ':from': from, ':to': to },
    }),
    householdIndexes[index],
    tally,
  );
}

/** The carer records (carerRecordFields of the state, not the recruitment record) of an agency's
 *  households whose index attribute lies in [fromInstant, toInstant]. */
export async function carersByIndex(
  agencyId: string,
  index: HouseholdIndexName,
  fromInstant: string,
  toInstant: string,
  tally?: ReadTally,
): Promise<CarerRecord[]> {
  const keys = await householdKeysByIndex(agencyId, index, fromInstant, toInstant, tally);
  return (await recordsFound(keys, carerRecord(), tally)) as CarerRecord[];
}

/**
 * What the forecast and sufficiency read (SPEC §5.4 and its pipeline): the households in the
 * `running` range (applications not ended at the date) as forecast records, with the prospective
 * beds and interests the pipeline counts; the others in the `carers` range as carer records with
 * their risk flags and, for the forecast's at-risk list (`withReference`), their enquiry's
 * reference. Each household once. A carer outside `running` has no assessment running at the date,
 * so the pipeline needs nothing more of its recruitment record: not the rest of its enquiry, which
 * 61% of a ten-year history's carers hold and few of a one-year history's (bench/results.md).
 */
export async function carersAndApplicationsByIndexes(
  agencyId: string,
  carers: { index: HouseholdIndexName; from: string; to: string },
  running: { index: HouseholdIndexName; from: string; to: string },
  options: { withReference: boolean },
  tally?: ReadTally,
): Promise<ForecastRecord[]> {
  const [carerKeys, runningKeys] = await Promise.all([
    householdKeysByIndex(agencyId, carers.index, carers.from, carers.to, tally),
    householdKeysByIndex(agencyId, running.index, running.from, running.to, tally),
  ]);
  const isRunning = new Set(runningKeys.map((k) => k.pk as string));
  const [applicants, others] = await Promise.all([
    recordsFound(runningKeys, forecastRecord(), tally),
    recordsFound(
      carerKeys.filter((k) => !isRunning.has(k.pk as string)),
      carerRecordWithFlags(options.withReference),
      tally,
    ),
  ]);
  return [...applicants, ...others] as ForecastRecord[];
}

/** A ProjectionExpression of part of the state: the keys BatchGet answers by, then each path under
 *  `household`, every name by placeholder (some are DynamoDB reserved words). */
function statePart(paths: ReadonlyArray<readonly string[]>) {
  const distinct = [...new Set(paths.flat())];
  const nameOf = (name: string) => `#s${distinct.indexOf(name)}`;
  const names = Object.fromEntries([['#household', 'household'], ...distinct.map((name) => [nameOf(name), name])]);
  const expression = ['pk', 'sk', ...paths.map((path) => ['#household', ...path.map(nameOf)].join('.'))].join(', ');
  return { projection: expression, names };
}

// Built when read, not at load, so that a bundle which reads no records (every command's) leaves them out.
const carerRecord = () => statePart(carerRecordFields.map((field) => [field]));
const carerRecordWithFlags = (withReference: boolean) =>
  statePart([...[...carerRecordFields, 'riskFlags'].map((field) => [field]), ...(withReference ? [['enquiry', 'reference']] : [])]);
const forecastRecord = () =>
  statePart([...forecastRecordFields.map((field) => [field]), ...forecastEnquiryFields.map((field) => ['enquiry', field])]);

/** The part of each found household's state item that `part` names (each household once). */
async function recordsFound(
  keys: readonly Record<string, unknown>[],
  part: { projection: string; names?: Record<string, string> },
  tally?: ReadTally,
) {
  const items = await getAll(
    tableName(projectionsTable),
    keys.map((k) => ({ pk: k.pk as string, sk: k.sk as string })),
    tally,
    part,
  );
  return items.map((item) => item.household as Partial<HouseholdState>);
}

/** Every household of an agency with an enquiry or a stage (what campaign conversion counts) or that
 *  applied (the forecast's application outcomes), each once, read consistently with its state item's
 *  version: what rebuilding the conversion counts reads. byAssessmentEnd holds every household that
 *  applied, those with an assessment among them, so byAssessmentAt would read them again. */
export async function countedHouseholdsOf(agencyId: string): Promise<Array<{ state: HouseholdState; version: number }>> {
  const indexes: HouseholdIndexName[] = ['byEnquiredAt', 'byInitialVisitAt', 'byApprovedAt', 'byAssessmentEnd'];
  const keys = await householdKeysInRanges(
    agencyId,
    indexes.map((index) => ({ index, from: startOfDay(FIRST_DATE), to: OPEN_END })),
  );
  const items = await getAll(
    tableName(projectionsTable),
    keys.map((k) => ({ pk: k.pk as string, sk: k.sk as string })),
    undefined,
    { consistent: true, projection: 'pk, sk, household, version' },
  );
  return items.map((item) => ({ state: item.household as HouseholdState, version: item.version as number }));
}

/** Households of an agency whose index attribute lies in [fromInstant, toInstant] (their state items). */
export async function householdsByIndex(
  agencyId: string,
  index: HouseholdIndexName,
  fromInstant: string,
  toInstant: string,
  tally?: ReadTally,
): Promise<HouseholdState[]> {
  return statesFound(await householdKeysByIndex(agencyId, index, fromInstant, toInstant, tally), tally);
}

/** Several index ranges, each household once. */
export async function householdsByIndexes(
  agencyId: string,
  ranges: ReadonlyArray<{ index: HouseholdIndexName; from: string; to: string }>,
  tally?: ReadTally,
): Promise<HouseholdState[]> {
  return statesFound(await householdKeysInRanges(agencyId, ranges, tally), tally);
}

/** The keys an agency's households have in any of several index ranges (a household may be in several). */
async function householdKeysInRanges(
  agencyId: string,
  ranges: ReadonlyArray<{ index: HouseholdIndexName; from: string; to: string }>,
  tally?: ReadTally,
) {
  const pages = await Promise.all(ranges.map((r) => householdKeysByIndex(agencyId, r.index, r.from, r.to, tally)));
  return pages.flat();
}
