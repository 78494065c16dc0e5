// The resignation forecast and pipeline (docs/metrics.md), as pure functions of household states.
import fc from 'fast-check';
import { closureAt, foldHousehold, isPostApplicationClosure, type HouseholdState } from '../../shared/domain/household';
import { addDays, endOfDay, financialYearOf, isWithin } from '../../shared/domain/calendar';
import { roundHalfUp } from '../../shared/domain/arithmetic';
import { ClosureReason } from '../../shared/events/vocabulary';
import {
  applicationOutcomeChanges,
  applicationOutcomesOf,
  CONVERSION_WINDOW_DAYS,
  MIN_CONVERSION_OUTCOMES,
  forecastDate,
  forecastPipeline,
  resignationForecast,
  type ResignationForecastInput,
} from '../../shared/domain/resignation-forecast';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import {
  approval,
  approvalChange,
  assessment,
  closure,
  enquiry,
  initialVisit,
  placementEnd,
  placementStart,
  resignation,
  riskCleared,
  riskFlag,
} from '../support/funnel-events';

const household = (id: string, ...events: HouseholdEvent[]): HouseholdState => foldHousehold('agency-a', id, events);
/** Approved long before FY2019 and still approved, with nothing else recorded. */
const carer = (id: string, ...events: HouseholdEvent[]) => household(id, approval(id, '2015-01-10'), ...events);
const forecast = (households: readonly HouseholdState[], fields: Partial<ResignationForecastInput> = {}) =>
  resignationForecast({ financialYear: 2019, asOf: '2019-09-30', attritionRate: 0.1, households, ...fields });
const many = (count: number, make: (id: string, i: number) => HouseholdState) =>
  Array.from({ length: count }, (_, i) => make(`h${String(i).padStart(3, '0')}`, i));

// r = 0.1, A = 30 September 2019: d = 1 (30 Sep → 1 Oct) + 31 (Oct) + 30 (Nov) + 31 (Dec) + 31 (Jan)
// + 29 (Feb 2020) + 31 (Mar) − 1 = 183 days. ln 0.9 = −0.1053605; × 183/365 = −0.0528246;
// e^−0.0528246 = 0.9485464; p = 1 − 0.9485464 = 0.0514536, 0.0515 to 4 dp.

describe('the date the forecast is made (A = asOf, capped to the year)', () => {
  it('uses asOf within the year as it is, and reports A', () => {
    expect(forecast([]).asOf).toBe('2019-09-30');
    expect(forecastDate(2019, '2019-04-01')).toBe('2019-04-01');
  });

  it('takes a date after the year as its last day: nothing is left to happen, so p = 0', () => {
    const result = forecast([carer('a'), carer('b')], { asOf: '2020-06-15' });
    expect(result.asOf).toBe('2020-03-31');
    expect(result.baseline).toEqual({ households: 2, probability: 0, expected: 0 });
    expect([result.expectedYearEnd, result.low, result.high]).toEqual([0, 0, 0]);
  });

  it('takes a date before the year as its first day: a whole year to go, so p = r', () => {
    // 1 April 2019 → 31 March 2020 is 365 days (the 366-day year ends on 1 April), so p = 1 − 0.9¹.
    const result = forecast([carer('a')], { asOf: '2018-12-25' });
    expect(result.asOf).toBe('2019-04-01');
    expect(result.baseline.probability).toBe(0.1);
  });

  it("names the financial year a date falls in (April onwards is that year's)", () => {
    expect(financialYearOf('2019-04-01')).toBe(2019);
    expect(financialYearOf('2020-03-31')).toBe(2019);
  });
});

describe('baseline: every approved household without a risk flag', () => {
  it('resigns by year end with p = 1 − (1 − r)^(d/365), summed before rounding', () => {
    const result = forecast(many(10, (id) => carer(id)));
    expect(result.baseline).toEqual({ households: 10, probability: 0.0515, expected: 0.5 }); // 10p = 0.514536
    expect(forecast(many(190, (id) => carer(id))).baseline.expected).toBe(9.8); // 190p = 9.776
  });

  it('scales with the configured rate', () => {
    // r = 0.2: 0.8^(183/365) = e^(−0.2231436 × 0.5013699) = e^(−0.1118775) = 0.8941538; p = 0.1058462.
    expect(forecast([carer('a')], { attritionRate: 0.2 }).baseline.probability).toBe(0.1058);
  });

  it('counts only households approved at A (not yet approved, or already resigned, are not at risk)', () => {
    const result = forecast([
      carer('a'),
      household('later', approval('later', '2019-10-01')),
      carer('gone', resignation('gone', '2019-05-01')),
      household('enquiring', enquiry('enquiring', '2019-05-01')),
    ]);
    expect(result.baseline.households).toBe(1);
  });
});

describe('resigned to date: resignations in [1 April y, A], by reason', () => {
  const households = [
    carer('last-year', resignation('last-year', '2019-03-31T23:59:59Z', 'retirement')),
    carer('first-day', resignation('first-day', '2019-04-01T00:00:00Z', 'moved_area')),
    carer('summer', resignation('summer', '2019-07-14', 'never_used')),
    carer('on-a', resignation('on-a', '2019-09-30T23:59:59Z', 'moved_area')),
    carer('after-a', resignation('after-a', '2019-10-01T00:00:00Z', 'health')),
  ];
  it('counts the resignations dated from 1 April to the end of A, with only the reasons that occur', () => {
    const result = forecast(households);
    expect(result.resignedToDate).toBe(3);
    expect(result.resignedByReason).toEqual({ moved_area: 2, never_used: 1 });
  });
  it('counts a resignation after A as still to come (the household is in the baseline)', () => {
    expect(forecast(households).baseline.households).toBe(1);
  });
});

describe('anticipated: approved households with an active risk flag', () => {
  const households = [
    carer('panel', riskFlag('panel', '2019-08-01', 'standards_of_care')),
    carer(
      'two-flags',
      riskFlag('two-flags', '2019-06-01', 'retirement', 0.3),
      riskFlag('two-flags', '2019-07-01', 'personal_circumstances', 0.8),
    ),
    carer('cleared', riskFlag('cleared', '2019-05-01', 'health', 0.9), riskCleared('cleared', '2019-06-01')),
    carer('flagged-later', riskFlag('flagged-later', '2019-10-02', 'health', 0.9)),
    carer('resigned', riskFlag('resigned', '2019-05-01'), resignation('resigned', '2019-06-01', 'health')),
  ];
  const result = forecast(households);

  it('counts each flagged household once, at the likelihood of its likeliest flag (default 1)', () => {
    expect(result.anticipated).toEqual({ households: 2, expected: 1.8 });
  });
  it('puts a household whose flags were cleared, or raised after A, back in the baseline', () => {
    expect(result.baseline.households).toBe(2);
  });
  it('does not count a flag replacing the baseline twice: expectedYearEnd = resigned + Σ likelihood + Σ p', () => {
    // 1 + 1.8 + 2 × 0.0514536 = 2.9029
    expect(result.expectedYearEnd).toBe(2.9);
  });
});

describe('expectedYearEnd with low and high (the 10th and 90th percentiles of the count)', () => {
  // Already resigned: 1. Still to come: a certain resignation, a coin toss and two baseline households.
  const households = [
    carer('resigned', resignation('resigned', '2019-05-01', 'health')),
    carer('certain', riskFlag('certain', '2019-05-01', 'retirement')),
    carer('coin', riskFlag('coin', '2019-05-01', 'other', 0.5)),
    carer('b1'),
    carer('b2'),
  ];
  const result = forecast(households);

  it('adds resignations so far, flagged likelihoods and baseline probabilities, rounded once', () => {
    expect(result.expectedYearEnd).toBe(2.6); // 1 + 1 + 0.5 + 2 × 0.0514536 = 2.6029
  });
  it('gives low and high as the smallest counts whose cumulative probability reaches 0.1 and 0.9', () => {
    // The count is 1 (resigned) + 1 (certain) + Bernoulli(0.5) + Binomial(2, p).
    // P(count = 2) = 0.5 (1 − p)² = 0.4499 ≥ 0.1, so low = 2.
    // P(count ≤ 3) = (1 − p)² + 0.5 × 2p(1 − p) = 1 − p = 0.9485 ≥ 0.9 > P(count ≤ 2), so high = 3.
    expect([result.low, result.high]).toEqual([2, 3]);
  });
  it('states what happened once the year is over: a flag is still listed but expects nothing more', () => {
    // At 31 March y+1, d = 0: every p is 0, and so is what a flag expects.
    const atYearEnd = forecast(households, { asOf: '2020-03-31' });
    expect([atYearEnd.expectedYearEnd, atYearEnd.low, atYearEnd.high]).toEqual([1, 1, 1]);
    expect(atYearEnd.anticipated).toEqual({ households: 2, expected: 0 });
    expect(atYearEnd.baseline).toMatchObject({ households: 2, probability: 0, expected: 0 });
    // A later asOf is capped to the year's last day: the same answer.
    expect(forecast(households, { asOf: '2020-06-30' })).toEqual(atYearEnd);
  });
  it('still counts a certain flag the day before the year ends', () => {
    const lastDay = forecast(households, { asOf: '2020-03-30' });
    expect(lastDay.anticipated.expected).toBe(1.5);
  });
});

describe('benchmark: r × households approved at 1 April y', () => {
  const households = [
    ...many(20, (id) => carer(id)),
    household('approved-on-the-day', approval('approved-on-the-day', '2019-04-01T18:00:00Z')),
    household('approved-next-day', approval('approved-next-day', '2019-04-02')),
    carer('resigned-before', resignation('resigned-before', '2019-03-31', 'retirement')),
    carer('resigned-in-year', resignation('resigned-in-year', '2019-06-01', 'retirement')),
  ];
  it('counts households approved by the end of 1 April and not resigned by then', () => {
    expect(forecast(households).benchmark).toBe(2.2); // 0.1 × 22
  });
  it('says whether the expected resignations are below it, as the two figures are reported', () => {
    const result = forecast(households);
    expect(result.expectedYearEnd).toBe(2.1); // 1 + 21 × 0.0514536 = 2.0805
    expect(result.belowBenchmark).toBe(true);
    const flagged = forecast([...households, carer('flagged', riskFlag('flagged', '2019-09-01', 'moved_area'))]);
    expect(flagged.expectedYearEnd).toBe(3.1);
    expect(flagged.benchmark).toBe(2.3);
    expect(flagged.belowBenchmark).toBe(false);
  });
});

describe('atRisk: approved households idle 365+ days, or never placed 180+ days after approval', () => {
  const households = [
    // Last placement ended 30 Sep 2018: 365 days idle at A.
    carer('idle-365', placementStart('idle-365', 'p1', '2016-01-01'), placementEnd('idle-365', 'p1', '2018-09-30')),
    carer('idle-364', placementStart('idle-364', 'p1', '2016-01-01'), placementEnd('idle-364', 'p1', '2018-10-01')),
    // The last of several placements counts: ended 2 June 2016, 1215 days before A.
    carer(
      'idle-long',
      placementStart('idle-long', 'p1', '2015-02-01'),
      placementEnd('idle-long', 'p1', '2015-06-01'),
      placementStart('idle-long', 'p2', '2015-09-01'),
      placementEnd('idle-long', 'p2', '2016-06-02'),
    ),
    carer('placed', placementStart('placed', 'p1', '2015-02-01')),
    // Approved 3 April 2019: 180 days at A; 4 April: 179.
    household('new-180', approval('new-180', '2019-04-03')),
    household('new-179', approval('new-179', '2019-04-04')),
    // A placement starting after A does not count at A.
    household('placed-later', approval('placed-later', '2018-09-30'), placementStart('placed-later', 'p1', '2019-10-05')),
    carer('resigned', resignation('resigned', '2019-05-01', 'never_used')),
  ];
  const result = forecast(households);

  it('lists each with its days idle, most idle first', () => {
    expect(result.atRisk).toEqual([
      { householdId: 'idle-long', reference: null, daysIdle: 1215, neverPlaced: false },
      { householdId: 'idle-365', reference: null, daysIdle: 365, neverPlaced: false },
      { householdId: 'placed-later', reference: null, daysIdle: 365, neverPlaced: true },
      { householdId: 'new-180', reference: null, daysIdle: 180, neverPlaced: true },
    ]);
  });
  it('counts idle days from approval when the last placement ended before it', () => {
    // Placed until 1 June 2018, approved 1 December 2018: 303 days idle at A, not 486; at 1 January
    // 2020, 396 days since approval.
    const connected = household(
      'connected',
      placementStart('connected', 'p1', '2017-01-01'),
      placementEnd('connected', 'p1', '2018-06-01'),
      approval('connected', '2018-12-01'),
    );
    expect(forecast([connected]).atRisk).toEqual([]);
    expect(forecast([connected], { asOf: '2020-01-01' }).atRisk).toEqual([
      { householdId: 'connected', reference: null, daysIdle: 396, neverPlaced: false },
    ]);
  });
});

describe('pipeline', () => {
  const inAssessment = (id: string, on: string, beds?: number, interests?: string[]) =>
    household(id, enquiry(id, '2019-01-05', { interests }), assessment(id, on, beds));
  const households = [
    // Approved in the year, one of them since resigned; approvals before the year or after A are not.
    household('approved-1', assessment('approved-1', '2018-10-01'), approval('approved-1', '2019-04-01T00:00:00Z', 2)),
    household('approved-2', approval('approved-2', '2019-09-30T23:59:59Z'), resignation('approved-2', '2019-09-30T23:59:59.500Z', 'other')),
    household('approved-before', approval('approved-before', '2019-03-31T23:59:59Z')),
    household('approved-after', assessment('approved-after', '2019-06-01', 3), approval('approved-after', '2019-10-01')),
    // In assessment at A.
    inAssessment('teen-1', '2019-05-01', 2, ['teenagers', 'short_breaks']),
    inAssessment('teen-2', '2019-06-01', undefined, ['teenagers']),
    inAssessment('plain', '2019-07-01', 3),
    // Not in assessment at A: withdrew, or started after A.
    household('withdrew', assessment('withdrew', '2019-05-01', 2), closure('withdrew', '2019-08-01', 'AW3')),
    inAssessment('starts-later', '2019-10-01', 4, ['teenagers']),
  ];
  const result = forecast(households);

  it('counts approvals in [1 April y, A], whatever happened since', () => {
    expect(result.pipeline.approvedToDate).toBe(2);
  });
  it('counts households in assessment at A and their prospective beds (default 1), including one approved after A', () => {
    expect(result.pipeline.inAssessment).toBe(4);
    expect(result.pipeline.prospectiveBeds).toBe(9); // 2 + 1 + 3 + 3 (approved-after, still assessing at A)
  });
  it('breaks them down by each interest named at enquiry', () => {
    expect(result.pipeline.byInterest).toEqual({
      short_breaks: { households: 1, prospectiveBeds: 2 },
      teenagers: { households: 2, prospectiveBeds: 3 },
    });
  });
  it('takes conversion as 1 below ten outcomes: expectedApprovalsYearEnd = approvedToDate + inAssessment', () => {
    // Outcomes in the 730 days: approved-1, approved-2, approved-before, withdrew — four.
    expect(result.pipeline.conversion).toBe(1);
    expect(result.pipeline.expectedApprovalsYearEnd).toBe(6);
  });
  it('is the same pipeline on its own (for sufficiency)', () => {
    expect(forecastPipeline({ financialYear: 2019, asOf: '2019-09-30', attritionRate: 0.1, households })).toEqual(result.pipeline);
  });
});

describe('pipeline timing: an application is due by the year end when its assessment date + T falls by 31 March', () => {
  const inAssessment = (id: string, on: string) => household(id, enquiry(id, '2019-01-05'), assessment(id, on));
  // 31 March 2020 is 240 days after 4 August 2019.
  const running = [inAssessment('due', '2019-08-04'), inAssessment('not-due', '2019-08-05'), inAssessment('long-past', '2018-01-01')];

  it("takes T as the agency's applicationToApprovalDays (default 240) below ten approvals with both dates", () => {
    const result = forecast(running);
    expect(result.pipeline).toMatchObject({ inAssessment: 3, assessmentDays: 240, dueByYearEnd: 2, expectedApprovalsYearEnd: 2 });
    // An agency that works to six months: all three are due.
    expect(forecast(running, { applicationToApprovalDays: 180 }).pipeline).toMatchObject({ assessmentDays: 180, dueByYearEnd: 3 });
  });

  it('takes T as the median days from assessment to approval of the approvals in the 730 days, from ten of them', () => {
    // Ten approvals in the window: five took 100 days, five 300: T = 200, so an application of 13 September is due.
    const approved = [
      ...many(5, (id) => household(`fast-${id}`, assessment(`fast-${id}`, '2018-06-01'), approval(`fast-${id}`, '2018-09-09'))),
      ...many(5, (id) => household(`slow-${id}`, assessment(`slow-${id}`, '2018-06-01'), approval(`slow-${id}`, '2019-03-28'))),
    ];
    const late = inAssessment('late', '2019-09-13');
    const result = forecast([...approved, late, inAssessment('later', '2019-09-14')]);
    expect(result.pipeline).toMatchObject({ assessmentDays: 200, inAssessment: 2, dueByYearEnd: 1, conversion: 1 });
    expect(result.pipeline.expectedApprovalsYearEnd).toBe(1);
    // Nine approvals say too little: back to the target.
    expect(forecast([...approved.slice(1), late]).pipeline.assessmentDays).toBe(240);
  });

  it('expects no approval once the year is over: what happened is what it states', () => {
    const approvedInYear = household('in-year', assessment('in-year', '2019-05-01'), approval('in-year', '2019-12-01'));
    const over = forecast([...running, approvedInYear], { asOf: '2020-03-31' });
    expect(over.pipeline).toMatchObject({ approvedToDate: 1, inAssessment: 3, dueByYearEnd: 0, expectedApprovalsYearEnd: 1 });
  });

  it("counts only the due households' prospective beds in the beds expected", () => {
    const beds = forecast([household('a', enquiry('a', '2019-01-05'), assessment('a', '2019-06-01', 3)), inAssessment('b', '2019-09-01')]);
    // a is due (1 June + 240 days = 27 January), b is not: 0 approved beds + 1 × 3.
    expect(beds.pipeline).toMatchObject({ dueByYearEnd: 1, prospectiveBeds: 4, expectedBedsYearEnd: 3 });
  });
});

describe('pipeline conversion q = approvals ÷ (approvals + post-application closures) over (A − 730 days, A]', () => {
  // A − 730 days = 30 September 2017: outcomes dated 1 October 2017 to 30 September 2019 count.
  const approved = (id: string, on: string) => household(id, assessment(id, '2017-06-01'), approval(id, on));
  const withdrew = (id: string, on: string, reason: Parameters<typeof closure>[2]) =>
    household(id, assessment(id, '2017-06-01'), closure(id, on, reason));
  const tenOutcomes = [
    approved('a1', '2017-10-01'),
    approved('a2', '2018-05-01'),
    approved('a3', '2019-01-01'),
    approved('a4', '2019-09-30'),
    withdrew('w1', '2017-10-01', 'AW1'),
    withdrew('w2', '2018-01-01', 'AW2'),
    withdrew('w3', '2018-06-01', 'AW4'),
    withdrew('w4', '2018-11-01', 'AW5'),
    withdrew('w5', '2019-02-01', 'AW0'),
    withdrew('w6', '2019-08-01', 'not_approved'),
  ];
  const notOutcomes = [
    approved('too-early', '2017-09-30'),
    withdrew('too-early-w', '2017-09-30', 'AW1'),
    withdrew('before-application', '2018-03-01', 'not_proceeding'),
    withdrew('referred', '2018-03-01', 'referred_elsewhere'),
    // Withdrew, then came back and is assessing again: not an outcome (yet).
    household(
      'came-back',
      assessment('came-back', '2018-01-01', 2),
      closure('came-back', '2018-02-01', 'AW3'),
      assessment('came-back', '2018-03-01'),
    ),
  ];

  it('uses the observed rate at ten outcomes or more (4 dp), and applies it unrounded', () => {
    const result = forecast([...tenOutcomes, ...notOutcomes]);
    expect(result.pipeline.conversion).toBe(0.4);
    // approvedToDate: a4 = 1; in assessment: came-back = 1; 1 + 0.4 × 1 = 1.4.
    expect(result.pipeline.expectedApprovalsYearEnd).toBe(1.4);
  });
  it('rounds the reported rate to 4 dp', () => {
    const result = forecast([...tenOutcomes, approved('a5', '2019-02-01'), approved('a6', '2019-02-02')]);
    expect(result.pipeline.conversion).toBe(0.5); // 6 / 12
    const third = forecast([
      ...tenOutcomes.slice(0, 4),
      ...tenOutcomes.slice(5),
      withdrew('w7', '2019-03-01', 'AW2'),
      withdrew('w8', '2019-03-02', 'AW2'),
    ]);
    expect(third.pipeline.conversion).toBe(0.3636); // 4 / 11
  });
  it('takes 1 with nine outcomes, however they went', () => {
    expect(forecast([...tenOutcomes.slice(1), ...notOutcomes]).pipeline.conversion).toBe(1);
  });
});

describe('q from the application outcomes the store keeps per month (applicationOutcomesOf)', () => {
  /** The forecast's q as defined, read over whole households, as the forecast computed q before the outcomes were kept:
   *  approvals dated in the window, and post-application closures dated in it and in force at A. */
  function qAsDefined(households: readonly HouseholdState[], asOf: string): number {
    const from = addDays(asOf, -(CONVERSION_WINDOW_DAYS - 1));
    let approvals = 0;
    let closures = 0;
    for (const h of households) {
      if (isWithin(h.approvedAt, from, asOf)) approvals += 1;
      const inForce = closureAt(h, endOfDay(asOf));
      if (inForce && isPostApplicationClosure(inForce.reason) && isWithin(inForce.at, from, asOf)) closures += 1;
    }
    const outcomes = approvals + closures;
    return outcomes >= MIN_CONVERSION_OUTCOMES ? roundHalfUp(approvals / outcomes, 4) : 1;
  }
  // Three years of days, so that windows hold ten outcomes or fewer; closures of every reason, closed
  // twice without a stage between, reopened by a stage, approved after coming back.
  const day = fc.integer({ min: 0, max: 3 * 365 }).map((n) => new Date(Date.UTC(2017, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
  const step = fc.record({
    kind: fc.constantFrom('initialVisit', 'assessment', 'closure', 'approval'),
    day,
    reason: fc.constantFrom(...ClosureReason.options),
  });
  const history = fc.record({ enquired: day, steps: fc.array(step, { maxLength: 6 }) });
  const fold = (
    histories: ReadonlyArray<{ enquired: string; steps: ReadonlyArray<{ kind: string; day: string; reason: ClosureReason }> }>,
  ) =>
    histories.map(({ enquired, steps }, i) =>
      household(
        `h${i}`,
        enquiry(`h${i}`, enquired),
        ...steps.map(({ kind, day: on, reason }) =>
          kind === 'initialVisit'
            ? initialVisit(`h${i}`, on)
            : kind === 'assessment'
              ? assessment(`h${i}`, on)
              : kind === 'closure'
                ? closure(`h${i}`, on, reason)
                : approval(`h${i}`, on),
        ),
      ),
    );

  it('is the rate as defined over the households, for any histories and date', () => {
    fc.assert(
      fc.property(fc.array(history, { minLength: 5, maxLength: 40 }), day, (histories, asOf) => {
        const households = fold(histories);
        const financialYear = financialYearOf(asOf);
        const { conversion } = forecastPipeline({ financialYear, asOf, attritionRate: 0.1, households });
        expect(conversion).toBe(qAsDefined(households, forecastDate(financialYear, asOf)));
      }),
      { seed: 54, numRuns: 400 },
    );
  });

  it('is the same from the outcomes summed as a household changes state after state (what the stream keeps)', () => {
    fc.assert(
      fc.property(fc.array(history, { minLength: 5, maxLength: 30 }), day, (histories, asOf) => {
        const households = fold(histories);
        // Each household's outcomes as the changes from nothing, to the state before its last event, to its state.
        const kept = histories.flatMap(({ enquired, steps }, i) => {
          const before = fold([{ enquired, steps: steps.slice(0, -1) }])[0]!;
          return [...applicationOutcomeChanges(undefined, before), ...applicationOutcomeChanges(before, households[i])];
        });
        const financialYear = financialYearOf(asOf);
        const input = { financialYear, asOf, attritionRate: 0.1, households };
        expect(forecastPipeline({ ...input, outcomes: kept }).conversion).toBe(forecastPipeline(input).conversion);
      }),
      { seed: 55, numRuns: 200 },
    );
  });

  it('counts a closure while it is the one in force: not once the household came back, nor while an earlier one still is', () => {
    const back = household(
      'back',
      assessment('back', '2018-01-01'),
      closure('back', '2018-02-01', 'AW1'),
      assessment('back', '2018-05-01'),
    );
    expect(applicationOutcomesOf(back)).toEqual([
      { outcome: 'closure', day: '2018-02-01', until: '2018-05-01', referredTo: null, assessmentDays: null, n: 1 },
    ]);
    // Closed before applying, then (without a stage between) withdrawn: the first closure stays in force.
    const twice = household(
      'twice',
      enquiry('twice', '2018-01-01'),
      closure('twice', '2018-02-01', 'not_proceeding'),
      closure('twice', '2018-03-01', 'AW1'),
    );
    expect(applicationOutcomesOf(twice)).toEqual([]);
  });

  it('leaves a closure out from the day its household came back (at A: events before A + 1)', () => {
    const outcomesWithBack = (cameBackOn: string) => [
      ...many(5, (id) => household(id, assessment(id, '2019-01-01'), approval(id, '2019-06-01'))),
      ...many(4, (id) => household(`w-${id}`, assessment(`w-${id}`, '2019-01-01'), closure(`w-${id}`, '2019-06-01', 'AW1'))),
      household('back', assessment('back', '2019-01-01'), closure('back', '2019-06-01', 'AW2'), assessment('back', cameBackOn)),
    ];
    expect(forecast(outcomesWithBack('2019-09-30')).pipeline.conversion).toBe(1); // back by A: nine outcomes
    expect(forecast(outcomesWithBack('2019-10-01')).pipeline.conversion).toBe(0.5); // back after A: ten, five approvals
  });
});

describe('pipeline expectedBedsYearEnd = approvedBeds(A) + q × prospective beds − Σ probability × beds', () => {
  it("uses the approval terms in force at A and each household's own resignation probability", () => {
    const households = [
      // Approved for 2, changed to 3 before A and to 1 after it: 3 beds at A; flagged at 0.5.
      carer(
        'flagged',
        approvalChange('flagged', '2019-06-01', 3),
        approvalChange('flagged', '2019-10-15', 1),
        riskFlag('flagged', '2019-07-01', 'health', 0.5),
      ),
      household('baseline', approval('baseline', '2016-01-01', 2)),
      household('assessing-1', assessment('assessing-1', '2019-05-01')),
      household('assessing-2', assessment('assessing-2', '2019-05-01', 3)),
    ];
    // approvedBeds(A) = 3 + 2 = 5; q = 1; prospective 1 + 3 = 4; lost 0.5 × 3 + 0.0514536 × 2 = 1.6029.
    // 5 + 4 − 1.6029 = 7.3971.
    expect(forecast(households).pipeline.expectedBedsYearEnd).toBe(7.4);
  });
});

describe('the reference report (fostering service update, FY2019 to 30 September: §2.22–2.27)', () => {
  // §2.23: five households resigned so far this year.
  const resigned = [
    carer(
      'r-building-work',
      placementStart('r-building-work', 'p1', '2014-01-01'),
      placementEnd('r-building-work', 'p1', '2016-05-01'),
      resignation('r-building-work', '2019-05-20', 'personal_circumstances'),
    ),
    household('r-never-used', approval('r-never-used', '2018-02-01'), resignation('r-never-used', '2019-06-10', 'never_used')),
    carer('r-moved', resignation('r-moved', '2019-07-01', 'moved_area')),
    carer('r-marriage', resignation('r-marriage', '2019-08-05', 'personal_circumstances')),
    carer('r-safeguarding', resignation('r-safeguarding', '2019-09-12', 'other', 'agency')),
  ];
  // §2.24: three the service anticipates will resign (likelihood 1, the default).
  const flagged = [
    carer('f-panel', riskFlag('f-panel', '2019-09-02', 'standards_of_care')),
    carer('f-retirement', riskFlag('f-retirement', '2019-08-15', 'retirement')),
    carer('f-family', riskFlag('f-family', '2019-09-20', 'personal_circumstances')),
  ];
  // §2.15: 203 households at the end of September; less the 3 flagged and the 11 approved this
  // year, 189 were approved before it. §2.12: the 11 new ones offer 15 beds.
  const longstanding = many(189, (id) => carer(id));
  const newlyApproved = many(11, (id, i) =>
    household(
      `new-${id}`,
      assessment(`new-${id}`, '2018-11-01'),
      approval(`new-${id}`, `2019-${String(4 + Math.floor(i / 2)).padStart(2, '0')}-15`, i < 4 ? 2 : 1),
    ),
  );
  // §2.26: 22 in assessment with 34 prospective beds; 7 of them would take teenagers, 15 beds between them.
  const teenBeds = [3, 2, 2, 2, 2, 2, 2];
  const otherBeds = [2, 2, 2, 2, ...Array<number>(11).fill(1)];
  const assessing = [
    ...teenBeds.map((beds, i) =>
      household(`t${i}`, enquiry(`t${i}`, '2019-02-01', { interests: ['teenagers'] }), assessment(`t${i}`, '2019-05-01', beds)),
    ),
    ...otherBeds.map((beds, i) => household(`o${i}`, enquiry(`o${i}`, '2019-02-01'), assessment(`o${i}`, '2019-06-01', beds))),
  ];
  const result = forecast([...resigned, ...flagged, ...longstanding, ...newlyApproved, ...assessing]);

  it('reports five resignations to date with their reasons (§2.22–2.23)', () => {
    expect(result.resignedToDate).toBe(5);
    expect(result.resignedByReason).toEqual({ moved_area: 1, personal_circumstances: 2, never_used: 1, other: 1 });
  });
  it('anticipates three more (§2.24) on top of the baseline for the other 200 approved households', () => {
    expect(result.anticipated).toEqual({ households: 3, expected: 3 });
    expect(result.baseline).toEqual({ households: 200, probability: 0.0515, expected: 10.3 }); // 200p = 10.2907
    expect(result.expectedYearEnd).toBe(18.3); // 5 + 3 + 10.2907
  });
  it("takes low and high from the 200 baseline households' binomial, above the 8 already certain", () => {
    // Independently of the recursion: the baseline households share one p, so their count is Binomial(200, p).
    const pExact = 1 - 0.9 ** (183 / 365);
    const pmf = (k: number) => Math.exp(logChoose(200, k) + k * Math.log(pExact) + (200 - k) * Math.log(1 - pExact));
    const quantile = (q: number) => {
      let c = 0;
      for (let k = 0; ; k += 1) if ((c += pmf(k)) >= q) return k;
    };
    expect([result.low, result.high]).toEqual([8 + quantile(0.1), 8 + quantile(0.9)]);
    expect([result.low, result.high]).toEqual([14, 22]);
  });
  it('measures them against r × the 197 households approved at 1 April: 19.7, below the 10% average (§2.22)', () => {
    expect(result.benchmark).toBe(19.7);
    expect(result.belowBenchmark).toBe(true);
  });
  it('expects 11 + 22 = 33 approvals by year end with no withdrawals on record (§2.26–2.27)', () => {
    // The 11 approvals are the only outcomes in the 730 days: q = 11 / 11 = 1.
    expect(result.pipeline).toMatchObject({
      approvedToDate: 11,
      inAssessment: 22,
      prospectiveBeds: 34,
      conversion: 1,
      byInterest: { teenagers: { households: 7, prospectiveBeds: 15 } },
      expectedApprovalsYearEnd: 33,
    });
  });
  it('expects the approved beds now, plus the prospective ones, less the beds of likely resignations', () => {
    // approvedBeds(A) = 189 + 3 + 15 = 207; + 34 prospective; − 3 × 1 flagged − p × (189 + 15) = 10.4965.
    expect(result.pipeline.expectedBedsYearEnd).toBe(227.5); // 207 + 34 − 3 − 10.4965 = 227.5035
  });
});

function logChoose(n: number, k: number): number {
  let value = 0;
  for (let i = 1; i <= k; i += 1) value += Math.log(n - k + i) - Math.log(i);
  return value;
}
