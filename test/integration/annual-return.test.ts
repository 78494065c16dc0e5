// The annual return against DynamoDB Local (docs/benchmark.md, access patterns): the query gives the pure
// function's answer over every household of the agency, while reading only the year's activity and
// the carers at its end — never the enquiries closed or the carers resigned in earlier years.
import { projectHouseholdEvent } from '../../shared/projections/household';
import { annualReturnFor } from '../../shared/queries/annual-return';
import { annualReturn } from '../../shared/domain/annual-return';
import { foldHousehold, type HouseholdState } from '../../shared/domain/household';
import { ReadTally } from '../../shared/store/query-pages';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { approval, assessment, closure, enquiry, holdStart, initialVisit, placementStart, resignation } from '../support/funnel-events';
import { useFreshTables } from '../support/tables';
import { indexShards } from '../../shared/store/tables';

const agencyId = 'agency-annual-return';
const inAgency = (event: HouseholdEvent) => ({ ...event, detail: { ...event.detail, agencyId } }) as HouseholdEvent;
const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** FY 2019: 1 April 2019 – 31 March 2020. */
const year = 2019;
const applied = (h: string) => [enquiry(h, '2019-05-01'), initialVisit(h, '2019-06-01'), assessment(h, '2019-07-01', 2)];

const history = {
  /** Years of enquiries that never came to anything: never read for 2019. */
  closedYearsAgo: range(50, 'old-enquiry-'),
  /** Carers who resigned long before the year: never read for 2019. */
  resignedYearsAgo: range(20, 'old-carer-'),
  /** Enquired, visited and applied in the year: 2 approved, 1 withdrawn, 1 withdrawn and back, 2 still in assessment. */
  approvedInYear: range(2, 'approved-'),
  withdrawn: ['withdrawn-0'],
  withdrawnAndBack: ['back-0'],
  inAssessment: range(2, 'assessing-'),
  /** Carers at 31 March, some with a child placed or a bed on hold. */
  carers: range(8, 'carer-'),
  resignedInYear: range(3, 'resigned-'),
  resignedAfterYear: range(2, 'left-later-'),
  /** Activity of the next year, and a withdrawal in the year reopened in the next. */
  enquiredNextYear: range(4, 'next-'),
  reopenedNextYear: ['reopened-0'],
};

const events: HouseholdEvent[] = [
  ...history.closedYearsAgo.flatMap((h, i) => [
    enquiry(h, `${2010 + (i % 5)}-05-01`),
    closure(h, `${2010 + (i % 5)}-06-01`, 'not_proceeding'),
  ]),
  ...history.resignedYearsAgo.flatMap((h, i) => [approval(h, '2008-03-01', 2), resignation(h, `${2012 + (i % 5)}-01-01`, 'retirement')]),
  ...history.approvedInYear.flatMap((h) => [...applied(h), approval(h, '2020-02-01', 2, 'mainstream')]),
  ...history.withdrawn.flatMap((h) => [...applied(h), closure(h, '2019-12-01', 'AW3')]),
  ...history.withdrawnAndBack.flatMap((h) => [...applied(h), closure(h, '2019-08-01', 'AW1'), assessment(h, '2019-09-01')]),
  ...history.inAssessment.flatMap(applied),
  ...history.carers.flatMap((h, i) => [
    approval(h, '2016-03-01', 2, i < 2 ? 'short_breaks' : 'mainstream'),
    ...(i < 5 ? [placementStart(h, `${h}-child`, '2019-01-01')] : []),
    ...(i >= 5 ? [holdStart(h, `${h}-hold`, '2020-03-01', i === 5 ? 'allegation' : 'carer_health', 1)] : []),
  ]),
  ...history.resignedInYear.flatMap((h, i) => [
    approval(h, '2015-01-01', 1),
    resignation(h, '2019-10-01', i === 0 ? 'permanence_order' : 'moved_area', i === 0 ? 'agency' : 'carer'),
  ]),
  ...history.resignedAfterYear.flatMap((h) => [approval(h, '2015-01-01', 1), resignation(h, '2020-06-01', 'retirement')]),
  ...history.enquiredNextYear.map((h) => enquiry(h, '2020-05-01')),
  ...history.reopenedNextYear.flatMap((h) => [
    enquiry(h, '2018-06-01'),
    assessment(h, '2018-09-01'),
    closure(h, '2020-01-15', 'AW2'),
    assessment(h, '2020-06-01'),
  ]),
].map(inAgency);

/** Every household of the agency, folded in memory from the same events. */
function allHouseholds(): HouseholdState[] {
  const byHousehold = new Map<string, HouseholdEvent[]>();
  for (const event of events) {
    const householdId = (event.detail as { householdId: string }).householdId;
    byHousehold.set(householdId, [...(byHousehold.get(householdId) ?? []), event]);
  }
  return [...byHousehold].map(([householdId, list]) => foldHousehold(agencyId, householdId, list));
}

beforeAll(async () => {
  await useFreshTables();
  for (const event of events) await projectHouseholdEvent(event);
}, 120_000);

describe('annual return reads', () => {
  it("gives the pure function's answer over every household of the agency", async () => {
    const everyone = allHouseholds();
    for (const y of [2010, 2012, 2018, year, 2020]) {
      expect(await annualReturnFor(agencyId, y)).toEqual(annualReturn(y, everyone));
    }
  });

  it("answers the year's figures", async () => {
    const result = await annualReturnFor(agencyId, year);
    expect(result).toMatchObject({
      enquiries: 6,
      initialVisits: 6,
      applications: 6,
      approvals: 2,
      approvedBeds: 4,
      withdrawals: { total: 1, byCode: { AW3: 1, AW1: 0, AW2: 0 } },
      deregistrations: { total: 3, byReason: { moved_area: 2, permanence_order: 1 }, byInitiator: { carer: 2, agency: 1 } },
      atYearEnd: {
        // 8 carers, 2 approved in the year, 2 who resigned after it.
        households: 12,
        approvedPlaces: 22,
        filled: 5,
        byCategory: { short_breaks: { households: 2, approvedPlaces: 4, filled: 2 } },
        notAvailable: {
          households: 3,
          beds: 3,
          byReason: { allegation: { households: 1, beds: 1 }, carer_health: { households: 2, beds: 2 } },
        },
      },
    });
  });

  it("reads only the year's activity and the carers at its end: history outside the year is not read", async () => {
    const tally = new ReadTally();
    await annualReturnFor(agencyId, year, tally);
    const perHousehold = {
      // enquiry, visit, assessment and approval in the year + approved at its end
      approvedInYear: 5,
      // enquiry, visit, assessment + the closure in force
      withdrawn: 4,
      withdrawnAndBack: 3,
      inAssessment: 3,
      carers: 1,
      resignedInYear: 1,
      resignedAfterYear: 1,
    };
    const expected = Object.entries(perHousehold).reduce(
      (sum, [group, items]) => sum + items * history[group as keyof typeof history].length,
      0,
    );
    expect(expected).toBe(36);
    // The index entries (keys only), then each household found once, its state item by key.
    const households = Object.keys(perHousehold).reduce((sum, group) => sum + history[group as keyof typeof history].length, 0);
    expect(tally.itemsRead).toBe(expected + households);
    // Six in-year ranges and the year-end carers, each a Query of every index shard, then one
    // BatchGetItem; none of the 50 old enquiries or 20 old carers.
    expect(tally.requests).toBe(7 * indexShards.household + 1);
  });
});
