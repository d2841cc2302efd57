// torch/nn/modules/container.py: ParameterList and ParameterDict, whose entries are attributes
// named '0', '1', ... (or the dict's keys): Parameters register as parameters, plain tensors are
// wrapped into Parameters, anything else stays a plain attribute.
import {
  type Interop, PyDict, PyIterator, PyList, PySlice, PyTuple, type PyValue, keyError, pyStr, pyTypeName, runtimeError, typeError, valueError,
} from '../python/index.ts';
import { Parameter, Tensor } from '../tensor.ts';
import { Module, type ModuleMethod } from './module.ts';
import { method } from './module-methods.ts';
import { makeParameter } from './factory.ts';
import { initSignature } from './layer-support.ts';
import { getAttr, sliceRange } from './py-helpers.ts';
import { legacyTensorType } from './typename.ts';
import { absIndex, isIterable, iterate, msig, sameClass, typeNameOf } from './container-support.ts';


/** `Parameter(value)` for plain tensors, as ParameterList/ParameterDict wrap them. */
const asParameter = (v: PyValue): PyValue => (v instanceof Tensor && !(v instanceof Parameter) ? makeParameter(v) : v);

/** `Parameter containing: [torch.float32 of size 2x3]` / `Object of type: int`. */
function describeEntry(key: string, p: PyValue, dtypeText: (t: Tensor) => string): string {
  if (p instanceof Tensor) {
    const kind = p instanceof Parameter ? 'Parameter' : 'Tensor';
    return `  (${key}): ${kind} containing: [${dtypeText(p)} of size ${p.shape.join('x')}]`;
  }
  return `  (${key}): Object of type: ${typeNameOf(p)}`;
}

export class ParameterList extends Module {
  static override readonly pyName: string = 'ParameterList';
  static override readonly signature = initSignature('ParameterList', [['values', null]]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    this.setattr('_size', 0);
    if (a.get('values') !== null) this.extend(a.get('values'), interop);
  }

  get length(): number { return this.dict.get('_size') as number; }

  private at(i: number): PyValue { return getAttr(this, String(i)); }

  private setAt(idx: PyValue, value: PyValue): void { this.setattr(String(absIndex(idx, this.length)), asParameter(value)); }

  append(value: PyValue): this {
    const newIdx = this.length;
    this.setattr('_size', newIdx + 1);
    this.setAt(newIdx, value);
    return this;
  }

  extend(values: PyValue, interop: Interop): this {
    if (!isIterable(values) || values instanceof Tensor) {
      throw typeError(`ParameterList.extend should be called with an iterable, but got ${typeNameOf(values)}`);
    }
    for (const v of iterate(values, interop)) this.append(v);
    return this;
  }

  override call(): PyValue { throw runtimeError('ParameterList should not be called.'); }

  override extraRepr(): string {
    return Array.from({ length: this.length }, (_, k) => describeEntry(String(k), this.at(k), (t) => t.dtype.pyRepr())).join('\n');
  }

  static override readonly pyMethods: Record<string, ModuleMethod> = {
    __getitem__: method(msig('ParameterList', '__getitem__', ['idx']), (self, a, interop) => {
      const list = self as ParameterList;
      const idx = a.get('idx');
      if (idx instanceof PySlice) {
        const out = sameClass(list, [], interop);
        for (const i of sliceRange(idx, list.length)) out.append(list.at(i));
        return out;
      }
      return list.at(absIndex(idx, list.length));
    }),
    __setitem__: method(msig('ParameterList', '__setitem__', ['idx', 'param']), (self, a) => { (self as ParameterList).setAt(a.get('idx'), a.get('param')); return null; }),
    __len__: method(msig('ParameterList', '__len__', []), (self) => (self as ParameterList).length),
    __iter__: method(msig('ParameterList', '__iter__', []), (self) => {
      const list = self as ParameterList;
      return new PyIterator(Array.from({ length: list.length }, (_, i) => list.at(i)));
    }),
    __iadd__: method(msig('ParameterList', '__iadd__', ['parameters']), (self, a, interop) => (self as ParameterList).extend(a.get('parameters'), interop)),
    append: method(msig('ParameterList', 'append', ['value']), (self, a) => (self as ParameterList).append(a.get('value'))),
    extend: method(msig('ParameterList', 'extend', ['values']), (self, a, interop) => (self as ParameterList).extend(a.get('values'), interop)),
  };
}

export class ParameterDict extends Module {
  static override readonly pyName: string = 'ParameterDict';
  static override readonly signature = initSignature('ParameterDict', [['parameters', null]]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    this.setattr('_keys', new PyDict());
    if (a.get('parameters') !== null) this.update(a.get('parameters'), interop);
  }

  private get keysDict(): PyDict { return this.dict.get('_keys') as PyDict; }

  private static attrOf(key: PyValue): string {
    if (typeof key !== 'string') {
      throw typeError('Index given to ParameterDict cannot be used as a key as it is not a string '
        + `(type is '${pyTypeName(key)}'). Open an issue on github if you need non-string keys.`);
    }
    return key;
  }

  get(key: PyValue): PyValue { return getAttr(this, ParameterDict.attrOf(key)); }

  set(key: PyValue, value: PyValue): void {
    this.keysDict.set(key, null);
    this.setattr(ParameterDict.attrOf(key), asParameter(value));
  }

  delete(key: PyValue): void {
    if (!this.keysDict.has(key)) throw keyError(pyStr(key));
    this.keysDict.delete(key);
    this.delattr(ParameterDict.attrOf(key));
  }

  update(parameters: PyValue, interop: Interop): void {
    if (!isIterable(parameters)) {
      throw typeError(`ParametersDict.update should be called with an iterable of key/value pairs, but got ${typeNameOf(parameters)}`);
    }
    if (parameters instanceof ParameterDict) { for (const k of parameters.keysDict.keys()) this.set(k, parameters.get(k)); return; }
    if (parameters instanceof PyDict) {
      const items = parameters.items();
      // A plain dict (a Mapping that is not an OrderedDict) is applied in sorted key order.
      if (parameters.typeName !== 'OrderedDict') items.sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
      for (const [k, v] of items) this.set(k, v);
      return;
    }
    iterate(parameters, interop).forEach((entry, j) => {
      if (!isIterable(entry)) throw typeError(`ParameterDict update sequence element #${j} should be Iterable; is${typeNameOf(entry)}`);
      const pair = iterate(entry, interop);
      if (pair.length !== 2) throw valueError(`ParameterDict update sequence element #${j} has length ${pair.length}; 2 is required`);
      this.set(pair[0], pair[1]);
    });
  }

  override call(): PyValue { throw runtimeError('ParameterDict should not be called.'); }

  override extraRepr(): string {
    return this.keysDict.keys().map((k) => describeEntry(String(k), this.get(k), (t) => legacyTensorType(t.dtype))).join('\n');
  }

  static override readonly pyMethods: Record<string, ModuleMethod> = {
    __getitem__: method(msig('ParameterDict', '__getitem__', ['key']), (self, a) => (self as ParameterDict).get(a.get('key'))),
    __setitem__: method(msig('ParameterDict', '__setitem__', ['key', 'value']), (self, a) => { (self as ParameterDict).set(a.get('key'), a.get('value')); return null; }),
    __delitem__: method(msig('ParameterDict', '__delitem__', ['key']), (self, a) => { (self as ParameterDict).delete(a.get('key')); return null; }),
    __len__: method(msig('ParameterDict', '__len__', []), (self) => (self as ParameterDict).keysDict.size),
    __iter__: method(msig('ParameterDict', '__iter__', []), (self) => new PyIterator((self as ParameterDict).keysDict.keys())),
    __contains__: method(msig('ParameterDict', '__contains__', ['key']), (self, a) => (self as ParameterDict).keysDict.has(a.get('key'))),
    keys: method(msig('ParameterDict', 'keys', []), (self) => new PyList((self as ParameterDict).keysDict.keys())),
    values: method(msig('ParameterDict', 'values', []), (self) => {
      const d = self as ParameterDict;
      return new PyList(d.keysDict.keys().map((k) => d.get(k)));
    }),
    items: method(msig('ParameterDict', 'items', []), (self) => {
      const d = self as ParameterDict;
      return new PyList(d.keysDict.keys().map((k) => new PyTuple([k, d.get(k)])));
    }),
    get: method(msig('ParameterDict', 'get', ['key', ['default', null]]), (self, a) => {
      const d = self as ParameterDict;
      return d.keysDict.has(a.get('key')) ? d.get(a.get('key')) : a.get('default');
    }),
    pop: method(msig('ParameterDict', 'pop', ['key']), (self, a) => {
      const d = self as ParameterDict;
      const v = d.get(a.get('key'));
      d.delete(a.get('key'));
      return v;
    }),
    setdefault: method(msig('ParameterDict', 'setdefault', ['key', ['default', null]]), (self, a) => {
      const d = self as ParameterDict;
      if (!d.keysDict.has(a.get('key'))) d.set(a.get('key'), a.get('default'));
      return d.get(a.get('key'));
    }),
    clear: method(msig('ParameterDict', 'clear', []), (self) => {
      const d = self as ParameterDict;
      for (const k of d.keysDict.keys()) d.delete(k);
      return null;
    }),
    update: method(msig('ParameterDict', 'update', ['parameters']), (self, a, interop) => { (self as ParameterDict).update(a.get('parameters'), interop); return null; }),
  };
}
