/**
 * A seeded generator (xoshiro128**, seeded through splitmix32), so a run is
 * reproducible bit for bit. Its whole state is four uint32 words (`state()`),
 * which a checkpoint can store and `Random.fromState` can restore.
 */
export class Random {
  private readonly s: Uint32Array;

  private constructor(state: Uint32Array) {
    if (state.length !== 4 || state.every((w) => w === 0)) {
      throw new RangeError('Random state must be four uint32 words, not all zero');
    }
    this.s = state;
  }

  /** A generator for `seed`; `streams` select independent sequences (e.g. a purpose and an epoch). */
  static derive(seed: number, ...streams: number[]): Random {
    let x = splitmix32(seed >>> 0);
    for (const stream of streams) x = splitmix32((x ^ (stream >>> 0)) >>> 0);
    const state = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      x = splitmix32(x);
      state[i] = x;
    }
    if (state.every((w) => w === 0)) state[0] = 1;
    return new Random(state);
  }

  static fromState(state: ArrayLike<number>): Random {
    return new Random(Uint32Array.from(state));
  }

  /** A generator that draws from `words` in place (they are its state). */
  static fromWords(words: Uint32Array): Random {
    return new Random(words);
  }

  /** The four state words themselves: kernels that draw in bulk advance them in place. */
  get words(): Uint32Array {
    return this.s;
  }

  state(): number[] {
    return Array.from(this.s);
  }

  /** Goes back to a state taken with state(). */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 4 || Array.from(state).every((w) => w === 0)) {
      throw new RangeError('Random state must be four uint32 words, not all zero');
    }
    this.s.set(Array.from(state, (w) => w >>> 0));
  }

  uint32(): number {
    const s = this.s;
    const s0 = s[0]!;
    const s1 = s[1]!;
    const s2 = s[2]!;
    const s3 = s[3]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    const n2 = (s2 ^ s0) >>> 0;
    const n3 = (s3 ^ s1) >>> 0;
    s[0] = s0 ^ n3;
    s[1] = s1 ^ n2;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  float(): number {
    const high = this.uint32() >>> 5;
    const low = this.uint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform integer in [0, n), without modulo bias; n at most 2^32. */
  int(n: number): number {
    if (!(Number.isInteger(n) && n > 0 && n <= 4294967296)) {
      throw new RangeError(`Random.int bound must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return x % n;
  }

  /** Standard normal draw (Box-Muller). */
  normal(): number {
    const u1 = 1 - this.float(); // in (0, 1], so the log is finite
    const u2 = this.float();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
