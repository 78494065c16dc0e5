// What `GET /households/{id}` shows: the household's state and its timeline, in the service's words.
import type { HouseholdEvent } from '../events/catalogue';
import { compareEvents, currentClosure, furthestStage, statusOf, toUtcInstant, type HouseholdState } from './household';
import { defaultTimescaleTargets, type TimescaleTargets } from './agency-settings';
import { attemptsOf, followUpOn } from './follow-up';
import { todayUtc } from './calendar';

export function householdView(
  state: HouseholdState,
  events: readonly HouseholdEvent[],
  targets: TimescaleTargets = defaultTimescaleTargets,
  today = todayUtc(),
  /** The stored households it is marked a possible duplicate of, for their references. */
  earlier: readonly Pick<HouseholdState, 'householdId' | 'enquiry'>[] = [],
) {
  const closure = currentClosure(state);
  const { closedReason: _reason, ...followUp } = followUpOn(state, today, targets);
  return {
    householdId: state.householdId,
    reference: state.enquiry?.reference ?? null,
    agencyId: state.agencyId,
    status: statusOf(state),
    stage: furthestStage(state) ?? null,
    enquiry: state.enquiry ?? null,
    stages: {
      enquiryAt: state.enquiry?.at ?? null,
      initialVisitAt: state.initialVisitAt ?? null,
      assessmentAt: state.assessmentAt ?? null,
      approvedAt: state.approvedAt ?? null,
    },
    prospectiveBeds: state.prospectiveBeds ?? null,
    approval: state.approval ?? null,
    closure: closure ?? null,
    referredOut: state.referredOut ?? null,
    referredIn: state.referredIn ?? null,
    // The households of the agency whose email or phone its enquiry matched, until the mark is cleared.
    possibleDuplicateOf: (state.possibleDuplicateOf ?? []).map((householdId) => ({
      householdId,
      reference: earlier.find((h) => h.householdId === householdId)?.enquiry?.reference ?? null,
    })),
    resignation: state.resignation ?? null,
    // The recruitment team's view today: where the household stands and what is next.
    followUp: { on: today, ...followUp },
    contactAttempts: attemptsOf(state),
    milestones: state.milestones ?? [],
    // As an approved carer: every term, placement, hold and risk flag with its dates.
    approvalTerms: state.approvalTerms,
    placements: state.placements,
    holds: state.holds,
    riskFlags: state.riskFlags,
    // Every step as recorded; one a correction took back is still shown, marked `corrected`.
    timeline: [...events].sort(compareEvents).map(({ detailType, detail }) => {
      const { eventId, agencyId: _agency, householdId: _household, occurredAt, ...fields } = detail;
      const corrected = state.correctedEventIds?.includes(eventId) ?? false;
      return { eventId, type: detailType, occurredAt: toUtcInstant(occurredAt), ...fields, ...(corrected ? { corrected } : {}) };
    }),
  };
}

export type HouseholdView = ReturnType<typeof householdView>;

/** The record without the sensitive facts: the same, less the reasons. */
export type HouseholdViewWithoutReasons = Omit<HouseholdView, 'holds' | 'riskFlags' | 'resignation'> & {
  holds: Array<Omit<HouseholdView['holds'][number], 'reason'>>;
  riskFlags: Array<Omit<HouseholdView['riskFlags'][number], 'reason'>>;
  resignation: Omit<NonNullable<HouseholdView['resignation']>, 'reason'> | null;
};

/** The steps whose reason is a sensitive fact about a carer: why beds were held, why a carer may resign or did. */
const sensitiveSteps: ReadonlySet<string> = new Set(['HoldStarted', 'ResignationRiskFlagged', 'HouseholdResigned']);

/**
 * The record as anyone but the agency's managers sees it (docs/security.md, sensitive facts): the
 * holds, risk flags and resignation with their dates and beds, without their reasons, here and in
 * the timeline.
 */
export function withoutSensitiveFacts(view: HouseholdView): HouseholdViewWithoutReasons {
  const { reason: _resignationReason, ...resignation } = view.resignation ?? { reason: undefined };
  return {
    ...view,
    holds: view.holds.map(({ reason: _reason, ...hold }) => hold),
    riskFlags: view.riskFlags.map(({ reason: _reason, ...flag }) => flag),
    resignation: view.resignation ? (resignation as Omit<NonNullable<HouseholdView['resignation']>, 'reason'>) : null,
    timeline: view.timeline.map((entry) => {
      if (!sensitiveSteps.has(entry.type)) return entry;
      const { reason: _reason, ...rest } = entry as typeof entry & { reason?: unknown };
      return rest as typeof entry;
    }),
  };
}
