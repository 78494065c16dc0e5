// Capacity, beds on hold and sufficiency (docs/metrics.md), as pure functions of household states.
import { foldHousehold, type HouseholdState } from '../../shared/domain/household';
import { bedsOnHold, capacity, householdCapacityAt } from '../../shared/domain/capacity';
import { sufficiency } from '../../shared/domain/sufficiency';
import { endOfDay, monthlyPointsEndingOn } from '../../shared/domain/calendar';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { approval, approvalChange, holdEnd, holdStart, placementEnd, placementStart, resignation } from '../support/funnel-events';

const household = (id: string, ...events: HouseholdEvent[]): HouseholdState => foldHousehold('agency-a', id, events);
const at = (state: HouseholdState, date: string) => householdCapacityAt(state, endOfDay(date))!;

describe('approved households at a date', () => {
  it('counts a household approved on or before D and not resigned on or before D', () => {
    const h = household('h1', approval('h1', '2018-03-01', 2), resignation('h1', '2019-10-02'));
    expect(capacity('2018-02-28', [h]).households).toBe(0);
    expect(capacity('2018-03-01', [h]).households).toBe(1);
    expect(capacity('2019-10-01', [h]).households).toBe(1);
    expect(capacity('2019-10-02', [h]).households).toBe(0);
  });

  it('uses the approval terms in force at D: a later change does not rewrite the past', () => {
    const h = household('h1', approval('h1', '2018-03-01', 2), approvalChange('h1', '2019-06-01', 3, 'short_breaks'));
    expect(capacity('2019-05-31', [h]).byCategory.mainstream).toEqual({ households: 1, approvedBeds: 2, occupiedBeds: 0 });
    expect(capacity('2019-06-01', [h]).byCategory.short_breaks).toEqual({ households: 1, approvedBeds: 3, occupiedBeds: 0 });
    expect(capacity('2019-06-01', [h]).byCategory.mainstream.households).toBe(0);
  });

  it('keeps the category when an approval change gives only a new number of beds', () => {
    const h = household('h1', approval('h1', '2018-03-01', 1, 'supported_lodgings'), approvalChange('h1', '2019-06-01', 2));
    expect(capacity('2019-06-01', [h]).byCategory.supported_lodgings.approvedBeds).toBe(2);
  });

  it('ignores an approval change dated before the approval, whatever order they arrive in', () => {
    const change = approvalChange('h1', '2018-01-01', 4);
    const approved = approval('h1', '2018-03-01', 2);
    expect(capacity('2019-01-01', [household('h1', change, approved)]).approvedBeds).toBe(2);
    expect(capacity('2019-01-01', [household('h1', approved, change)]).approvedBeds).toBe(2);
  });

  it('computes occupied, vacant and available beds, placements per household and occupancy', () => {
    const full = household(
      'h1',
      approval('h1', '2018-01-01', 2),
      placementStart('h1', 'p1', '2019-01-01', 'time_limited'),
      placementStart('h1', 'p2', '2019-02-01', 'matched_long_term'),
    );
    const half = household(
      'h2',
      approval('h2', '2018-01-01', 2),
      placementStart('h2', 'p3', '2019-01-01'),
      holdStart('h2', 'x', '2019-03-01', 'matching'),
    );
    const empty = household('h3', approval('h3', '2018-01-01', 3));
    const result = capacity('2019-09-30', [full, half, empty]);
    expect(result).toMatchObject({
      households: 3,
      approvedBeds: 7,
      occupiedBeds: 3,
      vacantBeds: 4,
      bedsOnHold: 1,
      availableBeds: 3,
      placementsPerHousehold: 1,
      occupancyRate: 0.4286,
    });
    expect(result.placementsByType).toMatchObject({ time_limited: 1, matched_long_term: 1, unspecified: 1, respite: 0 });
  });

  it('counts vacant beds per household, never negative when more children are placed than approved', () => {
    const over = household(
      'h1',
      approval('h1', '2018-01-01', 1),
      placementStart('h1', 'p1', '2019-01-01'),
      placementStart('h1', 'p2', '2019-01-02'),
    );
    const spare = household('h2', approval('h2', '2018-01-01', 2));
    expect(capacity('2019-09-30', [over, spare])).toMatchObject({ approvedBeds: 3, occupiedBeds: 2, vacantBeds: 2 });
  });

  it('gives null rates, not division by zero, with no approved household', () => {
    expect(capacity('2019-09-30', [])).toMatchObject({ households: 0, placementsPerHousehold: null, occupancyRate: null });
  });
});

describe('point-in-time answers ("at date D" = every event before D+1 00:00Z)', () => {
  const h = household(
    'h1',
    approval('h1', '2018-01-01', 2),
    placementStart('h1', 'p1', '2019-03-01'),
    placementEnd('h1', 'p1', '2019-06-30T23:00:00Z'),
    holdStart('h1', 'x', '2019-05-01', 'carer_health'),
    holdEnd('h1', 'x', '2019-08-01T00:00:00Z'),
  );

  it('counts a placement ending late on D as ended at D, and a hold ending at D+1 00:00Z as active at D', () => {
    expect(at(h, '2019-06-29').occupiedBeds).toBe(1);
    expect(at(h, '2019-06-30').occupiedBeds).toBe(0);
    expect(at(h, '2019-07-31').bedsOnHold).toBe(2);
    expect(at(h, '2019-08-01').bedsOnHold).toBe(0);
  });

  it('reads dates in UTC: an event at 00:30+01:00 on 1 July belongs to 30 June', () => {
    const late = household('h2', approval('h2', '2019-07-01T00:30:00+01:00', 1));
    expect(capacity('2019-06-30', [late]).households).toBe(1);
  });
});

describe("a household's beds on hold (min(vacant beds, Σ active holds' beds))", () => {
  it('caps a hold larger than the vacancies at the vacant beds', () => {
    const h = household(
      'h1',
      approval('h1', '2018-01-01', 3),
      placementStart('h1', 'p1', '2019-01-01'),
      holdStart('h1', 'x', '2019-02-01', 'matching', 3),
    );
    expect(at(h, '2019-09-30')).toMatchObject({ vacantBeds: 2, bedsOnHold: 2, holds: [{ holdId: 'x', beds: 2 }] });
  });

  it('puts every vacant bed on hold when the hold names no number of beds (a whole-household hold)', () => {
    const h = household(
      'h1',
      approval('h1', '2018-01-01', 3),
      placementStart('h1', 'p1', '2019-01-01'),
      holdStart('h1', 'x', '2019-02-01', 'carer_health'),
    );
    expect(at(h, '2019-09-30').bedsOnHold).toBe(2);
  });

  it('adds overlapping holds up to the vacancies, attributing beds to the oldest hold first', () => {
    const h = household(
      'h1',
      approval('h1', '2018-01-01', 3),
      holdStart('h1', 'late', '2019-03-01', 'carer_family', 2),
      holdStart('h1', 'early', '2019-02-01', 'matching', 2),
    );
    expect(at(h, '2019-02-15')).toMatchObject({ bedsOnHold: 2, holds: [{ holdId: 'early', beds: 2 }] });
    expect(at(h, '2019-09-30')).toMatchObject({
      bedsOnHold: 3,
      holds: [
        { holdId: 'early', beds: 2 },
        { holdId: 'late', beds: 1 },
      ],
    });
  });

  it('has nothing on hold when every bed is filled, and the hold takes effect as a placement ends', () => {
    const h = household(
      'h1',
      approval('h1', '2018-01-01', 1),
      placementStart('h1', 'p1', '2019-01-01'),
      holdStart('h1', 'x', '2019-02-01', 'carer_health'),
      placementEnd('h1', 'p1', '2019-04-01'),
    );
    expect(at(h, '2019-03-01').bedsOnHold).toBe(0);
    expect(at(h, '2019-04-01').bedsOnHold).toBe(1);
    expect(bedsOnHold('2019-03-01', [h]).households).toBe(0);
    expect(bedsOnHold('2019-04-01', [h]).primary).toEqual({ households: 1, beds: 1 });
  });

  it("releases the beds when the hold ends, and only that hold's beds when another remains", () => {
    const h = household(
      'h1',
      approval('h1', '2018-01-01', 3),
      holdStart('h1', 'a', '2019-01-01', 'carer_break', 1),
      holdStart('h1', 'b', '2019-01-02', 'matching', 1),
      holdEnd('h1', 'a', '2019-03-01'),
    );
    expect(at(h, '2019-02-01').bedsOnHold).toBe(2);
    expect(at(h, '2019-03-01')).toMatchObject({ bedsOnHold: 1, holds: [{ holdId: 'b', beds: 1 }] });
  });
});

describe('beds on hold across the service', () => {
  const households = [
    // primary: nobody placed, the whole household on hold for the carer's health
    household('p', approval('p', '2015-01-01', 2), holdStart('p', 'h1', '2019-09-20', 'carer_health')),
    // secondary: one child placed, the second bed kept free for matching, and a concern raised
    household(
      's',
      approval('s', '2015-01-01', 3),
      placementStart('s', 'c1', '2019-01-01'),
      holdStart('s', 'h2', '2019-09-01', 'matching', 1),
      holdStart('s', 'h3', '2019-09-10', 'standards_of_care'),
    ),
    // a concern on a household with no bed free to hold: a concern, but not on hold
    household(
      'f',
      approval('f', '2015-01-01', 1),
      placementStart('f', 'c2', '2019-01-01'),
      holdStart('f', 'h4', '2019-09-25', 'allegation'),
    ),
    // resigned before D: nothing of it counts
    household('r', approval('r', '2015-01-01', 2), holdStart('r', 'h5', '2019-01-01', 'carer_family'), resignation('r', '2019-06-01')),
  ];

  it('splits households on hold into primary and secondary vacancies, and beds by reason', () => {
    const result = bedsOnHold('2019-09-30', households);
    expect(result).toEqual({
      at: '2019-09-30',
      households: 2,
      beds: 4,
      primary: { households: 1, beds: 2 },
      secondary: { households: 1, beds: 2 },
      byReason: [
        { reason: 'carer_health', initiatedBy: 'carer', households: 1, beds: 2 },
        { reason: 'standards_of_care', initiatedBy: 'service', households: 1, beds: 1 },
        { reason: 'matching', initiatedBy: 'service', households: 1, beds: 1 },
      ],
      serviceInitiated: 1,
      concerns: 2,
      // active holds of households on hold: 10, 29 and 20 days
      medianDaysOnHold: 20,
    });
  });

  it('agrees with capacity on the beds on hold and the available beds', () => {
    const result = capacity('2019-09-30', households);
    expect(result.bedsOnHold).toBe(bedsOnHold('2019-09-30', households).beds);
    expect(result.availableBeds).toBe(result.vacantBeds - result.bedsOnHold);
  });

  it('has a null median and empty reasons when nothing is on hold', () => {
    expect(bedsOnHold('2014-01-01', households)).toMatchObject({ households: 0, beds: 0, byReason: [], medianDaysOnHold: null });
  });
});

describe('sufficiency', () => {
  const homes = [
    household('h1', approval('h1', '2018-01-01', 2)),
    household('h2', approval('h2', '2019-06-15', 3), placementStart('h2', 'c', '2019-07-01')),
  ];
  const snapshots = [
    { occurredAt: '2019-06-30T12:00:00Z', childrenInCare: 780, fosteredInHouse: 270, fosteredAgency: 130 },
    { occurredAt: '2019-09-30T12:00:00Z', childrenInCare: 769, fosteredInHouse: 272, fosteredAgency: 123 },
  ];

  it('uses the latest children-in-care count on or before D and the capacity at D', () => {
    const result = sufficiency({ at: '2019-09-30', targetInHouseShare: 0.6, households: homes, snapshots, pipeline: null });
    expect(result).toMatchObject({
      fosteredChildren: 395,
      fosteredInHouse: 272,
      inHouseShare: 0.6886,
      availableBeds: 4,
      // ceil(0.6 × 395) = 237 ≤ 272 in house: no more beds needed
      bedsNeededForTarget: 0,
    });
    expect(sufficiency({ at: '2019-09-29', targetInHouseShare: 0.6, households: homes, snapshots, pipeline: null }).fosteredChildren).toBe(
      400,
    );
  });

  it('counts the in-house beds still needed for the target after the available ones', () => {
    // ceil(0.8 × 395) = 316; 316 − 272 in house = 44 children below the target; − 4 available beds = 40 to recruit
    expect(sufficiency({ at: '2019-09-30', targetInHouseShare: 0.8, households: homes, snapshots, pipeline: null })).toMatchObject({
      childrenBelowTarget: 44,
      bedsNeededForTarget: 40,
    });
    // ceil(0.7 × 395) = 277: 5 children below the target, which the 4 free beds cannot all take: 1 bed to recruit.
    expect(sufficiency({ at: '2019-09-30', targetInHouseShare: 0.7, households: homes, snapshots, pipeline: null })).toMatchObject({
      childrenBelowTarget: 5,
      bedsNeededForTarget: 1,
    });
  });

  it('answers null for the children figures when no count was recorded by D', () => {
    expect(sufficiency({ at: '2019-01-01', targetInHouseShare: 0.6, households: homes, snapshots, pipeline: null })).toMatchObject({
      fosteredChildren: null,
      inHouseShare: null,
      bedsNeededForTarget: null,
      childrenInCareRecordedAt: null,
    });
  });

  it('gives a 12-month trend at each month end, ending on D', () => {
    const { trend } = sufficiency({ at: '2019-09-30', targetInHouseShare: 0.6, households: homes, snapshots, pipeline: null });
    expect(trend.map((p) => p.at)).toEqual(monthlyPointsEndingOn('2019-09-30', 12));
    expect(trend[0]).toEqual({ at: '2018-10-31', households: 1, approvedBeds: 2, inHouseShare: null });
    expect(trend[8]).toEqual({ at: '2019-06-30', households: 2, approvedBeds: 5, inHouseShare: 0.675 });
    expect(trend[11]).toEqual({ at: '2019-09-30', households: 2, approvedBeds: 5, inHouseShare: 0.6886 });
  });

  it('ends the trend on D when D is not a month end', () => {
    expect(monthlyPointsEndingOn('2020-03-15', 3)).toEqual(['2020-01-31', '2020-02-29', '2020-03-15']);
  });
});
