// MT19937, the engine behind torch's CPU generator (aten/src/ATen/core/MT19937RNGEngine.h):
// the standard 32-bit Mersenne Twister, identical output to std::mt19937 and numpy's RandomState.
// See ../shared/RNG.md §2. All arithmetic stays in uint32 (`>>> 0`, Math.imul).

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

export class MT19937 {
  readonly state = new Uint32Array(N);
  /** Outputs left before the next twist (1 right after seeding, so the first draw twists). */
  left = 1;
  next = 0;

  constructor(seed32 = 5489) { this.seed(seed32); }

  seed(seed32: number): void {
    const s = this.state;
    s[0] = seed32 >>> 0;
    for (let j = 1; j < N; j++) {
      const prev = s[j - 1]!;
      s[j] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) >>> 0;
    }
    this.left = 1;
    this.next = 0;
  }

  private twist(): void {
    const s = this.state;
    for (let p = 0; p < N - 1; p++) {
      const u = s[p]!;
      const v = s[p + 1]!;
      const y = ((u & UPPER) | (v & LOWER)) >>> 1;
      s[p] = (s[(p + M) % N]! ^ y ^ (v & 1 ? MATRIX_A : 0)) >>> 0;
    }
    const u = s[N - 1]!;
    const v = s[0]!;
    s[N - 1] = (s[M - 1]! ^ (((u & UPPER) | (v & LOWER)) >>> 1) ^ (v & 1 ? MATRIX_A : 0)) >>> 0;
    this.left = N;
    this.next = 0;
  }

  /** One 32-bit output (one "draw"). */
  random32(): number {
    if (--this.left === 0) this.twist();
    let y = this.state[this.next++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  copyFrom(other: MT19937): void {
    this.state.set(other.state);
    this.left = other.left;
    this.next = other.next;
  }
}
