// Which commands a household's state allows (the API answers 404 or 409 with the reason).
// Events from other systems are not checked here: the bus takes facts, the API takes requests.
import type { DomainEventOf, HouseholdEvent } from '../events/catalogue';
import {
  activePlacementsAt,
  activeRiskFlagsAt,
  approvalTermsAt,
  currentClosure,
  statusOf,
  toUtcInstant,
  type HouseholdState,
} from './household';

export type CommandVerdict = { allowed: true } | { allowed: false; status: 404 | 409; code: string; message: string };

const allowed: CommandVerdict = { allowed: true };
const conflict = (code: string, message: string): CommandVerdict => ({ allowed: false, status: 409, code, message });
const notFound = (what: string): CommandVerdict => ({ allowed: false, status: 404, code: 'not_found', message: `no such ${what}` });
const day = (instant: string) => instant.slice(0, 10);

/** `events`: the household's recorded events, given where a rule needs them (a correction). */
type Rule = (state: HouseholdState, event: HouseholdEvent, at: string, events: readonly HouseholdEvent[]) => CommandVerdict;

/** Moving a household through recruitment: closed, approved or resigned households refuse it. */
const recruitmentStep: Rule = (state) => {
  const closure = currentClosure(state);
  if (state.approvedAt !== undefined) return conflict('household_approved', `the household was approved on ${day(state.approvedAt)}`);
  if (closure) return conflict('household_closed', `the household's enquiry was closed (${closure.reason}) on ${day(closure.at)}`);
  return allowed;
};

/** Managing an approved carer: the household must have been approved by the event's date. */
const approvedCarer: Rule = (state, _event, at) => {
  if (state.approvedAt === undefined) return conflict('household_not_approved', 'the household is not an approved fostering household');
  if (at < state.approvedAt) return conflict('before_approval', `the household was approved on ${day(state.approvedAt)}, after this date`);
  return allowed;
};

/** The instants from `at` on at which a household's placements or approval terms change: between
 *  two of them, what is placed and what is approved stay the same. */
function changePointsFrom(state: HouseholdState, at: string): string[] {
  const later = [...state.placements.map((p) => p.startedAt), ...state.approvalTerms.map((t) => t.at)].filter(
    (instant): instant is string => instant !== undefined && instant > at,
  );
  return [at, ...new Set(later)].sort();
}

/** Ending something that was started: 404 when it never was, 409 when it already ended or would end before it began. */
const ending = (what: string, span: { startedAt?: string; endedAt?: string } | undefined, at: string): CommandVerdict => {
  if (span?.startedAt === undefined) return notFound(`${what} on this household`);
  if (span.endedAt !== undefined) return conflict(`${what}_ended`, `the ${what} already ended on ${day(span.endedAt)}`);
  if (at < span.startedAt) return conflict('ends_before_start', `the ${what} started on ${day(span.startedAt)}, after this date`);
  return allowed;
};

const rules: { [T in HouseholdEvent['detailType']]?: Rule[] } = {
  InitialVisitCompleted: [recruitmentStep],
  AssessmentStarted: [recruitmentStep],
  HouseholdApproved: [recruitmentStep],
  EnquiryClosed: [
    recruitmentStep,
    // Closed as a duplicate only when the enquiry matched another household: it then leaves every figure.
    (state, event) =>
      (event as DomainEventOf<'EnquiryClosed'>).detail.reason !== 'duplicate' || state.possibleDuplicateOf
        ? allowed
        : conflict('not_a_possible_duplicate', 'the household matches no other household: close it with another reason'),
  ],
  EnquiryReferredOn: [recruitmentStep],
  ContactAttempted: [recruitmentStep],
  // Milestones belong to an assessment: the household must have applied by the milestone's date.
  AssessmentMilestoneRecorded: [
    recruitmentStep,
    (state, _event, at) =>
      state.assessmentAt !== undefined && state.assessmentAt <= at
        ? allowed
        : conflict(
            'assessment_not_started',
            state.assessmentAt === undefined
              ? 'the household has not applied: record its assessment first'
              : `the assessment started on ${day(state.assessmentAt)}, after this date`,
          ),
  ],
  ApprovalChanged: [approvedCarer],
  PlacementStarted: [
    approvedCarer,
    (state, event, at) => {
      const { placementId } = event.detail as { placementId: string };
      if (state.placements.some((p) => p.placementId === placementId))
        return conflict('placement_exists', `placement ${placementId} is already recorded`);
      // Placing beyond the approval needs the approval changed first (409). The new
      // placement runs from its start on, so it is checked at every date from then: a back-dated one
      // must not overfill a later date when other placements started or the approval changed.
      for (const instant of changePointsFrom(state, at)) {
        const approvedBeds = approvalTermsAt(state, instant)?.approvedBeds ?? 0;
        const placed = activePlacementsAt(state, instant).length;
        if (placed + 1 > approvedBeds) {
          return conflict(
            'beyond_approved_beds',
            `${placed} of ${approvedBeds} approved beds are filled on ${day(instant)}: change the approval first`,
          );
        }
      }
      return allowed;
    },
  ],
  PlacementEnded: [
    (state, event, at) =>
      ending(
        'placement',
        state.placements.find((p) => p.placementId === (event.detail as { placementId: string }).placementId),
        at,
      ),
  ],
  HoldStarted: [
    approvedCarer,
    (state, event) => {
      const { holdId } = event.detail as { holdId: string };
      return state.holds.some((h) => h.holdId === holdId) ? conflict('hold_exists', `hold ${holdId} is already recorded`) : allowed;
    },
  ],
  HoldEnded: [
    (state, event, at) =>
      ending(
        'hold',
        state.holds.find((h) => h.holdId === (event.detail as { holdId: string }).holdId),
        at,
      ),
  ],
  ResignationRiskFlagged: [approvedCarer],
  ResignationRiskCleared: [
    approvedCarer,
    (state, _event, at) =>
      activeRiskFlagsAt(state, at).length > 0 ? allowed : conflict('no_risk_flag', 'the household has no resignation risk flagged'),
  ],
  HouseholdResigned: [approvedCarer],
  PossibleDuplicateCleared: [
    recruitmentStep,
    (state) =>
      state.possibleDuplicateOf ? allowed : conflict('not_a_possible_duplicate', 'the household is not marked as a possible duplicate'),
  ],
  StepCorrected: [(state, event, at, events) => correctable(state, event as DomainEventOf<'StepCorrected'>, at, events)],
};

/** Steps a correction cannot take back: the enquiry (close it, as a duplicate if it is one), a
 *  referral (the other agency has the household), and a correction itself. */
const uncorrectable: ReadonlySet<HouseholdEvent['detailType']> = new Set(['EnquiryReceived', 'EnquiryReferredOn', 'StepCorrected']);
/** What depends on a step: correct these first (an approval's placements, a placement's end…). */
const dependsOn = (step: HouseholdEvent, later: HouseholdEvent): boolean => {
  const id = (e: HouseholdEvent) => e.detail as { placementId?: string; holdId?: string };
  switch (step.detailType) {
    case 'HouseholdApproved':
      return ['ApprovalChanged', 'PlacementStarted', 'HoldStarted', 'ResignationRiskFlagged', 'HouseholdResigned'].includes(
        later.detailType,
      );
    case 'AssessmentStarted':
      return later.detailType === 'AssessmentMilestoneRecorded' || later.detailType === 'HouseholdApproved';
    case 'PlacementStarted':
      return later.detailType === 'PlacementEnded' && id(later).placementId === id(step).placementId;
    case 'HoldStarted':
      return later.detailType === 'HoldEnded' && id(later).holdId === id(step).holdId;
    default:
      return false;
  }
};

function correctable(
  state: HouseholdState,
  event: DomainEventOf<'StepCorrected'>,
  at: string,
  events: readonly HouseholdEvent[],
): CommandVerdict {
  const { correctedEventId } = event.detail;
  const step = events.find((e) => e.detail.eventId === correctedEventId);
  if (!step) return notFound('step with this eventId on this household');
  if (uncorrectable.has(step.detailType)) return conflict('not_correctable', `a ${step.detailType} step cannot be corrected`);
  const corrected = new Set(state.correctedEventIds ?? []);
  if (corrected.has(correctedEventId)) return conflict('already_corrected', 'this step was already corrected');
  if (at < toUtcInstant(step.detail.occurredAt))
    return conflict('before_step', `the step was recorded for ${day(step.detail.occurredAt)}, after this date`);
  const dependent = events.find((e) => !corrected.has(e.detail.eventId) && dependsOn(step, e));
  if (dependent)
    return conflict(
      'later_steps_depend',
      `correct the ${dependent.detailType} step (${dependent.detail.eventId}) that depends on it first`,
    );
  return allowed;
}

/** Ending a placement or a hold is still allowed after a resignation: the record is being completed. */
const allowedAfterResignation: ReadonlySet<HouseholdEvent['detailType']> = new Set(['PlacementEnded', 'HoldEnded', 'StepCorrected']);

export function checkHouseholdCommand(
  state: HouseholdState | undefined,
  event: HouseholdEvent,
  events: readonly HouseholdEvent[] = [],
): CommandVerdict {
  if (!state) return notFound('household in this agency');
  if (statusOf(state) === 'resigned' && !allowedAfterResignation.has(event.detailType)) {
    return conflict('household_resigned', `the household resigned on ${day(state.resignation!.at)}`);
  }
  const at = toUtcInstant(event.detail.occurredAt);
  for (const rule of rules[event.detailType] ?? []) {
    const verdict = rule(state, event, at, events);
    if (!verdict.allowed) return verdict;
  }
  return allowed;
}
