// What `GET /referral-rewards?from&to` reads: the refer-a-friend rewards that fell due in
// the window, so the vouchers can be issued.
import * as z from 'zod';
import { endOfDay, startOfDay } from '../domain/calendar';
import { CalendarDate, checkWindow } from '../events/catalogue';
import { referralRewardView } from '../domain/referral-reward';
import { referralRewardsDue } from '../store/agency-ledger';

// The catalogue's bounds: dates 1970–2100, windows in order and at most ten years.
export const ReferralRewardsQuerySchema = z
  .strictObject({
    from: CalendarDate.describe('the first day (UTC) whose rewards are listed'),
    to: CalendarDate.describe('the last day (UTC) whose rewards are listed'),
  })
  .superRefine(checkWindow);
export type ReferralRewardsQuery = z.infer<typeof ReferralRewardsQuerySchema>;

export async function referralRewardsFor(agencyId: string, query: ReferralRewardsQuery) {
  const rewards = await referralRewardsDue(agencyId, startOfDay(query.from), endOfDay(query.to));
  return { from: query.from, to: query.to, rewards: rewards.map(referralRewardView) };
}
