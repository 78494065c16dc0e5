// What `GET /referral-rewards?from&to` reads (SPEC §4): the refer-a-friend rewards that fell due in
// the window, so the vouchers can be issued.
import * as z from 'zod';
import { addYears, endOfDay, startOfDay } from '../domain/calendar';
import { referralRewardView } from '../domain/referral-reward';
import { referralRewardsDue } from '../store/agency-ledger';

export const ReferralRewardsQuerySchema = z
  .strictObject({
    from: z.iso.date().describe('the first day (UTC) whose rewards are listed'),
    to: z.iso.date().describe('the last day (UTC) whose rewards are listed'),
  })
  .refine((q) => q.from >= '1970-01-01' && q.to <= '2100-12-31', { path: ['from'], message: 'dates lie in 1970–2100' })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => q.to <= addYears(q.from, 10), { path: ['to'], message: 'a window spans at most ten years' });
export type ReferralRewardsQuery = z.infer<typeof ReferralRewardsQuerySchema>;

export async function referralRewardsFor(agencyId: string, query: ReferralRewardsQuery) {
  const rewards = await referralRewardsDue(agencyId, startOfDay(query.from), endOfDay(query.to));
  return { from: query.from, to: query.to, rewards: rewards.map(referralRewardView) };
}
