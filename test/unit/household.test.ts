import {
  comesAfterFolded,
  foldHousehold,
  hasReached,
  statusOf,
  furthestStage,
  inAssessmentAt,
  currentClosure,
} from '../../shared/domain/household';
import { referralSnapshot } from '../../shared/domain/referral';
import { anEvent, approval, assessment, closure, enquiry, initialVisit, referralOn } from '../support/funnel-events';

const fold = (...events: Parameters<typeof foldHousehold>[2]) => foldHousehold('agency-a', 'h1', events);

describe("a household's stages (stages are cumulative)", () => {
  it('has reached every earlier stage once a later one is recorded, whatever arrived', () => {
    const state = fold(approval('h1', '2019-06-01'));
    expect(['enquiry', 'initialVisit', 'assessment', 'approved'].every((s) => hasReached(state, s as never))).toBe(true);
    expect(furthestStage(state)).toBe('approved');
  });

  it('keeps the earliest date of a stage recorded twice', () => {
    const state = fold(initialVisit('h1', '2019-05-10'), initialVisit('h1', '2019-05-02'));
    expect(state.initialVisitAt).toBe('2019-05-02T09:00:00.000Z');
  });

  it('gives the same state for any arrival order and any duplicates', () => {
    const events = [
      enquiry('h1', '2019-05-01'),
      initialVisit('h1', '2019-05-10'),
      closure('h1', '2019-05-20', 'not_proceeding'),
      assessment('h1', '2019-06-01'),
    ];
    const forward = fold(...events);
    const shuffled = fold(events[3]!, events[1]!, events[3]!, events[0]!, events[2]!, events[1]!);
    expect(shuffled).toStrictEqual(forward);
  });

  it('normalises any UTC offset to a UTC instant', () => {
    const state = fold(enquiry('h1', '2019-07-01T00:30:00+01:00'));
    expect(state.enquiry?.at).toBe('2019-06-30T23:30:00.000Z');
  });
});

describe('closures', () => {
  it('closes an open enquiry with its reason', () => {
    const state = fold(enquiry('h1', '2019-05-01'), closure('h1', '2019-05-03', 'no_response'));
    expect(statusOf(state)).toBe('closed');
    expect(currentClosure(state)?.reason).toBe('no_response');
  });

  it('is reopened by a stage recorded after the closure (the household came back)', () => {
    const state = fold(enquiry('h1', '2019-05-01'), closure('h1', '2019-05-03', 'no_response'), initialVisit('h1', '2019-06-01'));
    expect(statusOf(state)).toBe('open');
    expect(state.closures[0]?.reopenedAt).toBe('2019-06-01T09:00:00.000Z');
  });

  it('is ignored after approval: an approved household leaves by resigning', () => {
    const state = fold(approval('h1', '2019-05-01'), closure('h1', '2019-06-01', 'other'));
    expect(statusOf(state)).toBe('approved');
  });

  it('counts a referral on as a closure referred_elsewhere for the referring agency', () => {
    const state = fold(enquiry('h1', '2019-07-02'), referralOn('h1', '2019-07-09', 'agency-b'));
    expect(currentClosure(state)?.reason).toBe('referred_elsewhere');
    expect(state.referredOut).toEqual({ at: '2019-07-09T09:00:00.000Z', toAgencyId: 'agency-b' });
  });
});

describe('a referred household at the receiving agency', () => {
  it('is open at the stage it had reached, with its campaign attribution kept', () => {
    const referring = fold(
      enquiry('h1', '2019-07-02', { campaignId: 'link-2019', channel: 'facebook' }),
      initialVisit('h1', '2019-07-05'),
      referralOn('h1', '2019-07-09', 'agency-b'),
    );
    const received = foldHousehold('agency-b', 'h1', [], [referralSnapshot(referring)!]);
    expect(statusOf(received)).toBe('open');
    expect(furthestStage(received)).toBe('initialVisit');
    expect(received.enquiry?.campaignId).toBe('link-2019');
    expect(received.referredIn?.fromAgencyId).toBe('agency-a');
  });
});

describe('in assessment at a date', () => {
  const state = fold(enquiry('h1', '2019-01-01'), assessment('h1', '2019-02-01'), closure('h1', '2019-03-01', 'AW3'));
  it("counts from the assessment's start until it is closed or approved", () => {
    expect(inAssessmentAt(state, '2019-01-31T23:59:59.999Z')).toBe(false);
    expect(inAssessmentAt(state, '2019-02-01T23:59:59.999Z')).toBe(true);
    expect(inAssessmentAt(state, '2019-03-01T23:59:59.999Z')).toBe(false);
  });
});

describe('a step corrected (recorded by mistake)', () => {
  const visit = initialVisit('h1', '2019-07-10');
  const correction = anEvent('StepCorrected', '2019-07-11', { householdId: 'h1', correctedEventId: visit.detail.eventId });
  const events = [enquiry('h1', '2019-07-01'), visit, correction, assessment('h1', '2019-08-01')];

  it('is folded as if it had never been recorded, whatever order the events arrive in', () => {
    const expected = fold(enquiry('h1', '2019-07-01'), assessment('h1', '2019-08-01')).initialVisitAt;
    for (const order of [events, [...events].reverse(), [correction, ...events]]) {
      const state = fold(...order);
      expect(state.initialVisitAt).toBe(expected);
      expect(state.correctedEventIds).toEqual([visit.detail.eventId]);
    }
    // Stages stay cumulative: the assessment still implies a visit was reached.
    expect(hasReached(fold(...events), 'initialVisit')).toBe(true);
  });

  it('is never folded onto a state that has it corrected, nor is a correction: both refold', () => {
    const state = fold(enquiry('h1', '2019-07-01'), correction);
    const late = { ...visit, detail: { ...visit.detail, occurredAt: '2019-07-12T09:00:00.000Z' } };
    expect([comesAfterFolded(state, late), comesAfterFolded(fold(enquiry('h1', '2019-07-01')), correction)]).toEqual([false, false]);
  });
});
