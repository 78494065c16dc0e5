// docs/rules.md, delivery: a household's state is a function of its set of events. Folding an event that comes
// after every event folded so far onto the stored state (the projector's path for an event in order)
// must give exactly the state refolding all of them gives.
import { comesAfterFolded, compareEvents, foldHousehold, foldOnto, type HouseholdState } from '../../shared/domain/household';
import { householdDetailTypes, type HouseholdEvent } from '../../shared/events/catalogue';
import { generateRegionHistory } from '../../tools/demo/history';

const isHouseholdEvent = (e: { detailType: string }): e is HouseholdEvent =>
  (householdDetailTypes as readonly string[]).includes(e.detailType);

function householdsOf(events: readonly { detailType: string }[]): Map<string, HouseholdEvent[]> {
  const byHousehold = new Map<string, HouseholdEvent[]>();
  for (const event of events) {
    if (!isHouseholdEvent(event)) continue;
    const key = `${event.detail.agencyId}#${event.detail.householdId}`;
    byHousehold.set(key, [...(byHousehold.get(key) ?? []), event]);
  }
  return byHousehold;
}

// foldOnto copies with structuredClone, whose objects come from Node's realm, not the test's: compared as plain data.
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const history = householdsOf(generateRegionHistory({ seed: 7, agencyIds: ['cambs', 'peterborough'], fromYear: 2018, years: 2 }));

test('folding each event in order onto the state so far gives the refolded state, for every household of two years of a region', () => {
  expect(history.size).toBeGreaterThan(500);
  let folded = 0;
  for (const events of history.values()) {
    const sorted = [...events].sort(compareEvents);
    const { agencyId, householdId } = sorted[0]!.detail;
    let state: HouseholdState = foldHousehold(agencyId, householdId, []);
    for (const event of sorted) {
      expect(comesAfterFolded(state, event)).toBe(true);
      state = foldOnto(state, event);
      folded += 1;
    }
    expect(plain(state)).toStrictEqual(plain(foldHousehold(agencyId, householdId, events)));
  }
  expect(folded).toBeGreaterThan(2000);
});

test('an event dated before the last one folded, or the last one again, is not folded onto the state: it needs a refold', () => {
  const events = [...history.values()].find((e) => e.length >= 3)!.sort(compareEvents);
  const { agencyId, householdId } = events[0]!.detail;
  const state = foldHousehold(agencyId, householdId, events.slice(1));
  expect(comesAfterFolded(state, events[0]!)).toBe(false);
  expect(comesAfterFolded(state, events.at(-1)!)).toBe(false);
  expect(() => foldOnto(state, events[0]!)).toThrow(/refold/);
});

test('folding onto a state leaves the state given as it was', () => {
  const events = [...history.values()].find((e) => e.length >= 2)!.sort(compareEvents);
  const { agencyId, householdId } = events[0]!.detail;
  const before = foldHousehold(agencyId, householdId, events.slice(0, -1));
  const copy = plain(before);
  foldOnto(before, events.at(-1)!);
  expect(plain(before)).toStrictEqual(copy);
});
