// Calendar arithmetic in UTC, as the metrics define dates: "at date D" means after every event with
// occurredAt before D+1 00:00Z; days are whole calendar days between two UTC dates.

export type IsoDate = string; // YYYY-MM-DD

const DAY_MS = 86_400_000;

export function startOfDay(date: IsoDate): string {
  return `${date}T00:00:00.000Z`;
}

/** The last instant that still belongs to date D. */
export function endOfDay(date: IsoDate): string {
  return `${date}T23:59:59.999Z`;
}

export function dateOf(instant: string): IsoDate {
  return instant.slice(0, 10);
}

/** Whole calendar days from one UTC date to another (negative when `to` is earlier). */
export function daysBetween(from: IsoDate | string, to: IsoDate | string): number {
  return Math.round((Date.parse(startOfDay(dateOf(to))) - Date.parse(startOfDay(dateOf(from)))) / DAY_MS);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(startOfDay(date)) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The same calendar date `years` later (or earlier); 29 February becomes 28 February. */
export function addYears(date: IsoDate, years: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

export function isWithin(instant: string | undefined, from: IsoDate, to: IsoDate): instant is string {
  return instant !== undefined && instant >= startOfDay(from) && instant <= endOfDay(to);
}

export function todayUtc(now: Date = new Date()): IsoDate {
  return now.toISOString().slice(0, 10);
}

/** The last day of the month `date` falls in. */
export function endOfMonth(date: IsoDate): IsoDate {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The ends of the `months` months up to and including D's month, oldest first; the last point is
 *  D itself, so a trend ends on the date asked about. */
export function monthlyPointsEndingOn(date: IsoDate, months: number): IsoDate[] {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const points: IsoDate[] = [];
  for (let back = months - 1; back >= 1; back--) points.push(new Date(Date.UTC(y, m - back, 0)).toISOString().slice(0, 10));
  return [...points, date];
}

/** FY y runs 1 April y to 31 March y+1. */
export function financialYearBounds(financialYear: number): { start: IsoDate; end: IsoDate } {
  const year = (y: number) => String(y).padStart(4, '0');
  return { start: `${year(financialYear)}-04-01`, end: `${year(financialYear + 1)}-03-31` };
}

/** The financial year a date falls in: April onwards belongs to that calendar year's FY. */
export function financialYearOf(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5, 7) >= '04' ? year : year - 1;
}

/** The last financial year that has ended by the end of `at`. */
export function lastCompleteFinancialYear(at: IsoDate): number {
  const current = financialYearOf(at);
  return financialYearBounds(current).end === at ? current : current - 1;
}

/** A real calendar date written YYYY-MM-DD (no 31 February). */
export function isCalendarDate(text: string): text is IsoDate {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
}
