// The demo history's seeded randomness: one seed, one sequence of draws. Apart from the generator so
// that the sequence every figure of the demo depends on is plainly left alone when the rest changes.

/** mulberry32: a 32-bit seeded generator in a few lines. Written out rather than taken from a
 *  package so that a seed's sequence, and with it every figure of the demo, cannot change under an
 *  upgrade. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn a seed and a stream's name into 32 bits. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Dice {
  private readonly next: () => number;
  constructor(seed: string) {
    this.next = mulberry32(hash32(seed));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor((max - min + 1) * this.next());
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(items.length * this.next())]!;
  }

  /** A key, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    let total = 0;
    for (const key in weights) total += weights[key] ?? 0;
    let left = this.next() * total;
    let last: K | undefined;
    for (const key in weights) {
      last = key;
      left -= weights[key] ?? 0;
      if (left < 0) return key;
    }
    return last!;
  }

  /** A number, with probability proportional to its weight (e.g. beds). */
  count(weights: Readonly<Record<number, number>>): number {
    return Number(this.weighted(weights as Record<string, number>));
  }

  /** An index into `weights`, with probability proportional to its weight. */
  index(weights: readonly number[]): number {
    let left = this.next() * weights.reduce((sum, w) => sum + w, 0);
    for (let i = 0; i < weights.length; i++) if ((left -= weights[i]!) < 0) return i;
    return weights.length - 1;
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  poisson(mean: number): number {
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let count = 0;
    for (let product = this.next(); product > limit; product *= this.next()) count++;
    return count;
  }

  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal by its median and spread (the 84th percentile ÷ the median). */
  logNormal(median: number, spread: number): number {
    return median * Math.exp(Math.log(spread) * this.normal());
  }
}
