// The caseload (docs/metrics.md, the working day): the open households at a date with their next action, sorted by when it is
// due; its counts by state and next action; and the timeliness of responses, visits and decisions
// against the agency's targets. Pure maths over folded household states.
import type { ClosureReason } from '../events/vocabulary';
import { defaultTimescaleTargets, type TimescaleTargets } from './agency-settings';
import { ratio, median } from './arithmetic';
import { dateOf, daysBetween, type IsoDate } from './calendar';
import {
  enquiredOn,
  firstResponseDueOn,
  firstResponseOn,
  followUpOn,
  nextActions,
  openFollowUpStates,
  stageOn,
  type FollowUpState,
  type NextAction,
} from './follow-up';
import type { HouseholdState, Stage } from './household';
import { addWorkingDays, workingDaysAfter } from './working-days';

/** Each agency's targets (a region's households each keep their own agency's). */
export type TargetsOf = (agencyId: string) => TimescaleTargets;
export const defaultTargets: TargetsOf = () => defaultTimescaleTargets;

export interface CaseloadEntry {
  householdId: string;
  agencyId: string;
  reference: string | null;
  enquiredOn: IsoDate;
  channel: string | null;
  campaignId: string | null;
  /** The enquirer sent it through the service's form. */
  webEnquiry: boolean;
  /** The households whose email or phone its enquiry matched, until recruitment closes it or clears the mark. */
  possibleDuplicateOf: string[];
  stage: Stage;
  state: FollowUpState;
  attempts: number;
  lastContactOn: IsoDate | null;
  nextAction: NextAction | null;
  dueOn: IsoDate | null;
  overdue: boolean;
  daysOpen: number;
}

export interface CaseloadFilter {
  on: IsoDate;
  state?: FollowUpState;
  overdue?: boolean;
  campaignId?: string;
  /** The work a team picks by: the next action, and what falls due on one date (today's work). */
  nextAction?: NextAction;
  dueOn?: IsoDate;
  /** Only households that enquired on or after this date (the new enquiries). */
  enquiredSince?: IsoDate;
}

const isOpen = (state: FollowUpState) => openFollowUpStates.includes(state);

/** Enquired by the end of D (a household is on nobody's list before it enquired). */
function enquiredBy(state: HouseholdState, date: IsoDate): IsoDate | undefined {
  const on = enquiredOn(state);
  return on !== undefined && on <= date ? on : undefined;
}

export function caseloadEntry(household: HouseholdState, on: IsoDate, targets: TimescaleTargets): CaseloadEntry | undefined {
  const enquired = enquiredBy(household, on);
  if (enquired === undefined) return undefined;
  const followUp = followUpOn(household, on, targets);
  return {
    householdId: household.householdId,
    agencyId: household.agencyId,
    reference: household.enquiry?.reference ?? null,
    enquiredOn: enquired,
    channel: household.enquiry?.channel ?? null,
    campaignId: household.enquiry?.campaignId ?? null,
    webEnquiry: household.enquiry?.webForm === true,
    possibleDuplicateOf: household.possibleDuplicateOf ?? [],
    stage: stageOn(household, on),
    state: followUp.state,
    attempts: followUp.attempts,
    lastContactOn: followUp.lastContactOn,
    nextAction: followUp.nextAction,
    dueOn: followUp.dueOn,
    overdue: followUp.overdue,
    daysOpen: daysBetween(enquired, on),
  };
}

/** An entry's place in the list, due date first (none last), then the enquiry date, then the
 *  household id; also the cursor of the page that follows it. */
export const cursorOf = (entry: CaseloadEntry) => [entry.dueOn ?? '~', entry.enquiredOn, entry.householdId].join('|');
const afterCursor = (cursor: string) => (entry: CaseloadEntry) => cursorOf(entry) > cursor;

export const CASELOAD_PAGE_SIZE = 100;

/** The open households (rules 2–7) at D that pass the filter, sorted, one page from the cursor. */
export function caseloadPage(
  households: readonly HouseholdState[],
  filter: CaseloadFilter,
  targetsOf: TargetsOf = defaultTargets,
  page: { cursor?: string; size?: number } = {},
): { on: IsoDate; households: CaseloadEntry[]; next: string | null } {
  const size = page.size ?? CASELOAD_PAGE_SIZE;
  const entries = households
    .map((h) => caseloadEntry(h, filter.on, targetsOf(h.agencyId)))
    .filter((e): e is CaseloadEntry => e !== undefined && isOpen(e.state))
    .filter(
      (e) =>
        (filter.state === undefined || e.state === filter.state) &&
        (filter.overdue === undefined || e.overdue === filter.overdue) &&
        (filter.campaignId === undefined || e.campaignId === filter.campaignId) &&
        (filter.nextAction === undefined || e.nextAction === filter.nextAction) &&
        (filter.dueOn === undefined || e.dueOn === filter.dueOn) &&
        (filter.enquiredSince === undefined || e.enquiredOn >= filter.enquiredSince),
    )
    // The cursor compares by code unit: '~' (no due date) sorts after every date, as the list does.
    .sort((a, b) => (cursorOf(a) < cursorOf(b) ? -1 : cursorOf(a) > cursorOf(b) ? 1 : 0))
    .filter(page.cursor === undefined ? () => true : afterCursor(page.cursor));
  const shown = entries.slice(0, size);
  return { on: filter.on, households: shown, next: entries.length > size ? cursorOf(shown.at(-1)!) : null };
}

export interface CaseloadMetric {
  on: IsoDate;
  enquiries: number;
  byState: Partial<Record<FollowUpState, number>>;
  closedByReason: Partial<Record<ClosureReason, number>>;
  /** Households still the team's to work at D (follow-up rules 2–7). */
  open: number;
  overdue: number;
  /** Households whose next action falls due on D itself. */
  dueToday: number;
  byNextAction: Record<NextAction, { households: number; overdue: number; dueToday: number }>;
}

export interface EnquiryWindow {
  on: IsoDate;
  from?: IsoDate;
  to?: IsoDate;
  campaignId?: string;
}

/** The enquiries of the window (without `from`, every one up to D: the query bounds it) of the campaign, each under its state at D. */
function enquiriesIn(households: readonly HouseholdState[], window: EnquiryWindow): HouseholdState[] {
  const to = window.to !== undefined && window.to < window.on ? window.to : window.on;
  return households.filter((h) => {
    const on = enquiredOn(h);
    return (
      on !== undefined &&
      on <= to &&
      (window.from === undefined || on >= window.from) &&
      (window.campaignId === undefined || h.enquiry?.campaignId === window.campaignId)
    );
  });
}

export function caseloadMetric(
  households: readonly HouseholdState[],
  window: EnquiryWindow,
  targetsOf: TargetsOf = defaultTargets,
): CaseloadMetric {
  const metric: CaseloadMetric = {
    on: window.on,
    enquiries: 0,
    byState: {},
    closedByReason: {},
    open: 0,
    overdue: 0,
    dueToday: 0,
    byNextAction: Object.fromEntries(
      nextActions.map((a) => [a, { households: 0, overdue: 0, dueToday: 0 }]),
    ) as CaseloadMetric['byNextAction'],
  };
  for (const household of enquiriesIn(households, window)) {
    const followUp = followUpOn(household, window.on, targetsOf(household.agencyId));
    metric.enquiries++;
    metric.byState[followUp.state] = (metric.byState[followUp.state] ?? 0) + 1;
    if (followUp.closedReason) metric.closedByReason[followUp.closedReason] = (metric.closedByReason[followUp.closedReason] ?? 0) + 1;
    if (isOpen(followUp.state)) metric.open++;
    if (followUp.overdue) metric.overdue++;
    const dueToday = followUp.dueOn === window.on;
    if (dueToday) metric.dueToday++;
    if (followUp.nextAction) {
      metric.byNextAction[followUp.nextAction].households++;
      if (followUp.overdue) metric.byNextAction[followUp.nextAction].overdue++;
      if (dueToday) metric.byNextAction[followUp.nextAction].dueToday++;
    }
  }
  return metric;
}

export interface TimelinessFigure {
  households: number;
  withinTarget: number;
  rate: number | null;
}
export interface Timeliness {
  from: IsoDate;
  to: IsoDate;
  firstResponse: TimelinessFigure & { medianWorkingDays: number | null };
  initialVisit: TimelinessFigure & { medianWorkingDays: number | null };
  approval: TimelinessFigure & { medianDays: number | null };
}

const figure = (within: boolean[]): TimelinessFigure => {
  const withinTarget = within.filter(Boolean).length;
  return { households: within.length, withinTarget, rate: ratio(withinTarget, within.length, 4) };
};

/**
 * Timeliness, as known now. First responses and visits: of the households that enquired in
 * [from, to], those with a response (or a visit date recorded), working days after the enquiry date.
 * Approvals dated in [from, to] with their assessment date recorded, calendar days.
 */
export function timeliness(
  households: readonly HouseholdState[],
  window: { from: IsoDate; to: IsoDate },
  targetsOf: TargetsOf = defaultTargets,
): Timeliness {
  const responses: Array<{ days: number; within: boolean }> = [];
  const visits: Array<{ days: number; within: boolean }> = [];
  const approvals: Array<{ days: number; within: boolean }> = [];
  const inWindow = (date: IsoDate | undefined) => date !== undefined && date >= window.from && date <= window.to;
  for (const household of households) {
    const targets = targetsOf(household.agencyId);
    const enquired = enquiredOn(household);
    if (enquired !== undefined && inWindow(enquired)) {
      const responded = firstResponseOn(household);
      if (responded !== undefined) {
        responses.push({ days: workingDaysAfter(enquired, responded), within: responded <= firstResponseDueOn(household, targets)! });
      }
      if (household.initialVisitAt !== undefined) {
        const visited = dateOf(household.initialVisitAt);
        visits.push({
          days: workingDaysAfter(enquired, visited),
          within: visited <= addWorkingDays(enquired, targets.initialVisitWorkingDays),
        });
      }
    }
    if (household.approvedAt !== undefined && inWindow(dateOf(household.approvedAt)) && household.assessmentAt !== undefined) {
      const days = daysBetween(household.assessmentAt, household.approvedAt);
      approvals.push({ days, within: days <= targets.applicationToApprovalDays });
    }
  }
  return {
    from: window.from,
    to: window.to,
    firstResponse: { ...figure(responses.map((r) => r.within)), medianWorkingDays: median(responses.map((r) => r.days)) },
    initialVisit: { ...figure(visits.map((v) => v.within)), medianWorkingDays: median(visits.map((v) => v.days)) },
    approval: { ...figure(approvals.map((a) => a.within)), medianDays: median(approvals.map((a) => a.days)) },
  };
}
