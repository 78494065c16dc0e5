// Reads what SPEC §5.1 needs for one agency and window, and nothing more: the households that
// enquired or reached a stage in the window or the same window a year earlier, those whose
// assessment was still running at either `to`, and the spend in the window.
import * as z from 'zod';
import { addYears, endOfDay, startOfDay } from '../domain/calendar';
import { campaignConversion, type CampaignConversion, type ConversionQuery } from '../domain/campaign-conversion';
import { householdsByIndexes } from '../store/households';
import { type ReadTally } from '../store/query-pages';
import { spendBetween } from '../store/campaigns';
import { OPEN_END, type HouseholdIndexName } from '../store/tables';
import { CalendarDate, checkWindow, Identifier } from '../events/catalogue';
import { householdsIn, perAgency, regionParameter, type ScopeOrAgency } from './scope';

export const ConversionQuerySchema = z
  .strictObject({
    from: CalendarDate,
    to: CalendarDate,
    campaignId: Identifier.optional(),
    groupBy: z.enum(['channel', 'campaign']).optional(),
    ...regionParameter,
  })
  .superRefine(checkWindow);

const stageIndexes: HouseholdIndexName[] = ['byEnquiredAt', 'byInitialVisitAt', 'byAssessmentAt', 'byApprovedAt'];

export async function campaignConversionFor(scope: ScopeOrAgency, query: ConversionQuery, tally?: ReadTally): Promise<CampaignConversion> {
  const windows = [query, { from: addYears(query.from, -1), to: addYears(query.to, -1) }];
  const [households, spend] = await Promise.all([
    householdsIn(scope, (agencyId) =>
      householdsByIndexes(
        agencyId,
        [
          ...windows.flatMap((w) => stageIndexes.map((index) => ({ index, from: startOfDay(w.from), to: endOfDay(w.to) }))),
          // Assessments that had not ended by the earlier `to` include every one running at the later.
          { index: 'byAssessmentEnd', from: endOfDay(windows[1]!.to), to: OPEN_END },
        ],
        tally,
      ),
    ),
    // A regional campaign's spend is recorded once, by the agency that paid: summing agencies counts it once.
    perAgency(scope, (agencyId) => spendBetween(agencyId, query.from, query.to, tally)),
  ]);
  return campaignConversion(query, households, spend);
}
