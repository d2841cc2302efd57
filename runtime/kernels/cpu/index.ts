// The CPU device's kernels: importing this module registers a `cpu` kernel for every op of the
// registry (the creation ops register theirs in runtime/ops/creation.ts). One file per family;
// util.ts holds the numeric conventions they share (compute in double, round once on store).
import '../../ops/elementwise.ts';
import '../../ops/reduce.ts';
import '../../ops/matmul.ts';
import '../../ops/conv.ts';
import '../../ops/pool.ts';
import '../../ops/norm.ts';
import '../../ops/nn-ops.ts';
import '../../ops/loss.ts';
import '../../ops/index-ops.ts';
import '../../ops/join-ops.ts';
import '../../ops/shape-ops.ts';
import '../../ops/einsum.ts';
import '../../ops/creation.ts';
import { registerElementwiseKernels } from './elementwise.ts';
import { registerReduceKernels } from './reduce.ts';
import { registerMatmulKernels } from './matmul.ts';
import { registerConvKernels } from './conv.ts';
import { registerPoolKernels } from './pool.ts';
import { registerNormKernels } from './norm.ts';
import { registerNnKernels } from './nn.ts';
import { registerLossKernels } from './loss.ts';
import { registerIndexingKernels } from './indexing.ts';
import { registerShapeKernels } from './shape.ts';
import { registerEinsumKernels } from './einsum.ts';

registerElementwiseKernels();
registerReduceKernels();
registerMatmulKernels();
registerConvKernels();
registerPoolKernels();
registerNormKernels();
registerNnKernels();
registerLossKernels();
registerIndexingKernels();
registerShapeKernels();
registerEinsumKernels();
