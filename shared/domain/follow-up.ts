// The recruitment team's working day (docs/rules.md): a household's follow-up state at a date, its next
// action and when it is due, and its first response. Pure: no AWS in here.
import type { ClosureReason } from '../events/vocabulary';
import { followUpOutcomes, respondedOutcomes } from '../events/vocabulary';
import type { TimescaleTargets } from './agency-settings';
import { addDays, dateOf, endOfDay, type IsoDate } from './calendar';
import { closureAt, type ContactAttempt, type HouseholdState, type Stage } from './household';
import { addWorkingDays } from './working-days';

export const followUpStates = [
  'approved',
  'closed',
  'referred_on',
  'in_assessment',
  'callback_requested',
  'not_ready_yet',
  'visited',
  'awaiting_first_response',
  'no_response_yet',
  'in_contact',
] as const;
export type FollowUpState = (typeof followUpStates)[number];
/** States of rules 2–7: the household is still the recruitment team's to work. */
export const openFollowUpStates = followUpStates.slice(3) as readonly FollowUpState[];

export const nextActions = ['first_response', 'initial_visit', 'follow_up', 'decision'] as const;
export type NextAction = (typeof nextActions)[number];

/** Contact attempts of a state stored before they were folded count as none. */
export const attemptsOf = (state: HouseholdState): readonly ContactAttempt[] => state.contactAttempts ?? [];

/** Stages reached by the end of an instant, cumulative. */
function reachedBy(state: HouseholdState, instant: string) {
  const by = (at: string | undefined) => at !== undefined && at <= instant;
  const approved = by(state.approvedAt);
  const assessment = approved || by(state.assessmentAt);
  const initialVisit = assessment || by(state.initialVisitAt);
  return { approved, assessment, initialVisit };
}

/** The furthest stage reached by the end of D. */
export function stageOn(state: HouseholdState, date: IsoDate): Stage {
  const reached = reachedBy(state, endOfDay(date));
  return reached.approved ? 'approved' : reached.assessment ? 'assessment' : reached.initialVisit ? 'initialVisit' : 'enquiry';
}

/** The day the household first came to the agency: its enquiry, else the earliest stage known. */
export function enquiredOn(state: HouseholdState): IsoDate | undefined {
  const at =
    state.enquiry?.at ?? [state.initialVisitAt, state.assessmentAt, state.approvedAt].filter((a): a is string => a !== undefined).sort()[0];
  return at === undefined ? undefined : dateOf(at);
}

export interface FollowUp {
  state: FollowUpState;
  /** Set for `closed`: the reason of the closure in force. */
  closedReason?: ClosureReason;
  nextAction: NextAction | null;
  dueOn: IsoDate | null;
  overdue: boolean;
  attempts: number;
  lastContactOn: IsoDate | null;
}

/** The follow-up state: the first rule that applies, over the events before D+1. */
export function followUpOn(state: HouseholdState, date: IsoDate, targets: TimescaleTargets): FollowUp {
  const instant = endOfDay(date);
  const reached = reachedBy(state, instant);
  const attempts = attemptsOf(state).filter((a) => a.at <= instant);
  const latest = attempts.at(-1);
  const closure = closureAt(state, instant);
  const enquired = enquiredOn(state);

  let followUp: FollowUpState;
  if (reached.approved) followUp = 'approved';
  else if (closure) followUp = closure.reason === 'referred_elsewhere' && state.referredOut ? 'referred_on' : 'closed';
  else if (reached.assessment) followUp = 'in_assessment';
  else if (latest && (followUpOutcomes as readonly string[]).includes(latest.outcome)) followUp = latest.outcome as FollowUpState;
  else if (reached.initialVisit) followUp = 'visited';
  else if (attempts.length === 0) followUp = 'awaiting_first_response';
  else if (!attempts.some((a) => (respondedOutcomes as readonly string[]).includes(a.outcome))) followUp = 'no_response_yet';
  else followUp = 'in_contact';

  const due = dueOf(state, followUp, latest, enquired, targets);
  return {
    state: followUp,
    ...(followUp === 'closed' && closure ? { closedReason: closure.reason } : {}),
    nextAction: due?.action ?? null,
    dueOn: due?.on ?? null,
    overdue: due !== undefined && due.on < date,
    attempts: attempts.length,
    lastContactOn: latest ? dateOf(latest.at) : null,
  };
}

function dueOf(
  state: HouseholdState,
  followUp: FollowUpState,
  latest: ContactAttempt | undefined,
  enquired: IsoDate | undefined,
  targets: TimescaleTargets,
): { action: NextAction; on: IsoDate } | undefined {
  switch (followUp) {
    case 'awaiting_first_response':
      return enquired ? { action: 'first_response', on: addWorkingDays(enquired, targets.firstResponseWorkingDays) } : undefined;
    case 'no_response_yet':
    case 'in_contact':
      return enquired ? { action: 'initial_visit', on: addWorkingDays(enquired, targets.initialVisitWorkingDays) } : undefined;
    case 'callback_requested':
    case 'not_ready_yet':
      return latest?.followUpOn ? { action: 'follow_up', on: latest.followUpOn } : undefined;
    case 'in_assessment':
      return state.assessmentAt
        ? { action: 'decision', on: addDays(dateOf(state.assessmentAt), targets.applicationToApprovalDays) }
        : undefined;
    default:
      return undefined;
  }
}

/** The date of the household's first response: its earliest contact attempt or stage event. */
export function firstResponseOn(state: HouseholdState): IsoDate | undefined {
  const dates = [...attemptsOf(state).map((a) => a.at), state.initialVisitAt, state.assessmentAt, state.approvedAt]
    .filter((a): a is string => a !== undefined)
    .sort();
  return dates[0] === undefined ? undefined : dateOf(dates[0]);
}

/** When the first response was due: the enquiry date + firstResponseWorkingDays working days. */
export function firstResponseDueOn(state: HouseholdState, targets: TimescaleTargets): IsoDate | undefined {
  const enquired = enquiredOn(state);
  return enquired === undefined ? undefined : addWorkingDays(enquired, targets.firstResponseWorkingDays);
}
