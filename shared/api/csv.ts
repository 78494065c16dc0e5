// A metric's JSON answer as CSV (docs/api.md, CSV): one row per figure in the answer's own order, in
// a person's words (Figure, Value in the Unit named: money in pounds) and by its JSON path (Field).
import { stringify } from 'csv-stringify/sync';
import {
  categoryWords,
  channelWords,
  closureWords,
  holdReasonWords,
  placementTypeWords,
  resignationReasonWords,
  statusWords,
} from '../words';

export type FigureValue = string | number | boolean | null;

const elementNames = ['key', 'reason', 'at', 'month', 'householdId'] as const;

function elementName(element: unknown, index: number): string {
  if (typeof element === 'object' && element !== null && !Array.isArray(element)) {
    for (const name of elementNames) {
      const value = (element as Record<string, unknown>)[name];
      if (typeof value === 'string' && value.length > 0) return value;
    }
  }
  return String(index);
}

/** Every leaf of the answer with its path, in the answer's order. */
export function flattenFigures(value: unknown, path: string[] = []): Array<[string, FigureValue]> {
  if (Array.isArray(value)) {
    // An empty list still says so: its figure is present, with no value.
    if (value.length === 0) return path.length ? [[path.join('.'), null]] : [];
    return value.flatMap((element, i) => flattenFigures(element, [...path, elementName(element, i)]));
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return path.length ? [[path.join('.'), null]] : [];
    return entries.flatMap(([name, inner]) => flattenFigures(inner, [...path, name]));
  }
  if (value === undefined) return [];
  return [[path.join('.'), value as FigureValue]];
}

/** The CSV's columns: a person's words, the value, its unit, and the JSON path for machines. */
export const CSV_COLUMNS = ['Figure', 'Value', 'Unit', 'Field'] as const;

const codeWords: Record<string, string> = {
  ...statusWords,
  ...channelWords,
  ...categoryWords,
  ...placementTypeWords,
  ...closureWords,
  ...resignationReasonWords,
  ...holdReasonWords,
};
/** `costPerApprovedBed` → "cost per approved bed". */
const camelWords = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
const isMoney = (name: string) => name.endsWith('Pence') || name.startsWith('costPer');

/** A figure's path in words: each part by the service's words for a code, else its name spelt out. */
export function figureWords(path: string): string {
  const words = path
    .split('.')
    .map((part) => codeWords[part] ?? (/^\d{4}-\d{2}/.test(part) ? part : camelWords(part.replace(/Pence$/, ''))));
  const text = words.join(' — ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The value in the unit a person reads it in: money in pounds (the JSON holds pence), and the unit's name. */
export function figureValue(path: string, value: FigureValue): { value: string; unit: string } {
  const name = path.split('.').at(-1) ?? path;
  if (value === null) return { value: '', unit: '' };
  if (typeof value === 'number' && isMoney(name)) return { value: (value / 100).toFixed(2), unit: '£' };
  if (/(Rate|Share|^conversion|^probability|^rate)$/.test(name)) return { value: String(value), unit: 'proportion (0 to 1)' };
  if (name === 'changePct') return { value: String(value), unit: '%' };
  if (/Days$|^days/.test(name)) return { value: String(value), unit: 'days' };
  return { value: String(value), unit: '' };
}

export function figuresCsv(answer: unknown): string {
  return stringify(
    flattenFigures(answer).map(([path, raw]) => {
      const { value, unit } = figureValue(path, raw);
      return [figureWords(path), value, unit, path];
    }),
    { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows', bom: true },
  );
}

/** What a caller asked for: `?format=csv|json` wins over `Accept`. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return (accept ?? '').split(',').some((part) => part.trim().toLowerCase().startsWith('text/csv'));
}
