// torch/nn/modules/rnn.py: RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell.
// The recurrences themselves are C++ (`_VF.lstm`); the shape tier computes their output shapes
// directly, after the same checks in the same order as PyTorch (Python's `check_forward_args`,
// then the C++ ones), so a wrong hidden state reads `Expected hidden[0] size (2, 3, 20), got [1, 3, 20]`.
// On value devices the same checks run, then the recurrence is computed with the ops (linear,
// sigmoid, tanh, ...) in ATen's order: gates = linear_hh(h) + linear_ih(x) (the input projection
// of a whole layer computed at once), LSTM gates i, f, g, o, GRU gates r, z, n with
// n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) and h' = (h - n) * z + n.
import {
  type Interop, type Kwargs, PyError, PyList, PyTuple, type PyValue, bindArguments, float, indexError, isNumber,
  notImplementedError, pyTypeName, runtimeError, sig, typeError, valueError,
} from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import { isGradEnabled, withGradEnabled } from '../ops/grad-mode.ts';
import { linear } from '../ops/matmul.ts';
import { binary, unary } from '../ops/elementwise.ts';
import { cat, split, stack } from '../ops/join-ops.ts';
import { select } from '../ops/index-ops.ts';
import { squeeze, transpose, unsqueeze } from '../ops/shape-ops.ts';
import { create } from '../ops/creation.ts';
import { applyDropout } from '../torch/functions/pointwise.ts';
import { Module } from './module.ts';
import { emptyParameter, factoryKwargs } from './factory.ts';
import { uniform_ } from './init.ts';
import { method } from './module-methods.ts';
import { bindForward, builtinClassName, factoryParams, forwardSignature, initSignature, resetParametersMethod } from './layer-support.ts';
import { getAttr, pyCompare, pyEquals, pyFloat, pyFormat, truthy } from './py-helpers.ts';

// ------------------------------------------------------------------ shape helpers

/** `x.unsqueeze(dim)` on a shape, with ATen's dimension check. */
function unsqueezeShape(shape: readonly number[], dim: number): number[] {
  const n = shape.length;
  if (dim < -(n + 1) || dim > n) throw indexError(`Dimension out of range (expected to be in range of [${-(n + 1)}, ${n}], but got ${dim})`);
  const d = dim < 0 ? dim + n + 1 : dim;
  return [...shape.slice(0, d), 1, ...shape.slice(d)];
}

/** `x.squeeze(dim)` on a shape. */
const squeezeShape = (shape: readonly number[], dim: number): number[] => (shape[dim] === 1 ? shape.filter((_, i) => i !== dim) : [...shape]);

function tensorArg(v: PyValue, what: string): Tensor {
  if (v instanceof Tensor) return v;
  if (v !== null && typeof v === 'object' && 'pyTypeName' in v && (v as { pyTypeName: string }).pyTypeName === 'PackedSequence') {
    throw notImplementedError('PackedSequence inputs to recurrent layers are not supported by NN Lens yet');
  }
  throw new PyError('AttributeError', `'${pyTypeName(v)}' object has no attribute '${what}'`);
}

/** `hx[i]` for a (h, c) pair given as a tuple, a list, or (oddly, but legally) a stacked tensor. */
function pairItem(hx: PyValue, i: number): Tensor {
  if (hx instanceof PyTuple || hx instanceof PyList) {
    if (i >= hx.items.length) throw indexError(`${hx instanceof PyTuple ? 'tuple' : 'list'} index out of range`);
    return tensorArg(hx.items[i], 'dim');
  }
  if (hx instanceof Tensor) {
    if (hx.ndim === 0) throw indexError('invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number');
    if (i >= hx.shape[0]!) throw indexError(`index ${i} is out of bounds for dimension 0 with size ${hx.shape[0]}`);
    return hx.device === 'meta' ? new Tensor(hx.shape.slice(1), hx.dtype, hx.device) : select(hx, 0, i);
  }
  throw typeError(`'${pyTypeName(hx)}' object is not subscriptable`);
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The result tensors of a recurrence: shape-only; their values need kernels the runtime does not have yet. */
function resultTensor(shape: readonly number[], like: Tensor, requiresGrad: boolean, gradFn: string): Tensor {
  if (like.data !== null) throw notImplementedError('recurrent layers on tensors with values are not implemented yet');
  const t = new Tensor(shape, like.dtype, like.device);
  t.requiresGrad = requiresGrad && isGradEnabled();
  if (t.requiresGrad) t.gradFn = gradFn;
  return t;
}

const sizeTuple = (dims: readonly number[]): string => `(${dims.join(', ')})`;

// ------------------------------------------------------------------ value recurrences

type Mode = 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU';

/** One direction of one layer: its parameters (biases and projection optional). */
interface CellWeights { wih: Tensor; whh: Tensor; bih: Tensor | null; bhh: Tensor | null; whr: Tensor | null }

const zerosLike = (shape: readonly number[], like: Tensor): Tensor =>
  create({ shape, dtype: like.dtype, fill: { kind: 'value', value: { kind: 'int', value: 0 } } });

/**
 * One time step given the input projection `xi` = x W_ih^T + b_ih ([B, G]): the new hidden state
 * (and cell state for LSTM), in ATen's operation order.
 */
function cellStep(mode: Mode, xi: Tensor, h: Tensor, c: Tensor | null, w: CellWeights): [Tensor, Tensor | null] {
  const hh = linear(h, w.whh, w.bhh);
  if (mode === 'LSTM') {
    const [i, f, g, o] = split(binary.add!(hh, xi), xi.shape[1]! / 4, 1) as [Tensor, Tensor, Tensor, Tensor];
    const cy = binary.add!(binary.mul!(unary.sigmoid!(f), c!), binary.mul!(unary.sigmoid!(i), unary.tanh!(g)));
    let hy = binary.mul!(unary.sigmoid!(o), unary.tanh!(cy));
    if (w.whr) hy = linear(hy, w.whr, null);
    return [hy, cy];
  }
  if (mode === 'GRU') {
    const third = xi.shape[1]! / 3;
    const [ir, iz, inn] = split(xi, third, 1) as [Tensor, Tensor, Tensor];
    const [hr, hz, hn] = split(hh, third, 1) as [Tensor, Tensor, Tensor];
    const r = unary.sigmoid!(binary.add!(hr, ir));
    const z = unary.sigmoid!(binary.add!(hz, iz));
    const n = unary.tanh!(binary.add!(inn, binary.mul!(hn, r)));
    return [binary.add!(binary.mul!(binary.sub!(h, n), z), n), null];
  }
  const pre = binary.add!(hh, xi);
  return [mode === 'RNN_RELU' ? unary.relu!(pre) : unary.tanh!(pre), null];
}

/**
 * A multi-layer (bi)directional recurrence over `x` [T, B, I] from initial states h0 (and c0)
 * [L*D, B, *]: returns the output [T, B, D*H_out] and the final states, stacked like h0.
 */
function recurrence(mode: Mode, x: Tensor, h0: Tensor, c0: Tensor | null, weights: CellWeights[][], dropout: number, training: boolean): [Tensor, Tensor, Tensor | null] {
  const steps = x.shape[0]!;
  const hn: Tensor[] = [];
  const cn: Tensor[] = [];
  let layerInput = x;
  weights.forEach((directions, layer) => {
    const outs = directions.map((w, d) => {
      const index = layer * directions.length + d;
      let h = select(h0, 0, index);
      let c = c0 ? select(c0, 0, index) : null;
      // The input projection of all time steps at once: [T, B, G].
      const projected = linear(layerInput, w.wih, w.bih);
      const outputs = new Array<Tensor>(steps);
      for (let k = 0; k < steps; k++) {
        const t = d === 0 ? k : steps - 1 - k;
        [h, c] = cellStep(mode, select(projected, 0, t), h, c, w);
        outputs[t] = h;
      }
      hn.push(h);
      if (c) cn.push(c);
      return stack(outputs, 0);
    });
    layerInput = outs.length === 1 ? outs[0]! : cat(outs, 2);
    if (dropout > 0 && training && layer < weights.length - 1) layerInput = applyDropout(layerInput, { p: dropout, training: true });
  });
  return [layerInput, stack(hn, 0), c0 ? stack(cn, 0) : null];
}

/** Marks a value result the way the shape tier's results are marked (grad flag and grad_fn name). */
function markResult(t: Tensor, requiresGrad: boolean, gradFn: string): Tensor {
  t.requiresGrad = requiresGrad && isGradEnabled();
  t.gradFn = t.requiresGrad ? gradFn : null;
  return t;
}

// ------------------------------------------------------------------ RNNBase

const rnnBaseParams: Parameters<typeof initSignature>[1] = ['mode', 'input_size', 'hidden_size', ['num_layers', 1], ['bias', true],
  ['batch_first', false], ['dropout', float(0)], ['bidirectional', false], ['proj_size', 0], ...factoryParams];

export class RNNBase extends Module {
  static override readonly pyName: string = 'RNNBase';
  static override readonly signature = initSignature('RNNBase', rnnBaseParams);
  static override readonly pyMethods = {
    reset_parameters: resetParametersMethod('RNNBase'),
    flatten_parameters: method(sig('RNNBase.flatten_parameters', [], { isMethod: true }), () => null), // a cuDNN-only effect
  };

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const fk = factoryKwargs(a);
    for (const k of ['mode', 'input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first']) this.setattr(k, a.get(k));
    const dropout = a.get('dropout');
    this.setattr('dropout', pyFloat(dropout));
    this.setattr('bidirectional', a.get('bidirectional'));
    this.setattr('proj_size', a.get('proj_size'));
    const numDirections = truthy(a.get('bidirectional')) ? 2 : 1;
    if (!isNumber(dropout) || typeof dropout === 'boolean' || !(pyCompare(0, '<=', dropout) && pyCompare(dropout, '<=', 1))) {
      throw valueError('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    }
    // (PyTorch warns when dropout > 0 with num_layers == 1; warnings are not modelled.)
    const [hiddenSize, projSize, mode] = [a.get('hidden_size'), a.get('proj_size'), a.get('mode')];
    if (pyCompare(projSize, '<', 0)) throw valueError('proj_size should be a positive integer or zero to disable projections');
    if (pyCompare(projSize, '>=', hiddenSize)) throw valueError('proj_size has to be smaller than hidden_size');
    const gateMultiplier = ({ LSTM: 4, GRU: 3, RNN_TANH: 1, RNN_RELU: 1 } as Record<string, number>)[mode as string];
    if (gateMultiplier === undefined) throw valueError(`Unrecognized RNN mode: ${String(mode)}`);
    const gateSize = gateMultiplier * (hiddenSize as number);

    const flatNames: PyValue[] = [];
    const allWeights: PyValue[] = [];
    this.setattr('_flat_weights_names', new PyList(flatNames));
    this.setattr('_all_weights', new PyList(allWeights));
    const bias = truthy(a.get('bias'));
    const proj = projSize as number;
    const numLayers = a.get('num_layers') as number;
    for (let layer = 0; layer < numLayers; layer++) {
      for (let direction = 0; direction < numDirections; direction++) {
        const realHidden = proj > 0 ? proj : (hiddenSize as number);
        const layerInput = layer === 0 ? a.get('input_size') : realHidden * numDirections;
        const params = [emptyParameter(new PyTuple([gateSize, layerInput]), fk), emptyParameter(new PyTuple([gateSize, realHidden]), fk)];
        if (bias) params.push(emptyParameter(gateSize, fk), emptyParameter(gateSize, fk));
        if (proj > 0) params.push(emptyParameter(new PyTuple([proj, hiddenSize]), fk));
        const suffix = direction === 1 ? '_reverse' : '';
        const names = ['weight_ih', 'weight_hh', ...(bias ? ['bias_ih', 'bias_hh'] : []), ...(proj > 0 ? ['weight_hr'] : [])]
          .map((n) => `${n}_l${layer}${suffix}`);
        names.forEach((n, i) => this.setattr(n, params[i]));
        flatNames.push(...names);
        allWeights.push(new PyList(names));
      }
    }
    this.setattr('_flat_weights', new PyList(flatNames.map((n) => (this.hasInstanceAttribute(n as string) ? getAttr(this, n as string) : null))));
    this.resetParameters();
  }

  /** `RNNBase.__setattr__`: assigning a weight by name also updates `_flat_weights`. */
  override setattr(name: string, value: PyValue): void {
    const names = this.dict.get('_flat_weights_names');
    const flat = this.dict.get('_flat_weights');
    if (names instanceof PyList && flat instanceof PyList) {
      const i = names.items.indexOf(name);
      if (i >= 0) flat.items[i] = value;
    }
    super.setattr(name, value);
  }

  resetParameters(): void {
    const hidden = getAttr(this, 'hidden_size') as number;
    const stdv = hidden > 0 ? 1.0 / Math.sqrt(hidden) : 0;
    for (const [, p] of this.namedParameters()) uniform_(p, float(-stdv), float(stdv));
  }

  override extraRepr(): string {
    let s = '{input_size}, {hidden_size}';
    if (!pyEquals(getAttr(this, 'proj_size'), 0)) s += ', proj_size={proj_size}';
    if (!pyEquals(getAttr(this, 'num_layers'), 1)) s += ', num_layers={num_layers}';
    if (getAttr(this, 'bias') !== true) s += ', bias={bias}';
    if (getAttr(this, 'batch_first') !== false) s += ', batch_first={batch_first}';
    if (!pyEquals(getAttr(this, 'dropout'), 0)) s += ', dropout={dropout}';
    if (getAttr(this, 'bidirectional') !== false) s += ', bidirectional={bidirectional}';
    return pyFormat(s, this.dict);
  }

  protected get numDirections(): number { return truthy(getAttr(this, 'bidirectional')) ? 2 : 1; }

  /** `check_input` + `get_expected_hidden_size` for an (already batched) input shape. */
  protected checkInput(shape: readonly number[]): number {
    if (shape.length !== 3) throw runtimeError(`input must have 3 dimensions, got ${shape.length}`);
    const inputSize = getAttr(this, 'input_size');
    if (!pyEquals(inputSize, shape[2])) {
      throw runtimeError(`input.size(-1) must be equal to input_size. Expected ${String(inputSize)}, got ${shape[2]}`);
    }
    return truthy(getAttr(this, 'batch_first')) ? shape[0]! : shape[1]!;
  }

  protected checkHiddenSize(hx: readonly number[], expected: number[], message = 'Expected hidden size'): void {
    if (!sameShape(hx, expected)) throw runtimeError(`${message} ${sizeTuple(expected)}, got [${hx.join(', ')}]`);
  }

  /** The C++ recurrence's own checks (`_VF.lstm` and friends). */
  protected checkVf(shape: readonly number[], input: Tensor, hiddens: Tensor[]): void {
    const seqLen = truthy(getAttr(this, 'batch_first')) ? shape[1]! : shape[0]!;
    if (seqLen === 0) throw runtimeError('Expected sequence length to be larger than 0 in RNN');
    const weight = getAttr(this, 'weight_ih_l0') as Tensor;
    if (input.dtype !== weight.dtype) {
      // A batch_first input with batch and time both > 1 is non-contiguous after the transpose,
      // and the input projection then fails in a different kernel, with a different message.
      const nonContiguous = truthy(getAttr(this, 'batch_first')) && shape[0]! > 1 && shape[1]! > 1;
      throw runtimeError(nonContiguous ? `expected scalar type ${input.dtype.scalarTypeName} but found ${weight.dtype.scalarTypeName}`
        : 'mat1 and mat2 must have the same dtype');
    }
    if (hiddens.some((t) => t.dtype !== weight.dtype)) throw runtimeError('mat1 and mat2 must have the same dtype');
  }

  protected get requiresGrad(): boolean { return this.namedParameters().some(([, p]) => p.requiresGrad); }

  /** The parameters of each layer and direction, by their registered names. */
  protected cellWeights(): CellWeights[][] {
    const layers = getAttr(this, 'num_layers') as number;
    const bias = truthy(getAttr(this, 'bias'));
    const proj = (getAttr(this, 'proj_size') as number) > 0;
    return Array.from({ length: layers }, (_, l) => Array.from({ length: this.numDirections }, (_, d) => {
      const suffix = `_l${l}${d === 1 ? '_reverse' : ''}`;
      const param = (name: string): Tensor => getAttr(this, `${name}${suffix}`) as Tensor;
      return { wih: param('weight_ih'), whh: param('weight_hh'), bih: bias ? param('bias_ih') : null, bhh: bias ? param('bias_hh') : null, whr: proj ? param('weight_hr') : null };
    }));
  }

  /**
   * The recurrence on values: `input` as given (batched or not, batch_first or not), initial
   * states already batched ([L*D, B, *]) or null for zeros. Returns output and final states
   * with the shapes and grad flags of the shape tier's `outputs`.
   */
  protected runValues(input: Tensor, batched: boolean, h0: Tensor | null, c0: Tensor | null, hiddenSizes: number[]): [Tensor, Tensor[]] {
    const batchFirst = truthy(getAttr(this, 'batch_first'));
    let x = batched ? input : unsqueeze(input, batchFirst ? 0 : 1);
    if (batchFirst) x = transpose(x, 0, 1);
    const layers = (getAttr(this, 'num_layers') as number) * this.numDirections;
    const batch = x.shape[1]!;
    const h = h0 ?? zerosLike([layers, batch, hiddenSizes[0]!], input);
    const c = hiddenSizes.length > 1 ? c0 ?? zerosLike([layers, batch, hiddenSizes[1]!], input) : null;
    const grad = input.requiresGrad || this.requiresGrad;
    const [rawOut, hn, cn] = withGradEnabled(false, () => recurrence(getAttr(this, 'mode') as Mode, x, h, c, this.cellWeights(),
      (getAttr(this, 'dropout') as { value: number }).value ?? 0, this.training));
    let out = batchFirst ? transpose(rawOut, 0, 1) : rawOut;
    let states = cn ? [hn, cn] : [hn];
    if (!batched) {
      out = squeeze(out, batchFirst ? 0 : 1);
      states = states.map((st) => squeeze(st, 1));
    }
    const gradFn = batched ? 'StackBackward0' : 'SqueezeBackward1';
    return [markResult(out, grad, gradFn), states.map((st) => markResult(st, grad, gradFn))];
  }

  /** Output shape `(T, B, D*H_out)` or `(B, T, D*H_out)`; the hidden state `(L*D, B, H)`. */
  protected outputs(shape: readonly number[], input: Tensor, hiddenSizes: number[], batched: boolean): [Tensor, Tensor[]] {
    const batchFirst = truthy(getAttr(this, 'batch_first'));
    const proj = getAttr(this, 'proj_size') as number;
    const hOut = proj > 0 ? proj : (getAttr(this, 'hidden_size') as number);
    const layers = (getAttr(this, 'num_layers') as number) * this.numDirections;
    const grad = input.requiresGrad || this.requiresGrad;
    let outShape = batchFirst ? [shape[0]!, shape[1]!, this.numDirections * hOut] : [shape[0]!, shape[1]!, this.numDirections * hOut];
    let hShapes = hiddenSizes.map((h) => [layers, batchFirst ? shape[0]! : shape[1]!, h]);
    if (!batched) {
      outShape = squeezeShape(outShape, batchFirst ? 0 : 1);
      hShapes = hShapes.map((s) => squeezeShape(s, 1));
    }
    const gradFn = batched ? 'StackBackward0' : 'SqueezeBackward1';
    return [resultTensor(outShape, input, grad, gradFn), hShapes.map((s) => resultTensor(s, input, grad, gradFn))];
  }
}

/** RNN and GRU: one hidden tensor. */
abstract class SingleStateRNN extends RNNBase {
  override forward(args: PyValue[], kwargs: Kwargs): PyValue {
    const b = bindForward(forwardSignature(builtinClassName(this), ['input', ['hx', null]]), args, kwargs);
    return this.run(b.get('input'), b.get('hx'));
  }

  run(inputValue: PyValue, hxValue: PyValue): PyValue {
    const input = tensorArg(inputValue, 'dim');
    const batched = input.ndim === 3;
    const batchFirst = truthy(getAttr(this, 'batch_first'));
    let shape: number[] = [...input.shape];
    let hx = hxValue === null ? null : tensorArg(hxValue, 'dim');
    let hxShape = hx?.shape;
    if (!batched) {
      shape = unsqueezeShape(shape, batchFirst ? 0 : 1);
      if (hx) {
        if (hx.ndim !== 2) throw runtimeError(`For unbatched 2-D input, hx should also be 2-D but got ${hx.ndim}-D tensor`);
        hxShape = unsqueezeShape(hx.shape, 1);
      }
    } else if (hx && hx.ndim !== 3) {
      throw runtimeError(`For batched 3-D input, hx should also be 3-D but got ${hx.ndim}-D tensor`);
    }
    const maxBatch = batchFirst ? shape[0]! : shape[1]!;
    const hidden = getAttr(this, 'hidden_size') as number;
    const layers = (getAttr(this, 'num_layers') as number) * this.numDirections;
    if (!hx) {
      hx = new Tensor([layers, maxBatch, hidden], input.dtype, input.device);
      hxShape = hx.shape;
    }
    const miniBatch = this.checkInput(shape);
    this.checkHiddenSize(hxShape!, [layers, miniBatch, hidden]);
    this.checkVf(shape, input, [hx]);
    if (input.device !== 'meta') {
      const given = hxValue === null ? null : batched ? hx : unsqueeze(hx, 1);
      const [output, [h]] = this.runValues(input, batched, given, null, [hidden]);
      return new PyTuple([output, h!]);
    }
    const [output, [h]] = this.outputs(shape, input, [hidden], batched);
    return new PyTuple([output, h]);
  }
}

export class RNN extends SingleStateRNN {
  static override readonly pyName: string = 'RNN';
  static override readonly signature = initSignature('RNN', [], { varargs: 'args', varkw: 'kwargs' });

  /** `RNN.__init__` checks proj_size and picks the mode before `Module.__init__()` runs. */
  override pyInit(args: PyValue[], kwargs: Kwargs, interop: Interop): void {
    if (kwargs.has('proj_size')) throw valueError('proj_size argument is only supported for LSTM, not RNN or GRU');
    const rest = new Map(kwargs);
    const nonlinearity = rest.has('nonlinearity') ? rest.get('nonlinearity') : 'tanh';
    rest.delete('nonlinearity');
    this.dict.set('nonlinearity', nonlinearity);
    let mode: string;
    if (nonlinearity === 'tanh') mode = 'RNN_TANH';
    else if (nonlinearity === 'relu') mode = 'RNN_RELU';
    else throw valueError(`Unknown nonlinearity '${String(nonlinearity)}'`);
    const bound = bindArguments(RNNBase.signature, [mode, ...args], rest);
    this.moduleInit();
    this.initialize(bound, interop);
  }
}

export class GRU extends SingleStateRNN {
  static override readonly pyName: string = 'GRU';
  static override readonly signature = initSignature('GRU', [], { varargs: 'args', varkw: 'kwargs' });

  override pyInit(args: PyValue[], kwargs: Kwargs, interop: Interop): void {
    if (kwargs.has('proj_size')) throw valueError('proj_size argument is only supported for LSTM, not RNN or GRU');
    const bound = bindArguments(RNNBase.signature, ['GRU', ...args], kwargs);
    this.moduleInit();
    this.initialize(bound, interop);
  }
}

export class LSTM extends RNNBase {
  static override readonly pyName: string = 'LSTM';
  static override readonly signature = initSignature('LSTM', [], { varargs: 'args', varkw: 'kwargs' });

  override pyInit(args: PyValue[], kwargs: Kwargs, interop: Interop): void {
    const bound = bindArguments(RNNBase.signature, ['LSTM', ...args], kwargs);
    this.moduleInit();
    this.initialize(bound, interop);
  }

  override forward(args: PyValue[], kwargs: Kwargs): PyValue {
    const b = bindForward(forwardSignature('LSTM', ['input', ['hx', null]]), args, kwargs);
    const input = tensorArg(b.get('input'), 'dim');
    const batched = input.ndim === 3;
    const batchFirst = truthy(getAttr(this, 'batch_first'));
    let shape: number[] = [...input.shape];
    if (!batched) shape = unsqueezeShape(shape, batchFirst ? 0 : 1);
    const maxBatch = batchFirst ? shape[0]! : shape[1]!;
    const hidden = getAttr(this, 'hidden_size') as number;
    const proj = getAttr(this, 'proj_size') as number;
    const realHidden = proj > 0 ? proj : hidden;
    const layers = (getAttr(this, 'num_layers') as number) * this.numDirections;
    let h: Tensor;
    let c: Tensor;
    let hShape: readonly number[];
    let cShape: readonly number[];
    const hxValue = b.get('hx');
    if (hxValue === null) {
      h = new Tensor([layers, maxBatch, realHidden], input.dtype, input.device);
      c = new Tensor([layers, maxBatch, hidden], input.dtype, input.device);
      [hShape, cShape] = [h.shape, c.shape];
    } else {
      [h, c] = [pairItem(hxValue, 0), pairItem(hxValue, 1)];
      [hShape, cShape] = [h.shape, c.shape];
      if (batched) {
        if (h.ndim !== 3 || c.ndim !== 3) {
          throw runtimeError(`For batched 3-D input, hx and cx should also be 3-D but got (${h.ndim}-D, ${c.ndim}-D) tensors`);
        }
      } else {
        if (h.ndim !== 2 || c.ndim !== 2) {
          throw runtimeError(`For unbatched 2-D input, hx and cx should also be 2-D but got (${h.ndim}-D, ${c.ndim}-D) tensors`);
        }
        [hShape, cShape] = [unsqueezeShape(h.shape, 1), unsqueezeShape(c.shape, 1)];
      }
    }
    const miniBatch = this.checkInput(shape);
    this.checkHiddenSize(hShape, [layers, miniBatch, realHidden], 'Expected hidden[0] size');
    this.checkHiddenSize(cShape, [layers, miniBatch, hidden], 'Expected hidden[1] size');
    this.checkVf(shape, input, [h, c]);
    if (input.device !== 'meta') {
      const given = hxValue === null ? [null, null] : batched ? [h, c] : [unsqueeze(h, 1), unsqueeze(c, 1)];
      const [output, [hv, cv]] = this.runValues(input, batched, given[0]!, given[1]!, [realHidden, hidden]);
      return new PyTuple([output, new PyTuple([hv!, cv!])]);
    }
    const [output, [hn, cn]] = this.outputs(shape, input, [realHidden, hidden], batched);
    return new PyTuple([output, new PyTuple([hn!, cn!])]);
  }
}

// ------------------------------------------------------------------ cells

export class RNNCellBase extends Module {
  static override readonly pyName: string = 'RNNCellBase';
  static override readonly signature = initSignature('RNNCellBase', ['input_size', 'hidden_size', 'bias', 'num_chunks', ...factoryParams]);
  static override readonly pyMethods = { reset_parameters: resetParametersMethod('RNNCellBase') };

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const fk = factoryKwargs(a);
    for (const k of ['input_size', 'hidden_size', 'bias']) this.setattr(k, a.get(k));
    const gates = (a.get('num_chunks') as number) * (a.get('hidden_size') as number);
    this.setattr('weight_ih', emptyParameter(new PyTuple([gates, a.get('input_size')]), fk));
    this.setattr('weight_hh', emptyParameter(new PyTuple([gates, a.get('hidden_size')]), fk));
    if (truthy(a.get('bias'))) {
      this.setattr('bias_ih', emptyParameter(gates, fk));
      this.setattr('bias_hh', emptyParameter(gates, fk));
    } else {
      this.registerParameter('bias_ih', null);
      this.registerParameter('bias_hh', null);
    }
    this.resetParameters();
  }

  resetParameters(): void {
    const hidden = getAttr(this, 'hidden_size') as number;
    const stdv = hidden > 0 ? 1.0 / Math.sqrt(hidden) : 0;
    for (const [, p] of this.namedParameters()) uniform_(p, float(-stdv), float(stdv));
  }

  override extraRepr(): string {
    let s = '{input_size}, {hidden_size}';
    if (this.dict.has('bias') && this.dict.get('bias') !== true) s += ', bias={bias}';
    if (this.dict.has('nonlinearity') && this.dict.get('nonlinearity') !== 'tanh') s += ', nonlinearity={nonlinearity}';
    return pyFormat(s, this.dict);
  }

  protected cellValues(cls: string, input: Tensor, batched: boolean, states: Tensor[] | null, pair: boolean, grad: boolean): PyValue {
    return cellValuesOf(this, cls, input, batched, states, pair, grad);
  }

  /** Shared cell logic: rank assertion, unbatched handling, the C++ input/hidden checks. */
  protected runCell(cls: string, inputValue: PyValue, hxValue: PyValue, pair: boolean): PyValue {
    const input = tensorArg(inputValue, 'dim');
    if (input.ndim !== 1 && input.ndim !== 2) {
      throw new PyError('AssertionError', `${cls}: Expected input to be 1-D or 2-D but received ${input.ndim}-D tensor`);
    }
    const batched = input.ndim === 2;
    const shape = batched ? [...input.shape] : [1, ...input.shape];
    const hidden = getAttr(this, 'hidden_size') as number;
    let states: Tensor[];
    let stateShapes: number[][];
    if (hxValue === null) {
      states = [new Tensor([shape[0]!, hidden], input.dtype, input.device)];
      if (pair) states.push(states[0]!);
      stateShapes = states.map((t) => [...t.shape]);
    } else {
      states = pair ? [pairItem(hxValue, 0), pairItem(hxValue, 1)] : [tensorArg(hxValue, 'unsqueeze')];
      stateShapes = states.map((t) => (batched ? [...t.shape] : unsqueezeShape(t.shape, 0)));
    }
    if (cls === 'RNNCell') {
      const nl = this.dict.get('nonlinearity');
      if (nl !== 'tanh' && nl !== 'relu') throw runtimeError(`Unknown nonlinearity: ${String(nl)}`);
    }
    const weightIh = getAttr(this, 'weight_ih') as Tensor;
    const weightHh = getAttr(this, 'weight_hh') as Tensor;
    if (shape[1] !== weightIh.shape[1]) throw runtimeError(`input has inconsistent input_size: got ${shape[1]} expected ${weightIh.shape[1]}`);
    stateShapes.forEach((s, label) => {
      if (s[0] !== shape[0]) throw runtimeError(`Input batch size ${shape[0]} doesn't match hidden${label} batch size ${s[0]}`);
      if (s.length < 2) throw indexError(`Dimension out of range (expected to be in range of [-1, 0], but got 1)`);
      if (s[1] !== weightHh.shape[1]) throw runtimeError(`hidden${label} has inconsistent hidden_size: got ${s[1]}, expected ${weightHh.shape[1]}`);
    });
    if ([input, ...states].some((t) => t.dtype !== weightIh.dtype)) throw runtimeError('mat1 and mat2 must have the same dtype');
    const grad = input.requiresGrad || this.namedParameters().some(([, p]) => p.requiresGrad);
    if (input.device !== 'meta') return this.cellValues(cls, input, batched, hxValue === null ? null : states, pair, grad);
    const outShape = batched ? [shape[0]!, hidden] : [hidden];
    const out = (fn: string): Tensor => resultTensor(outShape, input, grad, batched ? fn : 'SqueezeBackward1');
    return pair ? new PyTuple([out('MulBackward0'), out('AddBackward0')]) : out(cls === 'GRUCell' ? 'AddBackward0' : 'TanhBackward0');
  }
}

/** RNNCellBase's value path: one step of the cell, zeros for a missing state. */
function cellValuesOf(m: RNNCellBase, cls: string, input: Tensor, batched: boolean, states: Tensor[] | null, pair: boolean, grad: boolean): PyValue {
  const x = batched ? input : unsqueeze(input, 0);
  const hidden = getAttr(m, 'hidden_size') as number;
  const given = states?.map((s) => (batched ? s : unsqueeze(s, 0)));
  const h = given?.[0] ?? zerosLike([x.shape[0]!, hidden], input);
  const c = pair ? given?.[1] ?? zerosLike([x.shape[0]!, hidden], input) : null;
  const opt = (name: string): Tensor | null => (getAttr(m, name) as Tensor | null) ?? null;
  const w: CellWeights = { wih: getAttr(m, 'weight_ih') as Tensor, whh: getAttr(m, 'weight_hh') as Tensor, bih: opt('bias_ih'), bhh: opt('bias_hh'), whr: null };
  const mode: Mode = cls === 'LSTMCell' ? 'LSTM' : cls === 'GRUCell' ? 'GRU' : getAttr(m, 'nonlinearity') === 'relu' ? 'RNN_RELU' : 'RNN_TANH';
  const [hy, cy] = withGradEnabled(false, () => cellStep(mode, linear(x, w.wih, w.bih), h, c, w));
  const finish = (t: Tensor, fn: string): Tensor => markResult(batched ? t : squeeze(t, 0), grad, batched ? fn : 'SqueezeBackward1');
  if (pair) return new PyTuple([finish(hy, 'MulBackward0'), finish(cy!, 'AddBackward0')]);
  return finish(hy, cls === 'GRUCell' ? 'AddBackward0' : cls === 'RNNCell' && mode === 'RNN_RELU' ? 'ReluBackward0' : 'TanhBackward0');
}

const cellParams = (extra: Parameters<typeof initSignature>[1] = []): Parameters<typeof initSignature>[1] =>
  ['input_size', 'hidden_size', ['bias', true], ...extra, ...factoryParams];

/** The arguments `RNNCell.__init__` & co. pass to `RNNCellBase.__init__`. */
const cellArgs = (a: Map<string, PyValue>, chunks: number): Map<string, PyValue> => new Map([['input_size', a.get('input_size')],
  ['hidden_size', a.get('hidden_size')], ['bias', a.get('bias')], ['num_chunks', chunks], ['device', a.get('device')], ['dtype', a.get('dtype')]]);

export class RNNCell extends RNNCellBase {
  static override readonly pyName: string = 'RNNCell';
  static override readonly signature = initSignature('RNNCell', cellParams([['nonlinearity', 'tanh']]));

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    super.initialize(cellArgs(a, 1), interop);
    this.setattr('nonlinearity', a.get('nonlinearity'));
  }

  override forward(args: PyValue[], kwargs: Kwargs): PyValue {
    const b = bindForward(forwardSignature('RNNCell', ['input', ['hx', null]]), args, kwargs);
    return this.runCell('RNNCell', b.get('input'), b.get('hx'), false);
  }
}

export class LSTMCell extends RNNCellBase {
  static override readonly pyName: string = 'LSTMCell';
  static override readonly signature = initSignature('LSTMCell', cellParams());

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void { super.initialize(cellArgs(a, 4), interop); }

  override forward(args: PyValue[], kwargs: Kwargs): PyValue {
    const b = bindForward(forwardSignature('LSTMCell', ['input', ['hx', null]]), args, kwargs);
    return this.runCell('LSTMCell', b.get('input'), b.get('hx'), true);
  }
}

export class GRUCell extends RNNCellBase {
  static override readonly pyName: string = 'GRUCell';
  static override readonly signature = initSignature('GRUCell', cellParams());

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void { super.initialize(cellArgs(a, 3), interop); }

  override forward(args: PyValue[], kwargs: Kwargs): PyValue {
    const b = bindForward(forwardSignature('GRUCell', ['input', ['hx', null]]), args, kwargs);
    return this.runCell('GRUCell', b.get('input'), b.get('hx'), false);
  }
}
