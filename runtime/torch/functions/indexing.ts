// gather / scatter / index_select / index_fill|add|copy / repeat_interleave / embedding builtins.
import { Tensor } from '../../tensor.ts';
import { NeedsValuesError, runtimeError } from '../../python/index.ts';
import { int64 } from '../../dtype.ts';
import { fromData } from '../../ops/creation.ts';
import { view } from '../../ops/shape-ops.ts';
import { normalizeDim } from '../../ops/dims.ts';
import * as idx from '../../ops/index-ops.ts';
import { wrapScalar, type Scalar } from '../../ops/scalar.ts';
import type { ParsedArgs } from '../arg-parser.ts';
import { type Namespace, defNative } from '../registry.ts';

const both: Namespace[] = ['torch', 'tensor'];
const input = (a: ParsedArgs): Tensor => a.tensor('input');
const tensorOrScalar = (a: ParsedArgs, name: string): Tensor => {
  const v = a.raw(name);
  return v instanceof Tensor ? v : wrapScalar(v as Scalar);
};

defNative(both, 'gather', (a) => idx.gather(input(a), a.int('dim'), a.tensor('index')));
defNative(both, 'index_select', (a) => idx.indexSelect(input(a), a.int('dim'), a.tensor('index')));
for (const name of ['scatter', 'scatter_', 'scatter_add', 'scatter_add_']) {
  defNative(name.endsWith('_') ? ['tensor'] : both, name, (a) => {
    // scatter_add is scatter with reduce='add'.
    const reduce = name.startsWith('scatter_add') ? 'add' : a.has('reduce') ? a.string('reduce') : null;
    const args = [input(a), a.int('dim'), a.tensor('index'), tensorOrScalar(a, a.has('src') ? 'src' : 'value'), reduce] as const;
    return name.endsWith('_') ? idx.scatterInplace(...args) : idx.scatter(...args);
  });
}
for (const kind of ['fill', 'add', 'copy'] as const) {
  defNative(both, `index_${kind}`, (a) => idx.indexUpdate(kind, input(a), a.int('dim'), a.tensor('index'), tensorOrScalar(a, kind === 'fill' ? 'value' : 'source')));
  defNative('tensor', `index_${kind}_`, (a) => idx.indexUpdateInplace(kind, input(a), a.int('dim'), a.tensor('index'), tensorOrScalar(a, kind === 'fill' ? 'value' : 'source')));
}
/** The counts of a tensor of repeats, read from its values (NeedsValuesError on `meta`). */
function repeatCounts(repeats: Tensor, what: string): number[] {
  if (repeats.data === null) throw new NeedsValuesError(what);
  return Array.from(repeats.data as ArrayLike<number | bigint>, Number);
}
/** `[0]*r0 + [1]*r1 + ...`: the index that repeats element i r_i times. */
function repeatIndex(counts: readonly number[]): Tensor {
  if (counts.some((c) => c < 0)) throw runtimeError('repeats can not be negative');
  const values = counts.flatMap((c, i) => new Array<number>(c).fill(i));
  return fromData({ shape: [values.length], dtype: int64, values });
}
defNative(both, 'repeat_interleave', (a) => {
  if (!a.has('input')) return repeatIndex(repeatCounts(a.tensor('repeats'), 'repeat_interleave(repeats) (its size depends on values)'));
  const repeats = a.raw('repeats');
  if (repeats instanceof Tensor) {
    const counts = repeatCounts(repeats, repeats.numel() === 1 ? 'repeat_interleave with a tensor of repeats'
      : 'repeat_interleave with a tensor of repeats (its size depends on values)');
    if (counts.length === 1) return idx.repeatInterleave(input(a), counts[0]!, a.optInt('dim'));
    const dim = a.optInt('dim');
    const t = dim === null ? view(input(a), [-1]) : input(a);
    const size = t.shape[dim === null ? 0 : normalizeDim(dim, t.ndim)]!;
    if (counts.length !== size) throw runtimeError('repeats must have the same size as input along dim');
    return idx.indexSelect(t, dim ?? 0, repeatIndex(counts));
  }
  return idx.repeatInterleave(input(a), repeats as number, a.optInt('dim'));
});
defNative('torch', 'embedding', (a) => idx.embedding(a.tensor('weight'), a.tensor('indices'), a.int('padding_idx')));
defNative(both, 'select', (a) => idx.select(input(a), a.int('dim'), a.int('index')));
