import { campaignConversion, type SpendRecord } from '../../shared/domain/campaign-conversion';
import { foldHousehold, type HouseholdState } from '../../shared/domain/household';
import { roundHalfUp, median, changePct } from '../../shared/domain/arithmetic';
import { addYears, daysBetween } from '../../shared/domain/calendar';
import { approval, assessment, closure, enquiry, initialVisit } from '../support/funnel-events';

type Events = Parameters<typeof foldHousehold>[2];
const household = (id: string, ...events: Events): HouseholdState => foldHousehold('agency-a', id, events);
const spend = (campaignId: string, on: string, amountPence: number): SpendRecord => ({
  campaignId,
  amountPence,
  at: `${on}T12:00:00.000Z`,
  eventId: `s-${on}-${amountPence}`,
});

describe('SPEC §5 arithmetic', () => {
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

describe('campaign conversion (SPEC §5.1)', () => {
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
