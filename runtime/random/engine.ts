// The link between torch.Generator objects (runtime/torch/objects.ts, whose `state` slot the value
// tier owns) and the CpuGenerator that draws. A generator that was never seeded gets torch's
// default seed (67280421310721) the first time it draws.
import { CpuGenerator } from './generator.ts';

/** What the random kernels receive as `generator`: a torch.Generator (duck-typed to keep runtime/random standalone). */
export interface GeneratorHandle { seed: number | bigint; state: unknown }

function isHandle(g: unknown): g is GeneratorHandle {
  return typeof g === 'object' && g !== null && 'state' in g && 'seed' in g;
}

/** The engine behind a torch.Generator, created from its seed on first use. */
export function engineOf(g: unknown): CpuGenerator {
  if (g instanceof CpuGenerator) return g;
  if (!isHandle(g)) throw new Error('random kernels need a torch.Generator');
  if (!(g.state instanceof CpuGenerator)) g.state = new CpuGenerator(g.seed);
  return g.state as CpuGenerator;
}
