import { createHash } from 'node:crypto';

/** A source of uniformly distributed 32-bit unsigned integers. */
export type Random = () => number;

/**
 * A deterministic generator for `seed`: sfc32 (small, fast, passes PractRand) keyed with the
 * first 128 bits of sha256(seed). The same seed always yields the same sequence, which is what
 * lets an attempt's question draw and shuffles be recomputed identically on every reload.
 */
export function seededRandom(seed: string): Random {
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

/** An integer in [0, n), without the modulo bias of a plain `x % n`. */
export function randomIndex(random: Random, n: number): number {
  const limit = Math.floor(0x100000000 / n) * n;
  let x = random();
  while (x >= limit) x = random();
  return x % n;
}

/** A shuffled copy (Fisher-Yates); the input is left alone. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
