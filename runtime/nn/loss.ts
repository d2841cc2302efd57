// torch/nn/modules/loss.py: the loss modules. Each stores `reduction` (resolving the legacy
// size_average/reduce pair the way torch's _Reduction.legacy_get_string does), registers `weight`
// buffers where PyTorch does, and forwards to its F.<name>.
import { type Interop, type Kwargs, PyError, type PyValue, float, valueError } from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import { Module } from './module.ts';
import { callF } from './functional-call.ts';
import { PairwiseDistance } from './misc.ts';
import { bindForward, forwardSignature, initSignature } from './layer-support.ts';
import { getAttr, pyEquals, truthy } from './py-helpers.ts';

type Params = Parameters<typeof initSignature>[1];

/** `_Reduction.legacy_get_string(size_average, reduce)`. */
function legacyReduction(sizeAverage: PyValue, reduce: PyValue): string {
  const avg = sizeAverage === null ? true : truthy(sizeAverage);
  const red = reduce === null ? true : truthy(reduce);
  if (avg && red) return 'mean';
  return red ? 'sum' : 'none';
}

export class _Loss extends Module {
  static override readonly pyName: string = '_Loss';
  static override readonly signature = initSignature('_Loss', [['size_average', null], ['reduce', null], ['reduction', 'mean']]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const [sizeAverage, reduce] = [a.get('size_average') ?? null, a.get('reduce') ?? null];
    this.setattr('reduction', sizeAverage !== null || reduce !== null ? legacyReduction(sizeAverage, reduce) : a.get('reduction') ?? 'mean');
  }
}

export class _WeightedLoss extends _Loss {
  static override readonly pyName: string = '_WeightedLoss';
  static override readonly signature = initSignature('_WeightedLoss', [['weight', null], ['size_average', null], ['reduce', null], ['reduction', 'mean']]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    super.initialize(a, interop);
    this.registerBuffer('weight', a.get('weight') ?? null);
  }
}

interface LossSpec {
  name: string;
  base: typeof _Loss;
  params: Params;
  /** Keyword-only parameters (`def __init__(self, *, full=False, ...)`). */
  kwonly?: { name: string; default: PyValue }[];
  /** Attributes set after the base `__init__`, in order: [attribute, parameter]. */
  attrs?: [string, string][];
  /** Buffers registered after the base `__init__` (BCEWithLogitsLoss). */
  buffers?: string[];
  forwardParams: string[];
  /** Builds the F call from the forward arguments. */
  call: (m: Module, f: Map<string, PyValue>, interop: Interop) => PyValue;
  check?: (a: Map<string, PyValue>) => void;
}

const red = (m: Module): [string, PyValue] => ['reduction', getAttr(m, 'reduction')];
const kw = (m: Module, names: string[]): Map<string, PyValue> => new Map([...names.map((n) => [n, getAttr(m, n)] as [string, PyValue]), red(m)]);

function lossClass(spec: LossSpec) {
  const forwardSig = forwardSignature(spec.name, spec.forwardParams);
  return class extends spec.base {
    static override readonly pyName: string = spec.name;
    static override readonly signature = initSignature(spec.name, spec.params, spec.kwonly ? { kwonly: spec.kwonly } : {});

    protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
      super.initialize(a, interop);
      spec.check?.(a);
      for (const b of spec.buffers ?? []) this.registerBuffer(b, a.get(b) ?? null);
      for (const [attr, param] of spec.attrs ?? []) this.setattr(attr, a.get(param));
    }

    override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
      return spec.call(this, bindForward(forwardSig, args, kwargs), interop);
    }
  };
}

const legacy: Params = [['size_average', null], ['reduce', null], ['reduction', 'mean']];
const weighted: Params = [['weight', null], ...legacy];
const pair = ['input', 'target'];
const simple = (name: string, fname: string, extra: [string, string, PyValue][] = []) => lossClass({
  name, base: _Loss, params: [...legacy, ...extra.map(([p, , d]) => [p, d] as [string, PyValue])],
  attrs: extra.map(([p, attr]) => [attr, p]), forwardParams: pair,
  call: (m, f, interop) => callF(fname, [f.get('input'), f.get('target')], interop, kw(m, extra.map(([, attr]) => attr))),
});

export const L1Loss = simple('L1Loss', 'l1_loss');
export const MSELoss = simple('MSELoss', 'mse_loss');
export const SoftMarginLoss = simple('SoftMarginLoss', 'soft_margin_loss');
export const MultiLabelMarginLoss = simple('MultiLabelMarginLoss', 'multilabel_margin_loss');
export const SmoothL1Loss = simple('SmoothL1Loss', 'smooth_l1_loss', [['beta', 'beta', float(1.0)]]);
export const KLDivLoss = simple('KLDivLoss', 'kl_div', [['log_target', 'log_target', false]]);
export const HingeEmbeddingLoss = lossClass({
  name: 'HingeEmbeddingLoss', base: _Loss, params: [['margin', float(1.0)], ...legacy], attrs: [['margin', 'margin']], forwardParams: pair,
  call: (m, f, interop) => callF('hinge_embedding_loss', [f.get('input'), f.get('target')], interop, kw(m, ['margin'])),
});
export const HuberLoss = lossClass({
  name: 'HuberLoss', base: _Loss, params: [['reduction', 'mean'], ['delta', float(1.0)]], attrs: [['delta', 'delta']], forwardParams: pair,
  call: (m, f, interop) => callF('huber_loss', [f.get('input'), f.get('target')], interop, kw(m, ['delta'])),
});
export const NLLLoss = lossClass({
  name: 'NLLLoss', base: _WeightedLoss, params: [['weight', null], ['size_average', null], ['ignore_index', -100], ['reduce', null], ['reduction', 'mean']],
  attrs: [['ignore_index', 'ignore_index']], forwardParams: pair,
  call: (m, f, interop) => callF('nll_loss', [f.get('input'), f.get('target')], interop, kw(m, ['weight', 'ignore_index'])),
});
export class NLLLoss2d extends NLLLoss {
  static override readonly pyName: string = 'NLLLoss2d';
  static override readonly signature = initSignature('NLLLoss2d', [['weight', null], ['size_average', null], ['ignore_index', -100], ['reduce', null], ['reduction', 'mean']]);
}
export const CrossEntropyLoss = lossClass({
  name: 'CrossEntropyLoss', base: _WeightedLoss,
  params: [['weight', null], ['size_average', null], ['ignore_index', -100], ['reduce', null], ['reduction', 'mean'], ['label_smoothing', float(0.0)]],
  attrs: [['ignore_index', 'ignore_index'], ['label_smoothing', 'label_smoothing']], forwardParams: pair,
  call: (m, f, interop) => callF('cross_entropy', [f.get('input'), f.get('target')], interop, kw(m, ['weight', 'ignore_index', 'label_smoothing'])),
});
export const BCELoss = lossClass({
  name: 'BCELoss', base: _WeightedLoss, params: weighted, forwardParams: pair,
  call: (m, f, interop) => callF('binary_cross_entropy', [f.get('input'), f.get('target')], interop, kw(m, ['weight'])),
});
export const MultiLabelSoftMarginLoss = lossClass({
  name: 'MultiLabelSoftMarginLoss', base: _WeightedLoss, params: weighted, forwardParams: pair,
  call: (m, f, interop) => callF('multilabel_soft_margin_loss', [f.get('input'), f.get('target')], interop, kw(m, ['weight'])),
});
export const BCEWithLogitsLoss = lossClass({
  name: 'BCEWithLogitsLoss', base: _Loss, params: [['weight', null], ...legacy, ['pos_weight', null]], buffers: ['weight', 'pos_weight'],
  forwardParams: pair,
  call: (m, f, interop) => callF('binary_cross_entropy_with_logits', [f.get('input'), f.get('target'), getAttr(m, 'weight')], interop,
    new Map([['pos_weight', getAttr(m, 'pos_weight')], red(m)])),
});
export const PoissonNLLLoss = lossClass({
  name: 'PoissonNLLLoss', base: _Loss, params: [['log_input', true], ['full', false], ['size_average', null], ['eps', float(1e-8)], ['reduce', null], ['reduction', 'mean']],
  attrs: [['log_input', 'log_input'], ['full', 'full'], ['eps', 'eps']], forwardParams: ['log_input', 'target'],
  call: (m, f, interop) => callF('poisson_nll_loss', [f.get('log_input'), f.get('target')], interop, kw(m, ['log_input', 'full', 'eps'])),
});
export const GaussianNLLLoss = lossClass({
  name: 'GaussianNLLLoss', base: _Loss, params: [],
  kwonly: [{ name: 'full', default: false }, { name: 'eps', default: float(1e-6) }, { name: 'reduction', default: 'mean' }],
  attrs: [['full', 'full'], ['eps', 'eps']], forwardParams: ['input', 'target', 'var'],
  call: (m, f, interop) => callF('gaussian_nll_loss', [f.get('input'), f.get('target'), f.get('var')], interop, kw(m, ['full', 'eps'])),
});
export const CosineEmbeddingLoss = lossClass({
  name: 'CosineEmbeddingLoss', base: _Loss, params: [['margin', float(0)], ...legacy], attrs: [['margin', 'margin']], forwardParams: ['input1', 'input2', 'target'],
  call: (m, f, interop) => callF('cosine_embedding_loss', [f.get('input1'), f.get('input2'), f.get('target')], interop, kw(m, ['margin'])),
});
export const MarginRankingLoss = lossClass({
  name: 'MarginRankingLoss', base: _Loss, params: [['margin', float(0)], ...legacy], attrs: [['margin', 'margin']], forwardParams: ['input1', 'input2', 'target'],
  call: (m, f, interop) => callF('margin_ranking_loss', [f.get('input1'), f.get('input2'), f.get('target')], interop, kw(m, ['margin'])),
});
export const MultiMarginLoss = lossClass({
  name: 'MultiMarginLoss', base: _WeightedLoss, params: [['p', 1], ['margin', float(1)], ['weight', null], ...legacy],
  attrs: [['p', 'p'], ['margin', 'margin']], forwardParams: pair,
  check: (a) => {
    if (!pyEquals(a.get('p'), 1) && !pyEquals(a.get('p'), 2)) throw valueError('only p == 1 and p == 2 supported');
    const w = a.get('weight');
    if (w !== null && !(w instanceof Tensor && w.ndim === 1)) throw new PyError('AssertionError', '');
  },
  call: (m, f, interop) => callF('multi_margin_loss', [f.get('input'), f.get('target')], interop, kw(m, ['p', 'margin', 'weight'])),
});
export const TripletMarginLoss = lossClass({
  name: 'TripletMarginLoss', base: _Loss, params: [['margin', float(1.0)], ['p', float(2)], ['eps', float(1e-6)], ['swap', false], ...legacy],
  attrs: [['margin', 'margin'], ['p', 'p'], ['eps', 'eps'], ['swap', 'swap']], forwardParams: ['anchor', 'positive', 'negative'],
  call: (m, f, interop) => callF('triplet_margin_loss', [f.get('anchor'), f.get('positive'), f.get('negative')], interop, kw(m, ['margin', 'p', 'eps', 'swap'])),
});
export const CTCLoss = lossClass({
  name: 'CTCLoss', base: _Loss, params: [['blank', 0], ['reduction', 'mean'], ['zero_infinity', false]],
  attrs: [['blank', 'blank'], ['zero_infinity', 'zero_infinity']], forwardParams: ['log_probs', 'targets', 'input_lengths', 'target_lengths'],
  call: (m, f, interop) => callF('ctc_loss', [f.get('log_probs'), f.get('targets'), f.get('input_lengths'), f.get('target_lengths'),
    getAttr(m, 'blank'), getAttr(m, 'reduction'), getAttr(m, 'zero_infinity')], interop),
});

export class TripletMarginWithDistanceLoss extends _Loss {
  static override readonly pyName: string = 'TripletMarginWithDistanceLoss';
  static override readonly signature = initSignature('TripletMarginWithDistanceLoss', [], {
    kwonly: [{ name: 'distance_function', default: null }, { name: 'margin', default: float(1.0) }, { name: 'swap', default: false }, { name: 'reduction', default: 'mean' }],
  });

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    super.initialize(new Map([['reduction', a.get('reduction')]]), interop);
    let fn = a.get('distance_function');
    if (fn === null) {
      const d = new PairwiseDistance();
      d.pyInit([], new Map(), interop);
      fn = d;
    }
    this.setattr('distance_function', fn);
    this.setattr('margin', a.get('margin'));
    this.setattr('swap', a.get('swap'));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const f = bindForward(forwardSignature('TripletMarginWithDistanceLoss', ['anchor', 'positive', 'negative']), args, kwargs);
    return callF('triplet_margin_with_distance_loss', [f.get('anchor'), f.get('positive'), f.get('negative')], interop,
      new Map([['distance_function', getAttr(this, 'distance_function')], ['margin', getAttr(this, 'margin')], ['swap', getAttr(this, 'swap')], red(this)]));
  }
}
