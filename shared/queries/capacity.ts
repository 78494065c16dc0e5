// Reads what capacity, beds on hold and sufficiency need for one agency (or each agency of a region)
// at a date, and nothing more (docs/benchmark.md, access patterns).
import * as z from 'zod';
import { CalendarDate } from '../events/catalogue';
import { endOfDay, financialYearOf, monthlyPointsEndingOn, todayUtc, type IsoDate } from '../domain/calendar';
import { bedsOnHold, capacity } from '../domain/capacity';
import type { CarerRecord } from '../domain/household';
import { sufficiency, TREND_MONTHS } from '../domain/sufficiency';
import { forecastPipeline } from '../domain/resignation-forecast';
import { carersByIndex, withHistory } from '../store/households';
import { type ReadTally } from '../store/query-pages';
import { childrenInCareSnapshots } from '../store/agency-ledger';
import { forecastOutcomes, sufficiencyHouseholds } from './forecast';
import { conversionCountsIn, householdsIn, perAgency, regionParameter, type ScopeOrAgency } from './scope';
import type { ScopeSettings } from './agency-settings';
import { OPEN_END } from '../store/tables';

export const AtDateQuerySchema = z.strictObject({
  at: CalendarDate.optional().describe('the date asked about (UTC); default today'),
  ...regionParameter,
});

export const SufficiencyQuerySchema = AtDateQuerySchema.extend({
  targetInHouseShare: z.coerce
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("share of fostered children to place in house; default the agency's setting, else 0.6"),
});

export const dateOrToday = (at: IsoDate | undefined) => at ?? todayUtc();

/** Every household approved at some point from `from` on (a superset; the maths judge each exactly),
 *  with the placements and holds in force at any date from `from` to `to`. */
/** byApprovalEnd sorts every household ever approved by when its approval ended (OPEN_END while it
 *  lasts): from the end of D it holds the carers at D and those approved since, never the agency's
 *  earlier resignations. */
export async function carersApprovedSince(agencyId: string, from: IsoDate, to: IsoDate, tally?: ReadTally): Promise<CarerRecord[]> {
  const households = await carersByIndex(agencyId, { index: 'byApprovalEnd', from: endOfDay(from), to: OPEN_END }, tally);
  return withHistory(households, endOfDay(from), endOfDay(to), tally);
}

export async function capacityFor(scope: ScopeOrAgency, at: IsoDate, tally?: ReadTally) {
  return capacity(at, await householdsIn(scope, (agencyId) => carersApprovedSince(agencyId, at, at, tally)));
}

export async function bedsOnHoldFor(scope: ScopeOrAgency, at: IsoDate, tally?: ReadTally) {
  return bedsOnHold(at, await householdsIn(scope, (agencyId) => carersApprovedSince(agencyId, at, at, tally)));
}

/** The first date of the sufficiency trend: its households and snapshots are read from there. */
export function trendStart(at: IsoDate): IsoDate {
  return monthlyPointsEndingOn(at, TREND_MONTHS)[0]!;
}

/**
 * Sufficiency at D: the households of the 12-month trend (approved at some point since its first
 * month end) and of the pipeline, read once (sufficiencyHouseholds), the outcomes behind the
 * pipeline's conversion rate, and the children-in-care counts of the trend's months plus the one in
 * force when it starts.
 */
export async function sufficiencyFor(scope: ScopeOrAgency, at: IsoDate, settings: ScopeSettings, tally?: ReadTally) {
  const from = trendStart(at);
  const financialYear = financialYearOf(at);
  const [households, outcomes, snapshots] = await Promise.all([
    householdsIn(scope, (agencyId) => sufficiencyHouseholds(agencyId, from, at, tally)),
    conversionCountsIn(scope, (agencyId) => forecastOutcomes(agencyId, financialYear, at, tally)),
    perAgency(scope, (agencyId) => childrenInCareSnapshots(agencyId, endOfDay(from), endOfDay(at), tally)),
  ]);
  const pipeline = forecastPipeline({ financialYear, asOf: at, ...settings, households, outcomes });
  return sufficiency({
    at,
    targetInHouseShare: settings.targetInHouseShare,
    households,
    pipeline,
    snapshots: snapshots.map((s) => ({ ...s, occurredAt: new Date(s.occurredAt).toISOString() })),
  });
}
