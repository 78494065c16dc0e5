// Refer a friend (the report's §2.7): when a household that enquired through a carer's referral is
// approved, the referrer is due a reward — once, whatever the number of deliveries.
import type { DomainEventOf } from '../events/catalogue';
import type { SpendRecord } from './campaign-conversion';
import { toUtcInstant, type HouseholdState } from './household';

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

/** One reward as `GET /referral-rewards` lists it. The households' short `reference`s join
 *  their ids here once households carry one: `referrerReference`, `referredReference`. */
export function referralRewardView(reward: DomainEventOf<'ReferralRewardDue'>['detail']) {
  return {
    referrerHouseholdId: reward.referrerHouseholdId,
    referredHouseholdId: reward.referredHouseholdId,
    amountPence: reward.amountPence,
    dueOn: toUtcInstant(reward.occurredAt).slice(0, 10),
    eventId: reward.eventId,
    ...(reward.recordedBy ? { recordedBy: reward.recordedBy } : {}),
  };
}

/**
 * The rewards as spend (docs/decisions.md, refer a friend): a reward is spent on the campaign the referred
 * household enquired through, on the day it fell due, so a refer-a-friend campaign's cost per approval
 * includes its vouchers. A reward whose household named no campaign (or is unknown) is no campaign's spend.
 */
export function rewardsAsSpend(
  rewards: ReadonlyArray<DomainEventOf<'ReferralRewardDue'>['detail']>,
  referred: readonly HouseholdState[],
): SpendRecord[] {
  const campaignOf = new Map(referred.map((state) => [`${state.agencyId}|${state.householdId}`, state.enquiry?.campaignId]));
  return rewards.flatMap((reward) => {
    const campaignId = campaignOf.get(`${reward.agencyId}|${reward.referredHouseholdId}`);
    return campaignId === undefined
      ? []
      : [{ campaignId, amountPence: reward.amountPence, at: toUtcInstant(reward.occurredAt), eventId: reward.eventId }];
  });
}
