// Renders the bench's figures as Markdown tables (bench/results.md and the console print the same).

export type Cell = string | number | undefined;

export function table(header: string[], rows: Cell[][]): string {
  const text = (c: Cell) => (c === undefined ? '–' : String(c));
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(text).join(' | ')} |`),
  ].join('\n');
}

export const fixed = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? undefined : n.toFixed(digits));
export const ms = (n: number | undefined) => fixed(n, n !== undefined && n < 10 ? 2 : 1);
export const int = (n: number | undefined) => (n === undefined ? undefined : Math.round(n).toLocaleString('en-GB'));
export const mib = (bytes: number | undefined) => (bytes === undefined ? undefined : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
export const verdict = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? '**met**' : '**missed**');

export interface Target {
  name: string;
  limit: string;
  measured: string;
  met: boolean | undefined;
}

export function targetsTable(targets: Target[]): string {
  return table(
    ['target', 'limit', 'measured', ''],
    targets.map((t) => [t.name, t.limit, t.measured, verdict(t.met)]),
  );
}
