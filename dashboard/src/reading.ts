// How the dashboard says a figure so that a manager can trust it at a glance: expected counts as
// people say them, a children-in-care count that has gone stale, a funnel cohort too young to judge.
// Pure (no DOM), so the rules are unit-tested on their own.
import { addDays, daysBetween, type IsoDate } from '../../shared/domain/calendar';

export { financialYearBounds, lastCompleteFinancialYear } from '../../shared/domain/calendar';

const whole = new Intl.NumberFormat('en-GB');

/** An expected (fractional) count in words: 39.5 → "about 40", 0.3 → "less than 1", 0 → "none". */
export function expectedCount(x: number | null | undefined): string {
  if (x == null) return '—';
  if (x <= 0) return 'none';
  if (x < 0.5) return 'less than 1';
  return `about ${whole.format(Math.round(x))}`;
}

/** An expected count with the range it will likely fall in: "about 18 (likely 15 to 21)". */
export function expectedWithRange(x: number, low: number, high: number): string {
  const range = low === high ? `likely ${whole.format(low)}` : `likely ${whole.format(low)} to ${whole.format(high)}`;
  return `${expectedCount(x)} (${range})`;
}

/** FY y as people write it: 2019–20. */
export const financialYearName = (y: number): string => `${y}–${String((y + 1) % 100).padStart(2, '0')}`;

/** The same calendar date `months` earlier; a day the month lacks becomes its last day. */
export function monthsBefore(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/** A children-in-care count taken more than two months before the date it is used for. */
export const STALE_AFTER_MONTHS = 2;
export function isStaleCount(recordedAt: string | null | undefined, at: IsoDate): boolean {
  return recordedAt != null && recordedAt.slice(0, 10) < monthsBefore(at, STALE_AFTER_MONTHS);
}

/** An assessment takes about eight months (240 days, the timescale councils commonly work to). */
export const TYPICAL_DAYS_TO_APPROVAL = 240;

/**
 * How far a funnel cohort (enquiries in [from, to]) can have got by `today`:
 * - `young`: most of it enquired less than a typical assessment ago (the window's midpoint is
 *   within 240 days), so its approvals and cost per approval say nothing yet;
 * - `maturing`: the window ended within 240 days, or households are still open: figures so far;
 * - `settled`: every household has been approved or closed.
 */
export type CohortMaturity = 'young' | 'maturing' | 'settled';
export function cohortMaturity(window: { from: IsoDate; to: IsoDate }, today: IsoDate, open: number): CohortMaturity {
  const midpoint = addDays(window.from, Math.floor(daysBetween(window.from, window.to) / 2));
  if (daysBetween(midpoint, today) < TYPICAL_DAYS_TO_APPROVAL) return 'young';
  if (daysBetween(window.to, today) < TYPICAL_DAYS_TO_APPROVAL || open > 0) return 'maturing';
  return 'settled';
}

/** Money spent, or that none was recorded: "£0" would read as a free campaign. */
export const NO_SPEND = 'no spend recorded';
