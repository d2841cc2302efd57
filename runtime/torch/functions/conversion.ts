// Tensor dtype/device conversions and in-place initialisers: to/type/float/long/..., cpu/cuda,
// detach/clone, requires_grad_, zero_/fill_/normal_/uniform_, and the conversions that need
// values (item, tolist, numpy). Device moves keep the tensor on the evaluation's device.
import { type DType, bfloat16, bool, float16, float32, float64, int16, int32, int64, int8, uint8, allDTypes } from '../../dtype.ts';
import { Tensor } from '../../tensor.ts';
import { NeedsValuesError, runtimeError, typeError, valueError } from '../../python/index.ts';
import { cast, fillInplace } from '../../ops/creation.ts';
import { unary } from '../../ops/elementwise.ts';
import { expandShape } from '../../ops/broadcast.ts';
import type { ParsedArgs } from '../arg-parser.ts';
import { defNative, defNoArgs, defPython } from '../registry.ts';
import { defaultGenerator } from '../random.ts';
import { tensorToList, tensorToNumber } from '../protocol.ts';

const input = (a: ParsedArgs): Tensor => a.tensor('input');
/** A cast that returns the same tensor when nothing changes (as `x.to(x.dtype)` does). */
const castTo = (t: Tensor, dtype: DType): Tensor => (t.dtype === dtype ? t : cast(t, dtype));

for (const [name, dtype] of [['float', float32], ['double', float64], ['half', float16], ['bfloat16', bfloat16], ['long', int64],
  ['int', int32], ['short', int16], ['char', int8], ['byte', uint8], ['bool', bool]] as const) {
  defNative('tensor', name, (a) => castTo(input(a), dtype));
}

defNative('tensor', 'to', (a) => {
  const t = input(a);
  if (a.has('tensor')) return castTo(t, a.tensor('tensor').dtype);
  const dtype = a.dtype('dtype');
  return dtype ? castTo(t, dtype) : t;
});
defNative('tensor', ['cpu', 'cuda'], (a) => input(a));
defNative('tensor', 'type_as', (a) => castTo(input(a), a.tensor('other').dtype));

/** `x.type()` names the legacy type; `x.type(dtype_or_name)` casts. */
defNative('tensor', 'type', (a) => {
  const t = input(a);
  const target = a.raw('dtype');
  if (target === null) return t.dtype.legacyTypeName;
  if (typeof target === 'string') {
    const name = target.replace('torch.cuda.', 'torch.');
    const dtype = allDTypes.find((d) => d.legacyTypeName === name);
    if (!dtype) throw valueError(`invalid type: '${target}'`);
    return castTo(t, dtype);
  }
  if (target instanceof Object && 'legacyTypeName' in (target as object)) return castTo(t, target as DType);
  throw typeError(`dtype must be a type, str, or dtype object`);
});

defNoArgs('detach', (self) => unary.detach!(self));
defNoArgs('detach_', (self) => { self.requiresGrad = false; return self; });
defNative('tensor', 'clone', (a) => unary.clone!(input(a)));
defNative('tensor', 'requires_grad_', (a) => {
  const t = input(a);
  const flag = a.bool('requires_grad');
  if (flag && !t.dtype.isFloatingPoint && !t.dtype.isComplex) throw runtimeError('only Tensors of floating point dtype can require gradients');
  t.requiresGrad = flag;
  return t;
});
defNoArgs('retain_grad', () => null);
defPython('tensor', 'backward', () => { throw new NeedsValuesError('backward() (gradients need values)'); });

// ------------------------------------------------------------------ in-place fills

const generatorOf = (a: ParsedArgs): unknown => a.raw('generator') ?? defaultGenerator();

defNoArgs('zero_', (self) => fillInplace(self, { kind: 'value', value: { kind: 'int', value: 0 } }));
defNative('tensor', 'fill_', (a) => {
  const t = input(a);
  const v = a.raw('value');
  if (v instanceof Tensor) {
    if (v.ndim !== 0) throw runtimeError(`fill_ only supports 0-dimension value tensor but got tensor with ${v.ndim} dimensions.`);
    return fillInplace(t, { kind: 'empty' });
  }
  return fillInplace(t, { kind: 'value', value: a.scalar('value') });
});
defNative('tensor', 'normal_', (a) => fillInplace(input(a), { kind: 'random', distribution: { kind: 'normal', mean: a.float('mean'), std: a.float('std') }, generator: generatorOf(a) }));
defNative('tensor', 'uniform_', (a) => fillInplace(input(a), { kind: 'random', distribution: { kind: 'uniform', low: a.float('from'), high: a.float('to') }, generator: generatorOf(a) }));
defNative('tensor', 'bernoulli_', (a) => fillInplace(input(a), { kind: 'random', distribution: { kind: 'bernoulli', p: a.has('p') && typeof a.raw('p') === 'number' ? a.float('p') : 0.5 }, generator: generatorOf(a) }));
defNative('tensor', ['random_', 'exponential_'], (a) => fillInplace(input(a), { kind: 'random', distribution: { kind: 'uniform', low: 0, high: 1 }, generator: generatorOf(a) }));
defNative('tensor', 'copy_', (a) => {
  const t = input(a);
  const src = a.tensor('other');
  expandShape(src.shape, t.shape, src.dtype.legacyTypeName);
  return t;
});

// ------------------------------------------------------------------ values

// On meta these raise NeedsValuesError (after torch's shape checks); on value devices they read.
defNoArgs('item', (self) => tensorToNumber(self, 'item'));
defNoArgs('tolist', (self) => tensorToList(self));
defNative('tensor', 'numpy', () => { throw new NeedsValuesError('Tensor.numpy()'); });

