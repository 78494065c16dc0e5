// The exact count of successes among independent trials with their own probabilities (the resignation forecast's
// low/high), checked against enumerating every outcome.
import fc from 'fast-check';
import { percentile, poissonBinomial } from '../../shared/domain/poisson-binomial';

/** P(K = k) by summing the probability of each of the 2^n outcomes. */
function bruteForce(probabilities: readonly number[]): number[] {
  const n = probabilities.length;
  const distribution = new Array<number>(n + 1).fill(0);
  for (let outcome = 0; outcome < 2 ** n; outcome += 1) {
    let probability = 1;
    let successes = 0;
    probabilities.forEach((p, i) => {
      const succeeded = (outcome >> i) & 1;
      probability *= succeeded ? p : 1 - p;
      successes += succeeded;
    });
    distribution[successes]! += probability;
  }
  return distribution;
}

/** The definition, read literally: the smallest k with P(K ≤ k) ≥ q (to within 1e-12). */
function smallestCountReaching(distribution: readonly number[], q: number): number {
  let cumulative = 0;
  for (let k = 0; k < distribution.length; k += 1) {
    cumulative += distribution[k]!;
    if (cumulative >= q - 1e-12) return k;
  }
  return distribution.length - 1;
}

const probability = fc.oneof(fc.constantFrom(0, 1, 0.5, 0.1), fc.double({ min: 0, max: 1, noNaN: true }));
const trials = fc.array(probability, { maxLength: 12 });
const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);

describe('the Poisson-binomial distribution', () => {
  it('gives P(K = k) for every k = 0..n as enumerating all 2^n outcomes does', () => {
    fc.assert(
      fc.property(trials, (ps) => {
        const exact = poissonBinomial(ps);
        const expected = bruteForce(ps);
        expect(exact).toHaveLength(ps.length + 1);
        expected.forEach((p, k) => expect(Math.abs(exact[k]! - p)).toBeLessThan(1e-12));
      }),
    );
  });

  it('sums to 1 and has mean Σp, for a dozen trials and for thousands', () => {
    fc.assert(
      fc.property(trials, (ps) => {
        const distribution = poissonBinomial(ps);
        expect(Math.abs(sum(distribution) - 1)).toBeLessThan(1e-12);
        expect(Math.abs(sum(distribution.map((p, k) => p * k)) - sum(ps))).toBeLessThan(1e-9);
      }),
    );
    const many = Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 1000) / 1000);
    const distribution = poissonBinomial(many);
    expect(Math.abs(sum(distribution) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(sum(distribution.map((p, k) => p * k)) - sum(many))).toBeLessThan(1e-6);
    expect(distribution.every((p) => p >= 0)).toBe(true);
  });

  it('is certainly 0 with no trials', () => {
    expect(Array.from(poissonBinomial([]))).toEqual([1]);
  });

  it('treats p = 0 as a trial that never succeeds and p = 1 as one that always does', () => {
    expect(Array.from(poissonBinomial([0, 0]))).toEqual([1, 0, 0]);
    expect(Array.from(poissonBinomial([1, 1]))).toEqual([0, 0, 1]);
    expect(Array.from(poissonBinomial([1, 0, 0.5]))).toEqual([0, 0.5, 0.5, 0]);
  });

  it('refuses a probability outside [0, 1]', () => {
    expect(() => poissonBinomial([0.5, 1.5])).toThrow(RangeError);
    expect(() => poissonBinomial([Number.NaN])).toThrow(RangeError);
    expect(() => poissonBinomial([-0.1])).toThrow(RangeError);
  });
});

describe('percentiles of a count (the smallest count whose cumulative probability reaches q)', () => {
  it('agrees with the definition over the enumerated distribution', () => {
    fc.assert(
      fc.property(trials, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(50), (ps, q, offset) => {
        expect(percentile(poissonBinomial(ps), q, offset)).toBe(smallestCountReaching(bruteForce(ps), q) + offset);
      }),
    );
  });

  it('takes a count whose cumulative probability is exactly q', () => {
    const distribution = poissonBinomial([0.5, 0.5]); // 0.25, 0.5, 0.25
    expect(percentile(distribution, 0.25)).toBe(0);
    expect(percentile(distribution, 0.75)).toBe(1);
    expect(percentile(distribution, 0.1)).toBe(0);
    expect(percentile(distribution, 0.9)).toBe(2);
    expect(percentile(distribution, 1)).toBe(2);
  });

  it('is not pushed past a boundary by floating error (0.7 + 0.2 is 0.8999999999999999)', () => {
    expect(0.7 + 0.2).toBeLessThan(0.9);
    expect(percentile([0.7, 0.2, 0.1], 0.9)).toBe(1);
  });

  it('adds the offset (resignations already known) to the count', () => {
    expect(percentile(poissonBinomial([]), 0.1, 5)).toBe(5);
    expect(percentile(poissonBinomial([1, 1, 0]), 0.9, 5)).toBe(7);
  });

  it('refuses a quantile outside [0, 1]', () => {
    expect(() => percentile([1], 1.1)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});
