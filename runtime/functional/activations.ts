// torch.nn.functional activations, softmax family and dropout, transliterated from
// torch/nn/functional.py (1.13): each forwards to the builtin the Python code calls.
import { type BoundArgs, PyFloat, runtimeError, valueError } from '../python/index.ts';
import type { Tensor } from '../tensor.ts';
import { defPython } from '../torch/registry.ts';
import { binary, unary } from '../ops/elementwise.ts';
import { wrapScalar } from '../ops/scalar.ts';
import { squeeze, unsqueeze } from '../ops/shape-ops.ts';
import { callMethod, callNN, callTorch, tensorArg } from './call.ts';

const get = (a: BoundArgs, name: string): unknown => a.get(name);
const truthy = (v: unknown): boolean => v !== null && v !== false && v !== 0;

/** `F.<name>(input, ..., inplace=False)` calling `<ns>.<name>_` or `<ns>.<name>` with the other arguments. */
function inplaceActivation(name: string, ns: 'torch' | 'nn', extra: string[] = [], builtin = name): void {
  defPython('F', name, (a, interop) => {
    const args = [get(a, 'input'), ...extra.map((e) => get(a, e))];
    const call = ns === 'torch' ? callTorch : callNN;
    return call(truthy(get(a, 'inplace')) ? `${builtin}_` : builtin, args, interop);
  });
}

inplaceActivation('relu', 'torch');
inplaceActivation('relu6', 'nn');
inplaceActivation('elu', 'nn', ['alpha']);
inplaceActivation('selu', 'torch');
inplaceActivation('celu', 'torch', ['alpha']);
inplaceActivation('leaky_relu', 'nn', ['negative_slope']);
inplaceActivation('hardtanh', 'nn', ['min_val', 'max_val']);
inplaceActivation('silu', 'nn');
inplaceActivation('mish', 'nn');
inplaceActivation('hardswish', 'nn');
inplaceActivation('hardsigmoid', 'nn');
inplaceActivation('threshold', 'torch', ['threshold', 'value']);
inplaceActivation('rrelu', 'torch', ['lower', 'upper', 'training']);

defPython('F', 'glu', (a, interop) => {
  const input = tensorArg(a, 'input');
  if (input.ndim === 0) throw runtimeError('glu does not support scalars because halving size must be even');
  return callNN('glu', [input, get(a, 'dim')], interop);
});
defPython('F', 'sigmoid', (a, interop) => callMethod(tensorArg(a, 'input', 'sigmoid'), 'sigmoid', [], interop));
defPython('F', 'tanh', (a, interop) => callMethod(tensorArg(a, 'input', 'tanh'), 'tanh', [], interop));
defPython('F', 'softsign', (a) => {
  const input = tensorArg(a, 'input', 'abs');
  return binary.div!(input, binary.add!(unary.abs!(input), wrapScalar({ kind: 'int', value: 1 })));
});
defPython('F', 'tanhshrink', (a) => {
  const input = tensorArg(a, 'input', 'tanh');
  return binary.sub!(input, unary.tanh!(input));
});

/** `_get_softmax_dim`: PyTorch's implicit-dim rule (0 for 0-, 1- and 3-D inputs, else 1); its warning is not emitted. */
export function implicitSoftmaxDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

for (const name of ['softmax', 'softmin', 'log_softmax'] as const) {
  defPython('F', name, (a, interop) => {
    let input = tensorArg(a, 'input');
    const dim = get(a, 'dim') ?? implicitSoftmaxDim(input.ndim);
    if (name === 'softmin') input = unary.neg!(input);
    const method = name === 'log_softmax' ? 'log_softmax' : 'softmax';
    const dtype = get(a, 'dtype');
    return callMethod(input, method, [dim], interop, dtype === null ? new Map() : new Map([['dtype', dtype]]));
  });
}

defPython('F', 'gumbel_softmax', (a, interop) => {
  const logits = tensorArg(a, 'logits');
  const y = callMethod(logits, 'softmax', [get(a, 'dim')], interop) as Tensor;
  return y;
});

defPython('F', 'normalize', (a, interop) => {
  const input = tensorArg(a, 'input', 'norm');
  const denom = callMethod(input, 'norm', [get(a, 'p'), get(a, 'dim')], interop, new Map([['keepdim', true]])) as Tensor;
  return binary.div!(input, denom);
});

// ------------------------------------------------------------------ dropout

function checkProbability(p: unknown): void {
  const value = p instanceof PyFloat ? p.value : typeof p === 'number' ? p : typeof p === 'boolean' ? Number(p) : NaN;
  if (value < 0 || value > 1) throw valueError(`dropout probability has to be between 0 and 1, but got ${formatPyNumber(p)}`);
}
const formatPyNumber = (p: unknown): string => (p instanceof PyFloat ? reprFloat(p.value) : String(p));
const reprFloat = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));

for (const [name, builtin] of [['dropout', 'dropout'], ['alpha_dropout', 'alpha_dropout'], ['feature_alpha_dropout', 'feature_alpha_dropout']] as const) {
  defPython('F', name, (a, interop) => {
    checkProbability(get(a, 'p'));
    return callTorch(truthy(get(a, 'inplace')) ? `${builtin}_` : builtin, [get(a, 'input'), get(a, 'p'), get(a, 'training')], interop);
  });
}
defPython('F', 'dropout1d', (a, interop) => {
  checkProbability(get(a, 'p'));
  const input = tensorArg(a, 'input');
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw runtimeError(`dropout1d: Expected 2D or 3D input, but received a ${input.ndim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`);
  }
  const batched = input.ndim === 3;
  const x = batched ? input : unsqueeze(input, 0);
  const out = callTorch(truthy(get(a, 'inplace')) ? 'feature_dropout_' : 'feature_dropout', [x, get(a, 'p'), get(a, 'training')], interop) as Tensor;
  return batched ? out : squeeze(out, 0);
});
defPython('F', 'dropout2d', (a, interop) => {
  checkProbability(get(a, 'p'));
  return callTorch(truthy(get(a, 'inplace')) ? 'feature_dropout_' : 'feature_dropout', [tensorArg(a, 'input'), get(a, 'p'), get(a, 'training')], interop);
});
defPython('F', 'dropout3d', (a, interop) => {
  checkProbability(get(a, 'p'));
  const input = tensorArg(a, 'input');
  const batched = input.ndim === 5;
  const x = batched ? input : unsqueeze(input, 0);
  const out = callTorch(truthy(get(a, 'inplace')) ? 'feature_dropout_' : 'feature_dropout', [x, get(a, 'p'), get(a, 'training')], interop) as Tensor;
  return batched ? out : squeeze(out, 0);
});

