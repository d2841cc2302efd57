// Reductions as torch.* and Tensor methods. Overloads decide the result: `max(x)` is a tensor,
// `max(x, dim)` a (values, indices) pair, `max(x, other)` the elementwise maximum.
import { Tensor } from '../../tensor.ts';
import { NeedsValuesError, PyFloat, PyTuple, type PyValue, typeError, pyTypeName } from '../../python/index.ts';
import * as reduce from '../../ops/reduce.ts';
import { binary, unary } from '../../ops/elementwise.ts';
import { wrapScalar } from '../../ops/scalar.ts';
import { indexWithTensors, nonzero, select } from '../../ops/index-ops.ts';
import { expand, view } from '../../ops/shape-ops.ts';
import { broadcastShapes } from '../../ops/broadcast.ts';
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
defNative(both, ['median', 'nanmedian'], (a) => (a.has('dim') ? pair(reduce.reduceWithIndices(a.signature.name, input(a), a.int('dim'), keepdim(a)))
  : a.signature.name === 'nanmedian' ? reduce.amax(input(a), null, false, 'nanmedian') : reduce.medianAll(input(a))));
defNative(both, ['mode', 'kthvalue'], (a) => pair(reduce.reduceWithIndices(a.signature.name, input(a), a.int('dim'), keepdim(a), a.has('k') ? a.int('k') : 1)));

/** var/std: `dim` may be a list, and `unbiased`/`correction` do not change shapes. */
const statDims = (a: ParsedArgs): number[] | null => (a.has('dim') ? a.optIntList('dim') : null);
/** The divisor's correction: `correction=` (default 1) or `unbiased=` (1 or 0). */
const correction = (a: ParsedArgs): number => (a.has('correction') ? a.optInt('correction') ?? 1 : a.has('unbiased') && !a.bool('unbiased') ? 0 : 1);
defNative(both, 'var', (a) => reduce.variance(input(a), statDims(a), keepdim(a), null, { correction: correction(a) }));
defNative(both, 'std', (a) => reduce.std(input(a), statDims(a), keepdim(a), null, { correction: correction(a) }));
defNative('torch', 'var_mean', (a) => new PyTuple(reduce.statWithMean('var', input(a), statDims(a), keepdim(a), correction(a))));
defNative('torch', 'std_mean', (a) => new PyTuple(reduce.statWithMean('std', input(a), statDims(a), keepdim(a), correction(a))));

defNative(both, 'logsumexp', (a) => reduce.logsumexp(input(a), a.intList('dim'), keepdim(a)));
defNative(both, 'all', (a) => reduce.all(input(a), a.has('dim') ? [a.int('dim')] : null, keepdim(a)));
defNative(both, 'any', (a) => reduce.any(input(a), a.has('dim') ? [a.int('dim')] : null, keepdim(a)));
defNative(both, 'count_nonzero', (a) => {
  const d = a.raw('dim');
  return reduce.countNonzero(input(a), d === null ? null : typeof d === 'number' ? [d] : (d as number[]));
});

const scanKind = (a: ParsedArgs): 'cumsum' | 'cumprod' => (a.signature.name.startsWith('cumprod') ? 'cumprod' : 'cumsum');
defNative(both, ['cumsum', 'cumprod'], (a) => reduce.cumulative(input(a), a.int('dim'), a.dtype('dtype'), scanKind(a)));
defNative('tensor', ['cumsum_', 'cumprod_'], (a) => reduce.cumulative(input(a), a.int('dim'), a.dtype('dtype'), scanKind(a)));
defNative(both, ['cummax', 'cummin'], (a) => pair(reduce.cumulativeWithIndices(input(a), a.int('dim'), a.signature.name === 'cummin' ? 'cummin' : 'cummax')));
defNative(both, 'softmax', (a) => reduce.softmax(input(a), a.int('dim'), a.dtype('dtype')));
defNative(both, 'log_softmax', (a) => reduce.softmax(input(a), a.int('dim'), a.dtype('dtype'), true));
const descending = (a: ParsedArgs): boolean => a.has('descending') && a.bool('descending');
defNative(both, 'sort', (a) => pair(reduce.sort(input(a), a.int('dim'), descending(a))));
defNative(both, 'argsort', (a) => reduce.sort(input(a), a.int('dim'), descending(a))[1]);
defNative(both, 'topk', (a) => pair(reduce.topk(input(a), a.int('k'), a.int('dim'), !a.has('largest') || a.bool('largest'))));
defNative(both, 'dist', (a) => {
  const p = a.has('p') ? a.scalar('p').value ?? 2 : 2;
  return reduce.norm(binary.sub!(input(a), a.tensor('other')), p, null, false);
});

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
defNative(both, 'nonzero', (a) => {
  const coords = nonzero(input(a));
  if (a.has('as_tuple') && a.bool('as_tuple')) return new PyTuple(Array.from({ length: Math.max(input(a).ndim, 1) }, (_, d) => select(coords, 1, d)));
  return coords;
});
/** masked_select: the elements where the (broadcast) mask is true, as a 1-D tensor (its size depends on values). */
defNative(both, 'masked_select', (a) => {
  const x = input(a);
  const mask = a.tensor('mask');
  const shape = broadcastShapes(x.shape, mask.shape);
  if (x.device === 'meta') throw new NeedsValuesError('masked_select() (its size depends on values)');
  const positions = select(nonzero(view(expand(mask, shape), [-1])), 1, 0);
  return indexWithTensors(view(expand(x, shape), [-1]), [0], [positions]);
});
defNative(both, ['equal', 'allclose'], () => { throw new NeedsValuesError('comparing tensor values'); });
/** isclose: |a - b| <= atol + rtol * |b| (or equal, for infinities), NaNs equal when equal_nan. */
defNative(both, 'isclose', (a) => {
  const x = input(a);
  const y = a.tensor('other');
  const tolerance = binary.add!(wrapScalar({ kind: 'float', value: a.float('atol') }), binary.mul!(unary.abs!(y), wrapScalar({ kind: 'float', value: a.float('rtol') })));
  const within = binary.le!(unary.abs!(binary.sub!(x, y)), tolerance);
  const equal = binary.eq!(x, y);
  const both = binary.logical_or!(equal, within);
  return a.bool('equal_nan') ? binary.logical_or!(both, binary.logical_and!(unary.isnan!(x), unary.isnan!(y))) : both;
});

