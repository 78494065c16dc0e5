// Issue 14: no item grows with a carer's years. The state item keeps what is in force (open
// placements and holds, those ended in its latest event's year, the last placement ended; the
// approval terms in force from that year on, the risk flags not cleared before it); every other
// ended one is in a year item of each year it was in force in. Whatever way the items were
// written (event by event, or refolded whole), the state item and the year items an answer needs
// give exactly the answer the whole record gives.
import fc from 'fast-check';
import { compareEvents, foldHousehold, foldOnto, type HouseholdState } from '../../shared/domain/household';
import { bedsOnHold, capacity } from '../../shared/domain/capacity';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import {
  yearSpansFrom,
  splitByYear,
  stateItemDecides,
  withYearSpans,
  yearsNeeded,
  yearsNeededUpTo,
  type YearSpans,
} from '../../shared/store/household-years';
import { checkHouseholdCommand } from '../../shared/domain/command-rules';
import { resignationForecast } from '../../shared/domain/resignation-forecast';
import { longServingCarer } from '../../bench/long-carer';
import {
  approval,
  approvalChange,
  assessment,
  enquiry,
  holdEnd,
  holdStart,
  placementEnd,
  placementStart,
  riskCleared,
  riskFlag,
} from '../support/funnel-events';

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const agencyId = 'years-agency';

/** What the store keeps after each event in order: the state item and the year items (appended to). */
function storedEventByEvent(events: readonly HouseholdEvent[]) {
  const years = new Map<number, YearSpans>();
  let state: HouseholdState = foldHousehold(agencyId, 'h', []);
  let largestState = 0;
  for (const event of [...events].sort(compareEvents)) {
    const { current, leaving } = splitByYear(foldOnto(state, event));
    // As the store's list_append: each kind's entries added after those the year item holds.
    for (const [year, spans] of leaving)
      years.set(
        year,
        yearSpansFrom((kind) => [...(years.get(year)?.[kind] ?? []), ...spans[kind]]),
      );
    state = current;
    largestState = Math.max(largestState, JSON.stringify(state).length);
  }
  return { state, years, largestState };
}

/** The state as an answer about [from, to] sees it: the state item and the year items it needs. */
function asRead(stored: { state: HouseholdState; years: Map<number, YearSpans> }, from: string, to: string): HouseholdState {
  const spans = yearsNeeded(stored.state, from, to).flatMap((y) => (stored.years.has(y) ? [stored.years.get(y)!] : []));
  return withYearSpans(stored.state, spans);
}

/** The state as the forecast at `instant` sees it (placed then, or idle since the last placement ended). */
function asReadUpTo(stored: { state: HouseholdState; years: Map<number, YearSpans> }, instant: string): HouseholdState {
  const spans = yearsNeededUpTo(stored.state, instant).flatMap((y) => (stored.years.has(y) ? [stored.years.get(y)!] : []));
  return withYearSpans(stored.state, spans);
}

const forecastAt = (on: string, household: HouseholdState) =>
  resignationForecast({
    financialYear: Number(on.slice(0, 4)) - (on.slice(5) < '04-01' ? 1 : 0),
    asOf: on,
    attritionRate: 0.1,
    households: [household],
  });

function whole(stored: { state: HouseholdState; years: Map<number, YearSpans> }): HouseholdState {
  const { yearItems: _kept, ...state } = withYearSpans(stored.state, [...stored.years.values()]);
  return state;
}

describe('a carer of twenty years, stored event by event', () => {
  const events = longServingCarer(agencyId, 'h', 2005, 2024) as HouseholdEvent[];
  const stored = storedEventByEvent(events);
  const folded = foldHousehold(agencyId, 'h', events);

  it('keeps its whole record: the state item and its year items are what folding every event gives', () => {
    expect(events.length).toBeGreaterThan(2000);
    expect(plain(whole(stored))).toStrictEqual(plain(folded));
  });

  it("keeps a state item that does not grow with the carer's years", () => {
    expect(stored.state.yearItems).toEqual({ keptFrom: '2024-01-01T00:00:00.000Z', firstYear: 2005 });
    // A year of weekly stays, a fortnight's hold and the last stay of the year before, at most.
    expect(stored.state.placements.length).toBeLessThanOrEqual(54);
    expect(stored.largestState).toBeLessThan(16 * 1024);
    expect(Math.max(...[...stored.years.values()].map((y) => JSON.stringify(y).length))).toBeLessThan(16 * 1024);
  });

  it('answers capacity and beds on hold at any date as the whole record does, reading one year item at most', () => {
    for (const on of ['2005-06-30', '2010-08-07', '2016-12-31', '2019-08-10', '2023-12-29', '2024-03-31', '2024-12-31']) {
      const instant = `${on}T23:59:59.999Z`;
      expect(yearsNeeded(stored.state, instant, instant).length).toBeLessThanOrEqual(1);
      const read = asRead(stored, instant, instant);
      expect(capacity(on, [read])).toEqual(capacity(on, [folded]));
      expect(bedsOnHold(on, [read])).toEqual(bedsOnHold(on, [folded]));
    }
  });
});

describe('any history of placements, holds, approval changes and risk flags, written either way', () => {
  // Up to 2021, so that ends (two years on at most) and a command after them are never in the future.
  const day = fc.integer({ min: 0, max: 8 * 365 }).map((n) => new Date(Date.UTC(2014, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
  const span = fc.record({ start: day, length: fc.integer({ min: 0, max: 2 * 365 }), open: fc.boolean(), hold: fc.boolean() });
  const dayAfter = (on: string, days: number) => new Date(Date.parse(`${on}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  // Some changes fall on one day (one instant): like ones twice, unlike ones in either order.
  const changeDay = fc.oneof(day, fc.constantFrom('2016-05-04', '2019-12-31', '2020-01-01'));
  const change = fc.record({
    on: changeDay,
    beds: fc.integer({ min: 0, max: 4 }),
    category: fc.option(fc.constantFrom('mainstream' as const, 'short_breaks' as const), { nil: undefined }),
  });
  const flag = fc.record({ on: changeDay, clearedAfter: fc.option(fc.integer({ min: 0, max: 2 * 365 }), { nil: undefined }) });

  /** Events of an approved carer: its placements and holds, its approval changes, its risk flags raised and cleared. */
  function carerEvents(
    approvedBeds: number,
    spans: ReadonlyArray<{ start: string; length: number; open: boolean; hold: boolean }>,
    changes: ReadonlyArray<{ on: string; beds: number; category?: 'mainstream' | 'short_breaks' }> = [],
    flags: ReadonlyArray<{ on: string; clearedAfter?: number }> = [],
  ): HouseholdEvent[] {
    const events: HouseholdEvent[] = [enquiry('h', '2013-01-02'), assessment('h', '2013-03-01'), approval('h', '2013-09-01', approvedBeds)];
    spans.forEach(({ start, length, open, hold }, i) => {
      const id = `${hold ? 'hold' : 'stay'}-${i}`;
      events.push(hold ? holdStart('h', id, start, 'carer_break', 1) : placementStart('h', id, start));
      if (!open) events.push(hold ? holdEnd('h', id, dayAfter(start, length)) : placementEnd('h', id, dayAfter(start, length)));
    });
    for (const { on, beds, category } of changes) events.push(approvalChange('h', on, beds, category));
    for (const { on, clearedAfter } of flags) {
      events.push(riskFlag('h', on, 'retirement', 0.5));
      if (clearedAfter !== undefined) events.push(riskCleared('h', dayAfter(on, clearedAfter)));
    }
    return events.map((e) => ({ ...e, detail: { ...e.detail, agencyId } }) as HouseholdEvent);
  }

  it('gives the whole record and every answer at a date the same as folding every event, stored event by event or refolded whole', () => {
    fc.assert(
      fc.property(
        fc.array(span, { maxLength: 25 }),
        fc.array(change, { maxLength: 6 }),
        fc.array(flag, { maxLength: 4 }),
        fc.array(changeDay, { minLength: 1, maxLength: 5 }),
        (spans, changes, flags, dates) => {
          const inAgency = carerEvents(3, spans, changes, flags);
          const folded = foldHousehold(agencyId, 'h', inAgency);
          const byEvent = storedEventByEvent(inAgency);
          // Refolded whole (a late event): the year items are written from the whole state.
          const refolded = splitByYear(folded);
          const byRefold = { state: refolded.current, years: refolded.leaving };
          for (const stored of [byEvent, byRefold]) {
            expect(plain(whole(stored))).toStrictEqual(plain(folded));
            for (const on of [...dates, '2025-12-31']) {
              const instant = `${on}T23:59:59.999Z`;
              expect(capacity(on, [asRead(stored, instant, instant)])).toEqual(capacity(on, [folded]));
              expect(bedsOnHold(on, [asRead(stored, instant, instant)])).toEqual(bedsOnHold(on, [folded]));
              // The forecast: idle since the last placement ended, whichever year that was; the beds
              // approved and the risk flags in force at the date.
              expect(forecastAt(on, asReadUpTo(stored, instant))).toEqual(forecastAt(on, folded));
            }
          }
        },
      ),
      { numRuns: 300, seed: 14 },
    );
  });

  // A command after everything recorded: what it starts or ends, and whether its id was drawn here.
  const command = fc.record({
    kind: fc.constantFrom('PlacementStarted', 'PlacementEnded', 'HoldStarted', 'HoldEnded', 'ApprovalChanged', 'ResignationRiskCleared'),
    known: fc.nat(30), // the index of a span of the history, or (past its end) a new id
    idDrawn: fc.boolean(),
    daysAfter: fc.integer({ min: 1, max: 400 }),
  });

  it('decides a command after everything recorded on the state item alone exactly as on the whole record, when stateItemDecides says it can', () => {
    let decidedAlone = 0;
    fc.assert(
      fc.property(
        fc.array(span, { maxLength: 25 }),
        fc.array(change, { maxLength: 4 }),
        fc.array(flag, { maxLength: 3 }),
        command,
        (spans, changes, flags, { kind, known, idDrawn, daysAfter }) => {
          const events = carerEvents(
            20,
            spans,
            changes.map((c) => ({ ...c, beds: c.beds + 16 })),
            flags,
          );
          const last = events
            .map((e) => e.detail.occurredAt.slice(0, 10))
            .sort()
            .at(-1)!;
          const inAgency = (e: HouseholdEvent) => ({ ...e, detail: { ...e.detail, agencyId } }) as HouseholdEvent;
          const stored = storedEventByEvent(events);
          const hold = kind.startsWith('Hold');
          // A drawn id is new; a chosen one may be any span's.
          const id = `${hold ? 'hold' : 'stay'}-${idDrawn && kind.endsWith('Started') ? `new-${known}` : known}`;
          const on = dayAfter(last, daysAfter);
          const byKind = {
            PlacementStarted: () => placementStart('h', id, on),
            PlacementEnded: () => placementEnd('h', id, on),
            HoldStarted: () => holdStart('h', id, on, 'carer_break', 1),
            HoldEnded: () => holdEnd('h', id, on),
            ApprovalChanged: () => approvalChange('h', on, 18),
            ResignationRiskCleared: () => riskCleared('h', on),
          };
          const event = inAgency(byKind[kind]());
          if (!stateItemDecides(stored.state, event, { idDrawn })) return;
          decidedAlone++;
          expect(checkHouseholdCommand(stored.state, event)).toEqual(checkHouseholdCommand(whole(stored), event));
        },
      ),
      { numRuns: 300, seed: 14 },
    );
    // Most commands are decided alone, so the property is about something.
    expect(decidedAlone).toBeGreaterThan(100);
  });
});
