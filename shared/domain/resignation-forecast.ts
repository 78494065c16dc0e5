// The resignation forecast and recruitment pipeline of a financial year (docs/metrics.md). Pure maths
// over forecast records; callers may pass a superset of the households (each figure selects its own).
import { countChanges, median, roundHalfUp } from './arithmetic';
import { addDays, dateOf, daysBetween, endOfDay, financialYearBounds, isWithin, type IsoDate } from './calendar';
import {
  activePlacementsAt,
  activeRiskFlagsAt,
  closedAsDuplicate,
  approvalTermsAt,
  inAssessmentAt,
  isApprovedAt,
  isPostApplicationClosure,
  referredOnNow,
  type ForecastRecord,
  type HouseholdState,
} from './household';
import { percentile, poissonBinomial } from './poisson-binomial';
import { resignationReasons, type ResignationReason } from '../events/vocabulary';

/** The national average the reference report quotes: configured per agency, default 0.10. */
export const DEFAULT_ATTRITION_RATE = 0.1;
/** An approved household with no child for this many days is at risk of leaving. */
export const IDLE_DAYS_AT_RISK = 365;
/** ... or never placed this many days after approval. */
export const NEVER_PLACED_DAYS_AT_RISK = 180;
/** The conversion rate looks back over outcomes in (A − 730 days, A]. */
export const CONVERSION_WINDOW_DAYS = 730;
/** Below this many outcomes the observed rate says too little: conversion is taken as 1. */
export const MIN_CONVERSION_OUTCOMES = 10;

export interface ResignationForecastInput {
  financialYear: number;
  /** The date to forecast from; clamped into the financial year. */
  asOf: IsoDate;
  /** The agency's annual attrition rate r, in [0, 1]. */
  attritionRate: number;
  /** For a region: each agency's own rate; agencies not named use `attritionRate`. */
  attritionRateByAgency?: Readonly<Record<string, number>>;
  households: readonly ForecastRecord[];
  /** The outcomes behind q, as the store counts them (at least the window's); absent, those of `households`. */
  outcomes?: readonly ApplicationOutcome[];
  /** The agency's target from application to approval (days): T when too few approvals say otherwise (default 240). */
  applicationToApprovalDays?: number;
  /** For a region: each agency's own; agencies not named use `applicationToApprovalDays`. */
  applicationToApprovalDaysByAgency?: Readonly<Record<string, number>>;
}

/** T falls back on the agency's target without this many approvals with both dates in the window. */
export const MIN_ASSESSMENT_DAYS_APPROVALS = 10;
export const DEFAULT_APPLICATION_TO_APPROVAL_DAYS = 240;

/**
 * An application's outcome as q counts it: an approval, or a post-application closure, on its day
 * (the window is over these), counted at a date A before `until` (null: at any A from its day on) —
 * a closure only while it is the one in force at A (household.ts closureAt): a household that
 * withdrew and came back is judged by where it is at A, and is not both a closure and an approval.
 * `referredTo`: where the household is referred on to now, if it is (a region leaves out its
 * agencies' copies of a household referred within it, as `householdsIn` does).
 */
export interface ApplicationOutcome {
  outcome: 'approval' | 'closure';
  day: IsoDate;
  until: IsoDate | null;
  referredTo: string | null;
  /** For an approval with its assessment date: the days from the assessment to the approval. */
  assessmentDays: number | null;
  n: number;
}

/** What one household adds to its agency's application outcomes, from its state as known now. The
 *  store keeps them summed per agency and month (shared/store/conversion-counts.ts), so q reads its
 *  window's months, not its households. */
type OutcomeFields = Pick<HouseholdState, 'approvedAt' | 'assessmentAt' | 'closures' | 'referredOut'>;

export function applicationOutcomesOf(h: OutcomeFields): ApplicationOutcome[] {
  if (closedAsDuplicate(h)) return []; // no enquiry in any figure
  const referredTo = referredOnNow(h)?.toAgencyId ?? null;
  const outcomes: ApplicationOutcome[] = [];
  if (h.approvedAt !== undefined) {
    const assessmentDays = h.assessmentAt === undefined ? null : daysBetween(h.assessmentAt, h.approvedAt);
    outcomes.push({ outcome: 'approval', day: dateOf(h.approvedAt), until: null, referredTo, assessmentDays, n: 1 });
  }
  // closureAt finds the first closure made and not reopened: closures are in time order and a stage
  // reopens the last one only, so a closure made while an earlier one is still in force never is.
  for (const closure of h.closures) {
    if (isPostApplicationClosure(closure.reason)) {
      const until = closure.reopenedAt === undefined ? null : dateOf(closure.reopenedAt);
      outcomes.push({ outcome: 'closure', day: dateOf(closure.at), until, referredTo, assessmentDays: null, n: 1 });
    }
    if (closure.reopenedAt === undefined) break; // in force for good: none after it counts
  }
  return outcomes;
}

/** What a household's change of state changes in its agency's application outcomes (see conversionCountChanges). */
export function applicationOutcomeChanges(before: OutcomeFields | undefined, after: OutcomeFields | undefined): ApplicationOutcome[] {
  return countChanges(before ? applicationOutcomesOf(before) : [], after ? applicationOutcomesOf(after) : [], (o) =>
    JSON.stringify([o.outcome, o.day, o.until, o.referredTo, o.assessmentDays]),
  );
}

export interface InterestPipeline {
  households: number;
  prospectiveBeds: number;
}

export interface PipelineForecast {
  approvedToDate: number;
  inAssessment: number;
  prospectiveBeds: number;
  conversion: number;
  /** T: the days an application takes to approval, as this pipeline judges it (null for a region whose agencies differ). */
  assessmentDays: number | null;
  /** In-assessment households whose assessment date + T falls by 31 March (0 once the year is over). */
  dueByYearEnd: number;
  byInterest: Record<string, InterestPipeline>;
  expectedApprovalsYearEnd: number;
  expectedBedsYearEnd: number;
}

export interface AtRiskHousehold {
  householdId: string;
  reference: string | null;
  daysIdle: number;
  neverPlaced: boolean;
}

export interface ResignationForecast {
  financialYear: number;
  asOf: IsoDate;
  attritionRate: number;
  resignedToDate: number;
  resignedByReason: Partial<Record<ResignationReason, number>>;
  anticipated: { households: number; expected: number };
  baseline: { households: number; probability: number; expected: number };
  expectedYearEnd: number;
  low: number;
  high: number;
  benchmark: number;
  belowBenchmark: boolean;
  atRisk: AtRiskHousehold[];
  pipeline: PipelineForecast;
}

/** A: asOf clamped into the financial year ("capped to the year"). A date before the year gives
 *  the position on its first day, one after it the position at its last day. */
export function forecastDate(financialYear: number, asOf: IsoDate): IsoDate {
  const { start, end } = financialYearBounds(financialYear);
  return asOf < start ? start : asOf > end ? end : asOf;
}

/** p = 1 − (1 − r)^(d/365): the chance of resigning within d days at a constant annual rate r. */
export function baselineProbability(attritionRate: number, daysToYearEnd: number): number {
  return 1 - (1 - attritionRate) ** (daysToYearEnd / 365);
}

interface Context {
  financialYear: number;
  start: IsoDate;
  end: IsoDate;
  /** A, and the instant that ends it ("at date A"). */
  asOf: IsoDate;
  at: string;
  attritionRate: number;
  rateOf: (agencyId: string) => number;
  /** Whole days from A to 31 March: 0 once the year is over, when nothing more can happen in it. */
  daysLeft: number;
  targetDaysOf: (agencyId: string) => number;
  /** One agency's target, or a region's when its agencies agree; else null. */
  targetDays: number | null;
}

interface Risk {
  state: ForecastRecord;
  probability: number;
  beds: number;
}

interface Risks {
  /** Approved at A with an active risk flag; probability = the highest likelihood among them. */
  flagged: Risk[];
  /** Every other household approved at A; probability = p. */
  baseline: Risk[];
  p: number;
}

export function resignationForecast(input: ResignationForecastInput): ResignationForecast {
  const context = contextOf(input);
  const { start, asOf, at, attritionRate } = context;
  const { households } = input;
  const risks = resignationRisks(context, households);

  const resigned = households.filter((h) => isWithin(h.resignation?.at, start, asOf));
  const resignedByReason: Partial<Record<ResignationReason, number>> = {};
  for (const reason of resignationReasons) {
    const count = resigned.filter((h) => h.resignation!.reason === reason).length;
    if (count > 0) resignedByReason[reason] = count;
  }

  const expectedFlagged = sum(risks.flagged.map((r) => r.probability));
  const expectedBaseline = sum(risks.baseline.map((r) => r.probability));
  const expectedYearEnd = roundHalfUp(resigned.length + expectedFlagged + expectedBaseline, 1);
  // The count at year end is what has happened plus one Bernoulli trial per approved household.
  const distribution = poissonBinomial([...risks.flagged, ...risks.baseline].map((r) => r.probability));

  // Each household at its own agency's rate: for one agency, r × the households approved at 1 April.
  const approvedAtYearStart = households.filter((h) => isApprovedAt(h, endOfDay(start)));
  const benchmarkExact = sum(approvedAtYearStart.map((h) => context.rateOf(h.agencyId)));
  const benchmark = roundHalfUp(benchmarkExact, 1);

  return {
    financialYear: input.financialYear,
    asOf,
    // A region's agencies may set different rates: it shows the rate its benchmark implies.
    attritionRate:
      input.attritionRateByAgency && approvedAtYearStart.length > 0
        ? roundHalfUp(benchmarkExact / approvedAtYearStart.length, 4)
        : attritionRate,
    resignedToDate: resigned.length,
    resignedByReason,
    anticipated: { households: risks.flagged.length, expected: roundHalfUp(expectedFlagged, 1) },
    // One p for one agency; for a region, the mean p of its baseline households.
    baseline: {
      households: risks.baseline.length,
      probability: roundHalfUp(risks.baseline.length > 0 ? expectedBaseline / risks.baseline.length : risks.p, 4),
      expected: roundHalfUp(expectedBaseline, 1),
    },
    expectedYearEnd,
    low: percentile(distribution, 0.1, resigned.length),
    high: percentile(distribution, 0.9, resigned.length),
    benchmark,
    // Compared as reported, so the flag never contradicts the two figures shown beside it.
    belowBenchmark: expectedYearEnd < benchmark,
    atRisk: atRisk(households, asOf, at),
    pipeline: pipelineOf(context, households, outcomesOf(input), risks),
  };
}

/** The pipeline on its own (sufficiency shows it too). */
export function forecastPipeline(input: ResignationForecastInput): PipelineForecast {
  const context = contextOf(input);
  return pipelineOf(context, input.households, outcomesOf(input), resignationRisks(context, input.households));
}

const outcomesOf = (input: ResignationForecastInput) => input.outcomes ?? input.households.flatMap(applicationOutcomesOf);

function contextOf({
  financialYear,
  asOf,
  attritionRate,
  attritionRateByAgency = {},
  applicationToApprovalDays = DEFAULT_APPLICATION_TO_APPROVAL_DAYS,
  applicationToApprovalDaysByAgency = {},
}: ResignationForecastInput): Context {
  if (!Number.isInteger(financialYear)) throw new RangeError(`financialYear must be a year, got ${financialYear}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)))
    throw new RangeError(`asOf must be a date YYYY-MM-DD, got ${asOf}`);
  for (const rate of [attritionRate, ...Object.values(attritionRateByAgency)]) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`attritionRate must be in [0, 1], got ${rate}`);
  }
  const { start, end } = financialYearBounds(financialYear);
  const clamped = forecastDate(financialYear, asOf);
  const rateOf = (agencyId: string) => (Object.hasOwn(attritionRateByAgency, agencyId) ? attritionRateByAgency[agencyId]! : attritionRate);
  const targetDaysOf = (agencyId: string) => applicationToApprovalDaysByAgency[agencyId] ?? applicationToApprovalDays;
  const targets = new Set([applicationToApprovalDays, ...Object.values(applicationToApprovalDaysByAgency)]);
  const targetDays = targets.size === 1 ? applicationToApprovalDays : null;
  const daysLeft = daysBetween(clamped, end);
  return { financialYear, start, end, asOf: clamped, at: endOfDay(clamped), attritionRate, rateOf, daysLeft, targetDaysOf, targetDays };
}

function resignationRisks({ daysLeft: days, at, attritionRate, rateOf }: Context, households: readonly ForecastRecord[]): Risks {
  // "At date A" is the end of A, and so is the year end: d whole days separate the two instants.
  const p = baselineProbability(attritionRate, days);
  const flagged: Risk[] = [];
  const baseline: Risk[] = [];
  for (const state of households) {
    if (!isApprovedAt(state, at)) continue;
    const beds = approvalTermsAt(state, at)?.approvedBeds ?? 0;
    const flags = activeRiskFlagsAt(state, at);
    // A flag is the service's own judgement of this year's resignation and replaces the baseline
    // (never adds to it); several flags are one household, counted at its most likely one. Once the
    // year is over (d = 0) nothing more can happen in it: a flag is still listed, but expects nothing.
    if (flags.length > 0) flagged.push({ state, beds, probability: days > 0 ? Math.max(...flags.map((f) => f.likelihood)) : 0 });
    else baseline.push({ state, beds, probability: baselineProbability(rateOf(state.agencyId), days) });
  }
  return { flagged, baseline, p };
}

/**
 * Approved at A with no child placed at A, and either idle 365+ days since the last placement
 * ended, or never placed and approved 180+ days ago. Most idle first.
 */
function atRisk(households: readonly ForecastRecord[], asOf: IsoDate, at: string): AtRiskHousehold[] {
  const result: AtRiskHousehold[] = [];
  for (const state of households) {
    if (!isApprovedAt(state, at) || activePlacementsAt(state, at).length > 0) continue;
    // With none active at A, every placement that started by A has also ended by A; an end known
    // without its start (not yet delivered) is a placement all the same.
    const ends = state.placements.map((p) => p.endedAt).filter((e): e is string => e !== undefined && e <= at);
    if (ends.length > 0) {
      // Idle as an approved carer: a placement that ended before approval (e.g. a connected person
      // caring before approval) does not make a newly approved household look long idle.
      const lastEnd = ends.reduce((a, b) => (a > b ? a : b));
      const since = lastEnd > state.approvedAt! ? lastEnd : state.approvedAt!;
      const daysIdle = daysBetween(since, asOf);
      if (daysIdle >= IDLE_DAYS_AT_RISK)
        result.push({ householdId: state.householdId, reference: state.enquiry?.reference ?? null, daysIdle, neverPlaced: false });
    } else {
      const daysIdle = daysBetween(state.approvedAt!, asOf);
      if (daysIdle >= NEVER_PLACED_DAYS_AT_RISK)
        result.push({ householdId: state.householdId, reference: state.enquiry?.reference ?? null, daysIdle, neverPlaced: true });
    }
  }
  return result.sort((a, b) => b.daysIdle - a.daysIdle || a.householdId.localeCompare(b.householdId));
}

function pipelineOf(
  { start, end, asOf, at, daysLeft, targetDaysOf, targetDays }: Context,
  households: readonly ForecastRecord[],
  outcomes: readonly ApplicationOutcome[],
  risks: Risks,
): PipelineForecast {
  const approvedToDate = households.filter((h) => isWithin(h.approvedAt, start, asOf)).length;

  const assessing = households.filter((h) => inAssessmentAt(h, at));
  const bedsOf = (h: ForecastRecord) => h.prospectiveBeds ?? 1;
  const prospectiveBeds = sum(assessing.map(bedsOf));

  const byInterest: Record<string, InterestPipeline> = {};
  const interests = [...new Set(assessing.flatMap((h) => h.enquiry?.interests ?? []))].sort();
  for (const interest of interests) {
    const interested = assessing.filter((h) => h.enquiry?.interests.includes(interest));
    byInterest[interest] = { households: interested.length, prospectiveBeds: sum(interested.map(bedsOf)) };
  }

  const q = conversionRate(outcomes, asOf);
  // T: what the agency's recent approvals took, else its target; an application is due by the year
  // end when its assessment date + T falls by 31 March (one already past it is due). None once the
  // year is over.
  const observed = observedAssessmentDays(outcomes, asOf);
  const tOf = (h: ForecastRecord) => observed ?? targetDaysOf(h.agencyId);
  const due = daysLeft > 0 ? assessing.filter((h) => daysBetween(h.assessmentAt!, end) >= tOf(h)) : [];
  const approvedBeds = sum([...risks.flagged, ...risks.baseline].map((r) => r.beds));
  const bedsLost = sum([...risks.flagged, ...risks.baseline].map((r) => r.probability * r.beds));
  return {
    approvedToDate,
    inAssessment: assessing.length,
    prospectiveBeds,
    conversion: roundHalfUp(q, 4),
    assessmentDays: observed ?? targetDays,
    dueByYearEnd: due.length,
    byInterest,
    expectedApprovalsYearEnd: roundHalfUp(approvedToDate + q * due.length, 1),
    expectedBedsYearEnd: roundHalfUp(approvedBeds + q * sum(due.map(bedsOf)) - bedsLost, 1),
  };
}

/** The outcomes counted at A: dated in (A − 730 days, A], and a closure only while in force at A. */
const countedAt = (o: ApplicationOutcome, asOf: IsoDate) =>
  o.day >= addDays(asOf, -(CONVERSION_WINDOW_DAYS - 1)) && o.day <= asOf && (o.until === null || o.until > asOf);

/** The median days from assessment to approval of the approvals counted at A that have both dates,
 *  when there are at least 10 of them; else undefined. */
function observedAssessmentDays(outcomes: readonly ApplicationOutcome[], asOf: IsoDate): number | undefined {
  const days = outcomes
    .filter((o) => o.outcome === 'approval' && o.assessmentDays !== null && countedAt(o, asOf))
    .flatMap((o) => Array.from({ length: o.n }, () => o.assessmentDays!));
  return days.length >= MIN_ASSESSMENT_DAYS_APPROVALS ? (median(days) ?? undefined) : undefined;
}

/** q = approvals ÷ (approvals + post-application closures) dated in (A − 730 days, A], or 1 when
 *  there are fewer than 10 such outcomes; each outcome as counted at A (ApplicationOutcome). */
function conversionRate(outcomes: readonly ApplicationOutcome[], asOf: IsoDate): number {
  let approvals = 0;
  let withdrawals = 0;
  for (const o of outcomes) {
    if (!countedAt(o, asOf)) continue;
    if (o.outcome === 'approval') approvals += o.n;
    else withdrawals += o.n;
  }
  const outcomesCounted = approvals + withdrawals;
  return outcomesCounted >= MIN_CONVERSION_OUTCOMES ? approvals / outcomesCounted : 1;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
