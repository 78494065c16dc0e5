// The hub's figures (docs/metrics.md, the hub's front door): each household that enquired at the hub
// counted there, followed through its handover to the council that took it on. Hub targets are the
// defaults: first response 1 working day, initial visit 10 working days. 2 February 2026 is a Monday.
import { defaultTimescaleTargets } from '../../shared/domain/agency-settings';
import { foldHousehold, type HouseholdState } from '../../shared/domain/household';
import { hubFigureSet, hubWindowFigures, type HubHousehold } from '../../shared/domain/hub-figures';
import { referralSnapshot } from '../../shared/domain/referral';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { approval, assessment, closure, contactAttempt, enquiry, initialVisit, referralOn } from '../support/funnel-events';

const hub = 'east-hub';
const atHub = (id: string, ...events: HouseholdEvent[]): HouseholdState =>
  foldHousehold(
    hub,
    id,
    events.map((e) => ({ ...e, detail: { ...e.detail, agencyId: hub } }) as HouseholdEvent),
  );
/** The council's record: what the hub passed on, then the council's own steps. */
const atCouncil = (council: string, fromHub: HouseholdState, ...events: HouseholdEvent[]): HouseholdState =>
  foldHousehold(
    council,
    fromHub.householdId,
    events.map((e) => ({ ...e, detail: { ...e.detail, agencyId: council } }) as HouseholdEvent),
    [referralSnapshot(fromHub)!],
  );
const handedOver = (hubRecord: HouseholdState, council: string, ...events: HouseholdEvent[]): HubHousehold => ({
  atHub: hubRecord,
  atCouncil: atCouncil(council, hubRecord, ...events),
});

// h1: answered the next day (due Tue 3 Feb: within), visited Fri 13 Feb (due Mon 16 Feb: within),
// handed to north on 16 Feb (14 days), assessed there 2 Mar, approved 30 Jul (150 days).
const h1Hub = atHub(
  'h1',
  enquiry('h1', '2026-02-02', { campaignId: 'c1' }),
  contactAttempt('h1', '2026-02-03', 'reached'),
  initialVisit('h1', '2026-02-13'),
  referralOn('h1', '2026-02-16', 'north'),
);
const h1 = handedOver(h1Hub, 'north', assessment('h1', '2026-03-02'), approval('h1', '2026-07-30'));
// h2: answered Thu 5 Feb (late), visited Wed 18 Feb (late), handed to south 20 Feb (18 days), assessed 9 Mar.
const h2Hub = atHub(
  'h2',
  enquiry('h2', '2026-02-02', { campaignId: 'c1' }),
  contactAttempt('h2', '2026-02-05', 'reached'),
  initialVisit('h2', '2026-02-18'),
  referralOn('h2', '2026-02-20', 'south'),
);
const h2 = handedOver(h2Hub, 'south', assessment('h2', '2026-03-09'));
// h3: no campaign, answered within target, closed at the hub.
const h3: HubHousehold = {
  atHub: atHub(
    'h3',
    enquiry('h3', '2026-02-03'),
    contactAttempt('h3', '2026-02-04', 'reached'),
    closure('h3', '2026-02-10', 'not_proceeding'),
  ),
};
// h4: campaign c2, not answered yet.
const h4: HubHousehold = { atHub: atHub('h4', enquiry('h4', '2026-02-04', { campaignId: 'c2' })) };
// h5: a year earlier, answered the same day, handed to north a week later (7 days).
const h5Hub = atHub(
  'h5',
  enquiry('h5', '2025-02-03', { campaignId: 'c1' }),
  contactAttempt('h5', '2025-02-03', 'information_sent'),
  referralOn('h5', '2025-02-10', 'north'),
);
const h5 = handedOver(h5Hub, 'north');
// h6: after the window.
const h6: HubHousehold = { atHub: atHub('h6', enquiry('h6', '2026-03-16', { campaignId: 'c1' })) };

const all = [h1, h2, h3, h4, h5, h6];
const february = { from: '2026-02-01', to: '2026-02-28' };

describe("the hub's figures for February 2026", () => {
  const figures = hubWindowFigures(all, february, defaultTimescaleTargets);

  it('count the four enquiries at the hub, each followed to where it went', () => {
    expect(figures).toMatchObject({
      from: '2026-02-01',
      to: '2026-02-28',
      enquiries: 4,
      // h1 and h3 answered within a working day, h2 late, h4 not yet.
      firstResponse: { households: 3, withinTarget: 2, rate: 0.6667 },
      initialVisit: { households: 2, withinTarget: 1, rate: 0.5 },
      handedOver: 2,
      // Both assessed by the councils, one approved: applications and approvals are the councils'.
      applications: 2,
      approvals: 1,
      enquiryToApplicationRate: 0.5,
      medianDaysEnquiryToHandover: 16, // 14 and 18
      medianDaysApplicationToApproval: 150,
    });
  });

  it('give what became of the households each council was handed, its rate per household handed to it', () => {
    expect(figures.byCouncil).toEqual({
      // h1: handed over after 14 days, assessed, approved 150 days later.
      north: {
        handedOver: 1,
        applications: 1,
        approvals: 1,
        enquiryToApplicationRate: 1,
        medianDaysEnquiryToHandover: 14,
        medianDaysApplicationToApproval: 150,
      },
      // h2: handed over after 18 days, assessed, not approved yet.
      south: {
        handedOver: 1,
        applications: 1,
        approvals: 0,
        enquiryToApplicationRate: 1,
        medianDaysEnquiryToHandover: 18,
        medianDaysApplicationToApproval: null,
      },
    });
  });

  it('give the same figures by campaign (a household without one is in the totals only)', () => {
    expect(Object.keys(figures.byCampaign)).toEqual(['c1', 'c2']);
    expect(figures.byCampaign.c1).toEqual({
      enquiries: 2,
      firstResponse: { households: 2, withinTarget: 1, rate: 0.5 },
      initialVisit: { households: 2, withinTarget: 1, rate: 0.5 },
      handedOver: 2,
      applications: 2,
      approvals: 1,
      enquiryToApplicationRate: 1,
      medianDaysEnquiryToHandover: 16,
      medianDaysApplicationToApproval: 150,
      byCouncil: figures.byCouncil, // c1's households are h1 and h2, the whole of February's handovers
    });
    expect(figures.byCampaign.c2).toEqual({
      enquiries: 1,
      firstResponse: { households: 0, withinTarget: 0, rate: null },
      initialVisit: { households: 0, withinTarget: 0, rate: null },
      handedOver: 0,
      applications: 0,
      approvals: 0,
      enquiryToApplicationRate: 0,
      medianDaysEnquiryToHandover: null,
      medianDaysApplicationToApproval: null,
      byCouncil: {},
    });
  });

  it('a year earlier, count that window alone', () => {
    expect(hubWindowFigures(all, { from: '2025-02-01', to: '2025-02-28' }, defaultTimescaleTargets)).toMatchObject({
      enquiries: 1,
      firstResponse: { households: 1, withinTarget: 1, rate: 1 },
      initialVisit: { households: 0, withinTarget: 0, rate: null },
      handedOver: 1,
      applications: 0,
      enquiryToApplicationRate: 0,
      medianDaysEnquiryToHandover: 7,
      byCouncil: { north: expect.objectContaining({ handedOver: 1, applications: 0, enquiryToApplicationRate: 0 }) },
      byCampaign: { c1: expect.objectContaining({ enquiries: 1 }) },
    });
  });
});

describe('a household followed through its handover', () => {
  it("counts the council's initial visit against the hub's target from the hub's enquiry date", () => {
    const hubRecord = atHub(
      'v',
      enquiry('v', '2026-02-02'),
      contactAttempt('v', '2026-02-02', 'reached'),
      referralOn('v', '2026-02-04', 'north'),
    );
    // Due Mon 16 Feb: the council's visit on the 16th is within, on the 17th is not.
    expect(hubFigureSet([handedOver(hubRecord, 'north', initialVisit('v', '2026-02-16'))], defaultTimescaleTargets).initialVisit).toEqual({
      households: 1,
      withinTarget: 1,
      rate: 1,
    });
    expect(hubFigureSet([handedOver(hubRecord, 'north', initialVisit('v', '2026-02-17'))], defaultTimescaleTargets).initialVisit).toEqual({
      households: 1,
      withinTarget: 0,
      rate: 0,
    });
  });

  it("is the hub's again once handed back: not a handover, and the council's steps no longer counted", () => {
    const hubRecord = foldHousehold(
      hub,
      'b',
      [enquiry('b', '2026-02-02'), referralOn('b', '2026-02-04', 'north')].map(
        (e) => ({ ...e, detail: { ...e.detail, agencyId: hub } }) as HouseholdEvent,
      ),
      [{ fromAgencyId: 'north', at: '2026-02-20T09:00:00.000Z', eventId: 'back' }],
    );
    const council = atCouncil(
      'north',
      atHub('b', enquiry('b', '2026-02-02'), referralOn('b', '2026-02-04', 'north')),
      assessment('b', '2026-02-10'),
    );
    expect(hubFigureSet([{ atHub: hubRecord, atCouncil: council }], defaultTimescaleTargets)).toMatchObject({
      handedOver: 0,
      applications: 0,
      byCouncil: {},
    });
  });

  it('ignores a record from another council than the one the household was handed to', () => {
    const hubRecord = atHub('x', enquiry('x', '2026-02-02'), referralOn('x', '2026-02-04', 'north'));
    const elsewhere = atCouncil('south', hubRecord, assessment('x', '2026-02-10'));
    expect(hubFigureSet([{ atHub: hubRecord, atCouncil: elsewhere }], defaultTimescaleTargets).applications).toBe(0);
  });
});

describe('one council handed several households', () => {
  // Three to north: after 2, 5 and 9 days; two assessed, one of them approved 200 days on.
  const to = (id: string, handedOn: string, ...atNorth: HouseholdEvent[]) =>
    handedOver(atHub(id, enquiry(id, '2026-02-02'), referralOn(id, handedOn, 'north')), 'north', ...atNorth);
  const set = hubFigureSet(
    [
      to('n1', '2026-02-04', assessment('n1', '2026-03-02'), approval('n1', '2026-09-18')),
      to('n2', '2026-02-07', assessment('n2', '2026-03-16')),
      to('n3', '2026-02-11'),
      { atHub: atHub('k', enquiry('k', '2026-02-02'), closure('k', '2026-02-20', 'not_proceeding')) },
    ],
    defaultTimescaleTargets,
  );

  it("counts its outcomes against the households it was handed, not the hub's enquiries", () => {
    expect(set.byCouncil).toEqual({
      north: {
        handedOver: 3,
        applications: 2,
        approvals: 1,
        enquiryToApplicationRate: 0.6667, // 2 of 3 handed over
        medianDaysEnquiryToHandover: 5, // 2, 5, 9
        medianDaysApplicationToApproval: 200,
      },
    });
    // The hub's own rate is per enquiry: 2 of 4.
    expect([set.enquiries, set.handedOver, set.enquiryToApplicationRate]).toEqual([4, 3, 0.5]);
  });
});

describe('a household the council closed as a duplicate', () => {
  it('is no enquiry at the hub either', () => {
    const marked = enquiry('h7', '2026-02-05', { campaignId: 'c1', possibleDuplicateOf: ['h1'] });
    const h7 = handedOver(atHub('h7', marked, referralOn('h7', '2026-02-09', 'north')), 'north', closure('h7', '2026-02-11', 'duplicate'));
    const counted = (households: HubHousehold[]) => hubWindowFigures(households, february, defaultTimescaleTargets).enquiries;
    expect(counted([...all, h7])).toBe(counted(all));
    const h7Open = handedOver(atHub('h7', marked, referralOn('h7', '2026-02-09', 'north')), 'north');
    expect(counted([...all, h7Open])).toBe(counted(all) + 1);
  });
});
