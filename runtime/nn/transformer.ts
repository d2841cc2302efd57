// torch/nn/modules/transformer.py: Transformer, TransformerEncoder/Decoder and their layers.
import {
  BuiltinFunction, type Interop, type Kwargs, PyError, PyList, PyTuple, type PyValue, bindArguments, float, indexError, noKwargs, runtimeError, sig,
} from '../python/index.ts';
import { defaultFloatDType } from '../dtype.ts';
import { Tensor } from '../tensor.ts';
import { isGradEnabled } from '../ops/grad-mode.ts';
import { Module } from './module.ts';
import { withCallTracer } from './call-tracer.ts';
import { MultiheadAttention } from './activation-attention.ts';
import { ModuleList } from './container.ts';
import { Dropout } from './dropout.ts';
import { Linear } from './linear.ts';
import { LayerNorm } from './normalization.ts';
import { ReLU, GELU } from './activation.ts';
import { allocate } from './factory.ts';
import { callF, callTorch, functionalBuiltin } from './functional-call.ts';
import { copyModule } from './deep-copy.ts';
import { xavierUniform_ } from './init.ts';
import { method } from './module-methods.ts';
import { type ModuleClassMethod, bindForward, factoryParams, forwardSignature, initSignature } from './layer-support.ts';
import { getAttr, pyEquals, pyIndex, truthy } from './py-helpers.ts';

/**
 * `F.relu` / `F.gelu` as the default `activation`: resolved to torch.nn.functional's own builtin
 * when the table is installed, so `activation is F.relu` holds as in PyTorch.
 */
const functionalDefault = (name: string): BuiltinFunction =>
  new BuiltinFunction(name, (args, kwargs, interop) => callF(name, args, interop, kwargs));
const reluDefault = functionalDefault('relu');
const geluDefault = functionalDefault('gelu');
const resolve = (f: BuiltinFunction): BuiltinFunction => functionalBuiltin(f.name) ?? f;
const isFunctional = (v: PyValue, name: string): boolean =>
  v instanceof BuiltinFunction && (v === functionalBuiltin(name) || v === (name === 'relu' ? reluDefault : geluDefault));

/** `_get_activation_fn`. */
function activationFromString(activation: string): BuiltinFunction {
  if (activation === 'relu') return resolve(reluDefault);
  if (activation === 'gelu') return resolve(geluDefault);
  throw runtimeError(`activation should be relu/gelu, not ${activation}`);
}

/** Constructs a built-in layer the way its Python `__init__` would be called. */
function make<T extends Module>(cls: new () => T, args: PyValue[], kwargs: [string, PyValue][], interop: Interop): T {
  const m = new cls();
  m.pyInit(args, new Map(kwargs), interop);
  return m;
}

/** Calls a submodule (`self.norm1(x)`), or any other callable attribute (`self.activation(x)`). */
function invoke(f: PyValue, args: PyValue[], interop: Interop, kwargs: Kwargs = noKwargs): PyValue {
  if (f instanceof Module) return f.call(args, kwargs, interop);
  if (f instanceof BuiltinFunction) return f.impl(args, kwargs, interop);
  return interop.call(f, args, kwargs);
}

const add = (a: PyValue, b: PyValue, interop: Interop): PyValue => callTorch('add', [a, b], interop);
const first = (v: PyValue): PyValue => (v instanceof PyTuple ? v.items[0] : v);

function checkPaddingMaskDtype(mask: PyValue): void {
  if (mask instanceof Tensor && mask.dtype.name !== 'bool' && !mask.dtype.isFloatingPoint) {
    throw new PyError('AssertionError', 'only bool and floating types of key_padding_mask are supported');
  }
}

const layerParams: Parameters<typeof initSignature>[1] = ['d_model', 'nhead', ['dim_feedforward', 2048], ['dropout', float(0.1)],
  ['activation', reluDefault], ['layer_norm_eps', float(1e-5)], ['batch_first', false], ['norm_first', false], ...factoryParams];

/** The submodules both layer kinds create first: attention(s), the feed-forward block, norms and dropouts. */
function buildLayer(m: Module, a: Map<string, PyValue>, interop: Interop, decoder: boolean): void {
  const fk: [string, PyValue][] = [['device', a.get('device')], ['dtype', a.get('dtype')]];
  const [d, h, ff, dropout] = [a.get('d_model'), a.get('nhead'), a.get('dim_feedforward'), a.get('dropout')];
  const attention = (): MultiheadAttention => make(MultiheadAttention, [d, h], [['dropout', dropout], ['batch_first', a.get('batch_first')], ...fk], interop);
  m.setattr('self_attn', attention());
  if (decoder) m.setattr('multihead_attn', attention());
  m.setattr('linear1', make(Linear, [d, ff], fk, interop));
  m.setattr('dropout', make(Dropout, [dropout], [], interop));
  m.setattr('linear2', make(Linear, [ff, d], fk, interop));
  m.setattr('norm_first', a.get('norm_first'));
  const norms = decoder ? ['norm1', 'norm2', 'norm3'] : ['norm1', 'norm2'];
  for (const n of norms) m.setattr(n, make(LayerNorm, [d], [['eps', a.get('layer_norm_eps')], ...fk], interop));
  for (const n of decoder ? ['dropout1', 'dropout2', 'dropout3'] : ['dropout1', 'dropout2']) m.setattr(n, make(Dropout, [dropout], [], interop));
}

/** `_ff_block`: linear2(dropout(activation(linear1(x)))), then the last dropout. */
function feedForward(m: Module, x: PyValue, lastDropout: string, interop: Interop): PyValue {
  const hidden = invoke(getAttr(m, 'activation'), [invoke(getAttr(m, 'linear1'), [x], interop)], interop);
  const out = invoke(getAttr(m, 'linear2'), [invoke(getAttr(m, 'dropout'), [hidden], interop)], interop);
  return invoke(getAttr(m, lastDropout), [out], interop);
}

/** `_sa_block` / `_mha_block`: attention with need_weights=False, then its dropout. */
function attentionBlock(m: Module, attn: string, q: PyValue, kv: PyValue, mask: PyValue, kpm: PyValue, dropout: string, interop: Interop): PyValue {
  const out = invoke(getAttr(m, attn), [q, kv, kv], interop, new Map([['attn_mask', mask], ['key_padding_mask', kpm], ['need_weights', false]]));
  return invoke(getAttr(m, dropout), [first(out)], interop);
}

export class TransformerEncoderLayer extends Module {
  static override readonly pyName: string = 'TransformerEncoderLayer';
  static override readonly signature = initSignature('TransformerEncoderLayer', layerParams);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    buildLayer(this, a, interop, false);
    let activation = a.get('activation');
    if (activation === reluDefault) activation = resolve(reluDefault);
    if (typeof activation === 'string') activation = activationFromString(activation);
    const code = isFunctional(activation, 'relu') || activation instanceof ReLU ? 1 : isFunctional(activation, 'gelu') || activation instanceof GELU ? 2 : 0;
    this.setattr('activation_relu_or_gelu', code);
    this.setattr('activation', activation);
  }

  /** Whether PyTorch would run the fused `_transformer_encoder_layer_fwd`, which calls no submodules. */
  private takesFastPath(src: Tensor, srcMask: PyValue): boolean {
    const attn = getAttr(this, 'self_attn') as Module;
    const n1 = getAttr(this, 'norm1') as Module;
    const n2 = getAttr(this, 'norm2') as Module;
    if (src.ndim !== 3 || this.training || !truthy(getAttr(attn, 'batch_first')) || !truthy(getAttr(attn, '_qkv_same_embed_dim'))) return false;
    if (!truthy(getAttr(this, 'activation_relu_or_gelu')) || !pyEquals(getAttr(n1, 'eps'), getAttr(n2, 'eps')) || srcMask !== null) return false;
    if ((getAttr(attn, 'num_heads') as number) % 2 === 1) return false;
    if (isGradEnabled() && (src.requiresGrad || this.namedParameters().some(([, p]) => p.requiresGrad))) return false;
    return src.shape[2] === getAttr(attn, 'embed_dim');
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const b = bindForward(forwardSignature('TransformerEncoderLayer', ['src', ['src_mask', null], ['src_key_padding_mask', null]]), args, kwargs);
    const [src, mask, kpm] = [b.get('src'), b.get('src_mask'), b.get('src_key_padding_mask')];
    checkPaddingMaskDtype(kpm);
    if (src instanceof Tensor && this.takesFastPath(src, mask)) {
      // The fused kernel calls no submodule, so no call of them is traced. Its result has the input's
      // shape; with values, the reference path computes it (same math) out of the tracer's sight.
      if (src.data === null) return new Tensor(src.shape, src.dtype, src.device);
      return withCallTracer(null, () => this.referenceForward(src, mask, kpm, interop));
    }
    return this.referenceForward(src, mask, kpm, interop);
  }

  private referenceForward(src: PyValue, mask: PyValue, kpm: PyValue, interop: Interop): PyValue {
    let x = src;
    const norm = (n: string, v: PyValue): PyValue => invoke(getAttr(this, n), [v], interop);
    if (truthy(getAttr(this, 'norm_first'))) {
      x = add(x, attentionBlock(this, 'self_attn', norm('norm1', x), norm('norm1', x), mask, kpm, 'dropout1', interop), interop);
      x = add(x, feedForward(this, norm('norm2', x), 'dropout2', interop), interop);
    } else {
      x = norm('norm1', add(x, attentionBlock(this, 'self_attn', x, x, mask, kpm, 'dropout1', interop), interop));
      x = norm('norm2', add(x, feedForward(this, x, 'dropout2', interop), interop));
    }
    return x;
  }
}

export class TransformerDecoderLayer extends Module {
  static override readonly pyName: string = 'TransformerDecoderLayer';
  static override readonly signature = initSignature('TransformerDecoderLayer', layerParams);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    buildLayer(this, a, interop, true);
    const activation = a.get('activation');
    this.setattr('activation', typeof activation === 'string' ? activationFromString(activation)
      : activation === reluDefault ? resolve(reluDefault) : activation);
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const b = bindForward(forwardSignature('TransformerDecoderLayer', ['tgt', 'memory', ['tgt_mask', null], ['memory_mask', null],
      ['tgt_key_padding_mask', null], ['memory_key_padding_mask', null]]), args, kwargs);
    const memory = b.get('memory');
    let x = b.get('tgt');
    const norm = (n: string, v: PyValue): PyValue => invoke(getAttr(this, n), [v], interop);
    const sa = (v: PyValue): PyValue => attentionBlock(this, 'self_attn', v, v, b.get('tgt_mask'), b.get('tgt_key_padding_mask'), 'dropout1', interop);
    const mha = (v: PyValue): PyValue => attentionBlock(this, 'multihead_attn', v, memory, b.get('memory_mask'), b.get('memory_key_padding_mask'), 'dropout2', interop);
    if (truthy(getAttr(this, 'norm_first'))) {
      x = add(x, sa(norm('norm1', x)), interop);
      x = add(x, mha(norm('norm2', x)), interop);
      x = add(x, feedForward(this, norm('norm3', x), 'dropout3', interop), interop);
    } else {
      x = norm('norm1', add(x, sa(x), interop));
      x = norm('norm2', add(x, mha(x), interop));
      x = norm('norm3', add(x, feedForward(this, x, 'dropout3', interop), interop));
    }
    return x;
  }
}

/** `_get_clones(module, N)`: a ModuleList of N deep copies (no random numbers are drawn). */
function clones(layer: PyValue, n: PyValue, interop: Interop): ModuleList {
  const copies = Array.from({ length: typeof n === 'number' ? Math.max(n, 0) : 0 }, () => (layer instanceof Module ? copyModule(layer) : layer));
  return make(ModuleList, [new PyList(copies)], [], interop);
}

/** `self.layers[0]`, raising ModuleList's IndexError for an empty stack. */
function firstLayer(m: Module): Module {
  const layers = getAttr(m, 'layers') as ModuleList;
  if (layers.length === 0) throw indexError('index 0 is out of range');
  return layers.modulesDict!.get('0') as Module;
}

export class TransformerEncoder extends Module {
  static override readonly pyName: string = 'TransformerEncoder';
  static override readonly signature = initSignature('TransformerEncoder', ['encoder_layer', 'num_layers', ['norm', null],
    ['enable_nested_tensor', true], ['mask_check', true]]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    this.setattr('layers', clones(a.get('encoder_layer'), a.get('num_layers'), interop));
    for (const k of ['num_layers', 'norm', 'enable_nested_tensor', 'mask_check']) this.setattr(k, a.get(k));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const b = bindForward(forwardSignature('TransformerEncoder', ['src', ['mask', null], ['src_key_padding_mask', null]]), args, kwargs);
    checkPaddingMaskDtype(b.get('src_key_padding_mask'));
    firstLayer(this);
    // (With a padding mask under no_grad, PyTorch converts to a nested tensor and pads back; the
    // shape can then shrink to the longest unpadded sequence, which depends on the mask's values.)
    let output = b.get('src');
    for (const [, layer] of (getAttr(this, 'layers') as ModuleList).childEntries()) {
      output = layer.call([output], new Map([['src_mask', b.get('mask')], ['src_key_padding_mask', b.get('src_key_padding_mask')]]), interop);
    }
    const norm = getAttr(this, 'norm');
    return norm !== null ? invoke(norm, [output], interop) : output;
  }
}

export class TransformerDecoder extends Module {
  static override readonly pyName: string = 'TransformerDecoder';
  static override readonly signature = initSignature('TransformerDecoder', ['decoder_layer', 'num_layers', ['norm', null]]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    this.setattr('layers', clones(a.get('decoder_layer'), a.get('num_layers'), interop));
    this.setattr('num_layers', a.get('num_layers'));
    this.setattr('norm', a.get('norm'));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const names = ['tgt_mask', 'memory_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask'];
    const b = bindForward(forwardSignature('TransformerDecoder', ['tgt', 'memory', ...names.map((n) => [n, null] as [string, PyValue])]), args, kwargs);
    let output = b.get('tgt');
    for (const [, layer] of (getAttr(this, 'layers') as ModuleList).childEntries()) {
      output = layer.call([output, b.get('memory')], new Map(names.map((n) => [n, b.get(n)] as [string, PyValue])), interop);
    }
    const norm = getAttr(this, 'norm');
    return norm !== null ? invoke(norm, [output], interop) : output;
  }
}

/** `Transformer.generate_square_subsequent_mask` is a staticmethod: `self` is not counted. */
const maskSignature = sig('generate_square_subsequent_mask', ['sz', ['device', 'cpu']]);

export class Transformer extends Module {
  static override readonly pyName: string = 'Transformer';
  static override readonly signature = initSignature('Transformer', [['d_model', 512], ['nhead', 8], ['num_encoder_layers', 6],
    ['num_decoder_layers', 6], ['dim_feedforward', 2048], ['dropout', float(0.1)], ['activation', reluDefault], ['custom_encoder', null],
    ['custom_decoder', null], ['layer_norm_eps', float(1e-5)], ['batch_first', false], ['norm_first', false], ...factoryParams]);
  static override readonly pyMethods = {
    generate_square_subsequent_mask: method(maskSignature, (_self, a) => squareSubsequentMask(a.get('sz'))),
  };
  static readonly pyClassMethods: Record<string, ModuleClassMethod> = {
    generate_square_subsequent_mask: (_cls, args, kwargs) => squareSubsequentMask(bindArguments(maskSignature, args, kwargs).get('sz')),
  };

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    const fk: [string, PyValue][] = [['device', a.get('device')], ['dtype', a.get('dtype')]];
    const layerArgs = ['d_model', 'nhead', 'dim_feedforward', 'dropout', 'activation', 'layer_norm_eps', 'batch_first', 'norm_first'].map((k) => a.get(k));
    const norm = (): LayerNorm => make(LayerNorm, [a.get('d_model')], [['eps', a.get('layer_norm_eps')], ...fk], interop);
    if (a.get('custom_encoder') !== null) this.setattr('encoder', a.get('custom_encoder'));
    else {
      const layer = make(TransformerEncoderLayer, layerArgs, fk, interop);
      this.setattr('encoder', make(TransformerEncoder, [layer, a.get('num_encoder_layers'), norm()], [], interop));
    }
    if (a.get('custom_decoder') !== null) this.setattr('decoder', a.get('custom_decoder'));
    else {
      const layer = make(TransformerDecoderLayer, layerArgs, fk, interop);
      this.setattr('decoder', make(TransformerDecoder, [layer, a.get('num_decoder_layers'), norm()], [], interop));
    }
    // `_reset_parameters`: xavier_uniform_ on every matrix, in parameters() order.
    for (const [, p] of this.namedParameters()) if (p.ndim > 1) xavierUniform_(p);
    this.setattr('d_model', a.get('d_model'));
    this.setattr('nhead', a.get('nhead'));
    this.setattr('batch_first', a.get('batch_first'));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const names = ['src_mask', 'tgt_mask', 'memory_mask', 'src_key_padding_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask'];
    const b = bindForward(forwardSignature('Transformer', ['src', 'tgt', ...names.map((n) => [n, null] as [string, PyValue])]), args, kwargs);
    const [src, tgt] = [b.get('src'), b.get('tgt')];
    if (src instanceof Tensor && tgt instanceof Tensor) {
      const batched = src.ndim === 3;
      const batchFirst = truthy(getAttr(this, 'batch_first'));
      const size = (t: Tensor, d: number): number | undefined => t.shape[d < 0 ? t.ndim + d : d];
      if (batched && (batchFirst ? size(src, 0) !== size(tgt, 0) : size(src, 1) !== size(tgt, 1))) {
        throw runtimeError('the batch number of src and tgt must be equal');
      }
      const d = getAttr(this, 'd_model');
      if (!pyEquals(size(src, -1), d) || !pyEquals(size(tgt, -1), d)) throw runtimeError('the feature number of src and tgt must be equal to d_model');
    }
    const memory = invoke(getAttr(this, 'encoder'), [src], interop, new Map([['mask', b.get('src_mask')], ['src_key_padding_mask', b.get('src_key_padding_mask')]]));
    return invoke(getAttr(this, 'decoder'), [tgt, memory], interop, new Map(['tgt_mask', 'memory_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask']
      .map((n) => [n, b.get(n)] as [string, PyValue])));
  }
}

/** `torch.triu(torch.full((sz, sz), float('-inf')), diagonal=1)`. */
function squareSubsequentMask(size: PyValue): Tensor {
  const sz = pyIndex(size);
  const t = allocate([sz, sz], defaultFloatDType());
  if (t.data instanceof Float32Array) for (let i = 0; i < sz; i++) for (let j = i + 1; j < sz; j++) t.data[i * sz + j] = -Infinity;
  return t;
}
