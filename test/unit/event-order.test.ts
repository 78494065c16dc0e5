// Events are ordered by their UTC instant, never by the text of `occurredAt`. The same
// instants written with other offsets give the same household, whatever the delivery order.
import fc from 'fast-check';
import { compareEvents, foldHousehold, referralRewardEventId } from '../../shared/domain/household';
import { checkHouseholdCommand } from '../../shared/domain/command-rules';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { anEvent, approval, assessment, closure, enquiry, initialVisit, placementStart } from '../support/funnel-events';

/** The instant written with an offset of `minutes` (e.g. +05:00 for 300). */
function withOffset(utc: string, minutes: number): string {
  const local = new Date(new Date(utc).getTime() + minutes * 60_000).toISOString().slice(0, 19);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

test('a closure at 09:00+05:00 comes before a visit at 05:00Z the same day: the visit reopens the household', () => {
  const closed = anEvent('EnquiryClosed', '2019-07-10T09:00:00+05:00', { householdId: 'h', reason: 'no_response', eventId: 'z-closure' });
  const visited = anEvent('InitialVisitCompleted', '2019-07-10T05:00:00Z', { householdId: 'h', eventId: 'a-visit' });
  expect(compareEvents(closed, visited)).toBeLessThan(0);
  const state = foldHousehold('agency-a', 'h', [enquiry('h', '2019-07-01'), visited, closed]);
  expect(state.closures).toEqual([{ at: '2019-07-10T04:00:00.000Z', reason: 'no_response', reopenedAt: '2019-07-10T05:00:00.000Z' }]);
});

test('a placement checked at 23:30-02:00 on the day of approval is after it in UTC (01:30 the next day)', () => {
  const approved = foldHousehold('agency-a', 'h', [enquiry('h', '2019-07-01'), approval('h', '2019-08-02T00:00:00Z', 1)]);
  const placement = anEvent('PlacementStarted', '2019-08-01T23:30:00-02:00', { householdId: 'h', placementId: 'p' });
  expect(checkHouseholdCommand(approved, placement as HouseholdEvent)).toEqual({ allowed: true });
});

const history = (): HouseholdEvent[] => [
  enquiry('h', '2019-07-02T10:00:00Z', { channel: 'referral', referredByHouseholdId: 'friend' }),
  initialVisit('h', '2019-07-10T23:30:00Z'),
  closure('h', '2019-07-11T01:00:00Z', 'no_response'),
  assessment('h', '2019-07-20T12:00:00Z', 2),
  approval('h', '2019-09-01T08:00:00Z', 2),
  placementStart('h', 'p1', '2019-09-02T00:15:00Z'),
];

test('the same instants written with any offsets, in any order and with duplicates, fold to the same household', () => {
  const events = history(); // once: each event keeps its eventId
  const reference = foldHousehold('agency-a', 'h', events);
  expect(reference.referralRewardEventId).toBe(referralRewardEventId('agency-a', 'h'));
  fc.assert(
    fc.property(
      fc.array(
        fc.integer({ min: -12 * 60, max: 14 * 60 }).map((m) => m - (m % 15)),
        { minLength: 6, maxLength: 6 },
      ),
      fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
      fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
      (offsets, sortKeys, duplicates) => {
        const rewritten = events.map(
          (event, i) =>
            ({ ...event, detail: { ...event.detail, occurredAt: withOffset(event.detail.occurredAt, offsets[i]!) } }) as HouseholdEvent,
        );
        const delivered = [
          ...rewritten.map((e, i) => ({ e, k: sortKeys[i]! })),
          ...duplicates.map((i) => ({ e: rewritten[i]!, k: sortKeys[i]! + 0.5 })),
        ]
          .sort((x, y) => x.k - y.k)
          .map((d) => d.e);
        expect(foldHousehold('agency-a', 'h', delivered)).toStrictEqual(reference);
      },
    ),
    { numRuns: 300 },
  );
});
