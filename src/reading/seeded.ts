import crypto from 'node:crypto';

/**
 * A generator fixed by a text seed, so a draw or a bingo can be repeated before witnesses: the same
 * seed gives the same pairs and the same cards on any machine. sha256 of the seed and a label
 * starts mulberry32.
 */
export function seededRandom(seed: string, label = ''): () => number {
  let state = crypto.createHash('sha256').update(`${seed}\u0000${label}`).digest().readUInt32BE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the given generator; returns a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A fresh seed for a new draw: 16 hex digits, written down with the draw. */
export function newSeed(): string {
  return crypto.randomBytes(8).toString('hex');
}
