// The runtime's public surface: `torch` as a Python namespace for the evaluator, and the pieces a
// standalone user of the library needs.
import { PyNamespace } from './python/index.ts';
import { createTorchNamespace } from './torch/index.ts';
import { nnNamespace } from './nn/index.ts';

let torch: PyNamespace | null = null;

/** The `torch` module (with `torch.nn`, `torch.nn.functional`, `torch.nn.init`), built once. */
export function torchModule(): PyNamespace {
  if (!torch) {
    torch = createTorchNamespace();
    torch.attrs.set('nn', nnNamespace());
  }
  return torch;
}

export * from './python/index.ts';
export { Tensor, Parameter, formatShape } from './tensor.ts';
export { Module } from './nn/module.ts';
export { withCallTracer, type CallTracer } from './nn/call-tracer.ts';
export { withRuntimeContext, runtimeContext, type RuntimeContext } from './context.ts';
