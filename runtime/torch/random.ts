// torch's default random generator. `torch.manual_seed(s)` resets it; the value tier (issue 3)
// keeps its mt19937 state in `TorchGenerator.state` and draws from it in the random kernels.
import { TorchGenerator } from './objects.ts';

const generator = new TorchGenerator();

export function defaultGenerator(): TorchGenerator { return generator; }

/** `torch.manual_seed(seed)`: returns the default generator, as torch does. */
export function manualSeed(seed: number): TorchGenerator {
  generator.seed = seed;
  generator.state = null;
  return generator;
}
