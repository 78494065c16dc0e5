// How a household's record is split so that no item grows with a carer's years: the state item and
// one year item per calendar year for what ended before it (pure: no AWS).
import type { HouseholdEvent } from '../events/catalogue';
import {
  comesAfterFolded,
  sortSpans,
  type ApprovalTerms,
  type HouseholdState,
  type Hold,
  type Placement,
  type RiskFlag,
} from '../domain/household';

/** What ended before the state item's year, by calendar year: each entry in force at some time in that year. */
export interface YearSpans {
  placements: Placement[];
  holds: Hold[];
  approvalTerms: ApprovalTerms[];
  riskFlags: RiskFlag[];
}

/** The kinds of entry a year item holds, each a list. */
export const yearSpanKinds = ['placements', 'holds', 'approvalTerms', 'riskFlags'] as const satisfies readonly (keyof YearSpans)[];

/** Each kind's list as `listOf` gives it (an empty one where it gives none). */
export const yearSpansFrom = (listOf: (kind: keyof YearSpans) => unknown[] | undefined): YearSpans =>
  Object.fromEntries(yearSpanKinds.map((kind) => [kind, listOf(kind) ?? []])) as unknown as YearSpans;

type Span = { startedAt?: string; endedAt?: string };
const yearOf = (instant: string) => Number(instant.slice(0, 4));
/** The years first to last (none when last is before first). */
const yearRange = (first: number, last: number) => Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);

/** 1 January of the year of the state's latest event: ended spans before it leave the state item. */
function keptFromFor(state: HouseholdState): string | undefined {
  return state.lastEvent ? `${state.lastEvent.at.slice(0, 4)}-01-01T00:00:00.000Z` : undefined;
}

/** The calendar years a span was in force in (one, for a span known only by its end). */
function yearsOf(span: Span): number[] {
  const last = yearOf(span.endedAt!);
  const first = span.startedAt === undefined ? last : Math.min(yearOf(span.startedAt), last);
  return yearRange(first, last);
}

/** Approval terms in time order, each with the instant the next superseded it (none for the last). */
function termsWithEnds(terms: readonly ApprovalTerms[]): Array<{ terms: ApprovalTerms; endedAt?: string }> {
  return terms.map((t, i) => ({ terms: t, endedAt: terms[i + 1]?.at }));
}

/**
 * The state item's content and the spans that leave it for year items, by year. The state item keeps
 * what is in force: open placements and holds, those that ended in the year of the latest event and
 * the placement that ended last before it (the forecast's "idle since"), the terms in force from that
 * year and the flags not cleared before it. The rest goes to a year item of each year it was in force
 * in, so an answer about a date before `keptFrom` reads one year item more. A state read from its
 * item gives only the spans leaving now; one folded from every event, all of them.
 */
export function splitByYear(state: HouseholdState): { current: HouseholdState; leaving: Map<number, YearSpans> } {
  const keptFrom = keptFromFor(state);
  const leaving = new Map<number, YearSpans>();
  if (keptFrom === undefined) return { current: state, leaving };
  const endedBefore = (span: Span) => span.endedAt !== undefined && span.endedAt < keptFrom;
  const lastEnded = state.placements
    .filter(endedBefore)
    .reduce<Placement | undefined>((last, p) => (last === undefined || p.endedAt! > last.endedAt! ? p : last), undefined);
  const placements = state.placements.filter((p) => endedBefore(p) && p !== lastEnded);
  const holds = state.holds.filter(endedBefore);
  // Terms superseded before keptFrom (the ones in force at keptFrom stay), flags cleared before it.
  const terms = termsWithEnds(state.approvalTerms).filter(endedBefore);
  const flags = state.riskFlags.filter((f) => f.clearedAt !== undefined && f.clearedAt < keptFrom);
  if (placements.length + holds.length + terms.length + flags.length === 0) return { current: state, leaving };
  const add = <K extends keyof YearSpans>(kind: K, entry: YearSpans[K][number], span: Span) => {
    for (const year of yearsOf(span)) {
      const spans = leaving.get(year) ?? yearSpansFrom(() => undefined);
      (spans[kind] as Array<YearSpans[K][number]>).push(entry);
      leaving.set(year, spans);
    }
  };
  for (const p of placements) add('placements', p, p);
  for (const h of holds) add('holds', h, h);
  for (const t of terms) add('approvalTerms', t.terms, { startedAt: t.terms.at, endedAt: t.endedAt });
  for (const f of flags) add('riskFlags', f, { startedAt: f.at, endedAt: f.clearedAt });
  const firstYear = Math.min(state.yearItems?.firstYear ?? Infinity, ...leaving.keys());
  const leftTerms = new Set(terms.map((t) => t.terms));
  const current: HouseholdState = {
    ...state,
    placements: state.placements.filter((p) => !placements.includes(p)),
    holds: state.holds.filter((h) => !holds.includes(h)),
    approvalTerms: state.approvalTerms.filter((t) => !leftTerms.has(t)),
    riskFlags: state.riskFlags.filter((f) => !flags.includes(f)),
    yearItems: { keptFrom, firstYear },
  };
  return { current, leaving };
}

/** The years whose items an answer about [fromInstant, toInstant] needs beside the state item. */
export function yearsNeeded(state: Pick<HouseholdState, 'yearItems'>, fromInstant: string, toInstant: string): number[] {
  const kept = state.yearItems;
  if (kept === undefined || fromInstant >= kept.keptFrom) return [];
  return yearRange(Math.max(yearOf(fromInstant), kept.firstYear), Math.min(yearOf(toInstant), yearOf(kept.keptFrom) - 1));
}

/** The years an answer at `instant` about every placement before it needs (the forecast's "idle since"):
 *  none while the state item keeps `instant` (it keeps the last placement ended), else all up to it. */
export function yearsNeededUpTo(state: Pick<HouseholdState, 'yearItems'>, instant: string): number[] {
  const kept = state.yearItems;
  if (kept === undefined || instant >= kept.keptFrom) return [];
  return yearRange(kept.firstYear, yearOf(instant));
}

/**
 * Whether a command's event is decided on the state item alone as on the whole record: it comes after
 * everything folded (no span of a year item is in force then), and it names no span only a year item
 * could hold (what it ends is in the state item; what it starts has an id drawn by this service).
 */
export function stateItemDecides(state: HouseholdState, event: HouseholdEvent, options: { idDrawn: boolean }): boolean {
  if (!comesAfterFolded(state, event)) return false;
  if (state.yearItems === undefined) return true;
  const detail = event.detail as { placementId?: string; holdId?: string };
  switch (event.detailType) {
    case 'PlacementStarted':
    case 'HoldStarted':
      return options.idDrawn;
    case 'PlacementEnded':
      return state.placements.some((p) => p.placementId === detail.placementId);
    case 'HoldEnded':
      return state.holds.some((h) => h.holdId === detail.holdId);
    default:
      return true;
  }
}

/** The state with these year items' entries merged back, each once, as the fold merges them (the
 *  earliest start and end; the year items' entries being the older), in the fold's order. */
export function withYearSpans<
  S extends Pick<HouseholdState, 'placements' | 'holds'> & Partial<Pick<HouseholdState, 'approvalTerms' | 'riskFlags'>>,
>(state: S, years: readonly YearSpans[]): S {
  if (years.length === 0) return state;
  return {
    ...state,
    ...(state.approvalTerms && { approvalTerms: mergeTerms(years, state.approvalTerms) }),
    ...(state.riskFlags && { riskFlags: mergeFlags(years, state.riskFlags) }),
    placements: mergeSpans(
      years.flatMap((y) => y.placements),
      state.placements,
      (p) => p.placementId,
      (a, b) => ({ ...a, placementType: a.placementType ?? b.placementType }),
    ),
    holds: mergeSpans(
      years.flatMap((y) => y.holds),
      state.holds,
      (h) => h.holdId,
      (a, b) => ({ ...a, reason: a.reason ?? b.reason, beds: a.beds ?? b.beds }),
    ),
  };
}

function mergeSpans<T extends Span>(older: T[], newer: T[], idOf: (span: T) => string, keepFirst: (a: T, b: T) => T): T[] {
  const byId = new Map<string, T>();
  for (const span of [...older, ...newer]) {
    const known = byId.get(idOf(span));
    if (!known) {
      byId.set(idOf(span), span);
      continue;
    }
    const merged = keepFirst(known, span);
    merged.startedAt = earliest(known.startedAt, span.startedAt);
    merged.endedAt = earliest(known.endedAt, span.endedAt);
    byId.set(idOf(span), withoutUndefined(merged));
  }
  return sortSpans([...byId.values()], idOf);
}

/** Terms have no id and may repeat (two like changes at one instant). An instant's entries are taken
 *  from the year item holding the most of them (the first year's holds all that left), then all in
 *  time order (a stable sort: the year items' entries are the older at one instant). */
function mergeTerms(years: readonly YearSpans[], kept: readonly ApprovalTerms[]): ApprovalTerms[] {
  const byInstant = new Map<string, ApprovalTerms[]>();
  for (const year of years) {
    const inYear = new Map<string, ApprovalTerms[]>();
    for (const t of year.approvalTerms) inYear.set(t.at, [...(inYear.get(t.at) ?? []), t]);
    for (const [at, entries] of inYear) if (entries.length > (byInstant.get(at)?.length ?? 0)) byInstant.set(at, entries);
  }
  return [...[...byInstant.values()].flat(), ...kept].sort((a, b) => a.at.localeCompare(b.at));
}

/** Risk flags once each (by their event), in the fold's order: the events' (instant, id). */
function mergeFlags(years: readonly YearSpans[], kept: readonly RiskFlag[]): RiskFlag[] {
  const byEvent = new Map<string, RiskFlag>();
  for (const flag of [...years.flatMap((y) => y.riskFlags), ...kept]) byEvent.set(flag.eventId, flag);
  return [...byEvent.values()].sort((a, b) => a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId));
}

const earliest = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined || a <= b ? a : b);

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
