// torch/nn/modules/sparse.py: Embedding, EmbeddingBag.
import { type Interop, type Kwargs, PyError, type PyValue, bindArguments, float, pyTypeName, sig, tuple } from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import { Module } from './module.ts';
import { callF } from './functional-call.ts';
import { emptyParameter, factoryKwargs, makeParameter } from './factory.ts';
import { rowFill } from './init-fill.ts';
import { normal_ } from './init.ts';
import {
  type ModuleClassMethod, bindForward, bindInput, factoryParams, forwardSignature, initSignature, resetParametersMethod,
} from './layer-support.ts';
import { getAttr, pyCompare, pyEquals, pyFormat, pyIndex, truthy } from './py-helpers.ts';

/**
 * `Embedding.from_pretrained(embeddings, freeze=True, ...)` / `EmbeddingBag.from_pretrained`:
 * the module wraps the given tensor (no initialisation, no random numbers) and freezes it.
 */
function fromPretrained(clsName: string, options: Parameters<typeof initSignature>[1]): ModuleClassMethod {
  const signature = sig(`${clsName}.from_pretrained`, ['embeddings', ['freeze', true], ...options], { isMethod: true });
  return (cls, args, kwargs, interop) => {
    const a = bindArguments(signature, args, kwargs);
    const embeddings = a.get('embeddings');
    if (!(embeddings instanceof Tensor) || embeddings.ndim !== 2) {
      if (!(embeddings instanceof Tensor)) throw new PyError('AttributeError', `'${pyTypeName(embeddings)}' object has no attribute 'dim'`);
      throw new PyError('AssertionError', 'Embeddings parameter is expected to be 2-dimensional');
    }
    const m = new cls();
    const ctorKwargs = new Map<string, PyValue>([['num_embeddings', embeddings.shape[0]!], ['embedding_dim', embeddings.shape[1]!], ['_weight', embeddings]]);
    for (const [name] of options as [string, PyValue][]) ctorKwargs.set(name, a.get(name));
    m.pyInit([], ctorKwargs, interop);
    (getAttr(m, 'weight') as Tensor).requiresGrad = !truthy(a.get('freeze'));
    return m;
  };
}

/** `padding_idx` validation and normalisation shared by Embedding and EmbeddingBag. */
function checkedPaddingIdx(paddingIdx: PyValue, numEmbeddings: PyValue, what: string): PyValue {
  if (paddingIdx === null) return null;
  if (pyCompare(paddingIdx, '>', 0)) {
    if (!pyCompare(paddingIdx, '<', numEmbeddings)) throw new PyError('AssertionError', `${what} must be within num_embeddings`);
  } else if (pyCompare(paddingIdx, '<', 0)) {
    if (!pyCompare(paddingIdx, '>=', -(numEmbeddings as number))) throw new PyError('AssertionError', `${what} must be within num_embeddings`);
    return (numEmbeddings as number) + (paddingIdx as number);
  }
  return paddingIdx;
}

/** `self.weight = Parameter(torch.empty((n, d)))` + reset, or the given `_weight` after its shape check. */
function initWeight(m: Module, a: Map<string, PyValue>): void {
  const given = a.get('_weight');
  if (given === null) {
    m.setattr('weight', emptyParameter(tuple(a.get('num_embeddings'), a.get('embedding_dim')), factoryKwargs(a)));
    (m as unknown as { resetParameters(): void }).resetParameters();
    return;
  }
  const shape = given instanceof Tensor ? given.shape : [];
  if (!(given instanceof Tensor) || shape.length !== 2 || !pyEquals(shape[0], a.get('num_embeddings')) || !pyEquals(shape[1], a.get('embedding_dim'))) {
    throw new PyError('AssertionError', 'Shape of weight does not match num_embeddings and embedding_dim');
  }
  m.setattr('weight', makeParameter(given));
}

function resetEmbedding(m: Module): void {
  const weight = getAttr(m, 'weight');
  normal_(weight);
  const paddingIdx = getAttr(m, 'padding_idx');
  if (paddingIdx !== null) rowFill(weight as Tensor, pyIndex(paddingIdx), 0);
}

export class Embedding extends Module {
  static override readonly pyName: string = 'Embedding';
  static override readonly signature = initSignature('Embedding', ['num_embeddings', 'embedding_dim', ['padding_idx', null], ['max_norm', null],
    ['norm_type', float(2)], ['scale_grad_by_freq', false], ['sparse', false], ['_weight', null], ...factoryParams]);
  static override readonly pyMethods = { reset_parameters: resetParametersMethod('Embedding') };
  static readonly pyClassMethods: Record<string, ModuleClassMethod> = {
    from_pretrained: fromPretrained('Embedding', [['padding_idx', null], ['max_norm', null], ['norm_type', float(2)],
      ['scale_grad_by_freq', false], ['sparse', false]]),
  };

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    this.setattr('num_embeddings', a.get('num_embeddings'));
    this.setattr('embedding_dim', a.get('embedding_dim'));
    this.setattr('padding_idx', checkedPaddingIdx(a.get('padding_idx'), a.get('num_embeddings'), 'Padding_idx'));
    for (const k of ['max_norm', 'norm_type', 'scale_grad_by_freq']) this.setattr(k, a.get(k));
    initWeight(this, a);
    this.setattr('sparse', a.get('sparse'));
  }

  resetParameters(): void { resetEmbedding(this); }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const input = bindInput('Embedding', args, kwargs);
    return callF('embedding', [input, ...['weight', 'padding_idx', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'sparse'].map((k) => getAttr(this, k))], interop);
  }

  override extraRepr(): string {
    let s = '{num_embeddings}, {embedding_dim}';
    if (getAttr(this, 'padding_idx') !== null) s += ', padding_idx={padding_idx}';
    if (getAttr(this, 'max_norm') !== null) s += ', max_norm={max_norm}';
    if (!pyEquals(getAttr(this, 'norm_type'), 2)) s += ', norm_type={norm_type}';
    if (getAttr(this, 'scale_grad_by_freq') !== false) s += ', scale_grad_by_freq={scale_grad_by_freq}';
    if (getAttr(this, 'sparse') !== false) s += ', sparse=True';
    return pyFormat(s, this.dict);
  }
}

export class EmbeddingBag extends Module {
  static override readonly pyName: string = 'EmbeddingBag';
  static override readonly signature = initSignature('EmbeddingBag', ['num_embeddings', 'embedding_dim', ['max_norm', null], ['norm_type', float(2)],
    ['scale_grad_by_freq', false], ['mode', 'mean'], ['sparse', false], ['_weight', null], ['include_last_offset', false],
    ['padding_idx', null], ...factoryParams]);
  static override readonly pyMethods = { reset_parameters: resetParametersMethod('EmbeddingBag') };
  static readonly pyClassMethods: Record<string, ModuleClassMethod> = {
    from_pretrained: fromPretrained('EmbeddingBag', [['max_norm', null], ['norm_type', float(2)], ['scale_grad_by_freq', false],
      ['mode', 'mean'], ['sparse', false], ['include_last_offset', false], ['padding_idx', null]]),
  };

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    for (const k of ['num_embeddings', 'embedding_dim', 'max_norm', 'norm_type', 'scale_grad_by_freq']) this.setattr(k, a.get(k));
    this.setattr('padding_idx', checkedPaddingIdx(a.get('padding_idx'), a.get('num_embeddings'), 'padding_idx'));
    initWeight(this, a);
    for (const k of ['mode', 'sparse', 'include_last_offset']) this.setattr(k, a.get(k));
  }

  resetParameters(): void { resetEmbedding(this); }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const b = bindForward(forwardSignature('EmbeddingBag', ['input', ['offsets', null], ['per_sample_weights', null]]), args, kwargs);
    const at = (k: string): PyValue => getAttr(this, k);
    return callF('embedding_bag', [b.get('input'), at('weight'), b.get('offsets'), at('max_norm'), at('norm_type'), at('scale_grad_by_freq'),
      at('mode'), at('sparse'), b.get('per_sample_weights'), at('include_last_offset'), at('padding_idx')], interop);
  }

  override extraRepr(): string {
    let s = '{num_embeddings}, {embedding_dim}';
    if (getAttr(this, 'max_norm') !== null) s += ', max_norm={max_norm}';
    if (!pyEquals(getAttr(this, 'norm_type'), 2)) s += ', norm_type={norm_type}';
    if (getAttr(this, 'scale_grad_by_freq') !== false) s += ', scale_grad_by_freq={scale_grad_by_freq}';
    s += ', mode={mode}';
    if (getAttr(this, 'padding_idx') !== null) s += ', padding_idx={padding_idx}';
    return pyFormat(s, this.dict);
  }
}
