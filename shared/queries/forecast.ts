// Reads what the resignation forecast and pipeline need for one agency, financial year and date A,
// each bounded by the year or window asked about (docs/benchmark.md, access patterns).
import * as z from 'zod';
import { CalendarDate } from '../events/catalogue';
import { addDays, endOfDay, financialYearBounds, financialYearOf, startOfDay, todayUtc, type IsoDate } from '../domain/calendar';
import type { ForecastRecord } from '../domain/household';
import { CONVERSION_WINDOW_DAYS, forecastDate, resignationForecast, type ApplicationOutcome } from '../domain/resignation-forecast';
import { applicationOutcomesBetween } from '../store/conversion-counts';
import { carersAndApplicationsByIndexes, withHistory, withHistoryUpTo } from '../store/households';
import { type ReadTally } from '../store/query-pages';
import { OPEN_END } from '../store/tables';
import { conversionCountsIn, householdsIn, regionParameter, scopeOf, type ScopeOrAgency } from './scope';
import type { ScopeSettings } from './agency-settings';

/** The forecast records of a superset of the households the forecast of `financialYear` as of `asOf` judges. */
export async function forecastHouseholds(
  agencyId: string,
  financialYear: number,
  asOf: IsoDate,
  tally?: ReadTally,
): Promise<ForecastRecord[]> {
  const A = forecastDate(financialYear, asOf);
  const households = await carersAndApplicationsByIndexes(
    agencyId,
    // From the start of 1 April: one approved and resigned that day is among the approvals to date.
    { index: 'byApprovalEnd', from: startOfDay(financialYearBounds(financialYear).start), to: OPEN_END },
    { index: 'byAssessmentEnd', from: startOfDay(A), to: OPEN_END },
    { withReference: true },
    tally,
  );
  // Placed at A, or idle since the last placement ended before it: the state item answers that for
  // an A it keeps (it keeps the last placement ended); an earlier A adds the year items up to A's.
  return withHistoryUpTo(households, endOfDay(A), tally);
}

/**
 * What sufficiency at `at` reads of households, once for both its parts: the carers of its 12-month
 * trend (approved at some point since `trendFrom`) and the pipeline's (approved since 1 April, in
 * assessment at `at`), with the placements and holds of [trendFrom, at]: the applications running
 * at `at` as forecast records, the other carers as carer records with their risk flags
 * (carersAndApplicationsByIndexes; sufficiency lists no household at risk, so no reference). The
 * pipeline reads no placements, so the trend's history serves it too.
 */
export async function sufficiencyHouseholds(
  agencyId: string,
  trendFrom: IsoDate,
  at: IsoDate,
  tally?: ReadTally,
): Promise<ForecastRecord[]> {
  const yearStart = financialYearBounds(financialYearOf(at)).start;
  const households = await carersAndApplicationsByIndexes(
    agencyId,
    { index: 'byApprovalEnd', from: startOfDay(trendFrom < yearStart ? trendFrom : yearStart), to: OPEN_END },
    { index: 'byAssessmentEnd', from: startOfDay(at), to: OPEN_END },
    { withReference: false },
    tally,
  );
  return withHistory(households, endOfDay(trendFrom), endOfDay(at), tally);
}

/** The application outcomes behind the conversion rate q of `financialYear` as of `asOf` (its 730 days, in months). */
export function forecastOutcomes(agencyId: string, financialYear: number, asOf: IsoDate, tally?: ReadTally): Promise<ApplicationOutcome[]> {
  const A = forecastDate(financialYear, asOf);
  return applicationOutcomesBetween(agencyId, addDays(A, -CONVERSION_WINDOW_DAYS + 1), A, tally);
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
  const [households, outcomes] = await Promise.all([
    householdsIn(scope, (agencyId) => forecastHouseholds(agencyId, financialYear, asOf, tally)),
    conversionCountsIn(scope, (agencyId) => forecastOutcomes(agencyId, financialYear, asOf, tally)),
  ]);
  const forecast = resignationForecast({ financialYear, asOf, ...settings, households, outcomes });
  // A regional reader never sees a household: the at-risk list keeps its figures, not its ids.
  if (scopeOf(scope).kind === 'region')
    return { ...forecast, atRisk: forecast.atRisk.map(({ householdId: _id, reference: _reference, ...idle }) => idle) };
  return forecast;
}
