// Referral on between agencies (EnquiryReferredOn): what the receiving agency is given.
import type { HouseholdState, ReferralIn } from './household';

/** What the receiving agency gets of a referred household: its attribution and stages so far. */
export function referralSnapshot(state: HouseholdState): ReferralIn | undefined {
  if (!state.referredOut) return undefined;
  const before = (at: string | undefined) => (at !== undefined && at <= state.referredOut!.at ? at : undefined);
  return {
    fromAgencyId: state.agencyId,
    at: state.referredOut.at,
    eventId: `referral-${state.agencyId}-${state.householdId}`,
    enquiry: state.enquiry,
    initialVisitAt: before(state.initialVisitAt),
    assessmentAt: before(state.assessmentAt),
    prospectiveBeds: before(state.assessmentAt) ? state.prospectiveBeds : undefined,
  };
}
