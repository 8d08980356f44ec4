// Seeded randomness: every random choice of a run follows from --seed, so a run can be repeated; the
// comparison's bootstrap draws its seconds from the same generator, so a comparison repeats too.
import { createHash } from 'node:crypto';

/** A 32-bit hash of strings, for seeding and for short stable names. */
export function hash32(...parts: readonly (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32LE(0);
}

/** mulberry32: small, fast, good enough to pick friends and draw inter-arrival times. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Exponential inter-arrival time (ms) of a Poisson process of `perSecond` events per second. */
  interArrivalMs(perSecond: number): number {
    return (-Math.log(1 - this.next()) * 1000) / perSecond;
  }
}
