// gather / scatter / index_select / index_fill|add|copy / repeat_interleave / embedding builtins.
import { Tensor } from '../../tensor.ts';
import { NeedsValuesError } from '../../python/index.ts';
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
    const out = idx.scatter(input(a), a.int('dim'), a.tensor('index'), tensorOrScalar(a, a.has('src') ? 'src' : 'value'), a.has('reduce') ? a.string('reduce') : null);
    return name.endsWith('_') ? input(a) : out;
  });
}
for (const kind of ['fill', 'add', 'copy'] as const) {
  defNative(both, `index_${kind}`, (a) => idx.indexUpdate(kind, input(a), a.int('dim'), a.tensor('index'), tensorOrScalar(a, kind === 'fill' ? 'value' : 'source')));
  defNative('tensor', `index_${kind}_`, (a) => {
    idx.indexUpdate(kind, input(a), a.int('dim'), a.tensor('index'), tensorOrScalar(a, kind === 'fill' ? 'value' : 'source'));
    return input(a);
  });
}
defNative(both, 'repeat_interleave', (a) => {
  if (!a.has('input')) throw new NeedsValuesError('repeat_interleave(repeats) (its size depends on values)');
  const repeats = a.raw('repeats');
  if (repeats instanceof Tensor) {
    if (repeats.numel() === 1) throw new NeedsValuesError('repeat_interleave with a tensor of repeats');
    throw new NeedsValuesError('repeat_interleave with a tensor of repeats (its size depends on values)');
  }
  return idx.repeatInterleave(input(a), repeats as number, a.optInt('dim'));
});
defNative('torch', 'embedding', (a) => idx.embedding(a.tensor('weight'), a.tensor('indices'), a.int('padding_idx')));
defNative(both, 'select', (a) => idx.select(input(a), a.int('dim'), a.int('index')));
