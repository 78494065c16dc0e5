// The Poisson-binomial distribution: how many of independent trials succeed, each with its own
// probability (the resignation forecast: how many households resign by the year end). Pure.

/**
 * P(K = k) for k = 0..n, where K is the number of successes among independent trials with the given
 * success probabilities (each in [0, 1]). No trials: K is 0 with certainty.
 *
 * Written by hand: no maintained npm package computes it exactly, and a normal or Poisson
 * approximation would be poor for a few dozen resignations with a few near-certain ones. The direct
 * recursion is exact up to floating point and O(n²). Every step is a convex combination of
 * non-negative numbers, so nothing cancels and the total stays 1 to ~1e-13.
 */
export function poissonBinomial(probabilities: readonly number[]): Float64Array {
  const distribution = new Float64Array(probabilities.length + 1);
  distribution[0] = 1;
  // Only trials that can succeed move mass upwards; `reach` is the highest count with mass so far,
  // so the inner loop skips the zeros above it (and trials with p = 0 cost nothing).
  let reach = 0;
  for (const p of probabilities) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`a probability must be in [0, 1], got ${p}`);
    if (p === 0) continue;
    reach += 1;
    const q = 1 - p;
    // In place, from the top down: distribution[k − 1] is still the value before this trial.
    for (let k = reach; k > 0; k -= 1) distribution[k] = distribution[k]! * q + distribution[k - 1]! * p;
    distribution[0] = distribution[0]! * q;
  }
  return distribution;
}

/** How far below q a cumulative sum may fall and still count as reaching it (floating error). */
export const CUMULATIVE_TOLERANCE = 1e-12;

/**
 * The q-th quantile of a count: the smallest k whose cumulative probability P(K ≤ k) reaches q,
 * plus `offset` (e.g. resignations already known). A cumulative sum within 1e-12 below q counts
 * as reaching it, so a boundary that is exact on paper (0.1 after 0.025 + 0.075) is not missed
 * by a rounding error; if the sums never reach q, the largest count.
 */
export function percentile(distribution: ArrayLike<number>, q: number, offset = 0): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile must be in [0, 1], got ${q}`);
  if (distribution.length === 0) throw new RangeError('a distribution has at least the count 0');
  let cumulative = 0;
  for (let k = 0; k < distribution.length; k += 1) {
    cumulative += distribution[k]!;
    if (cumulative >= q - CUMULATIVE_TOLERANCE) return k + offset;
  }
  return distribution.length - 1 + offset;
}
