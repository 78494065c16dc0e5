// Refer a friend (the report's §2.7): when a household that enquired through a carer's referral is
// approved, the referrer is due a reward — once, whatever the number of deliveries.
import type { DomainEventOf } from '../events/catalogue';
import type { HouseholdState } from './household';

/** £300 of high-street vouchers, as in the 2019 scheme; per-agency settings may override it later. */
export const DEFAULT_REFERRAL_REWARD_PENCE = 30_000;

export function referralRewardFor(
  state: HouseholdState,
  amountPence = DEFAULT_REFERRAL_REWARD_PENCE,
): DomainEventOf<'ReferralRewardDue'> | undefined {
  const referrer = state.enquiry?.referredByHouseholdId;
  if (state.referralRewardEventId === undefined || referrer === undefined || state.approvedAt === undefined) return undefined;
  return {
    detailType: 'ReferralRewardDue',
    detail: {
      eventId: state.referralRewardEventId,
      agencyId: state.agencyId,
      occurredAt: state.approvedAt,
      referrerHouseholdId: referrer,
      referredHouseholdId: state.householdId,
      amountPence,
    },
  };
}
