// Campaign conversion (docs/metrics.md). Pure maths over conversion counts (a household's part in each
// figure, under its days: `conversionCountsOf`), the households still in assessment, and spend.
import { changePct, countChanges, median, ratio } from './arithmetic';
import { addYears, dateOf, daysBetween, endOfDay, isWithin, type IsoDate } from './calendar';
import { closedAsDuplicate, currentClosure, hasReached, inAssessmentAt, referredOnNow, type HouseholdState } from './household';
import type { Channel, ClosureReason } from '../events/vocabulary';

export interface SpendRecord {
  campaignId: string;
  amountPence: number;
  at: string;
  eventId: string;
}

export type ConversionGrouping = 'channel' | 'campaign';

export interface ConversionQuery {
  from: IsoDate;
  to: IsoDate;
  campaignId?: string;
  groupBy?: ConversionGrouping;
}

export interface CohortFigures {
  enquiries: number;
  initialVisits: number;
  assessments: number;
  approvals: number;
  approvedBeds: number;
  open: number;
  closed: Partial<Record<ClosureReason, number>>;
}

export interface ActivityCount {
  count: number;
  previousYear: number;
  changePct: number | null;
}

export interface ConversionFigures {
  cohort: CohortFigures;
  rates: { visitRate: number | null; assessmentRate: number | null; approvalRate: number | null; overallRate: number | null };
  timeliness: { enquiryToVisitDays: number | null; visitToAssessmentDays: number | null; assessmentToApprovalDays: number | null };
  /** Spend is recorded per campaign, not per channel: a channel group has spendPence null. */
  cost: { spendPence: number | null; costPerEnquiry: number | null; costPerApproval: number | null; costPerApprovedBed: number | null };
  activity: Record<'enquiries' | 'initialVisits' | 'assessments' | 'approvals' | 'inAssessmentAt', ActivityCount>;
}

export interface ConversionGroup extends ConversionFigures {
  /** The channel or campaign; null for enquiries that named no campaign. */
  key: string | null;
}

export interface CampaignConversion extends ConversionFigures {
  from: IsoDate;
  to: IsoDate;
  campaignId: string | null;
  groups: ConversionGroup[];
}

/** The figures a conversion count adds to: a stage reached on its day (activity; the enquiry's is
 *  also the cohort's size), and, under the enquiry's day, the cohort's stages, outcome and days
 *  between stages (one count per whole number of days: a histogram, whose median is exact). */
export type CountedFigure =
  | ActivityFigure
  | 'cohortInitialVisits'
  | 'cohortAssessments'
  | 'cohortApprovals'
  | 'cohortApprovedBeds'
  | 'cohortOpen'
  | `closed:${ClosureReason}`
  | `${TimelinessFigure}:${number}`;

type ActivityFigure = 'enquiries' | 'initialVisits' | 'assessments' | 'approvals';
type TimelinessFigure = keyof ConversionFigures['timeliness'];

/** A number one or more households add to a figure, under a day, a campaign and a channel, and
 *  the agency they are referred on to, if they are (a region leaves out its agencies' copies of a
 *  household referred within it, as `householdsIn` does). */
export interface ConversionCount {
  day: IsoDate;
  campaignId: string | null;
  channel: Channel | null;
  referredTo: string | null;
  figure: CountedFigure;
  n: number;
}

/** What one household adds to its agency's conversion counts, from its state as known now. */
export function conversionCountsOf(h: HouseholdState): ConversionCount[] {
  const counts: ConversionCount[] = [];
  if (closedAsDuplicate(h)) return counts; // no enquiry in any figure
  const campaignId = h.enquiry?.campaignId ?? null;
  const channel = h.enquiry?.channel ?? null;
  const referredTo = referredOnNow(h)?.toAgencyId ?? null;
  const add = (at: string | undefined, figure: CountedFigure, n = 1) => {
    if (at !== undefined && n !== 0) counts.push({ day: dateOf(at), campaignId, channel, referredTo, figure, n });
  };
  add(h.enquiry?.at, 'enquiries');
  add(h.initialVisitAt, 'initialVisits');
  add(h.assessmentAt, 'assessments');
  add(h.approvedAt, 'approvals');

  const enquiredAt = h.enquiry?.at;
  if (enquiredAt === undefined) return counts;
  if (hasReached(h, 'initialVisit')) add(enquiredAt, 'cohortInitialVisits');
  if (hasReached(h, 'assessment')) add(enquiredAt, 'cohortAssessments');
  if (hasReached(h, 'approved')) {
    add(enquiredAt, 'cohortApprovals');
    add(enquiredAt, 'cohortApprovedBeds', h.approval?.approvedBeds ?? 0);
  } else {
    const closure = currentClosure(h);
    add(enquiredAt, closure ? `closed:${closure.reason}` : 'cohortOpen');
  }
  const days = (figure: TimelinessFigure, a: string | undefined, b: string | undefined) => {
    if (a !== undefined && b !== undefined) add(enquiredAt, `${figure}:${daysBetween(a, b)}`);
  };
  days('enquiryToVisitDays', enquiredAt, h.initialVisitAt);
  days('visitToAssessmentDays', h.initialVisitAt, h.assessmentAt);
  days('assessmentToApprovalDays', h.assessmentAt, h.approvedAt);
  return counts;
}

/** Campaign conversion over households read whole: their counts, and they themselves for the running assessments. */
export function campaignConversion(
  query: ConversionQuery,
  households: readonly HouseholdState[],
  spend: readonly SpendRecord[],
): CampaignConversion {
  return conversionFromCounts(query, households.flatMap(conversionCountsOf), households, spend);
}

/**
 * Campaign conversion from conversion counts (any days: each figure selects its window's), the households
 * whose assessment may be running at either `to` (any others are ignored) and spend records.
 */
export function conversionFromCounts(
  query: ConversionQuery,
  counts: readonly ConversionCount[],
  running: readonly HouseholdState[],
  spend: readonly SpendRecord[],
): CampaignConversion {
  const ofCampaign = (campaignId: string | null | undefined) => query.campaignId === undefined || campaignId === query.campaignId;
  const selected = counts.filter((c) => ofCampaign(c.campaignId));
  const selectedRunning = running.filter((h) => ofCampaign(h.enquiry?.campaignId));
  const selectedSpend = spend.filter((s) => ofCampaign(s.campaignId));
  const figures = conversionFigures(query, selected, selectedRunning, spendIn(query, selectedSpend));

  const groups: ConversionGroup[] = [];
  if (query.groupBy) {
    const grouping = query.groupBy;
    const keyOfCount = (c: ConversionCount) => (grouping === 'channel' ? c.channel : c.campaignId);
    const keyOf = (h: HouseholdState) => (grouping === 'channel' ? (h.enquiry?.channel ?? null) : (h.enquiry?.campaignId ?? null));
    // A group for each key with a stage in either window or an assessment running at either `to`.
    const windows = [query, previousYear(query)];
    const active = selected.filter((c) => isActivity(c.figure) && c.n !== 0 && windows.some((w) => isOnDayWithin(c.day, w)));
    const runningAtEither = selectedRunning.filter((h) => windows.some((w) => runningAt(w.to)(h)));
    const keys = [...new Set([...active.map(keyOfCount), ...runningAtEither.map(keyOf)])];
    if (grouping === 'campaign') {
      for (const s of selectedSpend) if (isWithin(s.at, query.from, query.to) && !keys.includes(s.campaignId)) keys.push(s.campaignId);
    }
    keys.sort(compareKeys);
    for (const key of keys) {
      const members = selectedRunning.filter((h) => keyOf(h) === key);
      const groupSpend =
        grouping === 'campaign'
          ? spendIn(
              query,
              selectedSpend.filter((s) => s.campaignId === key),
            )
          : null;
      groups.push({
        key,
        ...conversionFigures(
          query,
          selected.filter((c) => keyOfCount(c) === key),
          members,
          groupSpend,
        ),
      });
    }
  }
  return { from: query.from, to: query.to, campaignId: query.campaignId ?? null, ...figures, groups };
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a.localeCompare(b);
}

const isOnDayWithin = (day: IsoDate, window: { from: IsoDate; to: IsoDate }) => day >= window.from && day <= window.to;
const activityFigures: readonly string[] = ['enquiries', 'initialVisits', 'assessments', 'approvals'] satisfies ActivityFigure[];
const isActivity = (figure: CountedFigure): figure is ActivityFigure => activityFigures.includes(figure);
const runningAt = (date: IsoDate) => (h: HouseholdState) => inAssessmentAt(h, endOfDay(date));

function spendIn(query: ConversionQuery, spend: readonly SpendRecord[]): number {
  return spend.filter((s) => isWithin(s.at, query.from, query.to)).reduce((sum, s) => sum + s.amountPence, 0);
}

const previousYear = (q: ConversionQuery) => ({ from: addYears(q.from, -1), to: addYears(q.to, -1) });

/** The sums of the counts on the window's days, by figure. */
function sumsWithin(counts: readonly ConversionCount[], window: { from: IsoDate; to: IsoDate }): Map<CountedFigure, number> {
  const sums = new Map<CountedFigure, number>();
  for (const c of counts) if (isOnDayWithin(c.day, window)) sums.set(c.figure, (sums.get(c.figure) ?? 0) + c.n);
  return sums;
}

/** The median of a histogram's figures (`<figure>:<days>` → households), expanded: exact. */
function medianDays(sums: ReadonlyMap<CountedFigure, number>, figure: TimelinessFigure): number | null {
  const values: number[] = [];
  for (const [counted, n] of sums) {
    const [name, days] = counted.split(':');
    if (name === figure) for (let i = 0; i < n; i += 1) values.push(Number(days));
  }
  return median(values);
}

function conversionFigures(
  query: ConversionQuery,
  counts: readonly ConversionCount[],
  running: readonly HouseholdState[],
  spendPence: number | null,
): ConversionFigures {
  const sums = sumsWithin(counts, query);
  const sum = (figure: CountedFigure) => sums.get(figure) ?? 0;
  const closed: Partial<Record<ClosureReason, number>> = {};
  for (const [figure, n] of [...sums].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (figure.startsWith('closed:') && n !== 0) closed[figure.slice('closed:'.length) as ClosureReason] = n;
  }
  const figures: CohortFigures = {
    enquiries: sum('enquiries'),
    initialVisits: sum('cohortInitialVisits'),
    assessments: sum('cohortAssessments'),
    approvals: sum('cohortApprovals'),
    approvedBeds: sum('cohortApprovedBeds'),
    open: sum('cohortOpen'),
    closed,
  };
  const costPer = (count: number) => (spendPence === null || count === 0 ? null : Math.round(spendPence / count));

  const previous = sumsWithin(counts, previousYear(query));
  const compare = (figure: ActivityFigure): ActivityCount => {
    const count = sum(figure);
    const before = previous.get(figure) ?? 0;
    return { count, previousYear: before, changePct: changePct(count, before) };
  };
  const inAssessment = running.filter(runningAt(query.to)).length;
  const inAssessmentBefore = running.filter(runningAt(previousYear(query).to)).length;

  return {
    cohort: figures,
    rates: {
      visitRate: ratio(figures.initialVisits, figures.enquiries, 4),
      assessmentRate: ratio(figures.assessments, figures.initialVisits, 4),
      approvalRate: ratio(figures.approvals, figures.assessments, 4),
      overallRate: ratio(figures.approvals, figures.enquiries, 4),
    },
    timeliness: {
      enquiryToVisitDays: medianDays(sums, 'enquiryToVisitDays'),
      visitToAssessmentDays: medianDays(sums, 'visitToAssessmentDays'),
      assessmentToApprovalDays: medianDays(sums, 'assessmentToApprovalDays'),
    },
    cost: {
      spendPence,
      costPerEnquiry: costPer(figures.enquiries),
      costPerApproval: costPer(figures.approvals),
      costPerApprovedBed: costPer(figures.approvedBeds),
    },
    activity: {
      enquiries: compare('enquiries'),
      initialVisits: compare('initialVisits'),
      assessments: compare('assessments'),
      approvals: compare('approvals'),
      inAssessmentAt: { count: inAssessment, previousYear: inAssessmentBefore, changePct: changePct(inAssessment, inAssessmentBefore) },
    },
  };
}

/** What a household's change of state changes in its agency's conversion counts (no state: a
 *  household not yet, or no longer, stored): each count's new value less its old, the zeros left out. */
export function conversionCountChanges(before: HouseholdState | undefined, after: HouseholdState | undefined): ConversionCount[] {
  return countChanges(before ? conversionCountsOf(before) : [], after ? conversionCountsOf(after) : [], (c) =>
    JSON.stringify([c.day, c.campaignId, c.channel, c.referredTo, c.figure]),
  );
}
