// Rounding and averages as the metrics define them (docs/metrics.md, conventions).

/** Half-up rounding to `dp` places, as JavaScript's Math.round, without binary-fraction surprises
 *  (1.005 → 1.01, not 1.00). */
export function roundHalfUp(value: number, dp: number): number {
  const factor = 10 ** dp;
  return Math.round(Number((value * factor).toPrecision(15))) / factor;
}

/** numerator / denominator rounded, or null when the denominator is 0. */
export function ratio(numerator: number, denominator: number, dp: number): number | null {
  return denominator === 0 ? null : roundHalfUp(numerator / denominator, dp);
}

/** The median; of an even count, the mean of the middle two; null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** 100 × (count − previous) / previous to 2 dp; null when previous is 0. */
export function changePct(count: number, previous: number): number | null {
  return previous === 0 ? null : roundHalfUp((100 * (count - previous)) / previous, 2);
}

/** What a record's change does to counts kept as sums over records: each count's new value less
 *  its old (before subtracted, after added, alike keys merged), the zeros left out. */
export function countChanges<C extends { n: number }>(before: readonly C[], after: readonly C[], keyOf: (count: C) => string): C[] {
  const changes = new Map<string, C>();
  const add = (counts: readonly C[], sign: 1 | -1) => {
    for (const c of counts) {
      const key = keyOf(c);
      const change = changes.get(key) ?? { ...c, n: 0 };
      change.n += sign * c.n;
      changes.set(key, change);
    }
  };
  add(before, -1);
  add(after, 1);
  return [...changes.values()].filter((c) => c.n !== 0);
}
