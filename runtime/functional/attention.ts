// Attention in torch.nn.functional: multi_head_attention_forward (1.13, what nn.MultiheadAttention
// and the Transformer layers call) and scaled_dot_product_attention (PyTorch 2.x's signature;
// 1.13 has no such function, so its rules follow 2.0's documented semantics).
import { type BoundArgs, PyError, PyFloat, PyTuple, type PyValue, float, runtimeError } from '../python/index.ts';
import { bool, uint8 } from '../dtype.ts';
import { Tensor } from '../tensor.ts';
import { defPython } from '../torch/registry.ts';
import { TorchSize } from '../torch/objects.ts';
import { baddbmm, bmm, linear, matmul } from '../ops/matmul.ts';
import { binary, maskedFill, unary } from '../ops/elementwise.ts';
import { cast, create } from '../ops/creation.ts';
import { applyDropout } from '../torch/functions/pointwise.ts';
import { softmax, sum } from '../ops/reduce.ts';
import { pad } from '../ops/nn-ops.ts';
import { broadcastShapes } from '../ops/broadcast.ts';
import { chunk, split, cat } from '../ops/join-ops.ts';
import { expand, repeat, squeeze, transpose, unsqueeze, view } from '../ops/shape-ops.ts';
import { wrapScalar } from '../ops/scalar.ts';
import { pyAssert } from './call.ts';

const get = (a: BoundArgs, name: string): PyValue => a.get(name);
const opt = (a: BoundArgs, name: string): Tensor | null => (get(a, name) as Tensor | null) ?? null;
const sizeRepr = (s: readonly number[]): string => new TorchSize(s).pyRepr();
const tupleRepr = (s: readonly number[]): string => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;
const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** _mha_shape_check: batched 3-D or unbatched 2-D query, with matching key/value/masks. */
function mhaShapeCheck(query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor | null, attnMask: Tensor | null, heads: number): boolean {
  if (query.ndim === 3) {
    pyAssert(key.ndim === 3 && value.ndim === 3, `For batched (3-D) \`query\`, expected \`key\` and \`value\` to be 3-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`);
    if (keyPaddingMask) pyAssert(keyPaddingMask.ndim === 2, `For batched (3-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 2-D but found ${keyPaddingMask.ndim}-D tensor instead`);
    if (attnMask) pyAssert(attnMask.ndim === 2 || attnMask.ndim === 3, `For batched (3-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attnMask.ndim}-D tensor instead`);
    return true;
  }
  if (query.ndim === 2) {
    pyAssert(key.ndim === 2 && value.ndim === 2, `For unbatched (2-D) \`query\`, expected \`key\` and \`value\` to be 2-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`);
    if (keyPaddingMask) pyAssert(keyPaddingMask.ndim === 1, `For unbatched (2-D) \`query\`, expected \`key_padding_mask\` to be \`None\` or 1-D but found ${keyPaddingMask.ndim}-D tensor instead`);
    if (attnMask) {
      pyAssert(attnMask.ndim === 2 || attnMask.ndim === 3, `For unbatched (2-D) \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attnMask.ndim}-D tensor instead`);
      if (attnMask.ndim === 3) {
        const expected = [heads, query.shape[0]!, key.shape[0]!];
        pyAssert(same(attnMask.shape, expected), `Expected \`attn_mask\` shape to be ${tupleRepr(expected)} but got ${sizeRepr(attnMask.shape)}`);
      }
    }
    return false;
  }
  throw new PyError('AssertionError', `query should be unbatched 2D or batched 3D tensor but received ${query.ndim}-D query tensor`);
}

/** _in_projection_packed: one weight for q, k and v (self-attention when q, k, v are the same tensor). */
function inProjectionPacked(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | null): [Tensor, Tensor, Tensor] {
  const e = q.shape[q.ndim - 1]!;
  if (k === v) {
    if (q === k) {
      const [x, y, z] = chunk(linear(q, w, b), 3, -1);
      return [x!, y!, z!];
    }
    const [wq, wkv] = split(w, [e, e * 2]);
    const [bq, bkv] = b ? split(b, [e, e * 2]) : [null, null];
    const [kk, vv] = chunk(linear(k, wkv!, bkv ?? null), 2, -1);
    return [linear(q, wq!, bq ?? null), kk!, vv!];
  }
  const [wq, wk, wv] = chunk(w, 3);
  const [bq, bk, bv] = b ? chunk(b, 3) : [null, null, null];
  return [linear(q, wq!, bq ?? null), linear(k, wk!, bk ?? null), linear(v, wv!, bv ?? null)];
}

defPython('F', 'multi_head_attention_forward', (a) => {
  let query = get(a, 'query') as Tensor;
  let key = get(a, 'key') as Tensor;
  let value = get(a, 'value') as Tensor;
  const heads = get(a, 'num_heads') as number;
  let keyPaddingMask = opt(a, 'key_padding_mask');
  let attnMask = opt(a, 'attn_mask');
  const batched = mhaShapeCheck(query, key, value, keyPaddingMask, attnMask, heads);
  if (!batched) {
    query = unsqueeze(query, 1);
    key = unsqueeze(key, 1);
    value = unsqueeze(value, 1);
    if (keyPaddingMask) keyPaddingMask = unsqueeze(keyPaddingMask, 0);
  }
  const [tgtLen, bsz, embedDim] = query.shape as [number, number, number];
  if (keyPaddingMask && keyPaddingMask.dtype !== bool && !keyPaddingMask.dtype.isFloatingPoint) {
    throw new PyError('AssertionError', 'only bool and floating types of key_padding_mask are supported');
  }
  pyAssert(embedDim === get(a, 'embed_dim_to_check'), `was expecting embedding dimension of ${get(a, 'embed_dim_to_check') as number}, but got ${embedDim}`);
  const headDim = Math.floor(embedDim / heads);
  pyAssert(headDim * heads === embedDim, `embed_dim ${embedDim} not divisible by num_heads ${heads}`);
  let q: Tensor;
  let k: Tensor;
  let v: Tensor;
  if (get(a, 'use_separate_proj_weight') === true) {
    pyAssert(same(key.shape.slice(0, 2), value.shape.slice(0, 2)), `key's sequence and batch dims ${sizeRepr(key.shape.slice(0, 2))} do not match value's ${sizeRepr(value.shape.slice(0, 2))}`);
    const [bq, bk, bv] = opt(a, 'in_proj_bias') ? chunk(opt(a, 'in_proj_bias')!, 3) : [null, null, null];
    q = linear(query, opt(a, 'q_proj_weight')!, bq ?? null);
    k = linear(key, opt(a, 'k_proj_weight')!, bk ?? null);
    v = linear(value, opt(a, 'v_proj_weight')!, bv ?? null);
  } else {
    pyAssert(same(key.shape, value.shape), `key shape ${sizeRepr(key.shape)} does not match value shape ${sizeRepr(value.shape)}`);
    const w = opt(a, 'in_proj_weight');
    pyAssert(w !== null, 'use_separate_proj_weight is False but in_proj_weight is None');
    [q, k, v] = inProjectionPacked(query, key, value, w!, opt(a, 'in_proj_bias'));
  }
  let srcLen = key.shape[0]!;
  if (attnMask) {
    if (attnMask.dtype === uint8) attnMask = cast(attnMask, bool);
    else {
      pyAssert(attnMask.dtype.isFloatingPoint || attnMask.dtype === bool, `Only float, byte, and bool types are supported for attn_mask, not ${attnMask.dtype.pyRepr()}`);
    }
    if (attnMask.ndim === 2) {
      if (!same(attnMask.shape, [tgtLen, srcLen])) {
        throw runtimeError(`The shape of the 2D attn_mask is ${sizeRepr(attnMask.shape)}, but should be ${tupleRepr([tgtLen, srcLen])}.`);
      }
      attnMask = unsqueeze(attnMask, 0);
    } else if (attnMask.ndim === 3) {
      if (!same(attnMask.shape, [bsz * heads, tgtLen, srcLen])) {
        throw runtimeError(`The shape of the 3D attn_mask is ${sizeRepr(attnMask.shape)}, but should be ${tupleRepr([bsz * heads, tgtLen, srcLen])}.`);
      }
    } else {
      throw runtimeError(`attn_mask's dimension ${attnMask.ndim} is not supported`);
    }
  }
  const biasK = opt(a, 'bias_k');
  const biasV = opt(a, 'bias_v');
  if (biasK && biasV) {
    k = cat([k, repeat(biasK, [1, bsz, 1])]);
    v = cat([v, repeat(biasV, [1, bsz, 1])]);
    if (attnMask) attnMask = padLast(attnMask);
    if (keyPaddingMask) keyPaddingMask = padLast(keyPaddingMask);
  }
  q = transpose(view(q, [tgtLen, bsz * heads, headDim]), 0, 1);
  k = opt(a, 'static_k') ?? transpose(view(k, [k.shape[0]!, bsz * heads, headDim]), 0, 1);
  v = opt(a, 'static_v') ?? transpose(view(v, [v.shape[0]!, bsz * heads, headDim]), 0, 1);
  if (get(a, 'add_zero_attn') === true) {
    const zeros = create({ shape: [bsz * heads, 1, headDim], dtype: k.dtype, fill: { kind: 'value', value: { kind: 'int', value: 0 } } });
    k = cat([k, zeros], 1);
    v = cat([v, zeros], 1);
    if (attnMask) attnMask = padLast(attnMask);
    if (keyPaddingMask) keyPaddingMask = padLast(keyPaddingMask);
  }
  srcLen = k.shape[1]!;
  if (keyPaddingMask) {
    pyAssert(same(keyPaddingMask.shape, [bsz, srcLen]), `expecting key_padding_mask shape of ${tupleRepr([bsz, srcLen])}, but got ${sizeRepr(keyPaddingMask.shape)}`);
    const merged = view(expand(view(keyPaddingMask, [bsz, 1, 1, srcLen]), [-1, heads, -1, -1]), [bsz * heads, 1, srcLen]);
    if (!attnMask) attnMask = merged;
    else if (attnMask.dtype === bool) attnMask = binary.logical_or!(attnMask, merged);
    else attnMask = maskedFill(attnMask, merged, wrapScalar({ kind: 'float', value: -Infinity }));
  }
  // A bool mask becomes a float one: -inf where attention is not allowed.
  if (attnMask && attnMask.dtype === bool) {
    const zeros = binary.mul!(attnMask, wrapScalar({ kind: 'float', value: 0 }));
    attnMask = maskedFill(q.dtype === zeros.dtype ? zeros : cast(zeros, q.dtype), attnMask, wrapScalar({ kind: 'float', value: -Infinity }));
  }
  const scaled = binary.div!(q, wrapScalar({ kind: 'float', value: Math.sqrt(q.shape[2]!) }));
  const scores = attnMask ? baddbmm(attnMask, scaled, transpose(k, -2, -1)) : bmm(scaled, transpose(k, -2, -1));
  let weights = softmax(scores, -1);
  const dropoutP = get(a, 'dropout_p');
  const p = typeof dropoutP === 'number' ? dropoutP : dropoutP instanceof PyFloat ? dropoutP.value : 0;
  if (get(a, 'training') === true && p > 0) weights = applyDropout(weights, { p, training: true });
  let out = bmm(weights, v);
  out = view(transpose(out, 0, 1), [tgtLen * bsz, embedDim]);
  out = linear(out, opt(a, 'out_proj_weight')!, opt(a, 'out_proj_bias'));
  out = view(out, [tgtLen, bsz, out.shape[1]!]);
  if (get(a, 'need_weights') === true) {
    let w = view(weights, [bsz, heads, tgtLen, srcLen]);
    if (get(a, 'average_attn_weights') === true) w = binary.div!(sumHeads(w), wrapScalar({ kind: 'int', value: heads }));
    if (!batched) return new PyTuple([squeeze(out, 1), squeeze(w, 0)]);
    return new PyTuple([out, w]);
  }
  return new PyTuple([batched ? out : squeeze(out, 1), null]);
});

const sumHeads = (w: Tensor): Tensor => sum(w, [1]);
const padLast = (t: Tensor): Tensor => pad(t, [0, 1], 'constant', null);

/** F.scaled_dot_product_attention (PyTorch 2.x): softmax(q k^T / sqrt(E) + mask) v over the last two dims. */
defPython('F', 'scaled_dot_product_attention', (a) => {
  const q = get(a, 'query') as Tensor;
  const k = get(a, 'key') as Tensor;
  const v = get(a, 'value') as Tensor;
  const mask = opt(a, 'attn_mask');
  const causal = get(a, 'is_causal') === true;
  if (causal && mask) throw runtimeError('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
  const scaleArg = get(a, 'scale');
  const scale = scaleArg instanceof PyFloat ? scaleArg.value : typeof scaleArg === 'number' ? scaleArg : 1 / Math.sqrt(q.shape[q.ndim - 1]!);
  let scores = binary.mul!(matmul(q, transpose(k, -2, -1)), wrapScalar({ kind: 'float', value: scale }));
  if (mask) {
    broadcastShapes(scores.shape, mask.shape);
    scores = mask.dtype === bool ? maskedFill(scores, unary.logical_not!(mask), wrapScalar({ kind: 'float', value: -Infinity })) : binary.add!(scores, mask);
  }
  if (causal && scores.device !== 'meta') {
    // The lower-triangular (L, S) mask: query i attends keys j <= i.
    const [l, sLen] = scores.shape.slice(-2) as [number, number];
    const allowed = new Tensor([l, sLen], bool, scores.device, Uint8Array.from({ length: l * sLen }, (_, i) => (i % sLen <= Math.floor(i / sLen) ? 1 : 0)));
    scores = maskedFill(scores, unary.logical_not!(allowed), wrapScalar({ kind: 'float', value: -Infinity }));
  }
  let weights = softmax(scores, -1);
  const dropoutP = get(a, 'dropout_p');
  const p = dropoutP instanceof PyFloat ? dropoutP.value : typeof dropoutP === 'number' ? dropoutP : 0;
  if (p > 0) weights = applyDropout(weights, { p, training: true });
  return matmul(weights, v);
}, {
  kind: 'python', qualname: 'scaled_dot_product_attention',
  params: [{ name: 'query' }, { name: 'key' }, { name: 'value' }, { name: 'attn_mask', default: null }, { name: 'dropout_p', default: float(0) }, { name: 'is_causal', default: false }],
  kwonly: [{ name: 'scale', default: null }],
});
