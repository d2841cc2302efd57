// torch/nn/modules/linear.py: Identity, Linear, NonDynamicallyQuantizableLinear, Bilinear, LazyLinear.
import { type Interop, type Kwargs, PyError, type PyValue, float, pyStr, tuple } from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import { Module } from './module.ts';
import { callF } from './functional-call.ts';
import { emptyParameter, factoryKwargs } from './factory.ts';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from './init.ts';
import { bindForward, bindInput, factoryParams, forwardSignature, initSignature, resetParametersMethod } from './layer-support.ts';
import { getAttr, truthy } from './py-helpers.ts';

export class Identity extends Module {
  static override readonly pyName: string = 'Identity';
  static override readonly signature = initSignature('Identity', [], { varargs: 'args', varkw: 'kwargs' });

  override forward(args: PyValue[], kwargs: Kwargs): PyValue {
    return bindInput('Identity', args, kwargs);
  }
}

export class Linear extends Module {
  static override readonly pyName: string = 'Linear';
  static override readonly signature = initSignature('Linear', ['in_features', 'out_features', ['bias', true], ...factoryParams]);
  static override readonly pyMethods = { reset_parameters: resetParametersMethod('Linear') };

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const fk = factoryKwargs(a);
    this.setattr('in_features', a.get('in_features'));
    this.setattr('out_features', a.get('out_features'));
    this.setattr('weight', emptyParameter(tuple(a.get('out_features'), a.get('in_features')), fk));
    if (truthy(a.get('bias'))) this.setattr('bias', emptyParameter(a.get('out_features'), fk));
    else this.registerParameter('bias', null);
    this.resetParameters();
  }

  resetParameters(): void {
    const weight = getAttr(this, 'weight');
    kaimingUniform_(weight, float(Math.sqrt(5)));
    const bias = getAttr(this, 'bias');
    if (bias !== null) {
      const [fanIn] = calculateFanInAndFanOut(weight);
      // `bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0`: the int 0 negates to 0, not -0.0.
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(bias, float(fanIn > 0 ? -bound : 0), float(bound));
    }
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const input = bindInput('Linear', args, kwargs);
    return callF('linear', [input, getAttr(this, 'weight'), getAttr(this, 'bias')], interop);
  }

  override extraRepr(): string {
    return `in_features=${pyStr(getAttr(this, 'in_features'))}, out_features=${pyStr(getAttr(this, 'out_features'))}, `
      + `bias=${getAttr(this, 'bias') !== null ? 'True' : 'False'}`;
  }
}

/** The `out_proj` of MultiheadAttention: a Linear under another name. */
export class NonDynamicallyQuantizableLinear extends Linear {
  static override readonly pyName: string = 'NonDynamicallyQuantizableLinear';
  static override readonly signature = initSignature('NonDynamicallyQuantizableLinear', ['in_features', 'out_features', ['bias', true], ...factoryParams]);
}

export class Bilinear extends Module {
  static override readonly pyName: string = 'Bilinear';
  static override readonly signature = initSignature('Bilinear', ['in1_features', 'in2_features', 'out_features', ['bias', true], ...factoryParams]);
  static override readonly pyMethods = { reset_parameters: resetParametersMethod('Bilinear') };
  private static readonly forwardSig = forwardSignature('Bilinear', ['input1', 'input2']);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const fk = factoryKwargs(a);
    this.setattr('in1_features', a.get('in1_features'));
    this.setattr('in2_features', a.get('in2_features'));
    this.setattr('out_features', a.get('out_features'));
    this.setattr('weight', emptyParameter(tuple(a.get('out_features'), a.get('in1_features'), a.get('in2_features')), fk));
    if (truthy(a.get('bias'))) this.setattr('bias', emptyParameter(a.get('out_features'), fk));
    else this.registerParameter('bias', null);
    this.resetParameters();
  }

  resetParameters(): void {
    const weight = getAttr(this, 'weight') as Tensor;
    if (weight.shape[1] === 0) throw new PyError('ZeroDivisionError', 'float division by zero');
    const bound = 1 / Math.sqrt(weight.shape[1]!);
    uniform_(weight, float(-bound), float(bound));
    const bias = getAttr(this, 'bias');
    if (bias !== null) uniform_(bias, float(-bound), float(bound));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const a = bindForward(Bilinear.forwardSig, args, kwargs);
    return callF('bilinear', [a.get('input1'), a.get('input2'), getAttr(this, 'weight'), getAttr(this, 'bias')], interop);
  }

  override extraRepr(): string {
    return `in1_features=${pyStr(getAttr(this, 'in1_features'))}, in2_features=${pyStr(getAttr(this, 'in2_features'))}, `
      + `out_features=${pyStr(getAttr(this, 'out_features'))}, bias=${getAttr(this, 'bias') !== null ? 'True' : 'False'}`;
  }
}
