// Households in DynamoDB: recording an event (appendHouseholdEvent) and reading a household for each
// purpose: to decide on (its state item), to refold or show (its history), for figures (by index).
import { isDeepStrictEqual } from 'node:util';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { dynamoDbDocumentClient } from '../aws-clients';
import { FIRST_DATE, type HouseholdEvent } from '../events/catalogue';
import { startOfDay } from '../domain/calendar';
import {
  assessmentEndedAt,
  closedAsDuplicate,
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
  type AttributionIn,
} from '../domain/household';
import { eventLogAttributes } from './event-log';
import { retentionClock } from '../domain/retention';
import { householdClockPut } from './retention-clocks';
import { getAll, queryAll, queryEveryShard, type ReadTally } from './query-pages';
import { referralRewardFor } from '../domain/referral-reward';
import { outboxAttributes } from './outbox';
import { retryOnConflict } from './retry';
import { allocateReference } from './references';
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
  STATE_FOR_FIGURES,
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
const ATTRIBUTION_IN_PREFIX = 'ATTRIBUTION-IN#';
const attributionInSk = (fromHouseholdId: string) => `${ATTRIBUTION_IN_PREFIX}${fromHouseholdId}`;
/** The refer-a-friend reward this household made due: one per household, an outbox entry. */
const REWARD_SK = 'REWARD';
const stateKey = (agencyId: string, householdId: string) => ({ pk: householdKey(agencyId, householdId), sk: STATE_SK });

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The index attributes a state item carries (absent ones leave it out of that sparse index). */
function indexAttributes(state: HouseholdState): Record<string, string | undefined> {
  const partition = { [INDEX_PARTITION_ATTRIBUTE]: indexPartition(state.agencyId, indexShardOf(state.householdId, 'household')) };
  // Closed as a duplicate: in no index a figure reads, so in no figure; still found by its reference.
  if (closedAsDuplicate(state)) return { ...partition, [householdIndexes.byReference]: state.enquiry?.reference };
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
    ...partition,
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

/** One item, read consistently. */
const getItem = async (Key: { pk: string; sk: string }, ProjectionExpression?: string) =>
  (
    await dynamoDbDocumentClient().send(
      new GetCommand({ TableName: tableName(projectionsTable), Key, ConsistentRead: true, ProjectionExpression }),
    )
  ).Item;

/** The household's state item and its version: what an event is decided and folded onto. One item
 *  of bounded size, whatever the household's history. */
export async function readHouseholdState(agencyId: string, householdId: string): Promise<{ state?: HouseholdState; version: number }> {
  const item = await getItem(stateKey(agencyId, householdId));
  return { state: item?.household as HouseholdState | undefined, version: (item?.version as number | undefined) ?? 0 };
}

/** Everything the household's partition holds, read consistently: what a refold and the household's page read. */
export interface HouseholdHistory {
  /** The state item's state: without the spans kept in year items. */
  state?: HouseholdState;
  version: number;
  /** The state with every year item merged back: the household's whole record. */
  whole?: HouseholdState;
  yearSpans: Map<number, YearSpans>;
  events: HouseholdEvent[];
  referralsIn: ReferralIn[];
  attributionsIn: AttributionIn[];
}

export async function readHouseholdHistory(agencyId: string, householdId: string): Promise<HouseholdHistory> {
  const items = await queryAll({
    TableName: tableName(projectionsTable),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': householdKey(agencyId, householdId) },
    ConsistentRead: true,
  });
  const history: HouseholdHistory = { version: 0, yearSpans: new Map(), events: [], referralsIn: [], attributionsIn: [] };
  for (const item of items) {
    const sk = item.sk as string;
    if (sk === STATE_SK) {
      history.state = item.household as HouseholdState;
      history.version = item.version as number;
    } else if (sk.startsWith(YEAR_SK_PREFIX)) history.yearSpans.set(Number(sk.slice(YEAR_SK_PREFIX.length)), yearSpansOf(item));
    else if (sk.startsWith('EVENT#')) history.events.push(item.event as HouseholdEvent);
    else if (sk.startsWith('REFERRAL-IN#')) history.referralsIn.push(item.referral as ReferralIn);
    else if (sk.startsWith(ATTRIBUTION_IN_PREFIX)) history.attributionsIn.push(item.attribution as AttributionIn);
  }
  if (history.state) {
    const { yearItems: _kept, ...whole } = withYearSpans(history.state, [...history.yearSpans.values()]);
    history.whole = whole;
  }
  return history;
}

export interface AppendOptions {
  /** A command's rules: throws to refuse the event, given the household as stored (undefined: none). */
  decide?: (stored: HouseholdState | undefined, events?: readonly HouseholdEvent[]) => void;
  /** The event is a command's: its item is an outbox entry, put on the bus from the stream. */
  publish?: boolean;
  /** Written in the same transaction (e.g. the enquirer's contact details, in the contacts table). */
  alongside?: TransactItem[];
  /** The span id the event starts was drawn by this service, not chosen by the caller (household-years.ts stateItemDecides). */
  idDrawn?: boolean;
  /** For an enquiry from the bus: the households it may duplicate, asked when the household is first stored. */
  possibleDuplicates?: (agencyId: string, householdId: string, enquiredAt: string) => Promise<string[]>;
}

/** 'duplicate': the household holds an event with this id already (a redelivery): nothing written. */
export type Appended = { outcome: 'written' | 'duplicate'; state: HouseholdState };

/**
 * Records one event of a household, whoever sends it. An event after everything the state item has
 * folded is folded onto it (and decided on it, unless that needs a year item); any other is folded
 * with every event the household holds. Then the event's own item and the new state (with the
 * spans leaving for year items, and a reward it makes due) are written in one transaction: the
 * event only if its id is new, the state only if nobody wrote it since it was read.
 */
export async function appendHouseholdEvent(received: HouseholdEvent, options: AppendOptions = {}): Promise<Appended> {
  const { agencyId, householdId, eventId } = received.detail;
  let event = received;
  return retryOnConflict(`household ${householdId}`, async () => {
    const { state, version } = await readHouseholdState(agencyId, householdId);
    // The last event folded, delivered again (a command's own event comes back from the bus so).
    if (state?.lastEvent?.eventId === eventId) return { outcome: 'duplicate' as const, state };
    // Every household has a reference, whatever path its enquiry came by: drawn once, when first stored.
    if (event.detailType === 'EnquiryReceived' && !event.detail.reference && !state?.enquiry?.reference)
      event = {
        ...event,
        detail: { ...event.detail, reference: await allocateReference(agencyId, toUtcInstant(event.detail.occurredAt).slice(0, 4)) },
      };
    // An enquiry that starts a household is matched against the others once, as it is first stored.
    if (event.detailType === 'EnquiryReceived' && !state && !event.detail.possibleDuplicateOf && options.possibleDuplicates) {
      const matched = await options.possibleDuplicates(agencyId, householdId, event.detail.occurredAt);
      if (matched.length > 0) event = { ...event, detail: { ...event.detail, possibleDuplicateOf: matched } };
    }
    const current = state ?? emptyHousehold(agencyId, householdId);
    const onState = options.decide
      ? stateItemDecides(current, event, { idDrawn: options.idDrawn ?? false })
      : comesAfterFolded(current, event);
    // An event stored already is known by its own item: a duplicate never reads the whole history.
    if (!onState && (await getItem({ pk: householdKey(agencyId, householdId), sk: eventSk(eventId) }, 'pk')))
      return { outcome: 'duplicate' as const, state: current };
    const history = onState ? undefined : await readHouseholdHistory(agencyId, householdId);
    const stored = history ? history.whole : state;
    if (history?.events.some((e) => e.detail.eventId === eventId)) return { outcome: 'duplicate' as const, state: stored! };
    options.decide?.(stored, history?.events);
    const next = history
      ? foldHousehold(agencyId, householdId, [...history.events, event], history.referralsIn, history.attributionsIn)
      : foldOnto(current, event);
    const write = { ...options, previous: history ? history.state : state, storedYears: history?.yearSpans };
    const written = await writeHousehold(next, history ? history.version : version, [eventPut(event, options)], write);
    if (written === 'conflict') return 'conflict';
    return { outcome: written, state: written === 'written' ? next : (stored ?? next) };
  });
}

/** The event's own item, only if its id is new; for a command's event, an outbox entry. */
const eventPut = (event: HouseholdEvent, options: AppendOptions) =>
  newItemPut({ ...eventItem(event.detail.agencyId, event.detail.householdId, event), ...(options.publish ? outboxAttributes(event) : {}) });

/** A Put of an item that must not exist yet. */
const newItemPut = (Item: Record<string, unknown>): TransactItem => ({
  Put: { TableName: tableName(projectionsTable), Item, ConditionExpression: 'attribute_not_exists(pk)' },
});

/**
 * What a referring agency passes on (its referral snapshot), received by the household of the same
 * id at `toAgencyId`: stored with that household's state refolded, unless it holds this already.
 */
export async function receiveReferral(toAgencyId: string, householdId: string, referral: ReferralIn): Promise<void> {
  await receiveInto(toAgencyId, householdId, (history) => {
    const known = history.referralsIn.find((r) => r.fromAgencyId === referral.fromAgencyId);
    if (known && sameAsStored(known, referral)) return undefined;
    const referralsIn = [...history.referralsIn.filter((r) => r.fromAgencyId !== referral.fromAgencyId), referral];
    return {
      state: foldHousehold(toAgencyId, householdId, history.events, referralsIn, history.attributionsIn),
      write: { Put: { TableName: tableName(projectionsTable), Item: referralInItem(toAgencyId, householdId, referral) } },
    };
  });
}

/**
 * The campaign a later household closed as a duplicate moves to this one (`attribution`), or no
 * longer does (undefined: that closure was corrected or reopened): stored with this household's
 * state refolded, unless it holds this already. A household with nothing recorded is left alone.
 */
export async function receiveMovedAttribution(
  agencyId: string,
  householdId: string,
  fromHouseholdId: string,
  attribution: AttributionIn | undefined,
): Promise<void> {
  await receiveInto(agencyId, householdId, (history) => {
    if (!history.state) return undefined;
    const known = history.attributionsIn.find((a) => a.fromHouseholdId === fromHouseholdId);
    if (known === attribution || (known && attribution && sameAsStored(known, attribution))) return undefined;
    const attributionsIn = [
      ...history.attributionsIn.filter((a) => a.fromHouseholdId !== fromHouseholdId),
      ...(attribution ? [attribution] : []),
    ];
    const Key = { pk: householdKey(agencyId, householdId), sk: attributionInSk(fromHouseholdId) };
    const TableName = tableName(projectionsTable);
    return {
      state: foldHousehold(agencyId, householdId, history.events, history.referralsIn, attributionsIn),
      write: attribution ? { Put: { TableName, Item: { ...Key, attribution } } } : { Delete: { TableName, Key } },
    };
  });
}

/** As DynamoDB gives it back: attributes that were undefined are absent. */
const sameAsStored = (stored: object, given: object) => isDeepStrictEqual(stored, JSON.parse(JSON.stringify(given)));

/** Something another household passes on, written with this household's state refolded over it
 *  (`change` answers undefined when there is nothing to write). */
async function receiveInto(
  agencyId: string,
  householdId: string,
  change: (history: HouseholdHistory) => { state: HouseholdState; write: TransactItem } | undefined,
): Promise<void> {
  await retryOnConflict(`household ${householdId} at ${agencyId}`, async () => {
    const history = await readHouseholdHistory(agencyId, householdId);
    const changed = change(history);
    if (!changed) return 'unchanged';
    const written = await writeHousehold(changed.state, history.version, [changed.write], {
      previous: history.state,
      storedYears: history.yearSpans,
    });
    return written === 'written' ? 'received' : 'conflict';
  });
}

/** Writes `first` (an event's or a referral's item) with the state item (guarded by the version read),
 *  its year items (with `storedYears`, a refold: changed years written whole; without, the spans
 *  leaving appended), a reward newly due and what goes `alongside`, in one transaction. */
async function writeHousehold(
  state: HouseholdState,
  expectedVersion: number,
  first: TransactItem[],
  options: { previous?: HouseholdState; storedYears?: ReadonlyMap<number, YearSpans>; alongside?: TransactItem[] },
): Promise<'written' | 'duplicate' | 'conflict'> {
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
  const rewardPut = reward ? [newItemPut({ pk, sk: REWARD_SK, ...outboxAttributes(reward) })] : [];
  // A closure or resignation newly in force starts a retention clock; one it replaced is dropped by the job.
  const clock = retentionClock({ household: state });
  const before = options.previous && retentionClock({ household: options.previous });
  const clockPut =
    clock && !(before && before.ground === clock.ground && before.since === clock.since)
      ? [householdClockPut(state.agencyId, state.householdId, clock)]
      : [];
  try {
    await dynamoDbDocumentClient().send(
      new TransactWriteCommand({
        TransactItems: [...first, statePut, ...yearWrites, ...rewardPut, ...clockPut, ...(options.alongside ?? [])],
      }),
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

/** Whether a year item as stored holds these spans, in any order of spans and of attributes. */
function sameSpans(stored: YearSpans | undefined, spans: YearSpans): boolean {
  const canonical = (list: readonly object[]) => list.map((span) => JSON.stringify(sortedEntries(span))).sort();
  return stored !== undefined && yearSpanKinds.every((kind) => isDeepStrictEqual(canonical(stored[kind]), canonical(spans[kind])));
}
const sortedEntries = (span: object) =>
  Object.entries(span)
    .filter(([, value]) => value !== undefined)
    .sort(([x], [y]) => x.localeCompare(y));

/** Several households' states, as stored (their state items); missing ones left out. */
export async function getHouseholdStates(agencyId: string, householdIds: readonly string[], tally?: ReadTally): Promise<HouseholdState[]> {
  const keys = householdIds.map((id) => stateKey(agencyId, id));
  return (await recordsFound(keys, { projection: STATE_FOR_FIGURES }, tally)) as HouseholdState[];
}

/** The states with what their year items hold of [fromInstant, toInstant] merged back (read only where needed). */
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

/** A range of one of the household indexes: the households whose attribute lies in [from, to] (instants). */
export interface IndexRange {
  index: HouseholdIndexName;
  from: string;
  to: string;
}

/** The keys an agency's households have in a range of an index. */
function householdKeysIn(agencyId: string, { index, from: fromInstant, to: toInstant }: IndexRange, tally?: ReadTally) {
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

/** The keys an agency's households have in any of several ranges (a household may be in several). */
async function householdKeysInAny(agencyId: string, ranges: readonly IndexRange[], tally?: ReadTally) {
  return (await Promise.all(ranges.map((range) => householdKeysIn(agencyId, range, tally)))).flat();
}

/** The states of an agency's households in any of these index ranges, each household once. */
export async function householdsByIndexes(agencyId: string, ranges: readonly IndexRange[], tally?: ReadTally): Promise<HouseholdState[]> {
  const keys = await householdKeysInAny(agencyId, ranges, tally);
  return (await recordsFound(keys, { projection: STATE_FOR_FIGURES }, tally)) as HouseholdState[];
}

/** The carer records (carerRecordFields of the state, not the recruitment record) of the households in a range. */
export async function carersByIndex(agencyId: string, range: IndexRange, tally?: ReadTally): Promise<CarerRecord[]> {
  return (await recordsFound(await householdKeysIn(agencyId, range, tally), carerRecord(), tally)) as CarerRecord[];
}

/** What the forecast and sufficiency read (docs/metrics.md): the households in `running` (applications
 *  not ended) as forecast records, the others in `carers` as carer records with their risk flags and,
 *  for the at-risk list (`withReference`), their reference. Each household once. */
export async function carersAndApplicationsByIndexes(
  agencyId: string,
  carers: IndexRange,
  running: IndexRange,
  options: { withReference: boolean },
  tally?: ReadTally,
): Promise<ForecastRecord[]> {
  const [carerKeys, runningKeys] = await Promise.all([householdKeysIn(agencyId, carers, tally), householdKeysIn(agencyId, running, tally)]);
  const isRunning = new Set(runningKeys.map((k) => k.pk as string));
  const others = carerKeys.filter((k) => !isRunning.has(k.pk as string));
  const [applicants, carerRecords] = await Promise.all([
    recordsFound(runningKeys, forecastRecord(), tally),
    recordsFound(others, carerRecordWithFlags(options.withReference), tally),
  ]);
  return [...applicants, ...carerRecords] as ForecastRecord[];
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
async function recordsFound(keys: readonly Record<string, unknown>[], part: Parameters<typeof getAll>[3], tally?: ReadTally) {
  const items = await getAll(
    tableName(projectionsTable),
    keys.map((k) => ({ pk: k.pk as string, sk: k.sk as string })),
    tally,
    part,
  );
  return items.map((item) => item.household as Partial<HouseholdState>);
}

/** Every household the conversion counts count, each once, read consistently with its version (what
 *  rebuilding the counts reads); byAssessmentEnd holds every household that applied. */
export async function countedHouseholdsOf(agencyId: string): Promise<Array<{ state: HouseholdState; version: number }>> {
  const indexes: HouseholdIndexName[] = ['byEnquiredAt', 'byInitialVisitAt', 'byApprovedAt', 'byAssessmentEnd'];
  const keys = await householdKeysInAny(
    agencyId,
    indexes.map((index) => ({ index, from: startOfDay(FIRST_DATE), to: OPEN_END })),
  );
  const items = await getAll(tableName(projectionsTable), keys as Array<{ pk: string; sk: string }>, undefined, {
    consistent: true,
    projection: 'pk, sk, household, version',
  });
  return items.map((item) => ({ state: item.household as HouseholdState, version: item.version as number }));
}
