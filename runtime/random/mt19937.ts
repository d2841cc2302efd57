// MT19937, the engine behind torch's CPU generator (aten/src/ATen/core/MT19937RNGEngine.h):
// the standard 32-bit Mersenne Twister, identical output to std::mt19937 and numpy's RandomState.
// See ../shared/RNG.md §2. The state lives in a Uint32Array; the hot loops work on an Int32Array
// view of it (int32 bit operations, no doubles), and the bulk fills (`fillUniform24`,
// `fillUint32`) temper straight from the state without a call per draw.

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df | 0;
const UPPER = 0x80000000 | 0;
const LOWER = 0x7fffffff;
const TWO_M24 = 5.9604644775390625e-8; // 2^-24

export class MT19937 {
  readonly state = new Uint32Array(N);
  /** The same words as int32 (what the loops read and write). */
  private readonly s32 = new Int32Array(this.state.buffer);
  /** Outputs left before the next twist (1 right after seeding, so the first draw twists). */
  left = 1;
  next = 0;

  constructor(seed32 = 5489) { this.seed(seed32); }

  seed(seed32: number): void {
    const s = this.s32;
    s[0] = seed32 | 0;
    for (let j = 1; j < N; j++) {
      const prev = s[j - 1]!;
      s[j] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) | 0;
    }
    this.left = 1;
    this.next = 0;
  }

  /** Regenerates all 624 words in place (reads of p + M ≥ N see words already updated). */
  private twist(): void {
    const s = this.s32;
    let p = 0;
    for (; p < N - M; p++) {
      const v = s[p + 1]!;
      s[p] = s[p + M]! ^ (((s[p]! & UPPER) | (v & LOWER)) >>> 1) ^ (-(v & 1) & MATRIX_A);
    }
    for (; p < N - 1; p++) {
      const v = s[p + 1]!;
      s[p] = s[p + M - N]! ^ (((s[p]! & UPPER) | (v & LOWER)) >>> 1) ^ (-(v & 1) & MATRIX_A);
    }
    const v = s[0]!;
    s[N - 1] = s[M - 1]! ^ (((s[N - 1]! & UPPER) | (v & LOWER)) >>> 1) ^ (-(v & 1) & MATRIX_A);
    this.left = N;
    this.next = 0;
  }

  /** One 32-bit output (one "draw"). */
  random32(): number {
    if (--this.left === 0) this.twist();
    let y = this.s32[this.next++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * `out[i] = (random32() & 0xFFFFFF) * 2^-24 * scale + shift` for i in [start, end): one draw
   * each, in order (what a loop of `uniform24()` gives, without a call per element). With the
   * defaults the value is the uniform itself; otherwise it is rounded once, by the store, so
   * `scale`/`shift` are for float32 outputs where that double expression is exact.
   */
  fillUniform24(out: Float32Array | Float64Array, start: number, end: number, scale = 1, shift = 0): void {
    const s = this.s32;
    let i = start;
    while (i < end) {
      if (this.left === 1) this.twist(); // the next draw twists first
      // The words s[next..N-1] are drawn before the next twist.
      let next = this.next;
      const stop = Math.min(end, i + N - next);
      for (; i < stop; i++) {
        let y = s[next++]!;
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        out[i] = (y & 0xffffff) * TWO_M24 * scale + shift;
      }
      this.next = next;
      this.left = N + 1 - next; // as random32() leaves it after drawing s[next - 1]
    }
  }

  /** `out[i] = random32()` for i in [start, end), as uint32 (or int32 bit patterns in an Int32Array). */
  fillUint32(out: Uint32Array | Int32Array, start: number, end: number): void {
    const s = this.s32;
    let i = start;
    while (i < end) {
      if (this.left === 1) this.twist();
      let next = this.next;
      const stop = Math.min(end, i + N - next);
      for (; i < stop; i++) {
        let y = s[next++]!;
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        out[i] = y ^ (y >>> 18);
      }
      this.next = next;
      this.left = N + 1 - next;
    }
  }

  copyFrom(other: MT19937): void {
    this.state.set(other.state);
    this.left = other.left;
    this.next = other.next;
  }
}
