// nn.MultiheadAttention (torch/nn/modules/activation.py) and the shape logic of
// F.multi_head_attention_forward: every assertion and shape error of the Python reference path,
// in its order, with the output shapes computed directly (the fused fast path produces the same).
// On value devices, after those checks, the forward runs the reference path itself:
// F.multi_head_attention_forward on (L, N, E) inputs, transposed for batch_first as torch does.
import {
  type Interop, type Kwargs, PyError, PyTuple, type PyValue, float, runtimeError, tuple, typeError,
} from '../python/index.ts';
import { bool as boolDtype, uint8 } from '../dtype.ts';
import { Tensor } from '../tensor.ts';
import { isGradEnabled } from '../ops/grad-mode.ts';
import { transpose } from '../ops/shape-ops.ts';
import { callF } from './functional-call.ts';
import { Module } from './module.ts';
import { NonDynamicallyQuantizableLinear } from './linear.ts';
import { emptyParameter, factoryKwargs } from './factory.ts';
import { constant_, xavierNormal_, xavierUniform_ } from './init.ts';
import { bindForward, factoryParams, forwardSignature, initSignature } from './layer-support.ts';
import { getAttr, pyEquals, pyFloorDiv, truthy } from './py-helpers.ts';

const assertion = (message: string): PyError => new PyError('AssertionError', message);
const torchSize = (shape: readonly number[]): string => `torch.Size([${shape.join(', ')}])`;
const pyTuple = (dims: readonly number[]): string => (dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`);
const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export class MultiheadAttention extends Module {
  static override readonly pyName: string = 'MultiheadAttention';
  static override readonly signature = initSignature('MultiheadAttention', ['embed_dim', 'num_heads', ['dropout', float(0)], ['bias', true],
    ['add_bias_kv', false], ['add_zero_attn', false], ['kdim', null], ['vdim', null], ['batch_first', false], ...factoryParams]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    const fk = factoryKwargs(a);
    const [embedDim, numHeads] = [a.get('embed_dim'), a.get('num_heads')];
    this.setattr('embed_dim', embedDim);
    this.setattr('kdim', a.get('kdim') !== null ? a.get('kdim') : embedDim);
    this.setattr('vdim', a.get('vdim') !== null ? a.get('vdim') : embedDim);
    this.setattr('_qkv_same_embed_dim', pyEquals(getAttr(this, 'kdim'), embedDim) && pyEquals(getAttr(this, 'vdim'), embedDim));
    this.setattr('num_heads', numHeads);
    this.setattr('dropout', a.get('dropout'));
    this.setattr('batch_first', a.get('batch_first'));
    const headDim = pyFloorDiv(embedDim, numHeads);
    this.setattr('head_dim', headDim);
    if (!pyEquals((headDim as number) * (numHeads as number), embedDim)) throw assertion('embed_dim must be divisible by num_heads');
    if (!getAttr(this, '_qkv_same_embed_dim')) {
      this.setattr('q_proj_weight', emptyParameter(tuple(embedDim, embedDim), fk));
      this.setattr('k_proj_weight', emptyParameter(tuple(embedDim, getAttr(this, 'kdim')), fk));
      this.setattr('v_proj_weight', emptyParameter(tuple(embedDim, getAttr(this, 'vdim')), fk));
      this.registerParameter('in_proj_weight', null);
    } else {
      this.setattr('in_proj_weight', emptyParameter(tuple(3 * (embedDim as number), embedDim), fk));
      this.registerParameter('q_proj_weight', null);
      this.registerParameter('k_proj_weight', null);
      this.registerParameter('v_proj_weight', null);
    }
    if (truthy(a.get('bias'))) this.setattr('in_proj_bias', emptyParameter(3 * (embedDim as number), fk));
    else this.registerParameter('in_proj_bias', null);
    const outProj = new NonDynamicallyQuantizableLinear();
    outProj.pyInit([embedDim, embedDim], new Map([['bias', a.get('bias')], ['device', fk.device], ['dtype', fk.dtype]]), interop);
    this.setattr('out_proj', outProj);
    if (truthy(a.get('add_bias_kv'))) {
      this.setattr('bias_k', emptyParameter(tuple(1, 1, embedDim), fk));
      this.setattr('bias_v', emptyParameter(tuple(1, 1, embedDim), fk));
    } else {
      this.setattr('bias_k', null);
      this.setattr('bias_v', null);
    }
    this.setattr('add_zero_attn', a.get('add_zero_attn'));
    this.resetParameters();
  }

  /** `_reset_parameters`: note that out_proj's own init already drew its random numbers. */
  resetParameters(): void {
    if (getAttr(this, '_qkv_same_embed_dim')) xavierUniform_(getAttr(this, 'in_proj_weight'));
    else for (const w of ['q_proj_weight', 'k_proj_weight', 'v_proj_weight']) xavierUniform_(getAttr(this, w));
    if (getAttr(this, 'in_proj_bias') !== null) {
      constant_(getAttr(this, 'in_proj_bias'), float(0));
      constant_(getAttr(getAttr(this, 'out_proj') as Module, 'bias'), float(0));
    }
    if (getAttr(this, 'bias_k') !== null) xavierNormal_(getAttr(this, 'bias_k'));
    if (getAttr(this, 'bias_v') !== null) xavierNormal_(getAttr(this, 'bias_v'));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const b = bindForward(forwardSignature('MultiheadAttention', ['query', 'key', 'value', ['key_padding_mask', null], ['need_weights', true],
      ['attn_mask', null], ['average_attn_weights', true]]), args, kwargs);
    const [query, key, value] = ['query', 'key', 'value'].map((k) => tensor(b.get(k), 'dim')) as [Tensor, Tensor, Tensor];
    const kpm = optionalTensor(b.get('key_padding_mask'));
    if (kpm && kpm.dtype !== boolDtype && !kpm.dtype.isFloatingPoint) throw assertion('only bool and floating types of key_padding_mask are supported');
    const batched = query.ndim === 3;
    const batchFirst = truthy(getAttr(this, 'batch_first')) && batched;
    // batch_first inputs are transposed to (L, N, E) and the output transposed back.
    const t = (x: Tensor): Tensor => (batchFirst && x.ndim >= 2 ? new Tensor([x.shape[1]!, x.shape[0]!, ...x.shape.slice(2)], x.dtype, x.device) : x);
    const outProj = getAttr(this, 'out_proj') as Module;
    const separate = !getAttr(this, '_qkv_same_embed_dim');
    const result = multiHeadAttentionShapes({
      query: t(query), key: key === query ? t(query) : t(key), value: value === key ? (key === query ? t(query) : t(key)) : t(value),
      sameQK: query === key, sameKV: key === value,
      embedDim: getAttr(this, 'embed_dim') as number, numHeads: getAttr(this, 'num_heads') as number,
      inProjWeight: optionalTensor(getAttr(this, 'in_proj_weight')), inProjBias: optionalTensor(getAttr(this, 'in_proj_bias')),
      biasK: optionalTensor(getAttr(this, 'bias_k')), biasV: optionalTensor(getAttr(this, 'bias_v')),
      addZeroAttn: truthy(getAttr(this, 'add_zero_attn')), outProjWeight: getAttr(outProj, 'weight') as Tensor,
      keyPaddingMask: kpm, needWeights: truthy(b.get('need_weights')), attnMask: optionalTensor(b.get('attn_mask')),
      averageAttnWeights: truthy(b.get('average_attn_weights')),
      separateProjWeights: separate ? ['q_proj_weight', 'k_proj_weight', 'v_proj_weight'].map((w) => getAttr(this, w) as Tensor) as [Tensor, Tensor, Tensor] : null,
    });
    const grad = isGradEnabled() && ([query, key, value].some((x) => x.requiresGrad) || this.namedParameters().some(([, p]) => p.requiresGrad));
    if (query.device !== 'meta') {
      const [out, weights] = this.forwardValues(query, key, value, kpm, b, batchFirst, separate, interop);
      mark(out, grad, batchFirst ? 'TransposeBackward0' : batched ? 'ViewBackward0' : 'SqueezeBackward1');
      if (weights) mark(weights, grad, !batched ? 'SqueezeBackward1' : truthy(b.get('average_attn_weights')) ? 'DivBackward0' : 'ViewBackward0');
      return new PyTuple([out, weights]);
    }
    const output = outputTensor(batchFirst ? [result.output[1]!, result.output[0]!, ...result.output.slice(2)] : result.output, query, grad,
      batchFirst ? 'TransposeBackward0' : batched ? 'ViewBackward0' : 'SqueezeBackward1');
    const weights = result.weights
      ? outputTensor(result.weights, query, grad, !batched ? 'SqueezeBackward1' : truthy(b.get('average_attn_weights')) ? 'DivBackward0' : 'ViewBackward0')
      : null;
    return new PyTuple([output, weights]);
  }

  /** torch's MultiheadAttention.forward on values: batch_first transposes (keeping `is` identities), then F.multi_head_attention_forward. */
  private forwardValues(query: Tensor, key: Tensor, value: Tensor, kpm: Tensor | null, b: Map<string, PyValue>, batchFirst: boolean,
    separate: boolean, interop: Interop): [Tensor, Tensor | null] {
    let [q, k, v] = [query, key, value];
    if (batchFirst) {
      if (key === value) {
        if (query === key) q = k = v = transpose(query, 1, 0);
        else { q = transpose(query, 1, 0); k = transpose(key, 1, 0); v = k; }
      } else {
        [q, k, v] = [query, key, value].map((x) => transpose(x, 1, 0)) as [Tensor, Tensor, Tensor];
      }
    }
    const at = (name: string): PyValue => getAttr(this, name);
    const outProj = at('out_proj') as Module;
    const kwargs = new Map<string, PyValue>([['training', this.training], ['key_padding_mask', kpm], ['need_weights', b.get('need_weights')],
      ['attn_mask', b.get('attn_mask')], ['average_attn_weights', b.get('average_attn_weights')]]);
    if (separate) {
      kwargs.set('use_separate_proj_weight', true);
      for (const w of ['q_proj_weight', 'k_proj_weight', 'v_proj_weight']) kwargs.set(w, at(w));
    }
    const result = callF('multi_head_attention_forward', [q, k, v, at('embed_dim'), at('num_heads'), at('in_proj_weight'), at('in_proj_bias'),
      at('bias_k'), at('bias_v'), at('add_zero_attn'), at('dropout'), getAttr(outProj, 'weight'), getAttr(outProj, 'bias')], interop, kwargs) as PyTuple;
    const [out, weights] = result.items as [Tensor, Tensor | null];
    return [batchFirst ? transpose(out, 1, 0) : out, weights];
  }
}

function mark(t: Tensor, grad: boolean, gradFn: string): void {
  t.requiresGrad = grad && t.dtype.isFloatingPoint;
  t.gradFn = t.requiresGrad ? gradFn : null;
}

function tensor(v: PyValue, method: string): Tensor {
  if (v instanceof Tensor) return v;
  throw new PyError('AttributeError', `'${v === null ? 'NoneType' : typeof v}' object has no attribute '${method}'`);
}

function optionalTensor(v: PyValue): Tensor | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Tensor) return v;
  throw typeError(`expected Tensor or None, got ${typeof v}`);
}

function outputTensor(shape: readonly number[], like: Tensor, grad: boolean, gradFn: string): Tensor {
  const out = new Tensor(shape, like.dtype, like.device);
  out.requiresGrad = grad && like.dtype.isFloatingPoint;
  if (out.requiresGrad) out.gradFn = gradFn;
  return out;
}

export interface MhaShapeArgs {
  query: Tensor; key: Tensor; value: Tensor;
  /** `query is key` / `key is value` in the caller (they pick the packed projection's branch). */
  sameQK: boolean; sameKV: boolean;
  embedDim: number; numHeads: number;
  inProjWeight: Tensor | null; inProjBias: Tensor | null;
  biasK: Tensor | null; biasV: Tensor | null; addZeroAttn: boolean;
  outProjWeight: Tensor;
  keyPaddingMask: Tensor | null; needWeights: boolean; attnMask: Tensor | null; averageAttnWeights: boolean;
  /** q/k/v projection weights when `use_separate_proj_weight` (kdim/vdim differ from embed_dim). */
  separateProjWeights: [Tensor, Tensor, Tensor] | null;
}

/** F.linear's shape check for an input `[..., k]` and a weight `[out, in]`. */
function linearShape(input: readonly number[], weight: readonly number[]): number[] {
  const k = input[input.length - 1]!;
  if (k !== weight[1]) {
    const rows = input.slice(0, -1).reduce((x, y) => x * y, 1);
    throw runtimeError(`mat1 and mat2 shapes cannot be multiplied (${rows}x${k} and ${weight[1]}x${weight[0]})`);
  }
  return [...input.slice(0, -1), weight[0]!];
}

/** `_mha_shape_check`: whether the input is batched, or PyTorch's assertion. */
function mhaShapeCheck(q: Tensor, k: Tensor, v: Tensor, kpm: Tensor | null, mask: Tensor | null, numHeads: number): boolean {
  if (q.ndim === 3) {
    if (k.ndim !== 3 || v.ndim !== 3) {
      throw assertion(`For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${k.ndim}-D and ${v.ndim}-D tensors respectively`);
    }
    if (kpm && kpm.ndim !== 2) throw assertion(`For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${kpm.ndim}-D tensor instead`);
    if (mask && mask.ndim !== 2 && mask.ndim !== 3) throw assertion(`For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${mask.ndim}-D tensor instead`);
    return true;
  }
  if (q.ndim === 2) {
    if (k.ndim !== 2 || v.ndim !== 2) {
      throw assertion(`For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${k.ndim}-D and ${v.ndim}-D tensors respectively`);
    }
    if (kpm && kpm.ndim !== 1) throw assertion(`For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${kpm.ndim}-D tensor instead`);
    if (mask) {
      if (mask.ndim !== 2 && mask.ndim !== 3) throw assertion(`For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${mask.ndim}-D tensor instead`);
      if (mask.ndim === 3) {
        const expected = [numHeads, q.shape[0]!, k.shape[0]!];
        if (!same(mask.shape, expected)) throw assertion(`Expected \`attn_mask\` shape to be ${pyTuple(expected)} but got ${torchSize(mask.shape)}`);
      }
    }
    return false;
  }
  throw assertion(`query should be unbatched 2D or batched 3D tensor but received ${q.ndim}-D query tensor`);
}

/** The output shape `(L, N, E)` (or `(L, E)`) and attention-weight shape (or null) of the reference path. */
export function multiHeadAttentionShapes(a: MhaShapeArgs): { output: number[]; weights: number[] | null } {
  const batched = mhaShapeCheck(a.query, a.key, a.value, a.keyPaddingMask, a.attnMask, a.numHeads);
  const unsq = (s: readonly number[]): number[] => (batched ? [...s] : [s[0]!, 1, ...s.slice(1)]);
  const [q, k, v] = [unsq(a.query.shape), unsq(a.key.shape), unsq(a.value.shape)];
  let kpm = a.keyPaddingMask ? (batched ? [...a.keyPaddingMask.shape] : [1, ...a.keyPaddingMask.shape]) : null;
  const [tgtLen, bsz, embedDim] = q as [number, number, number];
  let srcLen = k[0]!;
  if (a.keyPaddingMask && a.keyPaddingMask.dtype !== boolDtype && !a.keyPaddingMask.dtype.isFloatingPoint) {
    throw assertion('only bool and floating types of key_padding_mask are supported');
  }
  if (embedDim !== a.embedDim) throw assertion(`was expecting embedding dimension of ${a.embedDim}, but got ${embedDim}`);
  const headDim = Math.floor(embedDim / a.numHeads);
  if (headDim * a.numHeads !== embedDim) throw assertion(`embed_dim ${embedDim} not divisible by num_heads ${a.numHeads}`);

  // in-projection
  let kp: number[];
  let vp: number[];
  if (a.separateProjWeights) {
    if (!same(k.slice(0, 2), v.slice(0, 2))) {
      throw assertion(`key's sequence and batch dims ${torchSize(k.slice(0, 2))} do not match value's ${torchSize(v.slice(0, 2))}`);
    }
    const [wq, wk, wv] = a.separateProjWeights;
    const [eq, ek, ev] = [q[2]!, k[k.length - 1]!, v[v.length - 1]!];
    const checks: [Tensor, number[], string][] = [[wq, [eq, eq], 'query'], [wk, [eq, ek], 'key'], [wv, [eq, ev], 'value']];
    for (const [w, expected, what] of checks) {
      if (!same(w.shape, expected)) throw assertion(`expecting ${what} weights shape of ${pyTuple(expected)}, but got ${torchSize(w.shape)}`);
    }
    if (a.inProjBias) {
      const third = Math.floor(a.inProjBias.shape[0]! / 3);
      for (const what of ['query', 'key', 'value']) {
        if (third !== eq) throw assertion(`expecting ${what} bias shape of (${eq},), but got torch.Size([${third}])`);
      }
    }
    linearShape(q, wq.shape);
    kp = linearShape(k, wk.shape);
    vp = linearShape(v, wv.shape);
  } else {
    if (!same(k, v)) throw assertion(`key shape ${torchSize(k)} does not match value shape ${torchSize(v)}`);
    if (!a.inProjWeight) throw assertion('use_separate_proj_weight is False but in_proj_weight is None');
    const w = a.inProjWeight.shape;
    const e = q[2]!;
    if (a.sameKV && a.sameQK) {
      const all = linearShape(q, w);
      kp = [...all.slice(0, -1), all[all.length - 1]! / 3];
      vp = kp;
    } else if (a.sameKV) {
      linearShape(q, [e, w[1]!]);
      const kv = linearShape(k, [w[0]! - e, w[1]!]);
      kp = [...kv.slice(0, -1), kv[kv.length - 1]! / 2];
      vp = kp;
    } else {
      const third = w[0]! / 3;
      linearShape(q, [third, w[1]!]);
      kp = linearShape(k, [third, w[1]!]);
      vp = linearShape(v, [third, w[1]!]);
    }
  }

  // attention mask
  let mask = a.attnMask ? [...a.attnMask.shape] : null;
  if (a.attnMask && mask) {
    const dt = a.attnMask.dtype;
    if (dt !== uint8 && !dt.isFloatingPoint && dt !== boolDtype) {
      throw assertion(`Only float, byte, and bool types are supported for attn_mask, not ${dt.pyRepr()}`);
    }
    if (mask.length === 2) {
      if (!same(mask, [tgtLen, srcLen])) {
        throw runtimeError(`The shape of the 2D attn_mask is ${torchSize(mask)}, but should be ${pyTuple([tgtLen, srcLen])}.`);
      }
      mask = [1, ...mask];
    } else if (mask.length === 3) {
      const expected = [bsz * a.numHeads, tgtLen, srcLen];
      if (!same(mask, expected)) throw runtimeError(`The shape of the 3D attn_mask is ${torchSize(mask)}, but should be ${pyTuple(expected)}.`);
    } else {
      throw runtimeError(`attn_mask's dimension ${mask.length} is not supported`);
    }
  }

  // bias_k / bias_v add one key position; so does add_zero_attn
  let keyLen = kp[0]!;
  let valueLen = vp[0]!;
  if (a.biasK && a.biasV) {
    keyLen += 1;
    valueLen += 1;
    if (mask) mask = [...mask.slice(0, -1), mask[mask.length - 1]! + 1];
    if (kpm) kpm = [...kpm.slice(0, -1), kpm[kpm.length - 1]! + 1];
  } else if (a.biasK || a.biasV) {
    throw assertion('');
  }
  const view = (shape: readonly number[], len: number): void => {
    const numel = shape.reduce((x, y) => x * y, 1);
    if (numel !== len * bsz * embedDim) {
      throw runtimeError(`shape '[${len}, ${bsz * a.numHeads}, ${headDim}]' is invalid for input of size ${numel}`);
    }
  };
  view([keyLen, ...kp.slice(1)], keyLen);
  view([valueLen, ...vp.slice(1)], valueLen);
  if (a.addZeroAttn) {
    keyLen += 1;
    if (mask) mask = [...mask.slice(0, -1), mask[mask.length - 1]! + 1];
    if (kpm) kpm = [...kpm.slice(0, -1), kpm[kpm.length - 1]! + 1];
  }
  srcLen = keyLen;
  if (kpm && !same(kpm, [bsz, srcLen])) {
    throw assertion(`expecting key_padding_mask shape of ${pyTuple([bsz, srcLen])}, but got ${torchSize(kpm)}`);
  }

  const outDim = a.outProjWeight.shape[0]!;
  linearShape([tgtLen * bsz, embedDim], a.outProjWeight.shape);
  const output = batched ? [tgtLen, bsz, outDim] : [tgtLen, outDim];
  if (!a.needWeights) return { output, weights: null };
  const full = a.averageAttnWeights ? [bsz, tgtLen, srcLen] : [bsz, a.numHeads, tgtLen, srcLen];
  return { output, weights: batched ? full : full.slice(1) };
}
