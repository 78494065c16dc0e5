// Reads what the caseload, its counts and timeliness need, for one agency (or each agency of a region),
// and nothing more (docs/benchmark.md, access patterns).
import * as z from 'zod';
import { defaultTimescaleTargets, type TimescaleTargets } from '../domain/agency-settings';
import { addDays, addYears, endOfDay, startOfDay, todayUtc } from '../domain/calendar';
import { caseloadMetric, caseloadPage, timeliness, type TargetsOf } from '../domain/caseload';
import { nextActions, openFollowUpStates, type FollowUpState } from '../domain/follow-up';
import { CalendarDate, checkWindow, Identifier, MAX_WINDOW_YEARS } from '../events/catalogue';
import { householdsByIndexes } from '../store/households';
import type { ReadTally } from '../store/query-pages';
import { OPEN_END } from '../store/tables';
import { agencySettingsFor } from './agency-settings';
import { householdsIn, regionParameter, scopeOf, type ScopeOrAgency } from './scope';
import { agenciesIn } from '../domain/scope';

export const CaseloadQuerySchema = z.strictObject({
  on: CalendarDate.optional().describe('the date asked about (UTC); default today'),
  state: z.enum(openFollowUpStates as unknown as [FollowUpState, ...FollowUpState[]]).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  campaignId: Identifier.optional(),
  nextAction: z.enum(nextActions).optional().describe('the work to do next: first_response, initial_visit, follow_up or decision'),
  dueOn: CalendarDate.optional().describe("only what falls due on this date (today's work: the same as on)"),
  enquiredSince: CalendarDate.optional().describe('only households that enquired on or after this date (the new enquiries)'),
  cursor: z
    .string()
    .max(300)
    .regex(/^[^|]{1,10}\|\d{4}-\d{2}-\d{2}\|[A-Za-z0-9_.:-]+$/, 'a cursor from a previous page')
    .optional(),
});
export type CaseloadQuery = z.infer<typeof CaseloadQuerySchema>;

export const CaseloadCountsQuerySchema = z
  .strictObject({
    on: CalendarDate.optional().describe('the date asked about (UTC); default today'),
    from: CalendarDate.optional().describe(`first enquiry date counted; default: ${MAX_WINDOW_YEARS} years before \`to\``),
    to: CalendarDate.optional().describe('last enquiry date counted; default (and at the latest) `on`'),
    campaignId: Identifier.optional(),
    ...regionParameter,
  })
  // The window as read: `to` defaults to `on`, which defaults to today, so a `from` alone is bounded too.
  .superRefine((query, context) => checkWindow({ from: query.from, to: query.to ?? query.on ?? todayUtc() }, context));
export type CaseloadCountsQuery = z.infer<typeof CaseloadCountsQuerySchema>;

export const TimelinessQuerySchema = z
  .strictObject({
    from: CalendarDate,
    to: CalendarDate,
    ...regionParameter,
  })
  .superRefine(checkWindow);

/** Each agency's timescale targets, for the scope read. */
export async function targetsForScope(scope: ScopeOrAgency, tally?: ReadTally): Promise<TargetsOf> {
  const entries = await Promise.all(
    agenciesIn(scopeOf(scope)).map(async (agencyId) => {
      const { firstResponseWorkingDays, initialVisitWorkingDays, applicationToApprovalDays } = await agencySettingsFor(agencyId, tally);
      return [agencyId, { firstResponseWorkingDays, initialVisitWorkingDays, applicationToApprovalDays }] as const;
    }),
  );
  const byAgency = new Map<string, TimescaleTargets>(entries);
  return (agencyId) => byAgency.get(agencyId) ?? defaultTimescaleTargets;
}

/** One agency's work list at D. */
export async function caseloadFor(agencyId: string, query: CaseloadQuery, tally?: ReadTally) {
  const on = query.on ?? todayUtc();
  const [households, targetsOf] = await Promise.all([
    householdsByIndexes(agencyId, [{ index: 'byRecruitmentEnd', from: endOfDay(on), to: OPEN_END }], tally),
    targetsForScope(agencyId, tally),
  ]);
  return caseloadPage(
    households,
    {
      on,
      state: query.state,
      campaignId: query.campaignId,
      overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
      nextAction: query.nextAction,
      dueOn: query.dueOn,
      enquiredSince: query.enquiredSince,
    },
    targetsOf,
    { cursor: query.cursor },
  );
}

/** The first day of the default window: ten years up to `to`, both ends counted. */
export const defaultCountsFrom = (to: string) => addDays(addYears(to, -MAX_WINDOW_YEARS), 1);

export async function caseloadCountsFor(scope: ScopeOrAgency, query: CaseloadCountsQuery, tally?: ReadTally) {
  const on = query.on ?? todayUtc();
  const to = query.to !== undefined && query.to < on ? query.to : on;
  // Never every enquiry since 1970: without `from`, the longest window any read covers.
  const from = query.from ?? defaultCountsFrom(to);
  const [households, targetsOf] = await Promise.all([
    householdsIn(scope, (agencyId) =>
      householdsByIndexes(agencyId, [{ index: 'byEnquiredAt', from: startOfDay(from), to: endOfDay(to) }], tally),
    ),
    targetsForScope(scope, tally),
  ]);
  return {
    ...(query.from !== undefined ? { from: query.from } : {}),
    ...(query.to !== undefined ? { to: query.to } : {}),
    ...(query.campaignId !== undefined ? { campaignId: query.campaignId } : {}),
    ...caseloadMetric(households, { on, from, to: query.to, campaignId: query.campaignId }, targetsOf),
  };
}

export async function timelinessFor(scope: ScopeOrAgency, query: { from: string; to: string }, tally?: ReadTally) {
  const [households, targetsOf] = await Promise.all([
    householdsIn(scope, (agencyId) =>
      householdsByIndexes(
        agencyId,
        [
          { index: 'byEnquiredAt', from: startOfDay(query.from), to: endOfDay(query.to) },
          { index: 'byApprovedAt', from: startOfDay(query.from), to: endOfDay(query.to) },
        ],
        tally,
      ),
    ),
    targetsForScope(scope, tally),
  ]);
  return timeliness(households, query, targetsOf);
}
