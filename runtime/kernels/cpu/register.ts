// Registration of the CPU kernels by op name (the ops themselves live in runtime/ops/).
import { type Kernel, type OpDef, getOp, registerKernel } from '../../ops/registry.ts';

/** Adds the cpu kernel of the op called `name`; a missing op is a programming error. */
export function registerCpu<A>(name: string, kernel: Kernel<A>): void {
  const op = getOp(name);
  if (!op) throw new Error(`cpu kernels: no op named ${name}`);
  registerKernel(op as OpDef<A>, 'cpu', kernel);
}
