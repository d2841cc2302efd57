// torch/nn/modules/flatten.py: Flatten, Unflatten.
import { type Interop, type Kwargs, PyList, PyTuple, type PyValue, pyStr, pyTypeName, typeError } from '../python/index.ts';
import { Module } from './module.ts';
import { callTorch } from './functional-call.ts';
import { bindInput, initSignature } from './layer-support.ts';
import { getAttr } from './py-helpers.ts';

export class Flatten extends Module {
  static override readonly pyName: string = 'Flatten';
  static override readonly signature = initSignature('Flatten', [['start_dim', 1], ['end_dim', -1]]);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    this.setattr('start_dim', a.get('start_dim'));
    this.setattr('end_dim', a.get('end_dim'));
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const input = bindInput('Flatten', args, kwargs);
    return callTorch('flatten', [input, getAttr(this, 'start_dim'), getAttr(this, 'end_dim')], interop);
  }

  override extraRepr(): string { return `start_dim=${pyStr(getAttr(this, 'start_dim'))}, end_dim=${pyStr(getAttr(this, 'end_dim'))}`; }
}

const isPyInt = (v: PyValue): boolean => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'boolean';

export class Unflatten extends Module {
  static override readonly pyName: string = 'Unflatten';
  static override readonly signature = initSignature('Unflatten', ['dim', 'unflattened_size']);

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const [dim, size] = [a.get('dim'), a.get('unflattened_size')];
    if (isPyInt(dim)) requireTupleInt(size);
    else if (typeof dim === 'string') requireTupleTuple(size);
    else throw typeError('invalid argument type for dim parameter');
    this.setattr('dim', dim);
    this.setattr('unflattened_size', size);
  }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    const input = bindInput('Unflatten', args, kwargs);
    return callTorch('unflatten', [input, getAttr(this, 'dim'), getAttr(this, 'unflattened_size')], interop);
  }

  override extraRepr(): string { return `dim=${pyStr(getAttr(this, 'dim'))}, unflattened_size=${pyStr(getAttr(this, 'unflattened_size'))}`; }
}

function requireTupleInt(v: PyValue): void {
  if (v instanceof PyTuple || v instanceof PyList) {
    v.items.forEach((elem, i) => {
      if (!isPyInt(elem)) throw typeError(`unflattened_size must be tuple of ints, but found element of type ${pyTypeName(elem)} at pos ${i}`);
    });
    return;
  }
  throw typeError(`unflattened_size must be a tuple of ints, but found type ${pyTypeName(v)}`);
}

function requireTupleTuple(v: PyValue): void {
  if (v instanceof PyTuple) {
    v.items.forEach((elem, i) => {
      if (!(elem instanceof PyTuple)) throw typeError(`unflattened_size must be tuple of tuples, but found element of type ${pyTypeName(elem)} at pos ${i}`);
    });
    return;
  }
  throw typeError(`unflattened_size must be a tuple of tuples, but found type ${pyTypeName(v)}`);
}
