// Reads what campaign conversion needs for one agency and window, and nothing more: the conversion counts of
// the window's days and the same window's a year earlier (shared/store/conversion-counts.ts), the
// households whose assessment was still running at either `to`, and the spend in the window.
import * as z from 'zod';
import { addYears, endOfDay, startOfDay } from '../domain/calendar';
import { conversionFromCounts, type CampaignConversion, type ConversionQuery } from '../domain/campaign-conversion';
import { rewardsAsSpend } from '../domain/referral-reward';
import { referralRewardsDue } from '../store/agency-ledger';
import { getHouseholdStates, householdsByIndexes } from '../store/households';
import { type ReadTally } from '../store/query-pages';
import { spendBetween } from '../store/campaigns';
import { conversionCountsBetween } from '../store/conversion-counts';
import { OPEN_END } from '../store/tables';
import { CalendarDate, checkWindow, Identifier } from '../events/catalogue';
import { conversionCountsIn, householdsIn, perAgency, regionParameter, type ScopeOrAgency } from './scope';

export const ConversionQuerySchema = z
  .strictObject({
    from: CalendarDate,
    to: CalendarDate,
    campaignId: Identifier.optional(),
    groupBy: z.enum(['channel', 'campaign']).optional(),
    ...regionParameter,
  })
  .superRefine(checkWindow);

export async function campaignConversionFor(scope: ScopeOrAgency, query: ConversionQuery, tally?: ReadTally): Promise<CampaignConversion> {
  const windows = [query, { from: addYears(query.from, -1), to: addYears(query.to, -1) }];
  const [counts, running, spend] = await Promise.all([
    conversionCountsIn(scope, (agencyId) => conversionCountsBetween(agencyId, windows, tally)),
    // Assessments that had not ended by the earlier `to` include every one running at the later.
    householdsIn(scope, (agencyId) =>
      householdsByIndexes(agencyId, [{ index: 'byAssessmentEnd', from: endOfDay(windows[1]!.to), to: OPEN_END }], tally),
    ),
    // A regional campaign's spend is recorded once, by the agency that paid: summing agencies counts it once.
    // The refer-a-friend rewards due in the window count as their campaign's spend (rewardsAsSpend).
    perAgency(scope, async (agencyId) => {
      const [recorded, rewards] = await Promise.all([
        spendBetween(agencyId, query.from, query.to, tally),
        referralRewardsDue(agencyId, startOfDay(query.from), endOfDay(query.to), tally),
      ]);
      const referred = await getHouseholdStates(
        agencyId,
        rewards.map((reward) => reward.referredHouseholdId),
        tally,
      );
      return [...recorded, ...rewardsAsSpend(rewards, referred)];
    }),
  ]);
  return conversionFromCounts(query, counts, running, spend);
}
