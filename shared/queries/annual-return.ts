// Reads what the annual return of one agency (or each agency of a region) and financial year needs,
// and nothing more (docs/benchmark.md, access patterns).
import * as z from 'zod';
import { annualReturn, type AnnualReturn } from '../domain/annual-return';
import { endOfDay, financialYearBounds, startOfDay } from '../domain/calendar';
import { householdsByIndexes, withHistory } from '../store/households';
import { type ReadTally } from '../store/query-pages';
import { OPEN_END, type HouseholdIndexName } from '../store/tables';
import { householdsIn, regionParameter, type ScopeOrAgency } from './scope';

export const AnnualReturnQuerySchema = z.strictObject({
  ...regionParameter,
  financialYear: z.coerce.number().int().min(1990).max(2100).describe('the year y of FY y (1 April y – 31 March y+1)'),
});
export type AnnualReturnQuery = z.infer<typeof AnnualReturnQuerySchema>;

// The households with a stage, a closure in force (withdrawals) or a resignation dated in the year;
// with the carers at the year end (byApprovalEnd, as capacity reads them). Enquiries closed in other
// years and carers who resigned before the year are never read.
const inYearIndexes: HouseholdIndexName[] = [
  'byEnquiredAt',
  'byInitialVisitAt',
  'byAssessmentAt',
  'byApprovedAt',
  'byClosedAt',
  'byResignedAt',
];

export async function annualReturnFor(scope: ScopeOrAgency, financialYear: number, tally?: ReadTally): Promise<AnnualReturn> {
  const { start, end } = financialYearBounds(financialYear);
  const households = await householdsIn(scope, async (agencyId) =>
    withHistory(
      await householdsByIndexes(
        agencyId,
        [
          ...inYearIndexes.map((index) => ({ index, from: startOfDay(start), to: endOfDay(end) })),
          { index: 'byApprovalEnd', from: endOfDay(end), to: OPEN_END },
        ],
        tally,
      ),
      // The placements and holds at the year end (the return counts them then).
      endOfDay(end),
      endOfDay(end),
      tally,
    ),
  );
  return annualReturn(financialYear, households);
}
