// What `GET /households/{id}` shows: the household's state and its timeline, in the service's words.
import type { HouseholdEvent } from '../events/catalogue';
import { compareEvents, currentClosure, furthestStage, statusOf, toUtcInstant, type HouseholdState } from './household';

export function householdView(state: HouseholdState, events: readonly HouseholdEvent[]) {
  const closure = currentClosure(state);
  return {
    householdId: state.householdId,
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
    resignation: state.resignation ?? null,
    // As an approved carer: every term, placement, hold and risk flag with its dates.
    approvalTerms: state.approvalTerms,
    placements: state.placements,
    holds: state.holds,
    riskFlags: state.riskFlags,
    timeline: [...events].sort(compareEvents).map(({ detailType, detail }) => {
      const { eventId, agencyId: _agency, householdId: _household, occurredAt, ...fields } = detail;
      return { eventId, type: detailType, occurredAt: toUtcInstant(occurredAt), ...fields };
    }),
  };
}
