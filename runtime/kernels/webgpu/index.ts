// Registers every WGSL kernel with the op registry (device `webgpu`). One file per kernel family;
// ops without an entry here run their cpu kernel with a recorded notice (see webgpu-executor.ts).
// The op definitions must exist before kernels attach to them.
import '../../ops/elementwise.ts';
import '../../ops/matmul.ts';
import '../../ops/conv.ts';
import '../../ops/pool.ts';
import '../../ops/norm.ts';
import '../../ops/reduce.ts';
import '../../ops/shape-ops.ts';
import '../../ops/index-ops.ts';
import '../../ops/join-ops.ts';
import '../../ops/nn-ops.ts';
import '../../ops/creation.ts';
import { registerConvKernels } from './conv.ts';
import { registerCopyKernels } from './copy.ts';
import { registerDistanceKernels } from './distance.ts';
import { registerElementwiseKernels } from './elementwise.ts';
import { registerGatherKernels } from './gather.ts';
import { registerMatmulKernels } from './matmul.ts';
import { registerNormKernels } from './norm.ts';
import { registerPoolKernels } from './pool.ts';
import { registerReduceKernels } from './reduce.ts';

let registered = false;

/** Adds the webgpu kernels to the ops defined so far (idempotent). */
export function registerWebGpuKernels(): void {
  if (registered) return;
  registered = true;
  registerElementwiseKernels();
  registerMatmulKernels();
  registerConvKernels();
  registerPoolKernels();
  registerNormKernels();
  registerReduceKernels();
  registerCopyKernels();
  registerGatherKernels();
  registerDistanceKernels();
}

registerWebGpuKernels();
