// DynamoDB access for households: recording an event (appendHouseholdEvent) and reading a household
// for each purpose: to decide on (its state item), to refold or show (its whole history), for figures.
//
// One partition per household per agency holds one item per event, what referring agencies passed
// on, the folded state (with the sparse index attributes of tables.ts) and, once a carer has years
// behind it, year items: the spans that ended before the state item's year (household-years.ts), so
// that no item grows with the carer's years.
import { isDeepStrictEqual } from 'node:util';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { FIRST_DATE, type HouseholdEvent } from '../events/catalogue';
import { startOfDay } from '../domain/calendar';
import {
  assessmentEndedAt,
  comesAfterFolded,
  currentClosure,
  emptyHousehold,
  foldHousehold,
  foldOnto,
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
import { retryOnConflict } from './retry';
import {
  splitByYear,
  stateItemDecides,
  withYearSpans,
  yearSpanKinds,
  yearSpansFrom,
  yearsNeeded,
  yearsNeededUpTo,
  type YearSpans,
} from './household-years';
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
/** Year items sort right after the state item. */
const YEAR_SK_PREFIX = 'STATE#YEAR#';
const yearSk = (year: number) => `${YEAR_SK_PREFIX}${year}`;
const eventSk = (eventId: string) => `EVENT#${eventId}`;
const referralInSk = (fromAgencyId: string) => `REFERRAL-IN#${fromAgencyId}`;
/** The refer-a-friend reward this household made due: one per household, an outbox entry. */
const REWARD_SK = 'REWARD';
const stateKey = (agencyId: string, householdId: string) => ({ pk: householdKey(agencyId, householdId), sk: STATE_SK });

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

// ---- Items -------------------------------------------------------------------------------------

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

const stateItem = (state: HouseholdState, version: number) => ({
  ...stateKey(state.agencyId, state.householdId),
  version,
  household: state,
  ...indexAttributes(state),
});

/** A year item's entries; a kind it has none of is not stored. */
const yearSpansOf = (item: Record<string, unknown>): YearSpans => yearSpansFrom((kind) => item[kind] as unknown[] | undefined);
/** The kinds of entry a year item gets from these spans (an empty list costs bytes for nothing). */
const storedSpans = (spans: YearSpans) =>
  Object.fromEntries(yearSpanKinds.filter((kind) => spans[kind].length > 0).map((kind) => [kind, spans[kind]]));

/** A state folded from every event, as its items: the state item and its year items (the bench seeds histories with these). */
export function householdRecordItems(state: HouseholdState, version: number): Record<string, unknown>[] {
  const { current, leaving } = splitByYear(state);
  const pk = householdKey(state.agencyId, state.householdId);
  return [stateItem(current, version), ...[...leaving].map(([year, spans]) => ({ pk, sk: yearSk(year), ...storedSpans(spans) }))];
}

/** An event's own item: the household's record of it, and its entry in the agency's event log (the export). */
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

// ---- Reading one household ---------------------------------------------------------------------

/** The household's state item and its version, read consistently: what an event is decided and
 *  folded onto. One item of bounded size, whatever the household's history. */
export async function readHouseholdState(agencyId: string, householdId: string): Promise<{ state?: HouseholdState; version: number }> {
  const result = await dynamoDbDocumentClient().send(
    new GetCommand({ TableName: tableName(projectionsTable), Key: stateKey(agencyId, householdId), ConsistentRead: true }),
  );
  return { state: result.Item?.household as HouseholdState | undefined, version: (result.Item?.version as number | undefined) ?? 0 };
}

/** Everything the household's partition holds, read consistently: what a refold and the household's page read. */
export interface HouseholdHistory {
  /** The state item's state: without the spans kept in year items. */
  state?: HouseholdState;
  version: number;
  /** The state with every year item merged back: the household's whole record. */
  whole?: HouseholdState;
  /** What each year item holds, by year. */
  yearSpans: Map<number, YearSpans>;
  events: HouseholdEvent[];
  referralsIn: ReferralIn[];
}

export async function readHouseholdHistory(agencyId: string, householdId: string): Promise<HouseholdHistory> {
  const items = await queryAll({
    TableName: tableName(projectionsTable),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': householdKey(agencyId, householdId) },
    ConsistentRead: true,
  });
  const history: HouseholdHistory = { version: 0, yearSpans: new Map(), events: [], referralsIn: [] };
  for (const item of items) {
    const sk = item.sk as string;
    if (sk === STATE_SK) {
      history.state = item.household as HouseholdState;
      history.version = item.version as number;
    } else if (sk.startsWith(YEAR_SK_PREFIX)) history.yearSpans.set(Number(sk.slice(YEAR_SK_PREFIX.length)), yearSpansOf(item));
    else if (sk.startsWith('EVENT#')) history.events.push(item.event as HouseholdEvent);
    else if (sk.startsWith('REFERRAL-IN#')) history.referralsIn.push(item.referral as ReferralIn);
  }
  if (history.state) {
    const { yearItems: _kept, ...whole } = withYearSpans(history.state, [...history.yearSpans.values()]);
    history.whole = whole;
  }
  return history;
}

// ---- Recording an event ------------------------------------------------------------------------

export interface AppendOptions {
  /** A command's rules: throws to refuse the event, given the household as stored (undefined when
   *  there is none) with whatever of its year items the decision needs. */
  decide?: (stored: HouseholdState | undefined) => void;
  /** The event is a command's: its item is an outbox entry, put on the bus from the stream. */
  publish?: boolean;
  /** Written in the same transaction (e.g. the enquirer's contact details, in the contacts table). */
  alongside?: TransactItem[];
  /** The span id the event starts was drawn by this service, not chosen by the caller (household-years.ts stateItemDecides). */
  idDrawn?: boolean;
}

export interface Appended {
  /** 'duplicate': the household already holds an event with this id (a redelivery): nothing written. */
  outcome: 'written' | 'duplicate';
  state: HouseholdState;
}

/**
 * Records one event of a household, whoever sends it (a command, or another system through the bus).
 * Reads the state item; an event after everything it has folded is folded onto it (and decided on it,
 * unless the decision needs a year item); a late event, or one the state item cannot decide, is
 * folded with every event the household holds. Then the event's own item and the new state are
 * written in one transaction, the event only if its id is new and the state only if nobody wrote it
 * since it was read; on a concurrent change, all of it again. A reward the new state makes due is
 * written in the same transaction (an outbox entry), as are the spans leaving for year items.
 */
export async function appendHouseholdEvent(event: HouseholdEvent, options: AppendOptions = {}): Promise<Appended> {
  const { agencyId, householdId, eventId } = event.detail;
  return retryOnConflict(`household ${householdId}`, async () => {
    const { state, version } = await readHouseholdState(agencyId, householdId);
    // The last event folded, delivered again (a command's own event comes back from the bus so).
    if (state?.lastEvent?.eventId === eventId) return { outcome: 'duplicate' as const, state };
    const current = state ?? emptyHousehold(agencyId, householdId);
    if (options.decide ? stateItemDecides(current, event, { idDrawn: options.idDrawn ?? false }) : comesAfterFolded(current, event)) {
      options.decide?.(state);
      const next = foldOnto(current, event);
      return settled(await writeHousehold(next, version, [eventPut(event, options)], { ...options, previous: state }), next, state);
    }
    const history = await readHouseholdHistory(agencyId, householdId);
    if (history.events.some((e) => e.detail.eventId === eventId)) return { outcome: 'duplicate' as const, state: history.whole! };
    options.decide?.(history.whole);
    const next = foldHousehold(agencyId, householdId, [...history.events, event], history.referralsIn);
    const written = await writeHousehold(next, history.version, [eventPut(event, options)], {
      ...options,
      previous: history.state,
      storedYears: history.yearSpans,
    });
    return settled(written, next, history.whole);
  });
}

function settled(written: WriteOutcome, next: HouseholdState, stored: HouseholdState | undefined): Appended | 'conflict' {
  if (written === 'conflict') return 'conflict';
  return written === 'written' ? { outcome: 'written', state: next } : { outcome: 'duplicate', state: stored ?? next };
}

/** The event's own item, only if its id is new; for a command's event, an outbox entry. */
function eventPut(event: HouseholdEvent, options: AppendOptions): TransactItem {
  const { agencyId, householdId } = event.detail;
  return {
    Put: {
      TableName: tableName(projectionsTable),
      Item: { ...eventItem(agencyId, householdId, event), ...(options.publish ? outboxAttributes(event) : {}) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * What a referring agency passes on (its referral snapshot), received by the household of the same
 * id at `toAgencyId`: stored with that household's state refolded, unless it holds this already.
 */
export async function receiveReferral(toAgencyId: string, householdId: string, referral: ReferralIn): Promise<void> {
  await retryOnConflict(`household ${householdId} at ${toAgencyId}`, async () => {
    const history = await readHouseholdHistory(toAgencyId, householdId);
    const known = history.referralsIn.find((r) => r.fromAgencyId === referral.fromAgencyId);
    // As DynamoDB gives it back: attributes that were undefined are absent.
    if (known && isDeepStrictEqual(known, JSON.parse(JSON.stringify(referral)))) return 'unchanged';
    const referralsIn = [...history.referralsIn.filter((r) => r.fromAgencyId !== referral.fromAgencyId), referral];
    const received = foldHousehold(toAgencyId, householdId, history.events, referralsIn);
    const referralPut = { Put: { TableName: tableName(projectionsTable), Item: referralInItem(toAgencyId, householdId, referral) } };
    const written = await writeHousehold(received, history.version, [referralPut], {
      previous: history.state,
      storedYears: history.yearSpans,
    });
    return written === 'written' ? 'received' : 'conflict';
  });
}

type WriteOutcome = 'written' | 'duplicate' | 'conflict';

/**
 * Writes `first` (an event's or a referral's item) with the household's new state in one
 * transaction: the state item guarded by the version it was read at; the year items its spans leave
 * for; the reward item when the new state makes one due; and what goes `alongside`. `storedYears`
 * given, `state` was folded from every event: a year whose spans it changed is written whole, one
 * it no longer has deleted, the others left alone; absent, `state` is the state item's with an event folded onto it, and only
 * the spans leaving it are appended to their years. 'duplicate' when `first`'s own condition failed.
 */
async function writeHousehold(
  state: HouseholdState,
  expectedVersion: number,
  first: TransactItem[],
  options: { previous?: HouseholdState; storedYears?: ReadonlyMap<number, YearSpans>; alongside?: TransactItem[] },
): Promise<WriteOutcome> {
  const Table = tableName(projectionsTable);
  const { current, leaving } = splitByYear(state);
  const pk = householdKey(state.agencyId, state.householdId);
  const statePut: TransactItem = {
    Put: {
      TableName: Table,
      Item: stateItem(current, expectedVersion + 1),
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
      ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':expected': expectedVersion },
    },
  };
  const storedYears = options.storedYears;
  const yearWrites: TransactItem[] = storedYears
    ? [
        ...[...leaving]
          .filter(([year, spans]) => !sameSpans(storedYears.get(year), spans))
          .map(([year, spans]) => ({ Put: { TableName: Table, Item: { pk, sk: yearSk(year), ...storedSpans(spans) } } })),
        ...[...storedYears.keys()]
          .filter((year) => !leaving.has(year))
          .map((year) => ({ Delete: { TableName: Table, Key: { pk, sk: yearSk(year) } } })),
      ]
    : [...leaving].map(([year, spans]) => {
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
      });
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
  try {
    await dynamoDbDocumentClient().send(
      new TransactWriteCommand({ TransactItems: [...first, statePut, ...yearWrites, ...rewardPut, ...(options.alongside ?? [])] }),
    );
    return 'written';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (first[0]?.Put?.ConditionExpression && reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
    if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return 'conflict';
    throw error;
  }
}

/** Whether a year item as stored holds these spans, in any order and whatever the attributes' order
 *  (DynamoDB's maps have none). Spans are flat. */
function sameSpans(stored: YearSpans | undefined, spans: YearSpans): boolean {
  if (!stored) return false;
  const canonical = (list: ReadonlyArray<object>) =>
    list
      .map((span) =>
        JSON.stringify(
          Object.entries(span)
            .filter(([, value]) => value !== undefined)
            .sort(([x], [y]) => (x < y ? -1 : 1)),
        ),
      )
      .sort();
  return yearSpanKinds.every((kind) => isDeepStrictEqual(canonical(stored[kind]), canonical(spans[kind])));
}

// ---- Reading households for figures -------------------------------------------------------------

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
 * What the forecast and sufficiency read (docs/metrics.md, resignation forecast and its pipeline): the households in the
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
