// Reads what the annual return of one agency (or each agency of a region) and financial
// year needs, and nothing more.
//
// Access pattern (items read), each range bounded by the year asked about:
// - the four stage indexes (byEnquiredAt, byInitialVisitAt, byAssessmentAt, byApprovedAt) over
//   [1 April y 00:00Z, 31 March y+1 23:59:59.999Z]: the households with that stage dated in the year;
// - byClosedAt over the year: households whose closure in force is dated in the year (withdrawals);
// - byResignedAt over the year: the deregistrations;
// - byApprovalEnd from the end of 31 March y+1: the carers approved at the year end (plus those
//   approved since), exactly what capacity at that date reads.
// Each household is read once per range it falls in (the ranges are de-duplicated after reading).
// Grows with the year's activity and the carers at its end; enquiries closed in other years and
// carers who resigned before the year are never read.
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
