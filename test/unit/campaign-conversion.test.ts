import {
  campaignConversion,
  conversionCountsOf,
  conversionFromCounts,
  type ConversionQuery,
  type SpendRecord,
} from '../../shared/domain/campaign-conversion';
import { channels } from '../../shared/events/vocabulary';
import { Dice } from '../../tools/demo/random-source';
import { campaignConversionAsDefined } from '../support/conversion-as-defined';
import { foldHousehold, type HouseholdState } from '../../shared/domain/household';
import { roundHalfUp, median, changePct } from '../../shared/domain/arithmetic';
import { addDays, addYears, daysBetween } from '../../shared/domain/calendar';
import { approval, assessment, closure, enquiry, initialVisit } from '../support/funnel-events';

type Events = Parameters<typeof foldHousehold>[2];
const household = (id: string, ...events: Events): HouseholdState => foldHousehold('agency-a', id, events);
const spend = (campaignId: string, on: string, amountPence: number): SpendRecord => ({
  campaignId,
  amountPence,
  at: `${on}T12:00:00.000Z`,
  eventId: `s-${on}-${amountPence}`,
});

describe("the metrics' arithmetic", () => {
  it('rounds half-up as Math.round, without binary-fraction surprises', () => {
    expect(roundHalfUp(2 / 17, 4)).toBe(0.1176);
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(0.5, 0)).toBe(1);
  });
  it('takes the median of an even count as the mean of the middle two, null when empty', () => {
    expect(median([21, 4, 12, 13])).toBe(12.5);
    expect(median([])).toBeNull();
  });
  it('gives changePct to 2 dp, null when the previous year is 0', () => {
    expect(changePct(17, 12)).toBe(41.67);
    expect(changePct(3, 0)).toBeNull();
  });
  it('counts whole calendar days between UTC dates', () => {
    expect(daysBetween('2019-07-01T23:59:00.000Z', '2019-07-02T00:01:00.000Z')).toBe(1);
  });
  it('takes a year off 29 February as 28 February', () => {
    expect(addYears('2020-02-29', -1)).toBe('2019-02-28');
  });
});

describe('campaign conversion', () => {
  const window = { from: '2019-07-01', to: '2019-08-31' };
  const households = [
    household(
      'a',
      enquiry('a', '2019-07-02', { campaignId: 'link', channel: 'facebook' }),
      initialVisit('a', '2019-07-10'),
      assessment('a', '2019-08-01'),
    ),
    household('b', enquiry('b', '2019-07-03', { campaignId: 'link', channel: 'information_event' }), initialVisit('b', '2019-07-20')),
    household('c', enquiry('c', '2019-07-04', { campaignId: 'link', channel: 'facebook' }), closure('c', '2019-07-06', 'not_suitable')),
    household('d', enquiry('d', '2019-07-05', { campaignId: 'link', channel: 'facebook' })),
    household('e', enquiry('e', '2019-06-20', { campaignId: 'other' }), approval('e', '2019-07-15', 2)),
    household('f', enquiry('f', '2018-07-02', { campaignId: 'link', channel: 'facebook' }), initialVisit('f', '2018-07-09')),
  ];
  const result = campaignConversion({ ...window, campaignId: 'link' }, households, [
    spend('link', '2019-07-01', 450_000),
    spend('other', '2019-07-01', 99),
    spend('link', '2019-09-01', 1),
  ]);

  it('takes as cohort the households whose enquiry falls in [from, to], with stages reached now', () => {
    expect(result.cohort).toEqual({
      enquiries: 4,
      initialVisits: 2,
      assessments: 1,
      approvals: 0,
      approvedBeds: 0,
      open: 3,
      closed: { not_suitable: 1 },
    });
  });
  it('gives each rate over the stage before, to 4 dp, null over zero', () => {
    expect(result.rates).toEqual({ visitRate: 0.5, assessmentRate: 0.5, approvalRate: 0, overallRate: 0 });
    expect(campaignConversion({ from: '2020-01-01', to: '2020-01-31' }, households, []).rates).toEqual({
      visitRate: null,
      assessmentRate: null,
      approvalRate: null,
      overallRate: null,
    });
  });
  it('gives median whole days between stages over households with both dates', () => {
    expect(result.timeliness).toEqual({ enquiryToVisitDays: 12.5, visitToAssessmentDays: 22, assessmentToApprovalDays: null });
  });
  it("divides the selected campaign's spend in the window by each count, rounded pence, null over zero", () => {
    expect(result.cost).toEqual({ spendPence: 450_000, costPerEnquiry: 112_500, costPerApproval: null, costPerApprovedBed: null });
  });
  it('counts activity in the window whatever the cohort, against the same window a year earlier', () => {
    expect(result.activity.enquiries).toEqual({ count: 4, previousYear: 1, changePct: 300 });
    expect(result.activity.initialVisits).toEqual({ count: 2, previousYear: 1, changePct: 100 });
    expect(result.activity.inAssessmentAt).toEqual({ count: 1, previousYear: 0, changePct: null });
  });
  it('counts an approval in the window even when the enquiry came before it, for all campaigns', () => {
    const all = campaignConversion(window, households, []);
    expect(all.activity.approvals.count).toBe(1);
    expect(all.cohort.approvals).toBe(0);
  });
  it('groups by channel, each group a whole set of figures; spend is not split by channel', () => {
    const byChannel = campaignConversion({ ...window, campaignId: 'link', groupBy: 'channel' }, households, []);
    expect(byChannel.groups.map((g) => [g.key, g.cohort.enquiries])).toEqual([
      ['facebook', 3],
      ['information_event', 1],
    ]);
    expect(byChannel.groups[0]!.cost.spendPence).toBeNull();
  });
  it("groups by campaign with each campaign's own spend", () => {
    const byCampaign = campaignConversion({ ...window, groupBy: 'campaign' }, households, [
      spend('link', '2019-07-01', 450_000),
      spend('other', '2019-07-02', 1000),
    ]);
    expect(byCampaign.groups.map((g) => [g.key, g.cohort.enquiries, g.cost.spendPence])).toEqual([
      ['link', 4, 450_000],
      ['other', 0, 1000],
    ]);
    expect(byCampaign.groups[1]!.activity.approvals.count).toBe(1);
  });
});

describe('campaign conversion from conversion counts (issue 14)', () => {
  // Random funnels over three years, each household's stages in order or stopped by a closure,
  // some with no enquiry (a carer brought in approved), some with no campaign.
  const dice = new Dice('conversion-counts');
  const campaigns = ['link', 'radio-2019', undefined];
  const reasons = ['not_suitable', 'not_proceeding', 'AW2'] as const;
  const pick = <T>(items: readonly T[]): T => dice.pick(items);
  const households = Array.from({ length: 400 }, (_, i) => {
    const id = `h${i}`;
    let day = addDays('2017-01-01', dice.int(0, 1000));
    const later = () => (day = addDays(day, dice.int(0, 60)));
    const events: Events[number][] = [];
    if (dice.chance(0.9)) events.push(enquiry(id, day, { campaignId: pick(campaigns), channel: pick(channels) }));
    for (const stage of [initialVisit, assessment] as const) {
      if (dice.chance(0.15)) {
        events.push(closure(id, later(), pick(reasons)));
        return household(id, ...events);
      }
      if (dice.chance(0.7)) events.push(stage(id, later()));
    }
    if (dice.chance(0.6)) events.push(approval(id, later(), dice.int(1, 3)));
    return household(id, ...events);
  });
  // Running at the earlier `to` only, with no stage in either window of 2018-07-01 to 2018-08-31: its
  // campaign and channel still make a group, of its one running assessment a year before.
  households.push(
    household(
      'gap',
      enquiry('gap', '2016-11-01', { campaignId: 'gap-only', channel: 'facebook' }),
      assessment('gap', '2017-01-10'),
      approval('gap', '2018-03-01'),
    ),
  );
  const spendRecords = [spend('link', '2018-07-01', 450_000), spend('radio-2019', '2019-02-01', 120_000)];
  const windows = [
    { from: '2018-01-01', to: '2018-12-31' },
    { from: '2018-07-01', to: '2018-08-31' },
    { from: '2017-07-01', to: '2017-08-31' },
    { from: '2019-04-01', to: '2020-03-31' },
    { from: '2017-02-28', to: '2017-02-28' },
  ];

  it.each(
    windows.flatMap((w) =>
      [undefined, 'link'].flatMap((campaignId) => [undefined, 'channel', 'campaign'].map((groupBy) => ({ ...w, campaignId, groupBy }))),
    ),
  )('answers $from to $to (campaign $campaignId, by $groupBy) as the definition over whole households does', (query) => {
    const q = query as ConversionQuery;
    expect(campaignConversion(q, households, spendRecords)).toEqual(campaignConversionAsDefined(q, households, spendRecords));
  });

  it('keeps a household in figures by the days of its enquiry and stages, each a whole count', () => {
    const h = household(
      'x',
      enquiry('x', '2019-07-02', { campaignId: 'link' }),
      initialVisit('x', '2019-07-10'),
      approval('x', '2019-09-01', 2),
    );
    expect(conversionCountsOf(h).map(({ day, figure, n }) => `${day} ${figure} ${n}`)).toEqual([
      '2019-07-02 enquiries 1',
      '2019-07-10 initialVisits 1',
      '2019-09-01 approvals 1',
      '2019-07-02 cohortInitialVisits 1',
      '2019-07-02 cohortAssessments 1',
      '2019-07-02 cohortApprovals 1',
      '2019-07-02 cohortApprovedBeds 2',
      '2019-07-02 enquiryToVisitDays:8 1',
    ]);
  });

  it('reads the assessments running at `to` from the running households, not the counts', () => {
    const running = household('r', enquiry('r', '2016-01-05'), assessment('r', '2016-03-01'));
    const result = conversionFromCounts({ from: '2019-01-01', to: '2019-12-31' }, [], [running], []);
    expect(result.activity.inAssessmentAt).toEqual({ count: 1, previousYear: 1, changePct: 0 });
    expect(result.cohort.enquiries).toBe(0);
  });
});
