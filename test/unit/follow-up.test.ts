// A household's follow-up state (docs/rules.md) at a date (the first rule that applies), its next action
// and due date, its first response, and the caseload's counts and timeliness built on them.
import { foldHousehold } from '../../shared/domain/household';
import { firstResponseOn, followUpOn } from '../../shared/domain/follow-up';
import { caseloadMetric, caseloadPage, timeliness } from '../../shared/domain/caseload';
import { defaultTimescaleTargets } from '../../shared/domain/agency-settings';
import { approval, assessment, closure, contactAttempt, enquiry, initialVisit, referralOn } from '../support/funnel-events';

const targets = defaultTimescaleTargets;
const fold = (id: string, ...events: Parameters<typeof foldHousehold>[2]) => foldHousehold('agency-a', id, events);
const stateOn = (date: string, ...events: Parameters<typeof foldHousehold>[2]) => followUpOn(fold('h1', ...events), date, targets);

describe('the follow-up state, first rule that applies', () => {
  const enquired = enquiry('h1', '2019-07-05'); // a Friday

  it('1. approved, closed and referred on households are done', () => {
    expect(stateOn('2019-12-01', enquired, approval('h1', '2019-11-01')).state).toBe('approved');
    expect(stateOn('2019-08-01', enquired, closure('h1', '2019-07-20', 'not_proceeding'))).toMatchObject({
      state: 'closed',
      closedReason: 'not_proceeding',
      nextAction: null,
    });
    expect(stateOn('2019-08-01', enquired, referralOn('h1', '2019-07-12', 'peterborough')).state).toBe('referred_on');
  });

  it('2. an assessment started outranks any call-back asked for', () => {
    const followUp = stateOn(
      '2019-10-01',
      enquired,
      contactAttempt('h1', '2019-09-20', 'callback_requested', '2019-10-20'),
      assessment('h1', '2019-09-16'),
    );
    expect(followUp).toMatchObject({ state: 'in_assessment', nextAction: 'decision', dueOn: '2020-05-13' }); // 16 Sept 2019 + 240 days
  });

  it('3. the latest attempt asking for a call back, or not ready yet, sets the state, even after a visit', () => {
    expect(stateOn('2019-07-10', enquired, contactAttempt('h1', '2019-07-08', 'callback_requested', '2019-07-15'))).toMatchObject({
      state: 'callback_requested',
      nextAction: 'follow_up',
      dueOn: '2019-07-15',
      overdue: false,
      attempts: 1,
      lastContactOn: '2019-07-08',
    });
    expect(
      stateOn('2019-08-01', enquired, initialVisit('h1', '2019-07-22'), contactAttempt('h1', '2019-07-29', 'not_ready_yet', '2020-01-06')),
    ).toMatchObject({ state: 'not_ready_yet', dueOn: '2020-01-06' });
  });

  it('3. only the latest attempt counts: a call back then reached is in contact again', () => {
    const followUp = stateOn(
      '2019-07-20',
      enquired,
      contactAttempt('h1', '2019-07-08', 'callback_requested', '2019-07-15'),
      contactAttempt('h1', '2019-07-15', 'reached'),
    );
    expect(followUp).toMatchObject({ state: 'in_contact', nextAction: 'initial_visit', attempts: 2 });
  });

  it('4. a visit with no call-back pending is visited, with no next action', () => {
    expect(stateOn('2019-08-01', enquired, contactAttempt('h1', '2019-07-08', 'reached'), initialVisit('h1', '2019-07-22'))).toMatchObject({
      state: 'visited',
      nextAction: null,
      dueOn: null,
      overdue: false,
    });
  });

  it('5. no attempt yet: a first response is due one working day after the enquiry', () => {
    expect(stateOn('2019-07-08', enquired)).toMatchObject({
      state: 'awaiting_first_response',
      nextAction: 'first_response',
      dueOn: '2019-07-08',
      overdue: false,
    });
    expect(stateOn('2019-07-09', enquired)).toMatchObject({ overdue: true });
    // A Friday enquiry before the August bank holiday is due on the Tuesday.
    expect(stateOn('2019-08-23', enquiry('h1', '2019-08-23')).dueOn).toBe('2019-08-27');
  });

  it('6. attempts that reached nobody are no response yet; the visit is due ten working days after the enquiry', () => {
    expect(
      stateOn('2019-07-12', enquired, contactAttempt('h1', '2019-07-08', 'no_answer'), contactAttempt('h1', '2019-07-09', 'left_message')),
    ).toMatchObject({ state: 'no_response_yet', nextAction: 'initial_visit', dueOn: '2019-07-19', attempts: 2 });
  });

  it('7. otherwise in contact (reached, or information sent)', () => {
    expect(stateOn('2019-07-12', enquired, contactAttempt('h1', '2019-07-08', 'information_sent', undefined, 'email')).state).toBe(
      'in_contact',
    );
  });

  it('reads the state at a past date from the events before D+1 only', () => {
    const events = [
      enquired,
      contactAttempt('h1', '2019-07-08', 'no_answer'),
      contactAttempt('h1', '2019-07-10', 'reached'),
      initialVisit('h1', '2019-07-22'),
    ];
    expect(stateOn('2019-07-05', ...events).state).toBe('awaiting_first_response');
    expect(stateOn('2019-07-09', ...events).state).toBe('no_response_yet');
    expect(stateOn('2019-07-10', ...events).state).toBe('in_contact');
    expect(stateOn('2019-07-22', ...events).state).toBe('visited');
  });

  it('gives the same state for any arrival order', () => {
    const events = [
      enquired,
      contactAttempt('h1', '2019-07-08', 'callback_requested', '2019-07-15'),
      contactAttempt('h1', '2019-07-15', 'no_answer'),
    ];
    expect(stateOn('2019-08-01', ...[...events].reverse())).toStrictEqual(stateOn('2019-08-01', ...events));
  });
});

describe('the first response', () => {
  it('is the earliest contact attempt or stage event, whatever its outcome', () => {
    expect(
      firstResponseOn(
        fold('h1', enquiry('h1', '2019-07-05'), contactAttempt('h1', '2019-07-09', 'no_answer'), initialVisit('h1', '2019-07-08')),
      ),
    ).toBe('2019-07-08');
    expect(firstResponseOn(fold('h1', enquiry('h1', '2019-07-05')))).toBeUndefined();
  });
});

describe('the caseload', () => {
  const households = [
    fold('a', enquiry('a', '2019-07-01')), // first response due 2 July: overdue on the 10th
    fold('b', enquiry('b', '2019-07-03'), contactAttempt('b', '2019-07-04', 'callback_requested', '2019-07-09')),
    fold('c', enquiry('c', '2019-07-02'), contactAttempt('c', '2019-07-03', 'reached'), initialVisit('c', '2019-07-08')), // visited: no due date
    fold('d', enquiry('d', '2019-07-02'), closure('d', '2019-07-04', 'not_suitable')),
    fold('e', enquiry('e', '2019-07-11')), // after D
  ];

  it('lists the open households at D by due date (none last), with their next action', () => {
    const page = caseloadPage(households, { on: '2019-07-10' });
    expect(page.households.map((h) => [h.householdId, h.state, h.dueOn, h.overdue, h.daysOpen])).toEqual([
      ['a', 'awaiting_first_response', '2019-07-02', true, 9],
      ['b', 'callback_requested', '2019-07-09', true, 7],
      ['c', 'visited', null, false, 8],
    ]);
    expect(page.next).toBeNull();
  });

  it('filters by state and overdue, and pages with a cursor', () => {
    expect(caseloadPage(households, { on: '2019-07-10', overdue: true }).households.map((h) => h.householdId)).toEqual(['a', 'b']);
    expect(caseloadPage(households, { on: '2019-07-10', state: 'visited' }).households.map((h) => h.householdId)).toEqual(['c']);
    const first = caseloadPage(households, { on: '2019-07-10' }, undefined, { size: 2 });
    expect([first.households.length, first.next]).toEqual([2, expect.any(String)]);
    const second = caseloadPage(households, { on: '2019-07-10' }, undefined, { size: 2, cursor: first.next! });
    expect(second.households.map((h) => h.householdId)).toEqual(['c']);
  });

  it('counts each enquiry once under its state at D, with closures by reason and overdue next actions', () => {
    const metric = caseloadMetric(households, { on: '2019-07-10' });
    expect(metric).toEqual({
      on: '2019-07-10',
      enquiries: 4,
      byState: { awaiting_first_response: 1, callback_requested: 1, visited: 1, closed: 1 },
      closedByReason: { not_suitable: 1 },
      open: 3,
      overdue: 2,
      dueToday: 0,
      byNextAction: {
        first_response: { households: 1, overdue: 1, dueToday: 0 },
        initial_visit: { households: 0, overdue: 0, dueToday: 0 },
        follow_up: { households: 1, overdue: 1, dueToday: 0 },
        decision: { households: 0, overdue: 0, dueToday: 0 },
      },
    });
  });

  it("counts and lists what falls due on D (today's work), and filters by the next action", () => {
    const withCallBackToday = [
      ...households,
      fold('f', enquiry('f', '2019-07-03'), contactAttempt('f', '2019-07-04', 'callback_requested', '2019-07-10')),
    ];
    expect(caseloadMetric(withCallBackToday, { on: '2019-07-10' })).toMatchObject({
      overdue: 2,
      dueToday: 1,
      byNextAction: { follow_up: { households: 2, overdue: 1, dueToday: 1 } },
    });
    const ids = (filter: Partial<Parameters<typeof caseloadPage>[1]>) =>
      caseloadPage(withCallBackToday, { on: '2019-07-10', ...filter }).households.map((h) => h.householdId);
    expect(ids({ dueOn: '2019-07-10' })).toEqual(['f']);
    expect(ids({ nextAction: 'first_response' })).toEqual(['a']);
    expect(ids({ nextAction: 'follow_up', overdue: true })).toEqual(['b']);
  });
});

describe('timeliness', () => {
  it('measures first responses and visits in working days against the targets, approvals in days', () => {
    const households = [
      fold('a', enquiry('a', '2019-08-23'), contactAttempt('a', '2019-08-27', 'reached'), initialVisit('a', '2019-09-06')), // 1 and 9 working days: both within
      fold('b', enquiry('b', '2019-08-01'), contactAttempt('b', '2019-08-05', 'no_answer'), initialVisit('b', '2019-08-30')), // 2 and 20: neither
      fold('c', enquiry('c', '2019-08-02')), // no response yet: not counted
      fold('d', enquiry('d', '2018-01-10'), assessment('d', '2018-12-03'), approval('d', '2019-08-20')), // 260 days: late
    ];
    expect(timeliness(households, { from: '2019-08-01', to: '2019-08-31' })).toEqual({
      from: '2019-08-01',
      to: '2019-08-31',
      firstResponse: { households: 2, withinTarget: 1, rate: 0.5, medianWorkingDays: 1.5 },
      initialVisit: { households: 2, withinTarget: 1, rate: 0.5, medianWorkingDays: 14.5 },
      approval: { households: 1, withinTarget: 0, rate: 0, medianDays: 260 },
    });
  });

  it('gives null rates and medians when nothing qualifies', () => {
    expect(timeliness([], { from: '2019-08-01', to: '2019-08-31' }).approval).toEqual({
      households: 0,
      withinTarget: 0,
      rate: null,
      medianDays: null,
    });
  });
});
