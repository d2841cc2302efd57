// The `torch` module: functions, dtypes, torch.Size/Tensor/device classes and constants.
import { DType, dtypeAliases, float32, float64, int64, int32, int16, int8, uint8, bool, float16, bfloat16, complex64, complex128 } from '../dtype.ts';
import { Tensor } from '../tensor.ts';
import {
  BuiltinClass, BuiltinFunction, PyFloat, PyNamespace, type PyValue, typeError,
} from '../python/index.ts';
import { isGradEnabled, setGradEnabled } from '../ops/grad-mode.ts';
import { builtin, callRegistered, implNames } from './registry.ts';
import { TorchDevice, TorchEnumValue, TorchGenerator, TorchSize, channelsLast, contiguousFormat, makeTorchSize, parseDevice, preserveFormat, sparseCoo, strided } from './objects.ts';
import './functions/index.ts';

/** `torch.<name>` for every torch function NN Lens implements. */
export const torchFunctions: Map<string, BuiltinFunction> = new Map(implNames('torch').map((name) => [name, builtin('torch', name)]));

/** `torch.set_grad_enabled(mode)`: sets grad mode at once (as torch's constructor does); usable as a context manager. */
export class GradModeSetter {
  readonly pyTypeName = 'set_grad_enabled';
  readonly previous: boolean;
  constructor(readonly mode: boolean) {
    this.previous = isGradEnabled();
    setGradEnabled(mode);
  }
  /** `__enter__` (the mode is already set). */
  enter(): null { return null; }
  /** `__exit__`: restores the mode that was active before. */
  exit(): null { setGradEnabled(this.previous); return null; }
  pyRepr(): string { return '<torch.autograd.grad_mode.set_grad_enabled object>'; }
}

/** A legacy tensor type (`torch.FloatTensor`): isinstance checks the dtype; calling it makes a tensor. */
function legacyTensorClass(dtype: DType): BuiltinClass {
  return new BuiltinClass(dtype.legacyTypeName, (v) => v instanceof Tensor && v.dtype === dtype, (args, kwargs, interop) => {
    if (args.length === 1 && !(typeof args[0] === 'number')) return callRegistered('torch', 'tensor', [args[0]], new Map([['dtype', dtype]]), interop);
    return callRegistered('torch', 'empty', args, new Map([...kwargs, ['dtype', dtype]]), interop);
  });
}

/** `torch.Tensor(...)`: the legacy constructor (sizes, or data) with the default dtype. */
const tensorClass = new BuiltinClass('torch.Tensor', (v) => v instanceof Tensor, (args, kwargs, interop) => {
  if (args.length === 1 && !(typeof args[0] === 'number') && !(args[0] instanceof TorchSize)) {
    return callRegistered('torch', 'tensor', [args[0]], new Map([['dtype', float32]]), interop);
  }
  const sizes = args.length === 1 && args[0] instanceof TorchSize ? [...args[0].items] : args;
  return callRegistered('torch', 'empty', sizes, kwargs, interop);
});

const sizeClass = new BuiltinClass('torch.Size', (v) => v instanceof TorchSize, (args, _kwargs, interop) => {
  if (args.length === 0) return new TorchSize([]);
  return makeTorchSize(interop.iterate(args[0]));
});

const deviceClass = new BuiltinClass('torch.device', (v) => v instanceof TorchDevice, (args, kwargs) => {
  const type = args[0] ?? kwargs.get('type');
  const index = args[1] ?? kwargs.get('index') ?? null;
  const device = parseDevice(type);
  if (index !== null) {
    if (typeof index !== 'number') throw typeError(`device(): argument 'index' (position 2) must be int, not ${typeof index}`);
    return new TorchDevice(device.type, index);
  }
  return device;
});

/** Builds the `torch` namespace (`torch.nn` is added by whoever builds the nn layers). */
export function createTorchNamespace(): PyNamespace {
  const attrs = new Map<string, PyValue>(torchFunctions);
  for (const [name, dtype] of Object.entries(dtypeAliases)) attrs.set(name, dtype);
  attrs.set('dtype', new BuiltinClass('torch.dtype', (v) => v instanceof DType));
  attrs.set('Tensor', tensorClass);
  for (const dtype of [float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool, complex64, complex128]) {
    attrs.set(dtype.legacyTypeName.slice('torch.'.length), legacyTensorClass(dtype));
  }
  attrs.set('Size', sizeClass);
  attrs.set('device', deviceClass);
  attrs.set('Generator', new BuiltinClass('torch.Generator', (v) => v instanceof TorchGenerator, () => new TorchGenerator()));
  attrs.set('layout', new BuiltinClass('torch.layout', (v) => v instanceof TorchEnumValue && v.pyTypeName === 'torch.layout'));
  attrs.set('strided', strided);
  attrs.set('sparse_coo', sparseCoo);
  attrs.set('contiguous_format', contiguousFormat);
  attrs.set('channels_last', channelsLast);
  attrs.set('preserve_format', preserveFormat);
  attrs.set('inf', new PyFloat(Infinity));
  attrs.set('nan', new PyFloat(NaN));
  attrs.set('__version__', '1.13.1');
  attrs.set('is_grad_enabled', new BuiltinFunction('is_grad_enabled', () => isGradEnabled()));
  attrs.set('set_grad_enabled', new BuiltinClass('torch.set_grad_enabled', (v) => v instanceof GradModeSetter, (args, kwargs) => {
    const mode = args[0] ?? kwargs.get('mode');
    if (typeof mode !== 'boolean') throw typeError('enabled must be a bool (got ' + typeof mode + ')');
    return new GradModeSetter(mode);
  }));
  attrs.set('cuda', new PyNamespace('torch.cuda', new Map<string, PyValue>([
    ['is_available', new BuiltinFunction('is_available', () => false)],
    ['device_count', new BuiltinFunction('device_count', () => 0)],
  ])));
  return new PyNamespace('torch', attrs);
}
