// Reductions as torch.* and Tensor methods. Overloads decide the result: `max(x)` is a tensor,
// `max(x, dim)` a (values, indices) pair, `max(x, other)` the elementwise maximum.
import { Tensor } from '../../tensor.ts';
import { NeedsValuesError, PyFloat, PyTuple, type PyValue, typeError, pyTypeName } from '../../python/index.ts';
import * as reduce from '../../ops/reduce.ts';
import { binary } from '../../ops/elementwise.ts';
import type { ParsedArgs } from '../arg-parser.ts';
import { type Namespace, defNative, defPython } from '../registry.ts';
import { toInt } from '../py-convert.ts';

const both: Namespace[] = ['torch', 'tensor'];
const input = (a: ParsedArgs): Tensor => a.tensor('input');
const pair = ([v, i]: [Tensor, Tensor]): PyTuple => new PyTuple([v, i]);
/** `dim` of an `IntArrayRef[1]? dim` parameter: null (all) or the dims. */
const dims = (a: ParsedArgs): number[] | null => (a.has('dim') ? a.optIntList('dim') : null);
const keepdim = (a: ParsedArgs): boolean => a.has('keepdim') && a.bool('keepdim');

defNative(both, 'sum', (a) => reduce.sum(input(a), dims(a), keepdim(a), a.dtype('dtype')));
defNative(both, 'nansum', (a) => reduce.nansum(input(a), dims(a), keepdim(a), a.dtype('dtype')));
defNative(both, 'mean', (a) => reduce.mean(input(a), dims(a), keepdim(a), a.dtype('dtype')));
defNative(both, 'nanmean', (a) => reduce.nanmean(input(a), dims(a), keepdim(a), a.dtype('dtype')));
defNative(both, 'prod', (a) => reduce.prod(input(a), a.has('dim') ? [a.int('dim')] : null, keepdim(a), a.dtype('dtype')));

for (const fn of ['max', 'min'] as const) {
  defNative(both, fn, (a) => {
    if (a.has('other')) return binary[fn === 'max' ? 'maximum' : 'minimum']!(input(a), a.tensor('other'));
    if (a.has('dim')) return pair(reduce.reduceWithIndices(fn, input(a), a.int('dim'), keepdim(a)));
    return reduce.amax(input(a), null, false, fn);
  });
}
defNative(both, ['amax', 'amin'], (a) => reduce.amax(input(a), a.intList('dim'), keepdim(a), a.signature.name));
defNative(both, ['argmax', 'argmin'], (a) => reduce.argmax(input(a), a.optInt('dim'), keepdim(a), a.signature.name));
defNative(both, ['median', 'nanmedian'], (a) => (a.has('dim') ? pair(reduce.reduceWithIndices(a.signature.name, input(a), a.int('dim'), keepdim(a))) : reduce.medianAll(input(a))));
defNative(both, ['mode', 'kthvalue'], (a) => pair(reduce.reduceWithIndices(a.signature.name, input(a), a.int('dim'), keepdim(a))));

/** var/std: `dim` may be a list, and `unbiased`/`correction` do not change shapes. */
const statDims = (a: ParsedArgs): number[] | null => (a.has('dim') ? a.optIntList('dim') : null);
defNative(both, 'var', (a) => reduce.variance(input(a), statDims(a), keepdim(a)));
defNative(both, 'std', (a) => reduce.std(input(a), statDims(a), keepdim(a)));
defNative('torch', 'var_mean', (a) => new PyTuple(reduce.statWithMean('var', input(a), statDims(a), keepdim(a))));
defNative('torch', 'std_mean', (a) => new PyTuple(reduce.statWithMean('std', input(a), statDims(a), keepdim(a))));

defNative(both, 'logsumexp', (a) => reduce.logsumexp(input(a), a.intList('dim'), keepdim(a)));
defNative(both, 'all', (a) => reduce.all(input(a), a.has('dim') ? [a.int('dim')] : null, keepdim(a)));
defNative(both, 'any', (a) => reduce.any(input(a), a.has('dim') ? [a.int('dim')] : null, keepdim(a)));
defNative(both, 'count_nonzero', (a) => {
  const d = a.raw('dim');
  return reduce.countNonzero(input(a), d === null ? null : typeof d === 'number' ? [d] : (d as number[]));
});

defNative(both, ['cumsum', 'cumprod'], (a) => reduce.cumulative(input(a), a.int('dim'), a.dtype('dtype')));
defNative('tensor', ['cumsum_', 'cumprod_'], (a) => reduce.cumulative(input(a), a.int('dim'), a.dtype('dtype')));
defNative(both, ['cummax', 'cummin'], (a) => pair(reduce.cumulativeWithIndices(input(a), a.int('dim'))));
defNative(both, 'softmax', (a) => reduce.softmax(input(a), a.int('dim'), a.dtype('dtype')));
defNative(both, 'log_softmax', (a) => reduce.softmax(input(a), a.int('dim'), a.dtype('dtype'), true));
defNative(both, 'sort', (a) => pair(reduce.sort(input(a), a.int('dim'))));
defNative(both, 'argsort', (a) => reduce.sort(input(a), a.int('dim'))[1]);
defNative(both, 'topk', (a) => pair(reduce.topk(input(a), a.int('k'), a.int('dim'))));
defNative(both, 'dist', (a) => reduce.sum(binary.sub!(input(a), a.tensor('other')), null, false));

/** torch.norm (Python in torch/functional.py): p is a number, 'fro' or 'nuc'. */
function norm(t: Tensor, p: PyValue, dim: PyValue, keep: PyValue, dtype: PyValue): Tensor {
  const pv = p === null ? 2 : typeof p === 'string' ? p : p instanceof PyFloat ? p.value : typeof p === 'number' ? p : NaN;
  if (typeof pv === 'number' && Number.isNaN(pv)) throw typeError(`norm(): argument 'p' must be Number, not ${pyTypeName(p)}`);
  if (typeof pv === 'string' && pv !== 'fro' && pv !== 'nuc') throw typeError(`linalg.matrix_norm: Order ${pv} not supported.`);
  const d = dim === null ? null : typeof dim === 'number' ? [dim] : (dim as PyTuple).items.map(toInt);
  return reduce.norm(t, pv as number | 'fro' | 'nuc', d, keep === true, (dtype ?? null) as never);
}
defPython('torch', 'norm', (a) => norm(a.get('input') as Tensor, a.get('p'), a.get('dim'), a.get('keepdim'), a.get('dtype')));
defPython('tensor', 'norm', (a) => norm(a.get('self') as Tensor, a.get('p'), a.get('dim'), a.get('keepdim'), a.get('dtype')));

defPython(['torch', 'tensor'], 'unique', () => { throw new NeedsValuesError('unique() (its size depends on values)'); });
defNative(both, 'nonzero', () => { throw new NeedsValuesError('nonzero() (its size depends on values)'); });
defNative(both, 'masked_select', () => { throw new NeedsValuesError('masked_select() (its size depends on values)'); });
defNative(both, ['equal', 'allclose'], () => { throw new NeedsValuesError('comparing tensor values'); });
defNative(both, 'isclose', (a) => binary.eq!(input(a), a.tensor('other')));

