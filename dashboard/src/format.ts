// Figures in the words and units a fostering service uses: whole numbers, percentages, pounds.
import { h, visuallyHidden } from './dom';

const whole = new Intl.NumberFormat('en-GB');
const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** null means "no figure": nothing to divide by, or nothing recorded yet. */
export type Maybe<T> = T | null | undefined;

export const count = (n: Maybe<number>): string => (n == null ? '—' : whole.format(n));
export const percent = (share: Maybe<number>, digits = 0): string => (share == null ? '—' : `${(share * 100).toFixed(digits)}%`);
export const money = (pence: Maybe<number>): string => (pence == null ? '—' : pounds.format(pence / 100));
export const days = (n: Maybe<number>): string => (n == null ? '—' : `${whole.format(n)} ${n === 1 ? 'day' : 'days'}`);
export const date = (isoDateOrInstant: Maybe<string>): string =>
  isoDateOrInstant ? longDate.format(new Date(isoDateOrInstant.length === 10 ? `${isoDateOrInstant}T00:00:00Z` : isoDateOrInstant)) : '—';

/** A figure's text, with words for screen readers where it shows a dash. */
export function shown(text: string): Node {
  return text === '—'
    ? h('span', {}, h('span', { 'aria-hidden': 'true' }, '—'), visuallyHidden('no figure'))
    : document.createTextNode(text);
}

// Dates as the API has them: the same calendar module as the backend, not a copy.
export { todayUtc } from '../../shared/domain/calendar';
export const plural = (n: Maybe<number>, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;
