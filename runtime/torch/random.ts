// torch's default random generator. `torch.manual_seed(s)` resets it; its engine (mt19937 plus the
// Box–Muller cache, runtime/random/) lives in `TorchGenerator.state` and the random kernels draw from it.
import { TorchGenerator } from './objects.ts';
import { CpuGenerator } from '../random/generator.ts';
import { engineOf } from '../random/engine.ts';

const generator = new TorchGenerator();

export function defaultGenerator(): TorchGenerator { return generator; }

/** The engine of the default generator (what `torch.rand` etc. draw from unless given `generator=`). */
export function defaultEngine(): CpuGenerator { return engineOf(generator); }

/** `torch.manual_seed(seed)`: returns the default generator, as torch does. */
export function manualSeed(seed: number | bigint): TorchGenerator {
  generator.seed = typeof seed === 'bigint' ? Number(BigInt.asUintN(64, seed)) : seed;
  generator.state = new CpuGenerator(seed);
  return generator;
}
