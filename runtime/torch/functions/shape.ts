// Shape functions as torch.* and Tensor methods: view/reshape, permute/transpose, squeeze,
// flatten, expand/repeat, cat/stack/split/chunk, size/dim/numel/stride and friends.
import { Tensor, contiguousStrides } from '../../tensor.ts';
import { PyTuple, type PyValue, notImplementedError, pyTypeName, typeError } from '../../python/index.ts';
import { normalizeDim, range } from '../../ops/dims.ts';
import * as shapeOps from '../../ops/shape-ops.ts';
import * as join from '../../ops/join-ops.ts';
import { broadcastShapes as broadcastShape } from '../../ops/broadcast.ts';
import type { ParsedArgs } from '../arg-parser.ts';
import { defNative, defNoArgs, defPython } from '../registry.ts';
import { TorchSize } from '../objects.ts';
import { toInt, toIntList } from '../py-convert.ts';

const input = (a: ParsedArgs): Tensor => a.tensor('input');
const tuple = (tensors: readonly Tensor[]): PyTuple => new PyTuple(tensors);
const both = ['torch', 'tensor'] as const;

defNative('tensor', 'view', (a) => (a.has('dtype') ? shapeOps.viewAsDType(input(a), a.dtype('dtype')!) : shapeOps.view(input(a), a.intList('size'))));
defNative(both, 'reshape', (a) => shapeOps.view(input(a), a.intList('shape')));
defNative('tensor', 'view_as', (a) => shapeOps.view(input(a), a.tensor('other').shape));
defNative('tensor', 'reshape_as', (a) => shapeOps.view(input(a), a.tensor('other').shape));
defNative(both, 'permute', (a) => shapeOps.permute(input(a), a.intList('dims')));
defNative(both, ['transpose', 'swapdims'], (a) => shapeOps.transpose(input(a), a.int('dim0'), a.int('dim1')));
defNative(both, 'swapaxes', (a) => shapeOps.transpose(input(a), a.int('axis0'), a.int('axis1')));
defNative('torch', 't', (a) => shapeOps.matrixTranspose(input(a)));
defNoArgs('t', (self) => shapeOps.matrixTranspose(self));
defNative(both, 'unsqueeze', (a) => shapeOps.unsqueeze(input(a), a.int('dim')));
defNative(both, 'squeeze', (a) => shapeOps.squeeze(input(a), a.has('dim') ? a.int('dim') : undefined));
defNative(both, 'flatten', (a) => shapeOps.flatten(input(a), a.int('start_dim'), a.int('end_dim')));
defNative('torch', 'unflatten', (a) => shapeOps.unflatten(input(a), a.int('dim'), a.intList('sizes')));
defPython('tensor', 'unflatten', (a) => shapeOps.unflatten(a.get('self') as Tensor, toInt(a.get('dim')), toIntList(a.get('sizes'), 'sizes')));
defNative('tensor', 'expand', (a) => shapeOps.expand(input(a), a.intList('size')));
defNative('tensor', 'expand_as', (a) => shapeOps.expand(input(a), a.tensor('other').shape));
defNative(both, 'broadcast_to', (a) => shapeOps.expand(input(a), a.intList('size')));
defNative('tensor', 'repeat', (a) => shapeOps.repeat(input(a), a.intList('repeats')));
defNative(both, 'tile', (a) => shapeOps.tile(input(a), a.intList('dims')));
defNative(both, 'narrow', (a) => shapeOps.narrow(input(a), a.int('dim'), a.int('start'), a.int('length')));
defNative(both, 'flip', (a) => shapeOps.flip(input(a), a.intList('dims')));
defNative(both, 'roll', (a) => shapeOps.roll(input(a), a.intList('shifts'), a.optIntList('dims') ?? []));
defNative(both, ['movedim', 'moveaxis'], (a) => {
  const src = a.raw('source');
  const dst = a.raw('destination');
  return shapeOps.movedim(input(a), typeof src === 'number' ? [src] : (src as number[]), typeof dst === 'number' ? [dst] : (dst as number[]));
});
defNative(both, 'diagonal', (a) => shapeOps.diagonal(input(a), a.int('offset'), a.int('dim1'), a.int('dim2')));
defNative(both, 'diag', (a) => shapeOps.diag(input(a), a.int('diagonal')));
defNative(both, 'trace', (a) => shapeOps.trace(input(a)));
defNative('tensor', 'unfold', (a) => shapeOps.unfoldDim(input(a), a.int('dimension'), a.int('size'), a.int('step')));
defNative('tensor', 'contiguous', (a) => input(a));

// ------------------------------------------------------------------ sizes

defNative('tensor', 'size', (a) => {
  const t = input(a);
  if (!a.has('dim')) return new TorchSize(t.shape);
  return t.shape[normalizeDim(a.int('dim'), t.ndim, false)]!;
});
defNative('tensor', 'stride', (a) => {
  // Every tensor the shape tier makes is contiguous (views are not tracked).
  const t = input(a);
  const strides = contiguousStrides(t.shape);
  if (!a.has('dim')) return new PyTuple(strides);
  return strides[normalizeDim(a.int('dim'), t.ndim, false)]!;
});
defNoArgs(['dim', 'ndimension'], (self) => self.ndim);
defNoArgs(['numel', 'nelement'], (self) => self.numel());
defNoArgs('element_size', (self) => self.dtype.itemSize);
defNoArgs('is_contiguous', () => true);
defNative('tensor', 'is_contiguous', () => true);
defNoArgs('storage_offset', () => 0);
defNoArgs('get_device', (self) => (self.device === 'cpu' || self.device === 'meta' ? -1 : 0));
defNoArgs('data_ptr', () => { throw notImplementedError('data_ptr() has no meaning for NN Lens tensors'); });

// ------------------------------------------------------------------ join / split

defNative('torch', ['cat', 'concat'], (a) => join.cat(a.tensors('tensors'), a.int('dim')));
defNative('torch', 'stack', (a) => join.stack(a.tensors('tensors'), a.int('dim')));
defNative('torch', 'hstack', (a) => join.hstack(a.tensors('tensors')));
defNative('torch', 'vstack', (a) => join.vstack(a.tensors('tensors')));
defNative(both, 'chunk', (a) => tuple(join.chunk(input(a), a.int('chunks'), a.int('dim'))));
defNative(both, 'unbind', (a) => tuple(join.unbind(input(a), a.int('dim'))));
defNative(both, 'tensor_split', (a) => {
  const t = input(a);
  if (a.has('sections')) return tuple(join.tensorSplit(t, a.int('sections'), a.int('dim')));
  if (a.has('indices')) return tuple(join.tensorSplit(t, a.intList('indices'), a.int('dim')));
  throw notImplementedError('tensor_split with a tensor of indices needs values');
});

/** Tensor.split / torch.split (Python in torch): an int size or a list of sizes. */
function splitImpl(t: Tensor, sizes: PyValue, dim: PyValue): PyTuple {
  const d = toInt(dim);
  if (typeof sizes === 'number') return tuple(join.split(t, sizes, d));
  return tuple(join.split(t, toIntList(sizes, 'split_size'), d));
}
defPython('tensor', 'split', (a) => splitImpl(a.get('self') as Tensor, a.get('split_size'), a.get('dim')));
defPython('torch', 'split', (a) => {
  const t = a.get('tensor');
  if (!(t instanceof Tensor)) throw typeError(`split(): argument 'self' (position 1) must be Tensor, not ${pyTypeName(t)}`);
  return splitImpl(t, a.get('split_size_or_sections'), a.get('dim'));
});

defPython('torch', 'broadcast_tensors', (a) => {
  const tensors = (a.get('tensors') as PyTuple).items as Tensor[];
  const shape = tensors.reduce<number[]>((acc, t) => broadcastShape(acc, t.shape), []);
  return tuple(tensors.map((t) => shapeOps.expand(t, shape)));
});
defPython('torch', 'broadcast_shapes', (a) => {
  const shapes = (a.get('shapes') as PyTuple).items.map((s) => (typeof s === 'number' ? [s] : toIntList(s, 'shape')));
  return new TorchSize(shapes.reduce<number[]>((acc, s) => broadcastShape(acc, s), []));
});
defPython('torch', 'meshgrid', (a) => {
  let items = (a.get('tensors') as PyTuple).items as PyValue[];
  if (items.length === 1 && !(items[0] instanceof Tensor)) items = [...(items[0] as PyTuple).items];
  const tensors = items as Tensor[];
  // 'xy' indexing swaps the first two output dims (and which input runs along them).
  const xy = a.get('indexing') === 'xy' && tensors.length >= 2;
  const order = xy ? [1, 0, ...range(tensors.length).slice(2)] : range(tensors.length);
  const shape = order.map((i) => tensors[i]!.numel());
  return tuple(tensors.map((t, i) => {
    const axis = order.indexOf(i);
    const viewShape = shape.map((s, k) => (k === axis ? s : 1));
    return shapeOps.expand(shapeOps.view(t, viewShape), shape);
  }));
});
