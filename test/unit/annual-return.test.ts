// The annual return (docs/metrics.md), as a pure function of household states: each figure on a small history.
import { annualReturn } from '../../shared/domain/annual-return';
import { bedsOnHold, capacity } from '../../shared/domain/capacity';
import { foldHousehold, type HouseholdState } from '../../shared/domain/household';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import {
  approval,
  approvalChange,
  assessment,
  closure,
  enquiry,
  holdStart,
  initialVisit,
  placementEnd,
  placementStart,
  resignation,
} from '../support/funnel-events';

const household = (id: string, ...events: HouseholdEvent[]): HouseholdState => foldHousehold('agency-a', id, events);

describe('the year (FY y runs 1 April y to 31 March y+1, dates in UTC)', () => {
  it('names the year and its bounds', () => {
    expect(annualReturn(2019, [])).toMatchObject({ financialYear: 2019, from: '2019-04-01', to: '2020-03-31' });
  });

  it('lists every row of the form, 0 where none: each withdrawal code, resignation reason, category and hold reason', () => {
    const result = annualReturn(2019, []);
    expect(result).toMatchObject({ enquiries: 0, initialVisits: 0, applications: 0, approvals: 0, approvedBeds: 0 });
    expect(result.withdrawals).toEqual({ total: 0, byCode: { AW1: 0, AW2: 0, AW3: 0, AW4: 0, AW5: 0, AW0: 0, not_approved: 0 } });
    expect(result.deregistrations).toEqual({
      total: 0,
      byReason: {
        retirement: 0,
        moved_area: 0,
        personal_circumstances: 0,
        health: 0,
        joined_other_agency: 0,
        permanence_order: 0,
        standards_of_care: 0,
        never_used: 0,
        dissatisfied: 0,
        other: 0,
      },
      byInitiator: { carer: 0, agency: 0 },
    });
    const none = { households: 0, approvedPlaces: 0, filled: 0 };
    expect(result.atYearEnd).toEqual({
      households: 0,
      byCategory: {
        mainstream: none,
        connected_person_reg24: none,
        connected_person_reg27: none,
        supported_lodgings: none,
        short_breaks: none,
      },
      approvedPlaces: 0,
      filled: 0,
      vacant: 0,
      available: 0,
      notAvailable: {
        households: 0,
        beds: 0,
        byReason: Object.fromEntries(
          ['carer_health', 'carer_family', 'carer_break', 'carer_building_work', 'standards_of_care', 'allegation', 'matching'].map(
            (reason) => [reason, { households: 0, beds: 0 }],
          ),
        ),
      },
    });
  });

  it('counts 31 March 23:59Z in the year and 1 April 00:00Z of the next year out', () => {
    const households = [
      household('first', enquiry('first', '2019-04-01T00:00:00Z')),
      household('last', enquiry('last', '2020-03-31T23:59:00Z')),
      household('before', enquiry('before', '2019-03-31T23:59:59.999Z')),
      household('after', enquiry('after', '2020-04-01T00:00:00Z')),
    ];
    expect(annualReturn(2019, households).enquiries).toBe(2);
    expect(annualReturn(2018, households).enquiries).toBe(1);
    expect(annualReturn(2020, households).enquiries).toBe(1);
  });

  it('reads an instant with a UTC offset in UTC: 00:30+01:00 on 1 April is 31 March, the year before', () => {
    const bst = household('bst', enquiry('bst', '2020-04-01T00:30:00+01:00'), initialVisit('bst', '2019-04-01T00:30:00+01:00'));
    expect(annualReturn(2019, [bst])).toMatchObject({ enquiries: 1, initialVisits: 0 });
    expect(annualReturn(2018, [bst])).toMatchObject({ enquiries: 0, initialVisits: 1 });
  });
});

describe("enquiries, initial visits, applications and approvals: each stage's recorded date in the year", () => {
  const households = [
    // The whole funnel inside the year.
    household(
      'a',
      enquiry('a', '2019-04-10'),
      initialVisit('a', '2019-05-01'),
      assessment('a', '2019-06-01', 2),
      approval('a', '2020-01-15', 2),
    ),
    // Enquired the year before, visited and applied this year.
    household('b', enquiry('b', '2019-02-01'), initialVisit('b', '2019-04-20'), assessment('b', '2019-09-01')),
    // Enquired this year, approved the next: counts here for its enquiry only.
    household(
      'c',
      enquiry('c', '2020-01-05'),
      initialVisit('c', '2020-02-01'),
      assessment('c', '2020-03-01'),
      approval('c', '2020-09-01', 1),
    ),
    // A connected-person household approved with no earlier stage recorded.
    household('d', approval('d', '2019-08-01', 1, 'connected_person_reg24')),
    // Nothing in the year.
    household('e', enquiry('e', '2018-05-01'), closure('e', '2018-06-01', 'not_proceeding')),
  ];

  it('counts each household whose stage is dated in the year, whatever year its other stages fell in', () => {
    expect(annualReturn(2019, households)).toMatchObject({ enquiries: 2, initialVisits: 3, applications: 3, approvals: 2 });
    expect(annualReturn(2020, households)).toMatchObject({ enquiries: 0, initialVisits: 0, applications: 0, approvals: 1 });
  });

  it("counts a stage recorded without the earlier ones in its own year only, as campaign conversion's activity does", () => {
    const d = annualReturn(2019, [households[3]!]);
    expect(d).toMatchObject({ enquiries: 0, initialVisits: 0, applications: 0, approvals: 1 });
  });

  it("adds up the places the year's approvals were for, at approval", () => {
    const changed = household('f', approval('f', '2019-10-01', 1), approvalChange('f', '2019-12-01', 3));
    expect(annualReturn(2019, households).approvedBeds).toBe(3);
    expect(annualReturn(2019, [...households, changed]).approvedBeds).toBe(4);
  });
});

describe('withdrawals after application, by Ofsted code', () => {
  const applied = (id: string) => [enquiry(id, '2019-04-02'), assessment(id, '2019-05-01')];
  const households = [
    household('aw3', ...applied('aw3'), closure('aw3', '2019-10-01', 'AW3')),
    household('refused', ...applied('refused'), closure('refused', '2019-12-01', 'not_approved')),
    // Before an application: a closure, not a withdrawal.
    household('pre', enquiry('pre', '2019-04-02'), closure('pre', '2019-05-01', 'not_proceeding')),
    // Withdrawn the year before.
    household('old', enquiry('old', '2018-04-02'), assessment('old', '2018-06-01'), closure('old', '2019-03-31T23:00:00Z', 'AW5')),
    // Withdrawn in the year and reopened the same year: the application went on.
    household('back', ...applied('back'), closure('back', '2019-06-01', 'AW1'), assessment('back', '2019-07-01')),
    // Withdrawn, reopened, withdrawn again: counted once, under the closure in force.
    household(
      'twice',
      ...applied('twice'),
      closure('twice', '2019-06-01', 'AW4'),
      initialVisit('twice', '2019-08-01'),
      closure('twice', '2020-01-10', 'AW0'),
    ),
  ];

  it('counts the households whose post-application closure in force is dated in the year, every code listed', () => {
    expect(annualReturn(2019, households).withdrawals).toEqual({
      total: 3,
      byCode: { AW1: 0, AW2: 0, AW3: 1, AW4: 0, AW5: 0, AW0: 1, not_approved: 1 },
    });
    expect(annualReturn(2018, households).withdrawals).toMatchObject({ total: 1, byCode: { AW5: 1 } });
  });

  it('does not count a withdrawal that a later stage event reopened, even after the year end', () => {
    const reopenedLater = household('later', ...applied('later'), closure('later', '2020-02-01', 'AW2'), assessment('later', '2020-05-01'));
    expect(annualReturn(2019, [reopenedLater]).withdrawals.total).toBe(0);
    expect(annualReturn(2020, [reopenedLater]).withdrawals.total).toBe(0);
  });

  it('does not count a household approved in the end', () => {
    const approvedAfterAll = household('ok', ...applied('ok'), closure('ok', '2019-06-01', 'AW2'), approval('ok', '2019-11-01'));
    expect(annualReturn(2019, [approvedAfterAll]).withdrawals.total).toBe(0);
  });
});

describe('deregistrations: resignations dated in the year', () => {
  const carer = (id: string, ...more: HouseholdEvent[]) => household(id, approval(id, '2015-01-01', 2), ...more);
  const households = [
    carer('r1', resignation('r1', '2019-05-01', 'retirement', 'carer')),
    carer('r2', resignation('r2', '2019-11-01', 'standards_of_care', 'agency')),
    carer('r3', resignation('r3', '2020-03-31T23:59:00Z', 'retirement', 'carer')),
    carer('r4', resignation('r4', '2020-04-01T00:00:00Z', 'moved_area', 'carer')),
    carer('r5', resignation('r5', '2019-03-31', 'health', 'carer')),
    carer('stays'),
  ];

  it('counts them by reason and by who initiated them', () => {
    const { deregistrations } = annualReturn(2019, households);
    expect(deregistrations.total).toBe(3);
    expect(deregistrations.byReason).toMatchObject({ retirement: 2, standards_of_care: 1, moved_area: 0, health: 0 });
    expect(deregistrations.byInitiator).toEqual({ carer: 2, agency: 1 });
  });

  it('still counts at 31 March a household that resigned after the year end, and not one that resigned on 31 March', () => {
    // stays and r4 (resigned 1 April 00:00Z) were approved at the end of 31 March; r3 had gone.
    expect(annualReturn(2019, households).atYearEnd).toMatchObject({ households: 2, approvedPlaces: 4 });
  });
});

describe('at 31 March: capacity and beds on hold at y+1-03-31', () => {
  const households = [
    // Two places, one filled, the other held for matching.
    household(
      'm',
      approval('m', '2016-01-01', 2),
      placementStart('m', 'p1', '2019-06-01', 'matched_long_term'),
      holdStart('m', 'x', '2019-07-01', 'matching'),
    ),
    // Three places, none filled: two held while the carer is unwell.
    household('s', approval('s', '2017-01-01', 3, 'short_breaks'), holdStart('s', 'y', '2020-03-01', 'carer_health', 2)),
    // A connected person: one place filled; the placement ends after the year end.
    household(
      'k',
      approval('k', '2019-05-01', 1, 'connected_person_reg24'),
      placementStart('k', 'p2', '2019-05-02'),
      placementEnd('k', 'p2', '2020-04-01T00:00:00Z'),
    ),
    // Approved after the year end: not there at 31 March.
    household('n', approval('n', '2020-04-01T00:00:00Z', 2)),
  ];

  it('gives households by category, approved places, filled, vacant, not available by reason and available', () => {
    const { atYearEnd } = annualReturn(2019, households);
    expect(atYearEnd).toMatchObject({
      households: 3,
      approvedPlaces: 6,
      filled: 2,
      vacant: 4,
      available: 1,
      byCategory: {
        mainstream: { households: 1, approvedPlaces: 2, filled: 1 },
        short_breaks: { households: 1, approvedPlaces: 3, filled: 0 },
        connected_person_reg24: { households: 1, approvedPlaces: 1, filled: 1 },
        supported_lodgings: { households: 0, approvedPlaces: 0, filled: 0 },
      },
      notAvailable: {
        households: 2,
        beds: 3,
        byReason: {
          matching: { households: 1, beds: 1 },
          carer_health: { households: 1, beds: 2 },
          allegation: { households: 0, beds: 0 },
        },
      },
    });
  });

  it('is the capacity and beds-on-hold answer for 31 March, not a recount', () => {
    const { atYearEnd } = annualReturn(2019, households);
    const places = capacity('2020-03-31', households);
    const held = bedsOnHold('2020-03-31', households);
    expect(atYearEnd).toMatchObject({
      households: places.households,
      approvedPlaces: places.approvedBeds,
      filled: places.occupiedBeds,
      vacant: places.vacantBeds,
      available: places.availableBeds,
      notAvailable: { households: held.households, beds: held.beds },
    });
  });
});
