// Campaign conversion (docs/metrics.md) read literally over whole household states: the definition the conversion counts
// (shared/domain/campaign-conversion.ts) must answer exactly as, kept here as the tests' oracle. It
// was the metric's implementation before the counts.
import { changePct, median, ratio } from '../../shared/domain/arithmetic';
import { addYears, daysBetween, endOfDay, isWithin, type IsoDate } from '../../shared/domain/calendar';
import { currentClosure, hasReached, inAssessmentAt, type HouseholdState } from '../../shared/domain/household';
import type { ClosureReason } from '../../shared/events/vocabulary';
import type {
  ActivityCount,
  CampaignConversion,
  CohortFigures,
  ConversionFigures,
  ConversionGroup,
  ConversionQuery,
  SpendRecord,
} from '../../shared/domain/campaign-conversion';

export function campaignConversionAsDefined(
  query: ConversionQuery,
  households: readonly HouseholdState[],
  spend: readonly SpendRecord[],
): CampaignConversion {
  const selected = households.filter((h) => query.campaignId === undefined || h.enquiry?.campaignId === query.campaignId);
  const selectedSpend = spend.filter((s) => query.campaignId === undefined || s.campaignId === query.campaignId);
  const figures = conversionFigures(query, selected, spendIn(query, selectedSpend));

  const groups: ConversionGroup[] = [];
  if (query.groupBy) {
    const keyOf =
      query.groupBy === 'channel'
        ? (h: HouseholdState) => h.enquiry?.channel ?? null
        : (h: HouseholdState) => h.enquiry?.campaignId ?? null;
    const relevant = selected.filter((h) => isRelevant(query, h));
    const keys = [...new Set(relevant.map(keyOf))].sort(compareKeys);
    if (query.groupBy === 'campaign') {
      for (const s of selectedSpend) if (isWithin(s.at, query.from, query.to) && !keys.includes(s.campaignId)) keys.push(s.campaignId);
      keys.sort(compareKeys);
    }
    for (const key of keys) {
      const members = relevant.filter((h) => keyOf(h) === key);
      const groupSpend =
        query.groupBy === 'campaign'
          ? spendIn(
              query,
              selectedSpend.filter((s) => s.campaignId === key),
            )
          : null;
      groups.push({ key, ...conversionFigures(query, members, groupSpend) });
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

function spendIn(query: ConversionQuery, spend: readonly SpendRecord[]): number {
  return spend.filter((s) => isWithin(s.at, query.from, query.to)).reduce((sum, s) => sum + s.amountPence, 0);
}

const previousYear = (q: ConversionQuery) => ({ from: addYears(q.from, -1), to: addYears(q.to, -1) });

/** Whether a household counts in any figure of the window (cohort or activity, either year). */
function isRelevant(query: ConversionQuery, h: HouseholdState): boolean {
  const prev = previousYear(query);
  return [query, prev].some(
    ({ from, to }) =>
      [h.enquiry?.at, h.initialVisitAt, h.assessmentAt, h.approvedAt].some((at) => isWithin(at, from, to)) ||
      inAssessmentAt(h, endOfDay(to)),
  );
}

function conversionFigures(query: ConversionQuery, households: readonly HouseholdState[], spendPence: number | null): ConversionFigures {
  const cohort = households.filter((h) => isWithin(h.enquiry?.at, query.from, query.to));
  const reached = (stage: Parameters<typeof hasReached>[1]) => cohort.filter((h) => hasReached(h, stage));
  const approved = reached('approved');

  const closed: Partial<Record<ClosureReason, number>> = {};
  let open = 0;
  for (const h of cohort) {
    if (h.approvedAt !== undefined) continue;
    const closure = currentClosure(h);
    if (closure) closed[closure.reason] = (closed[closure.reason] ?? 0) + 1;
    else open += 1;
  }

  const figures: CohortFigures = {
    enquiries: cohort.length,
    initialVisits: reached('initialVisit').length,
    assessments: reached('assessment').length,
    approvals: approved.length,
    approvedBeds: approved.reduce((sum, h) => sum + (h.approval?.approvedBeds ?? 0), 0),
    open,
    closed,
  };

  const daysFrom = (start: (h: HouseholdState) => string | undefined, end: (h: HouseholdState) => string | undefined) =>
    median(
      cohort.flatMap((h) => {
        const a = start(h);
        const b = end(h);
        return a !== undefined && b !== undefined ? [daysBetween(a, b)] : [];
      }),
    );

  const costPer = (count: number) => (spendPence === null || count === 0 ? null : Math.round(spendPence / count));

  return {
    cohort: figures,
    rates: {
      visitRate: ratio(figures.initialVisits, figures.enquiries, 4),
      assessmentRate: ratio(figures.assessments, figures.initialVisits, 4),
      approvalRate: ratio(figures.approvals, figures.assessments, 4),
      overallRate: ratio(figures.approvals, figures.enquiries, 4),
    },
    timeliness: {
      enquiryToVisitDays: daysFrom(
        (h) => h.enquiry?.at,
        (h) => h.initialVisitAt,
      ),
      visitToAssessmentDays: daysFrom(
        (h) => h.initialVisitAt,
        (h) => h.assessmentAt,
      ),
      assessmentToApprovalDays: daysFrom(
        (h) => h.assessmentAt,
        (h) => h.approvedAt,
      ),
    },
    cost: {
      spendPence,
      costPerEnquiry: costPer(figures.enquiries),
      costPerApproval: costPer(figures.approvals),
      costPerApprovedBed: costPer(figures.approvedBeds),
    },
    activity: activityFigures(query, households),
  };
}

function activityFigures(query: ConversionQuery, households: readonly HouseholdState[]): ConversionFigures['activity'] {
  const prev = previousYear(query);
  const countIn = (window: { from: IsoDate; to: IsoDate }, at: (h: HouseholdState) => string | undefined) =>
    households.filter((h) => isWithin(at(h), window.from, window.to)).length;
  const compare = (at: (h: HouseholdState) => string | undefined): ActivityCount => {
    const count = countIn(query, at);
    const previous = countIn(prev, at);
    return { count, previousYear: previous, changePct: changePct(count, previous) };
  };
  const inAssessment = households.filter((h) => inAssessmentAt(h, endOfDay(query.to))).length;
  const inAssessmentBefore = households.filter((h) => inAssessmentAt(h, endOfDay(prev.to))).length;
  return {
    enquiries: compare((h) => h.enquiry?.at),
    initialVisits: compare((h) => h.initialVisitAt),
    assessments: compare((h) => h.assessmentAt),
    approvals: compare((h) => h.approvedAt),
    inAssessmentAt: { count: inAssessment, previousYear: inAssessmentBefore, changePct: changePct(inAssessment, inAssessmentBefore) },
  };
}
