// A household's state, folded from its events. Pure: no AWS in here. Delivery is at least once and in
// any order (docs/rules.md, delivery), so the state is a function of the *set* of distinct events
// (by eventId), folded in event-time order.
import type {
  ApprovalCategory,
  AssessmentMilestone,
  Channel,
  ClosureReason,
  ContactMethod,
  ContactOutcome,
  HoldReason,
  PlacementType,
  ResignationReason,
} from '../events/vocabulary';
import { postApplicationClosureReasons } from '../events/vocabulary';
import type { HouseholdEvent } from '../events/catalogue';
import { PUBLIC_RECORDER } from './front-door';

export const stages = ['enquiry', 'initialVisit', 'assessment', 'approved'] as const;
export type Stage = (typeof stages)[number];

export interface EnquiryAttribution {
  at: string;
  channel: Channel;
  campaignId?: string;
  referredByHouseholdId?: string;
  interests: string[];
  postcodeDistrict?: string;
  /** The household's reference, given at the enquiry; passed on with a referral. */
  reference?: string;
  /** Its key in the system or spreadsheet it came from. */
  externalRef?: string;
  /** Sent by the enquirer through the service's form (recorded by `public`): a web enquiry. */
  webForm?: true;
  /** The campaign is a later duplicate's, moved here (AttributionIn): that household's id. */
  campaignMovedFrom?: string;
}

/** A call, email, text, letter or visit to reach the household, and what came of it. */
export interface ContactAttempt {
  at: string;
  eventId: string;
  method: ContactMethod;
  outcome: ContactOutcome;
  followUpOn?: string;
}

export interface Milestone {
  at: string;
  milestone: AssessmentMilestone;
}

export interface Closure {
  at: string;
  reason: ClosureReason;
  /** When a later stage event reopened the household, if one did. */
  reopenedAt?: string;
}

export interface ApprovalTerms {
  at: string;
  approvedBeds: number;
  category: ApprovalCategory;
}
export interface Placement {
  placementId: string;
  startedAt?: string;
  endedAt?: string;
  placementType?: PlacementType;
}
export interface Hold {
  holdId: string;
  startedAt?: string;
  endedAt?: string;
  reason?: HoldReason;
  beds?: number;
}
export interface RiskFlag {
  eventId: string;
  at: string;
  reason: ResignationReason;
  likelihood: number;
  clearedAt?: string;
}
export interface Resignation {
  at: string;
  reason: ResignationReason;
  initiatedBy: 'carer' | 'agency';
}

/** The campaign of a later household closed as a duplicate of this one, moved here (docs/rules.md,
 *  duplicates): this household counts as that campaign's when its own enquiry names none. */
export interface AttributionIn {
  fromHouseholdId: string;
  /** When the later household was closed as a duplicate. */
  at: string;
  campaignId: string;
}

/** What a referring agency knew of a household when it referred it on (EnquiryReferredOn). */
export interface ReferralIn {
  fromAgencyId: string;
  at: string;
  eventId: string;
  enquiry?: EnquiryAttribution;
  initialVisitAt?: string;
  assessmentAt?: string;
  prospectiveBeds?: number;
}

export interface HouseholdState {
  agencyId: string;
  householdId: string;
  enquiry?: EnquiryAttribution;
  initialVisitAt?: string;
  assessmentAt?: string;
  prospectiveBeds?: number;
  approvedAt?: string;
  /** The approval's own terms (what the recruitment produced). */
  approval?: { category: ApprovalCategory; approvedBeds: number };
  /** Every closure, oldest first; the last one without `reopenedAt` is in force. */
  closures: Closure[];
  referredOut?: { at: string; toAgencyId: string };
  referredIn?: { at: string; fromAgencyId: string };
  /** Households of the agency whose email or phone its enquiry matched when first stored, earliest
   *  enquiry first; gone once recruitment clears the mark (PossibleDuplicateCleared). */
  possibleDuplicateOf?: string[];
  /** Approval terms over time: the approval, then each change. */
  approvalTerms: ApprovalTerms[];
  placements: Placement[];
  holds: Hold[];
  riskFlags: RiskFlag[];
  resignation?: Resignation;
  /** Every contact attempt, in event-time order. */
  contactAttempts: ContactAttempt[];
  /** Steps inside the assessment, in event-time order. */
  milestones: Milestone[];
  /** Set once the household is approved and was referred by a friend: the reward's fixed event id. */
  referralRewardEventId?: string;
  eventCount: number;
  /** Events a correction (StepCorrected) says did not happen: folded as if never recorded. */
  correctedEventIds?: string[];
  /** The latest event folded (event-time order): an event after it is folded onto the state as it is. */
  lastEvent?: { at: string; eventId: string };
  /** Set by the store on a state read from its item: placements and holds that ended before
   *  `keptFrom` are in year items from `firstYear` on (shared/store/household-years.ts), not here. */
  yearItems?: { keptFrom: string; firstYear: number };
}

/** Earliest of two ISO instants (both normalised to UTC). */
function earliest(a: string | undefined, b: string): string {
  return a === undefined || b < a ? b : a;
}

/** Event-time order; ties broken so the fold never depends on arrival order. */
export function compareEvents(a: HouseholdEvent, b: HouseholdEvent): number {
  // By the UTC instant, never the text: 09:00+05:00 comes before 05:00Z.
  const byTime = toUtcInstant(a.detail.occurredAt).localeCompare(toUtcInstant(b.detail.occurredAt));
  return byTime !== 0 ? byTime : a.detail.eventId.localeCompare(b.detail.eventId);
}

/** Normalises an ISO-8601 instant with any offset to UTC `YYYY-MM-DDTHH:mm:ss.sssZ`, so that
 *  instants compare as strings and sort in DynamoDB indexes. */
export function toUtcInstant(iso: string): string {
  return new Date(iso).toISOString();
}

const stageEvents = new Set(['EnquiryReceived', 'InitialVisitCompleted', 'AssessmentStarted', 'HouseholdApproved']);

export function emptyHousehold(agencyId: string, householdId: string): HouseholdState {
  return {
    agencyId,
    householdId,
    closures: [],
    approvalTerms: [],
    placements: [],
    holds: [],
    riskFlags: [],
    contactAttempts: [],
    milestones: [],
    eventCount: 0,
  };
}

/**
 * Folds a household's distinct events (and what referring agencies passed on) into its state.
 * Events must all have this agency and household; duplicates by eventId are ignored here too.
 */
export function foldHousehold(
  agencyId: string,
  householdId: string,
  events: readonly HouseholdEvent[],
  referralsIn: readonly ReferralIn[] = [],
  attributionsIn: readonly AttributionIn[] = [],
): HouseholdState {
  const state = emptyHousehold(agencyId, householdId);
  const recorded = [...new Map(events.map((e) => [e.detail.eventId, e])).values()].sort(compareEvents);
  state.eventCount = recorded.length;
  // A step recorded by mistake is folded as if it had never been recorded.
  const corrected = new Set(recorded.flatMap((e) => (e.detailType === 'StepCorrected' ? [e.detail.correctedEventId] : [])));
  if (corrected.size > 0) state.correctedEventIds = [...corrected].sort();
  const distinct = recorded.filter((e) => !corrected.has(e.detail.eventId));

  // What a referring agency passed on counts as this household's history up to the referral.
  for (const referral of [...referralsIn].sort((a, b) => a.at.localeCompare(b.at))) {
    state.referredIn ??= { at: referral.at, fromAgencyId: referral.fromAgencyId };
    if (referral.enquiry && (!state.enquiry || referral.enquiry.at < state.enquiry.at)) state.enquiry = { ...referral.enquiry };
    if (referral.initialVisitAt) state.initialVisitAt = earliest(state.initialVisitAt, referral.initialVisitAt);
    if (referral.assessmentAt) {
      state.assessmentAt = earliest(state.assessmentAt, referral.assessmentAt);
      state.prospectiveBeds ??= referral.prospectiveBeds;
    }
  }

  // A household referred back to an agency that had referred it on is open there again: the
  // referral reopens, at its instant, whatever closure was in force here before it.
  const reopenings = referralsIn.map((referral) => referral.at).sort();
  let nextReopening = 0;
  for (const event of distinct) {
    const at = toUtcInstant(event.detail.occurredAt);
    while (nextReopening < reopenings.length && reopenings[nextReopening]! < at) reopenIfClosed(state, reopenings[nextReopening++]!);
    applyEvent(state, event);
  }
  for (const at of reopenings.slice(nextReopening)) reopenIfClosed(state, at);
  takeMovedAttribution(state, attributionsIn);
  finishFold(state);
  return state;
}

/** A household whose enquiry names no campaign takes the campaign of the earliest duplicate of it closed. */
function takeMovedAttribution(state: HouseholdState, attributionsIn: readonly AttributionIn[]): void {
  const [first] = [...attributionsIn].sort((a, b) => a.at.localeCompare(b.at) || a.fromHouseholdId.localeCompare(b.fromHouseholdId));
  if (!first || !state.enquiry || state.enquiry.campaignId !== undefined) return;
  state.enquiry.campaignId = first.campaignId;
  state.enquiry.campaignMovedFrom = first.fromHouseholdId;
}

/** The campaign a household closed as a duplicate moves to the household it duplicates (the earliest
 *  enquiry it was marked a possible duplicate of); undefined while it is not closed so, or names none. */
export function movedAttribution(state: HouseholdState): { toHouseholdId: string; attribution: AttributionIn } | undefined {
  const closure = currentClosure(state);
  const toHouseholdId = state.possibleDuplicateOf?.[0];
  const campaignId = state.enquiry?.campaignId;
  if (closure?.reason !== 'duplicate' || !toHouseholdId || !campaignId || state.enquiry?.campaignMovedFrom) return undefined;
  return { toHouseholdId, attribution: { fromHouseholdId: state.householdId, at: closure.at, campaignId } };
}

/** Whether `event` comes after every event the state has folded, so that folding it onto the state
 *  gives what refolding every event would (the fold applies events in this same order). */
export function comesAfterFolded(state: HouseholdState, event: HouseholdEvent): boolean {
  // A correction takes an event out of the fold, and a corrected event stays out: both refold.
  if (event.detailType === 'StepCorrected' || state.correctedEventIds?.includes(event.detail.eventId)) return false;
  const last = state.lastEvent;
  if (last === undefined) return state.eventCount === 0;
  // The same order as compareEvents, which the fold sorts by.
  const byTime = toUtcInstant(event.detail.occurredAt).localeCompare(last.at);
  return byTime > 0 || (byTime === 0 && event.detail.eventId.localeCompare(last.eventId) > 0);
}

/**
 * The state with one more event folded in, an event that comes after every event it has folded
 * (comesAfterFolded): exactly what foldHousehold gives over all of them, for the cost of one event.
 * The state given is not changed.
 */
export function foldOnto(state: HouseholdState, event: HouseholdEvent): HouseholdState {
  if (!comesAfterFolded(state, event)) throw new Error(`event ${event.detail.eventId} comes before the state's last event: refold instead`);
  const next = structuredClone(state);
  next.eventCount += 1;
  applyEvent(next, event);
  finishFold(next);
  return next;
}

function finishFold(state: HouseholdState): void {
  resolveApprovalCategories(state);
  sortSpans(state.placements, (p) => p.placementId);
  sortSpans(state.holds, (h) => h.holdId);
  if (state.approvedAt !== undefined && state.enquiry?.referredByHouseholdId !== undefined) {
    state.referralRewardEventId = referralRewardEventId(state.agencyId, state.householdId);
  }
}

/** One event's change to the state, the events being applied in event-time order. */
function applyEvent(state: HouseholdState, event: HouseholdEvent): void {
  const at = toUtcInstant(event.detail.occurredAt);
  state.lastEvent = { at, eventId: event.detail.eventId };
  if (stageEvents.has(event.detailType)) reopenIfClosed(state, at);
  switch (event.detailType) {
    case 'EnquiryReceived': {
      const d = event.detail;
      if (!state.enquiry || at < state.enquiry.at) {
        state.enquiry = {
          at,
          channel: d.channel,
          campaignId: d.campaignId,
          referredByHouseholdId: d.referredByHouseholdId,
          interests: d.interests ?? [],
          postcodeDistrict: d.postcodeDistrict,
          // A household keeps the first reference it was given, whichever enquiry brought it.
          reference: state.enquiry?.reference ?? d.reference,
          externalRef: state.enquiry?.externalRef ?? d.externalRef,
          ...(d.recordedBy === PUBLIC_RECORDER ? { webForm: true as const } : {}),
        };
        if (d.possibleDuplicateOf) state.possibleDuplicateOf = [...d.possibleDuplicateOf];
      } else {
        state.enquiry.reference ??= d.reference;
        state.enquiry.externalRef ??= d.externalRef;
      }
      break;
    }
    case 'ContactAttempted': {
      const { method, outcome, followUpOn } = event.detail;
      // A state stored before contact attempts were folded has no list yet.
      (state.contactAttempts ??= []).push({ at, eventId: event.detail.eventId, method, outcome, ...(followUpOn ? { followUpOn } : {}) });
      break;
    }
    case 'AssessmentMilestoneRecorded':
      (state.milestones ??= []).push({ at, milestone: event.detail.milestone });
      break;
    case 'StepCorrected':
      break; // foldHousehold leaves the corrected event out
    case 'PossibleDuplicateCleared':
      delete state.possibleDuplicateOf;
      break;
    case 'InitialVisitCompleted':
      state.initialVisitAt = earliest(state.initialVisitAt, at);
      break;
    case 'AssessmentStarted':
      if (state.assessmentAt === undefined || at < state.assessmentAt) {
        state.assessmentAt = at;
        state.prospectiveBeds = event.detail.prospectiveBeds ?? 1;
      }
      break;
    case 'HouseholdApproved':
      if (state.approvedAt === undefined) {
        state.approvedAt = at;
        state.approval = { category: event.detail.category, approvedBeds: event.detail.approvedBeds };
        state.approvalTerms.push({ at, approvedBeds: event.detail.approvedBeds, category: event.detail.category });
      }
      break;
    case 'EnquiryClosed':
      // A closure after approval is not a closure: an approved household leaves by resigning.
      if (state.approvedAt === undefined) closeAt(state, at, event.detail.reason);
      break;
    case 'EnquiryReferredOn':
      if (state.approvedAt === undefined) {
        state.referredOut = { at, toAgencyId: event.detail.toAgencyId };
        closeAt(state, at, 'referred_elsewhere');
      }
      break;
    case 'ApprovalChanged':
      // A change dated before the approval changes nothing: there were no terms to change.
      if (state.approvedAt === undefined) break;
      // Category resolved after the fold: a change without one keeps the terms before it.
      state.approvalTerms.push({ at, approvedBeds: event.detail.approvedBeds, category: event.detail.category as ApprovalCategory });
      break;
    case 'PlacementStarted': {
      const placement = placementOf(state, event.detail.placementId);
      placement.startedAt = earliest(placement.startedAt, at);
      placement.placementType ??= event.detail.placementType;
      break;
    }
    case 'PlacementEnded': {
      const placement = placementOf(state, event.detail.placementId);
      placement.endedAt = earliest(placement.endedAt, at);
      break;
    }
    case 'HoldStarted': {
      const hold = holdOf(state, event.detail.holdId);
      hold.startedAt = earliest(hold.startedAt, at);
      hold.reason ??= event.detail.reason;
      hold.beds ??= event.detail.beds;
      break;
    }
    case 'HoldEnded': {
      const hold = holdOf(state, event.detail.holdId);
      hold.endedAt = earliest(hold.endedAt, at);
      break;
    }
    case 'ResignationRiskFlagged':
      state.riskFlags.push({ eventId: event.detail.eventId, at, reason: event.detail.reason, likelihood: event.detail.likelihood ?? 1 });
      break;
    case 'ResignationRiskCleared':
      for (const flag of state.riskFlags) flag.clearedAt ??= at;
      break;
    case 'HouseholdResigned':
      state.resignation ??= { at, reason: event.detail.reason, initiatedBy: event.detail.initiatedBy };
      break;
  }
}

/** Fixed per referred household, and an id of at most 64 characters whatever the two ids' lengths. */
export function referralRewardEventId(agencyId: string, householdId: string): string {
  return `referral-reward-${fnv1a128(`${agencyId}\n${householdId}`)}`;
}

// FNV-1a (128-bit) written out: the domain is also type-checked for the browser, where node:crypto is not.
function fnv1a128(text: string): string {
  const prime = BigInt('0x0000000001000000000000000000013b');
  const mask = (BigInt(1) << BigInt(128)) - BigInt(1);
  let hash = BigInt('0x6c62272e07bb014262b821756295c58d');
  for (const byte of new TextEncoder().encode(text)) hash = ((hash ^ BigInt(byte)) * prime) & mask;
  return hash.toString(36);
}

/** Terms in time order; a change without a category keeps the category in force before it. */
function resolveApprovalCategories(state: HouseholdState): void {
  state.approvalTerms.sort((x, y) => x.at.localeCompare(y.at));
  let category: ApprovalCategory | undefined = state.approval?.category;
  for (const terms of state.approvalTerms) {
    terms.category ??= category ?? 'mainstream';
    category = terms.category;
  }
}

/** The order placements and holds are kept in, whichever order their events came: by start (else
 *  end), then id; the store merges year items back in this same order. */
export function sortSpans<T extends { startedAt?: string; endedAt?: string }>(spans: T[], idOf: (span: T) => string): T[] {
  const key = (s: T) => s.startedAt ?? s.endedAt ?? '';
  return spans.sort((a, b) => key(a).localeCompare(key(b)) || idOf(a).localeCompare(idOf(b)));
}

function closeAt(state: HouseholdState, at: string, reason: ClosureReason): void {
  state.closures.push({ at, reason });
}

function reopenIfClosed(state: HouseholdState, at: string): void {
  const last = state.closures[state.closures.length - 1];
  if (last && last.reopenedAt === undefined && last.at < at) last.reopenedAt = at;
}

function placementOf(state: HouseholdState, placementId: string): Placement {
  let placement = state.placements.find((p) => p.placementId === placementId);
  if (!placement) state.placements.push((placement = { placementId }));
  return placement;
}

function holdOf(state: HouseholdState, holdId: string): Hold {
  let hold = state.holds.find((h) => h.holdId === holdId);
  if (!hold) state.holds.push((hold = { holdId }));
  return hold;
}

// ---- Reading a state ------------------------------------------------------------------------

/** The closure in force now, if any. */
export function currentClosure(state: Pick<HouseholdState, 'closures'>): Closure | undefined {
  const last = state.closures[state.closures.length - 1];
  return last && last.reopenedAt === undefined ? last : undefined;
}

/** The closure in force at an instant (end of day D is `${D}T23:59:59.999Z`). */
export function closureAt(state: Pick<HouseholdState, 'closures'>, instant: string): Closure | undefined {
  return state.closures.find((c) => c.at <= instant && (c.reopenedAt === undefined || c.reopenedAt > instant));
}

/** Closed as a duplicate (the closure in force): no enquiry in any figure, whatever the date asked about. */
export function closedAsDuplicate(state: Pick<HouseholdState, 'closures'>): boolean {
  return currentClosure(state)?.reason === 'duplicate';
}

/** Referred on, and not back since: the closure in force is the referral's. */
export function referredOnNow(state: Pick<HouseholdState, 'closures' | 'referredOut'>): { at: string; toAgencyId: string } | undefined {
  const closure = currentClosure(state);
  return closure && state.referredOut && closure.at === state.referredOut.at ? state.referredOut : undefined;
}

/** Stages are cumulative: a later stage recorded means every earlier one was reached. */
export function hasReached(state: HouseholdState, stage: Stage): boolean {
  switch (stage) {
    case 'approved':
      return state.approvedAt !== undefined;
    case 'assessment':
      return state.assessmentAt !== undefined || hasReached(state, 'approved');
    case 'initialVisit':
      return state.initialVisitAt !== undefined || hasReached(state, 'assessment');
    case 'enquiry':
      return state.enquiry !== undefined || hasReached(state, 'initialVisit');
  }
}

export function furthestStage(state: HouseholdState): Stage | undefined {
  return [...stages].reverse().find((s) => hasReached(state, s));
}

export type HouseholdStatus = 'open' | 'closed' | 'approved' | 'resigned';

export function statusOf(state: HouseholdState): HouseholdStatus {
  if (state.resignation) return 'resigned';
  if (state.approvedAt !== undefined) return 'approved';
  return currentClosure(state) ? 'closed' : 'open';
}

export function isPostApplicationClosure(reason: ClosureReason): boolean {
  return (postApplicationClosureReasons as readonly string[]).includes(reason);
}

/** In assessment at an instant: an assessment started, not yet approved nor closed. */
export function inAssessmentAt(state: Pick<HouseholdState, 'assessmentAt' | 'approvedAt' | 'closures'>, instant: string): boolean {
  const started = state.assessmentAt;
  if (started === undefined || started > instant) return false;
  if (state.approvedAt !== undefined && state.approvedAt <= instant) return false;
  return closureAt(state, instant) === undefined;
}

/** Applied: an assessment started, or a closure with an after-application reason recorded (a fact
 *  from another system may come without the AssessmentStarted before it). */
export function hasApplied(state: HouseholdState): boolean {
  return state.assessmentAt !== undefined || state.closures.some((c) => isPostApplicationClosure(c.reason));
}

/** When the household's assessment stopped running (approval or a closure still in force), for
 *  the byAssessmentEnd index, which holds every household that applied; undefined while it runs.
 *  A superset key: readers re-check exactly. */
export function assessmentEndedAt(state: HouseholdState): string | undefined {
  if (!hasApplied(state)) return undefined;
  return state.approvedAt ?? currentClosure(state)?.at;
}

/** One list of fields and more, as a call the bundler may drop where nothing reads it: a spread at
 *  the top level is kept in every bundle that imports the module (each command's, which reads no records). */
const withFields = <A extends readonly (keyof HouseholdState)[], B extends readonly (keyof HouseholdState)[]>(
  fields: A,
  more: B,
): readonly [...A, ...B] => [...fields, ...more];

/** What a question about the approved carers at a date reads of a household (capacity, beds on hold,
 *  the sufficiency trend): its approval, placements and holds, and the closures and referral that
 *  say whether a region counts it here (referredOnNow); not its recruitment record. */
export const carerRecordFields = [
  'agencyId',
  'householdId',
  'approvedAt',
  'resignation',
  'closures',
  'referredOut',
  'approvalTerms',
  'placements',
  'holds',
  'yearItems',
] as const satisfies readonly (keyof HouseholdState)[];
export type CarerRecord = Pick<HouseholdState, (typeof carerRecordFields)[number]>;

/** What the resignation forecast and pipeline read of a household: the carer record, its risk flags,
 *  and of the recruitment record only the application (assessment start, prospective beds) and the
 *  enquiry's reference and interests (the at-risk list, the pipeline by interest). Not the contact
 *  attempts, milestones, stage dates or the rest of the enquiry, which grow with recruitment work. */
export const forecastRecordFields = /* @__PURE__ */ withFields(carerRecordFields, [
  'riskFlags',
  'assessmentAt',
  'prospectiveBeds',
] as const satisfies readonly (keyof HouseholdState)[]);
export const forecastEnquiryFields = ['reference', 'interests'] as const satisfies readonly (keyof EnquiryAttribution)[];
export type ForecastRecord = Pick<HouseholdState, (typeof forecastRecordFields)[number]> & {
  enquiry?: Pick<EnquiryAttribution, (typeof forecastEnquiryFields)[number]>;
};

// ---- Point in time ("at date D" = every event before D+1 00:00Z) ------------------------------
// Each takes the instant that ends the day asked about (`endOfDay(D)`), and reads only the state's
// own dated facts, so an answer for a past date does not change when later events arrive.

/** Approved on or before the instant and not resigned on or before it. */
export function isApprovedAt(state: Pick<HouseholdState, 'approvedAt' | 'resignation'>, instant: string): boolean {
  if (state.approvedAt === undefined || state.approvedAt > instant) return false;
  return state.resignation === undefined || state.resignation.at > instant;
}

/** The approval terms in force at the instant: the approval, or the latest change since. */
export function approvalTermsAt(state: Pick<HouseholdState, 'approvalTerms'>, instant: string): ApprovalTerms | undefined {
  let terms: ApprovalTerms | undefined;
  for (const t of state.approvalTerms) if (t.at <= instant) terms = t;
  return terms;
}

const activeAt = (instant: string) => (span: { startedAt?: string; endedAt?: string }) =>
  span.startedAt !== undefined && span.startedAt <= instant && (span.endedAt === undefined || span.endedAt > instant);

/** Placements started on or before the instant and not ended by then. */
export function activePlacementsAt(state: Pick<HouseholdState, 'placements'>, instant: string): Placement[] {
  return state.placements.filter(activeAt(instant));
}

/** Holds started on or before the instant and not ended by then, oldest first. */
export function activeHoldsAt(state: Pick<HouseholdState, 'holds'>, instant: string): Hold[] {
  return state.holds.filter(activeAt(instant)).sort((a, b) => a.startedAt!.localeCompare(b.startedAt!) || a.holdId.localeCompare(b.holdId));
}

/** Risk flags raised on or before the instant and not cleared by then. */
export function activeRiskFlagsAt(state: Pick<HouseholdState, 'riskFlags'>, instant: string): RiskFlag[] {
  return state.riskFlags.filter((f) => f.at <= instant && (f.clearedAt === undefined || f.clearedAt > instant));
}
