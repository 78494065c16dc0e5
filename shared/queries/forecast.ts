// Reads what the SPEC §5.4 forecast and pipeline need for one agency, financial year and date A.
//
// Access pattern (items read): the households approved at some point since 1 April of the year
// (byApprovalEnd from then: those approved at 1 April or at A, those resigned in the year, those
// approved since), the applications whose assessment ended in the 730 days before A (the
// conversion rate's window: its approvals and post-application closures) or had not ended by A
// (byAssessmentEnd from the window's start), and the approvals of the window (byApprovedAt, for
// an approval recorded without its assessment). Each is bounded by the year or the two-year window
// asked about, not by the agency's history; enquiries closed before an application, most of them,
// are not read (the rate does not count them). Of each, its forecast record (household.ts
// forecastRecordFields): not the contact attempts, milestones and the rest of the recruitment record.
import * as z from 'zod';
import { CalendarDate } from '../events/catalogue';
import { addDays, endOfDay, financialYearBounds, financialYearOf, startOfDay, todayUtc, type IsoDate } from '../domain/calendar';
import type { ForecastRecord } from '../domain/household';
import { CONVERSION_WINDOW_DAYS, forecastDate, resignationForecast } from '../domain/resignation-forecast';
import { forecastRecordsByIndexes, withHistoryUpTo } from '../store/households';
import { type ReadTally } from '../store/query-pages';
import { OPEN_END } from '../store/tables';
import { householdsIn, regionParameter, scopeOf, type ScopeOrAgency } from './scope';
import type { ScopeSettings } from './agency-settings';

/** The forecast records of a superset of the households the forecast of `financialYear` as of `asOf` judges. */
export async function forecastHouseholds(
  agencyId: string,
  financialYear: number,
  asOf: IsoDate,
  tally?: ReadTally,
): Promise<ForecastRecord[]> {
  const A = forecastDate(financialYear, asOf);
  const windowStart = startOfDay(addDays(A, -CONVERSION_WINDOW_DAYS + 1));
  const households = await forecastRecordsByIndexes(
    agencyId,
    [
      { index: 'byApprovalEnd', from: endOfDay(financialYearBounds(financialYear).start), to: OPEN_END },
      { index: 'byAssessmentEnd', from: windowStart, to: OPEN_END },
      { index: 'byApprovedAt', from: windowStart, to: endOfDay(A) },
    ],
    tally,
  );
  // Placed at A, or idle since the last placement ended before it: the state item answers that for
  // an A it keeps (it keeps the last placement ended); an earlier A adds the year items up to A's.
  return withHistoryUpTo(households, endOfDay(A), tally);
}

export const ForecastQuerySchema = z.strictObject({
  ...regionParameter,
  financialYear: z.coerce
    .number()
    .int()
    .min(1990)
    .max(2100)
    .optional()
    .describe('the year y of FY y (1 April y – 31 March y+1); default the current one'),
  asOf: CalendarDate.optional().describe('the date to forecast from; default today, capped to the year'),
});

export async function resignationForecastFor(
  scope: ScopeOrAgency,
  query: z.infer<typeof ForecastQuerySchema>,
  settings: ScopeSettings,
  tally?: ReadTally,
) {
  const asOf = query.asOf ?? todayUtc();
  const financialYear = query.financialYear ?? financialYearOf(asOf);
  const households = await householdsIn(scope, (agencyId) => forecastHouseholds(agencyId, financialYear, asOf, tally));
  const forecast = resignationForecast({ financialYear, asOf, ...settings, households });
  // A regional reader never sees a household (SPEC §6): the at-risk list keeps its figures, not its ids.
  if (scopeOf(scope).kind === 'region')
    return { ...forecast, atRisk: forecast.atRisk.map(({ householdId: _id, reference: _reference, ...idle }) => idle) };
  return forecast;
}
