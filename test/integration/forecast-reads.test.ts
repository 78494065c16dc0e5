// The forecast pipeline's access pattern (docs/benchmark.md): the conversion rate's 730 days read as
// the agency's months of application outcomes, not its households, with the same answer.
import {
  carerRecordFields,
  foldHousehold,
  forecastEnquiryFields,
  forecastRecordFields,
  type HouseholdState,
} from '../../shared/domain/household';
import { forecastPipeline, resignationForecast } from '../../shared/domain/resignation-forecast';
import { sufficiency } from '../../shared/domain/sufficiency';
import { sufficiencyFor, trendStart } from '../../shared/queries/capacity';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { projectHouseholdEvent } from '../../shared/projections/household';
import { forecastHouseholds, resignationForecastFor, sufficiencyHouseholds } from '../../shared/queries/forecast';
import { getHouseholdStates } from '../../shared/store/households';
import { ReadTally } from '../../shared/store/query-pages';
import {
  approval,
  assessment,
  closure,
  contactAttempt,
  enquiry,
  holdStart,
  initialVisit,
  milestone,
  placementEnd,
  placementStart,
  riskFlag,
} from '../support/funnel-events';
import { runStreamReader, useFreshTables } from '../support/tables';

const agencyId = 'agency-forecast-reads';
const inAgency = (event: HouseholdEvent) => ({ ...event, detail: { ...event.detail, agencyId } }) as HouseholdEvent;
const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const settings = { attritionRate: 0.1, targetInHouseShare: 0.6, applicationToApprovalDays: 240 };
// FY 2019 as of 30 September 2019: the conversion window is 1 October 2017 – 30 September 2019.
const query = { financialYear: 2019, asOf: '2019-09-30' };

const history = {
  /** Enquiries closed before an application, in the window and before it: never read. */
  closedBeforeApplying: range(50, 'enq-'),
  /** Applied and approved in the window: carers now. */
  approved: range(6, 'carer-'),
  /** Applied and withdrew in the window. */
  withdrew: range(3, 'aw-'),
  /** Withdrew in the window with no AssessmentStarted recorded (a fact from another system). */
  withdrewUnassessed: range(2, 'aw-only-'),
  /** Withdrew in the window and applied again after the date asked about. */
  withdrewThenBack: ['back-0'],
  /** Still in assessment at the date. */
  assessing: ['assessing-0'],
  /** Withdrew before the window. */
  withdrewLongAgo: ['old-aw-0'],
};

const events: HouseholdEvent[] = [
  ...history.closedBeforeApplying.flatMap((h, i) => [
    enquiry(h, `${2015 + (i % 5)}-05-01`),
    closure(h, `${2015 + (i % 5)}-06-01`, 'not_proceeding'),
  ]),
  ...history.approved.flatMap((h) => [enquiry(h, '2017-11-01'), assessment(h, '2018-01-10'), approval(h, '2018-09-01', 2)]),
  ...history.withdrew.flatMap((h) => [enquiry(h, '2018-02-01'), assessment(h, '2018-04-01'), closure(h, '2018-10-01', 'AW1')]),
  ...history.withdrewUnassessed.flatMap((h) => [enquiry(h, '2018-03-01'), closure(h, '2019-02-01', 'AW3')]),
  ...history.withdrewThenBack.flatMap((h) => [
    enquiry(h, '2018-05-01'),
    assessment(h, '2018-06-01'),
    closure(h, '2019-03-01', 'AW4'),
    assessment(h, '2019-11-01'),
  ]),
  ...history.assessing.flatMap((h) => [enquiry(h, '2019-04-01'), assessment(h, '2019-06-01', 3)]),
  ...history.withdrewLongAgo.flatMap((h) => [enquiry(h, '2015-09-01'), assessment(h, '2015-11-01'), closure(h, '2016-05-01', 'AW2')]),
]
  .map(inAgency)
  // Logged through the API, each enquiry brings its reference (one from another system draws it when stored).
  .map((e) =>
    e.detailType === 'EnquiryReceived'
      ? ({ ...e, detail: { ...e.detail, reference: `REF-${e.detail.householdId.toUpperCase()}` } } as HouseholdEvent)
      : e,
  );

beforeAll(async () => {
  await useFreshTables();
  for (const event of events) await projectHouseholdEvent(event);
}, 60_000);
const counts = runStreamReader();

it("reads the carers, the applications running at A and the window's months of outcomes: not the window's households", async () => {
  await counts.caughtUp();
  const tally = new ReadTally();
  const answer = await resignationForecastFor(agencyId, query, settings, tally);

  // 6 approvals and 3 + 2 + 1 withdrawals after applying in the window: q = 6 / 12.
  expect(answer.pipeline).toMatchObject({ inAssessment: 1, prospectiveBeds: 3, conversion: 0.5 });
  const everyHousehold: HouseholdState[] = [...new Set(events.map((e) => e.detail.householdId))].map((h) =>
    foldHousehold(
      agencyId,
      h,
      events.filter((e) => e.detail.householdId === h),
    ),
  );
  expect(answer).toEqual(resignationForecast({ ...query, ...settings, households: everyHousehold }));

  // byApprovalEnd from 1 April 2019: the 6 carers; byAssessmentEnd from A: the one assessing and the
  // one that withdrew and came back after A; each found once, its state item by key (the indexes hold
  // keys only). Then the months of the window with outcomes: September 2018 (the approvals), October
  // 2018, February and March 2019 (the withdrawals); none for the enquiries closed before applying.
  const running = [...history.assessing, ...history.withdrewThenBack];
  const monthsWithOutcomes = 4;
  expect(tally.itemsRead).toBe(history.approved.length + running.length + (history.approved.length + running.length) + monthsWithOutcomes);
});

it('reads each household once for sufficiency, for its trend and its pipeline alike', async () => {
  await counts.caughtUp();
  const tally = new ReadTally();
  const answer = await sufficiencyFor(agencyId, query.asOf, settings, tally);
  const everyHousehold = [...new Set(events.map((e) => e.detail.householdId))].map((h) =>
    foldHousehold(
      agencyId,
      h,
      events.filter((e) => e.detail.householdId === h),
    ),
  );
  const pipeline = forecastPipeline({ financialYear: 2019, asOf: query.asOf, ...settings, households: everyHousehold });
  expect(answer).toEqual(sufficiency({ at: query.asOf, targetInHouseShare: 0.6, households: everyHousehold, snapshots: [], pipeline }));
  expect(answer.pipeline).toMatchObject({ inAssessment: 1, conversion: 0.5 });
  // byApprovalEnd from the trend's first month end (31 October 2018, before 1 April 2019): the 6
  // carers; byAssessmentEnd from A: the 2 applications running; each household's state item once;
  // the 4 months of outcomes; no children-in-care count recorded.
  const households = history.approved.length + history.assessing.length + history.withdrewThenBack.length;
  expect(tally.itemsRead).toBe(households + households + 4);
});

describe("of each household, the forecast reads its forecast record, not the recruitment team's working record", () => {
  const teamAgency = 'agency-forecast-records';
  const applicant = 'applicant-with-caseload';
  const carer = 'carer-flagged';
  beforeAll(async () => {
    const interests = ['teenagers', 'siblings'];
    const recruitment = (h: string, reference: string) => [
      enquiry(h, '2018-03-01', { interests, reference, campaignId: 'spring-radio', postcodeDistrict: 'CB4' }),
      contactAttempt(h, '2018-03-02', 'no_answer'),
      contactAttempt(h, '2018-03-05', 'callback_requested', '2018-03-09'),
      contactAttempt(h, '2018-03-09', 'reached'),
      initialVisit(h, '2018-04-01'),
      assessment(h, '2018-05-01', 2),
      milestone(h, '2018-08-01', 'stage_one_completed'),
    ];
    const events = [
      ...recruitment(applicant, 'CAMBS-2018-0001'),
      ...recruitment(carer, 'CAMBS-2018-0002'),
      milestone(carer, '2018-10-01', 'panel_recommended_approval'),
      approval(carer, '2018-11-01', 2),
      placementStart(carer, 'p-1', '2018-12-01'),
      placementEnd(carer, 'p-1', '2019-02-01'),
      holdStart(carer, 'hold-1', '2019-03-01', 'carer_health'),
      riskFlag(carer, '2019-06-01', 'retirement', 0.8),
    ];
    for (const event of events)
      await projectHouseholdEvent({ ...event, detail: { ...event.detail, agencyId: teamAgency } } as HouseholdEvent);
  });

  it("reads of an applicant its forecast record, of a carer its carer record, risk flags and enquiry's reference", async () => {
    const wholes = await getHouseholdStates(teamAgency, [applicant, carer]);
    const records = await forecastHouseholds(teamAgency, 2019, '2019-09-30');
    const part = (whole: HouseholdState, fields: readonly string[], enquiryFields: readonly string[]) => ({
      ...Object.fromEntries(Object.entries(whole).filter(([field]) => fields.includes(field))),
      enquiry: Object.fromEntries(Object.entries(whole.enquiry!).filter(([field]) => enquiryFields.includes(field))),
    });
    const whole = (id: string) => wholes.find((w) => w.householdId === id)!;
    expect(records.find((r) => r.householdId === applicant)).toEqual(part(whole(applicant), forecastRecordFields, forecastEnquiryFields));
    expect(records.find((r) => r.householdId === carer)).toEqual(part(whole(carer), [...carerRecordFields, 'riskFlags'], ['reference']));
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record).not.toHaveProperty('contactAttempts');
      expect(record).not.toHaveProperty('milestones');
      expect(record).not.toHaveProperty('initialVisitAt');
    }
    // The figures are the whole states': the flagged carer, the applicant in the pipeline by interest.
    await counts.caughtUp();
    const answer = await resignationForecastFor(teamAgency, query, settings);
    expect(answer).toEqual(resignationForecast({ ...query, ...settings, households: wholes }));
    expect(answer.anticipated.households).toBe(1);
    expect(answer.pipeline.byInterest).toEqual({
      siblings: { households: 1, prospectiveBeds: 2 },
      teenagers: { households: 1, prospectiveBeds: 2 },
    });
  });

  it('for sufficiency, reads of a carer its carer record and risk flags, and of an applicant its forecast record', async () => {
    const wholes = await getHouseholdStates(teamAgency, [applicant, carer]);
    const records = await sufficiencyHouseholds(teamAgency, trendStart('2019-09-30'), '2019-09-30');
    const carerRecord = records.find((r) => r.householdId === carer)!;
    const pick = (whole: HouseholdState, fields: readonly string[]) =>
      Object.fromEntries(Object.entries(whole).filter(([field]) => fields.includes(field)));
    expect(carerRecord).toEqual(
      pick(
        wholes.find((w) => w.householdId === carer)!,
        [...carerRecordFields, 'riskFlags'],
      ),
    );
    expect(carerRecord).not.toHaveProperty('enquiry');
    expect(records.find((r) => r.householdId === applicant)!.enquiry).toEqual({
      reference: 'CAMBS-2018-0001',
      interests: ['teenagers', 'siblings'],
    });
    // The figures are the whole states'.
    await counts.caughtUp();
    const answer = await sufficiencyFor(teamAgency, '2019-09-30', settings);
    const pipeline = forecastPipeline({ financialYear: 2019, asOf: '2019-09-30', ...settings, households: wholes });
    expect(answer).toEqual(sufficiency({ at: '2019-09-30', targetInHouseShare: 0.6, households: wholes, snapshots: [], pipeline }));
    expect(answer.pipeline.byInterest).toEqual({
      siblings: { households: 1, prospectiveBeds: 2 },
      teenagers: { households: 1, prospectiveBeds: 2 },
    });
  });
});
