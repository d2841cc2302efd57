// torch.nn.functional resampling (Python-level parts): interpolate/upsample, grid_sample,
// affine_grid, unfold/fold. Messages are the Python code's own (ValueError/NotImplementedError).
import { type BoundArgs, type Interop, PyFloat, PyList, type PyTuple, type PyValue, notImplementedError, valueError } from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import { defPython } from '../torch/registry.ts';
import { TorchSize } from '../torch/objects.ts';
import { callNN, callTorch, tensorArg } from './call.ts';
import { isSeq, ntuple } from '../torch/py-convert.ts';

const get = (a: BoundArgs, name: string): PyValue => a.get(name);
const modes = 'nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact';

function interpolate(input: Tensor, size: PyValue, scaleFactor: PyValue, mode: string, alignCorners: PyValue, recompute: PyValue, antialias: PyValue, interop: Interop): PyValue {
  if (mode === 'nearest' || mode === 'area' || mode === 'nearest-exact') {
    if (alignCorners !== null) {
      throw valueError('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
    }
  } else if (alignCorners === null) {
    alignCorners = false;
  }
  const dim = input.ndim - 2;
  const spatial = `[${input.shape.slice(2).join(', ')}]`;
  let outputSize: PyValue[] | null = null;
  let scaleFactors: PyValue[] | null = null;
  if (size !== null && scaleFactor !== null) throw valueError('only one of size or scale_factor should be defined');
  if (size !== null) {
    if (isSeq(size)) {
      if (size.items.length !== dim) {
        throw valueError(`Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatial} and output size of ${interop.repr(size)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`);
      }
      outputSize = [...size.items];
    } else {
      outputSize = Array.from({ length: Math.max(dim, 0) }, () => size);
    }
  } else if (scaleFactor !== null) {
    if (isSeq(scaleFactor)) {
      if (scaleFactor.items.length !== dim) {
        throw valueError(`Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatial} and scale_factor of shape ${interop.repr(scaleFactor)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`);
      }
      scaleFactors = [...scaleFactor.items];
    } else {
      scaleFactors = Array.from({ length: Math.max(dim, 0) }, () => scaleFactor);
    }
  } else {
    throw valueError('either size or scale_factor should be defined');
  }
  if (recompute === true && size !== null) throw valueError('recompute_scale_factor is not meaningful with an explicit size.');
  if (mode === 'area' && outputSize === null) recompute = true;
  if (recompute === true && scaleFactors) {
    outputSize = scaleFactors.map((s, i) => Math.floor(input.shape[i + 2]! * num(s)));
    scaleFactors = null;
  }
  if (antialias === true && !((mode === 'bilinear' || mode === 'bicubic') && input.ndim === 4)) {
    throw valueError('Anti-alias option is only supported for bilinear and bicubic modes');
  }
  const out = outputSize === null ? null : new PyList(outputSize);
  const scales = scaleFactors === null ? null : new PyList(scaleFactors.map((s) => new PyFloat(num(s))));
  const n = input.ndim;
  const withCorners = [out, alignCorners, scales];
  if (mode === 'nearest' && n >= 3 && n <= 5) return callNN(`upsample_nearest${n - 2}d`, [input, out, scales], interop);
  if (mode === 'nearest-exact' && n >= 3 && n <= 5) return callNN(`_upsample_nearest_exact${n - 2}d`, [input, out, scales], interop);
  if (mode === 'area' && n === 3) return callTorch('adaptive_avg_pool1d', [input, out], interop);
  if (mode === 'area' && (n === 4 || n === 5)) return callNN(`adaptive_avg_pool${n - 2}d`, [input, out], interop);
  if (mode === 'linear' && n === 3) return callNN('upsample_linear1d', [input, ...withCorners], interop);
  if (mode === 'bilinear' && n === 4) return callNN('upsample_bilinear2d', [input, ...withCorners], interop);
  if (mode === 'trilinear' && n === 5) return callNN('upsample_trilinear3d', [input, ...withCorners], interop);
  if (mode === 'bicubic' && n === 4) return callNN('upsample_bicubic2d', [input, ...withCorners], interop);
  const wrongRank: Record<string, string> = {
    '3bilinear': 'Got 3D input, but bilinear mode needs 4D input', '3trilinear': 'Got 3D input, but trilinear mode needs 5D input',
    '4linear': 'Got 4D input, but linear mode needs 3D input', '4trilinear': 'Got 4D input, but trilinear mode needs 5D input',
    '5linear': 'Got 5D input, but linear mode needs 3D input', '5bilinear': 'Got 5D input, but bilinear mode needs 4D input',
  };
  const message = wrongRank[`${n}${mode}`];
  if (message) throw notImplementedError(message);
  throw notImplementedError(`Input Error: Only 3D, 4D and 5D input Tensors supported (got ${n}D) for the modes: ${modes} (got ${mode})`);
}

const num = (v: PyValue): number => (v instanceof PyFloat ? v.value : Number(v));

defPython('F', 'interpolate', (a, interop) => interpolate(tensorArg(a, 'input'), get(a, 'size'), get(a, 'scale_factor'),
  get(a, 'mode') as string, get(a, 'align_corners'), get(a, 'recompute_scale_factor'), get(a, 'antialias'), interop));
defPython('F', 'upsample', (a, interop) => interpolate(tensorArg(a, 'input'), get(a, 'size'), get(a, 'scale_factor'),
  get(a, 'mode') as string, get(a, 'align_corners'), null, false, interop));
defPython('F', 'upsample_nearest', (a, interop) => interpolate(tensorArg(a, 'input'), get(a, 'size'), get(a, 'scale_factor'), 'nearest', null, null, false, interop));
defPython('F', 'upsample_bilinear', (a, interop) => interpolate(tensorArg(a, 'input'), get(a, 'size'), get(a, 'scale_factor'), 'bilinear', true, null, false, interop));

defPython('F', 'grid_sample', (a, interop) => {
  const mode = get(a, 'mode');
  const paddingMode = get(a, 'padding_mode');
  const modeEnum: Record<string, number> = { bilinear: 0, nearest: 1, bicubic: 2 };
  const paddingEnum: Record<string, number> = { zeros: 0, border: 1, reflection: 2 };
  if (typeof mode !== 'string' || !(mode in modeEnum)) {
    throw valueError(`nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: ${interop.repr(mode)}`);
  }
  if (typeof paddingMode !== 'string' || !(paddingMode in paddingEnum)) {
    throw valueError(`nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: ${interop.repr(paddingMode)}`);
  }
  return callTorch('grid_sampler', [get(a, 'input'), get(a, 'grid'), modeEnum[mode]!, paddingEnum[paddingMode]!, get(a, 'align_corners') ?? false], interop);
});

defPython('F', 'affine_grid', (a, interop) => {
  const theta = tensorArg(a, 'theta', 'is_floating_point');
  const size = get(a, 'size');
  const items = isSeq(size) ? size.items.map(Number) : [];
  const sizeRepr = interop.repr(size);
  if (!theta.dtype.isFloatingPoint) throw valueError(`Expected theta to have floating point type, but got ${theta.dtype.pyRepr()}`);
  const shapeRepr = new TorchSize(theta.shape).pyRepr();
  if (items.length === 4) {
    if (theta.ndim !== 3 || theta.shape[1] !== 2 || theta.shape[2] !== 3) {
      throw valueError(`Expected a batch of 2D affine matrices of shape Nx2x3 for size ${sizeRepr}. Got ${shapeRepr}.`);
    }
  } else if (items.length === 5) {
    if (theta.ndim !== 3 || theta.shape[1] !== 3 || theta.shape[2] !== 4) {
      throw valueError(`Expected a batch of 3D affine matrices of shape Nx3x4 for size ${sizeRepr}. Got ${shapeRepr}.`);
    }
  } else {
    throw notImplementedError(`affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${sizeRepr}.`);
  }
  if (Math.min(...items) <= 0 && get(a, 'align_corners') !== true) throw valueError(`Expected non-zero, positive output size. Got ${sizeRepr}`);
  return callTorch('affine_grid_generator', [theta, size, get(a, 'align_corners') ?? false], interop);
});

const pair = (v: PyValue): PyTuple => ntuple(v, 2);
defPython('F', 'unfold', (a, interop) => callNN('im2col', [get(a, 'input'), pair(get(a, 'kernel_size')), pair(get(a, 'dilation')), pair(get(a, 'padding')), pair(get(a, 'stride'))], interop));
defPython('F', 'fold', (a, interop) => callNN('col2im', [get(a, 'input'), pair(get(a, 'output_size')), pair(get(a, 'kernel_size')), pair(get(a, 'dilation')), pair(get(a, 'padding')), pair(get(a, 'stride'))], interop));

