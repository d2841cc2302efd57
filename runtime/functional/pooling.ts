// torch.nn.functional pooling (Python-level parts): max pooling with `return_indices`, adaptive
// pooling with None entries in output_size, and lp pooling.
import { type BoundArgs, type Interop, PyList, PyTuple, type PyValue, valueError } from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import { defPython } from '../torch/registry.ts';
import { binary, unary } from '../ops/elementwise.ts';
import { wrapScalar } from '../ops/scalar.ts';
import { callNN, callTorch, tensorArg } from './call.ts';
import { maxUnpool } from '../ops/pool.ts';
import { isSeq, ntuple, toInt } from '../torch/py-convert.ts';

const get = (a: BoundArgs, name: string): PyValue => a.get(name);

/** `_max_pool{n}d`: stride None means "same as kernel" (an empty list for the builtin). */
for (const n of [1, 2, 3]) {
  defPython('F', `max_pool${n}d`, (a, interop) => {
    const stride = get(a, 'stride') ?? new PyList([]);
    const args = [get(a, 'input'), get(a, 'kernel_size'), stride, get(a, 'padding'), get(a, 'dilation'), get(a, 'ceil_mode')];
    if (get(a, 'return_indices') === true) {
      return n === 1 ? callTorch('max_pool1d_with_indices', args, interop) : callNN(`max_pool${n}d_with_indices`, args, interop);
    }
    return callTorch(`max_pool${n}d`, args, interop);
  });
}

/** `_list_with_default`: None entries of output_size keep the input's size. */
function listWithDefault(outSize: PyValue, defaults: readonly number[]): PyValue {
  if (typeof outSize === 'number') return outSize;
  if (!isSeq(outSize)) return outSize;
  const n = outSize.items.length;
  if (defaults.length <= n) throw valueError(`Input dimension should be at least ${n + 1}`);
  const tail = defaults.slice(defaults.length - n);
  return new PyList(outSize.items.map((v, i) => (v === null ? tail[i]! : v)));
}

for (const n of [2, 3]) {
  defPython('F', `adaptive_avg_pool${n}d`, (a, interop) => {
    const input = tensorArg(a, 'input', 'size');
    return callNN(`adaptive_avg_pool${n}d`, [input, listWithDefault(get(a, 'output_size'), input.shape)], interop);
  });
  defPython('F', `adaptive_max_pool${n}d`, (a, interop) => {
    const input = tensorArg(a, 'input', 'size');
    const out = callNN(`adaptive_max_pool${n}d`, [input, listWithDefault(get(a, 'output_size'), input.shape)], interop) as PyTuple;
    return get(a, 'return_indices') === true ? out : out.items[0];
  });
}
defPython('F', 'adaptive_max_pool1d', (a, interop) => {
  const out = callTorch('adaptive_max_pool1d', [get(a, 'input'), get(a, 'output_size')], interop) as PyTuple;
  return get(a, 'return_indices') === true ? out : out.items[0];
});

/** lp_pool: (sum over the window of x^p)^(1/p), computed through avg pooling as torch does. */
function lpPool(a: BoundArgs, interop: Interop, n: 1 | 2): Tensor {
  const input = tensorArg(a, 'input', 'pow');
  const kernel = get(a, 'kernel_size');
  const normType = get(a, 'norm_type');
  const p = typeof normType === 'number' ? normType : (normType as { value: number }).value;
  const powered = binary.pow!(input, wrapScalar({ kind: typeof normType === 'number' ? 'int' : 'float', value: p }));
  const stride = get(a, 'stride');
  const poolArgs: PyValue[] = stride === null ? [powered, kernel] : [powered, kernel, stride, 0, get(a, 'ceil_mode')];
  const kwargs = stride === null ? new Map<string, PyValue>([['padding', 0], ['ceil_mode', get(a, 'ceil_mode')]]) : new Map<string, PyValue>();
  const out = (n === 1 ? callTorch('avg_pool1d', poolArgs, interop, kwargs) : callNN('avg_pool2d', poolArgs, interop, kwargs)) as Tensor;
  const window = n === 1 ? toInt(kernel) : ntuple(kernel, 2).items.map(toInt).reduce((x, y) => x * y, 1);
  const magnitude = binary.mul!(unary.sign!(out), unary.relu!(unary.abs!(out)));
  const scaled = binary.mul!(magnitude, wrapScalar({ kind: 'int', value: window }));
  return binary.pow!(scaled, wrapScalar({ kind: 'float', value: 1 / p }));
}
defPython('F', 'lp_pool1d', (a, interop) => lpPool(a, interop, 1));
defPython('F', 'lp_pool2d', (a, interop) => lpPool(a, interop, 2));


/** `_unpool_output_size`: the size max pooling came from, or a checked explicit output_size. */
function unpoolOutputSize(input: Tensor, kernel: number[], stride: number[], padding: number[], outputSize: PyValue, interop: Interop): number[] {
  const n = kernel.length;
  const defaults = kernel.map((k, d) => (input.shape[input.ndim - n + d]! - 1) * stride[d]! + k - 2 * padding[d]!);
  if (outputSize === null) return defaults;
  let sizes = isSeq(outputSize) ? outputSize.items.map(toInt) : [toInt(outputSize)];
  if (sizes.length === n + 2) sizes = sizes.slice(2);
  if (sizes.length !== n) {
    throw valueError(`output_size should be a sequence containing ${n} or ${n + 2} elements, but it has a length of '${sizes.length}'`);
  }
  sizes.forEach((s, d) => {
    const min = defaults[d]! - stride[d]!;
    const max = defaults[d]! + stride[d]!;
    if (!(min < s && s < max)) throw valueError(`invalid output_size "${interop.repr(outputSize)}" (dim ${d} must be between ${min} and ${max})`);
  });
  return sizes;
}

for (const n of [1, 2, 3]) {
  defPython('F', `max_unpool${n}d`, (a, interop) => {
    const input = tensorArg(a, 'input', 'size');
    const kernel = ntuple(get(a, 'kernel_size'), n).items.map(toInt);
    const stride = get(a, 'stride') === null ? kernel : ntuple(get(a, 'stride'), n).items.map(toInt);
    const padding = ntuple(get(a, 'padding'), n).items.map(toInt);
    const size = unpoolOutputSize(input, kernel, stride, padding, get(a, 'output_size'), interop);
    return maxUnpool(input, tensorArg(a, 'indices'), size);
  });
}
