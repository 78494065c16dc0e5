// A metric's JSON answer as CSV (docs/api.md, CSV): two columns, `figure` (the answer's path) and
// `value`, one row per figure in the answer's own order, the same for every route that declares `csv`.
import { stringify } from 'csv-stringify/sync';

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

export function figuresCsv(answer: unknown): string {
  return stringify(
    flattenFigures(answer).map(([figure, value]) => [figure, value === null ? '' : String(value)]),
    {
      header: true,
      columns: ['figure', 'value'],
      record_delimiter: 'windows',
      bom: true,
    },
  );
}

/** What a caller asked for: `?format=csv|json` wins over `Accept`. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return (accept ?? '').split(',').some((part) => part.trim().toLowerCase().startsWith('text/csv'));
}
