/**
 * mulberry32, a small deterministic PRNG: numbers in [0, 1) that repeat exactly for a seed, so
 * a fault mix or a set of kill points can be replayed from the seed a test logs. (The recorded
 * seeds of the emulator's faults and the reliability scenarios depend on this exact sequence;
 * seeded_random.ts is the xorshift32 one the generated template cases use.)
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
