// torch's CPU generator (CPUGeneratorImpl): an mt19937 engine plus the cached second Box–Muller
// sample of the scalar normal path, and a count of the 32-bit draws since the last seed (what the
// corpus truth records as `rng_after_init.draws`). ../shared/RNG.md §1–§2.
import { MT19937 } from './mt19937.ts';

const TWO_32 = 4294967296;

export class CpuGenerator {
  readonly mt = new MT19937();
  /** The pending Box–Muller sample (a double) of the scalar normal path, or null. */
  normalCache: number | null = null;
  /** 32-bit outputs consumed since the last seed. */
  draws = 0;
  /** The seed as torch reports it (`initial_seed()`): the full 64-bit value. */
  seedValue: bigint = 67280421310721n;

  constructor(seed: number | bigint = 67280421310721n) { this.manualSeed(seed); }

  /** `manual_seed(seed)`: a negative Python int wraps two's-complement; only the low 32 bits reach the engine. */
  manualSeed(seed: number | bigint): void {
    const s = BigInt.asUintN(64, typeof seed === 'bigint' ? seed : BigInt(Math.trunc(seed)));
    this.seedValue = s;
    this.mt.seed(Number(s & 0xffffffffn));
    this.normalCache = null;
    this.draws = 0;
  }

  /** One draw: a uint32. */
  random32(): number {
    this.draws++;
    return this.mt.random32();
  }

  /** Two draws as a BigInt: the first is the HIGH word. */
  random64(): bigint {
    const hi = this.random32();
    const lo = this.random32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** `(random64() & (2^53 - 1)) * 2^-53`: a double in [0, 1) from two draws, without BigInt. */
  uniform53(): number {
    const hi = this.random32();
    const lo = this.random32();
    return ((hi & 0x1fffff) * TWO_32 + lo) * 1.1102230246251565e-16;
  }

  /** `(random32() & 0xFFFFFF) * 2^-24`: a float32 in [0, 1) from one draw. */
  uniform24(): number {
    return (this.random32() & 0xffffff) * 5.9604644775390625e-8;
  }

  /**
   * `out[i] = uniform24()` for i in [start, end): end - start draws, without a call per element;
   * with `scale`/`shift`, `uniform24() * scale + shift` rounded once by the store (MT19937.fillUniform24).
   */
  fillUniform24(out: Float32Array | Float64Array, start: number, end: number, scale = 1, shift = 0): void {
    if (end <= start) return;
    this.mt.fillUniform24(out, start, end, scale, shift);
    this.draws += end - start;
  }

  /** `out[i] = random32()` for i in [start, end). */
  fillUint32(out: Uint32Array | Int32Array, start: number, end: number): void {
    if (end <= start) return;
    this.mt.fillUint32(out, start, end);
    this.draws += end - start;
  }

  /** `get_rng_state`-like snapshot used by tests and the analysis report. */
  snapshot(): { draws: number; normal_cache: number | null } {
    return { draws: this.draws, normal_cache: this.normalCache };
  }

  clone(): CpuGenerator {
    const g = new CpuGenerator(this.seedValue);
    g.mt.copyFrom(this.mt);
    g.normalCache = this.normalCache;
    g.draws = this.draws;
    return g;
  }
}
