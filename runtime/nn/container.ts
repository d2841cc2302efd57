// torch/nn/modules/container.py: Sequential, ModuleList, ModuleDict (ParameterList and ParameterDict
// are in container-params.ts). Their Python protocol (`__getitem__`, `__len__`, `__iter__`, ...) is exposed as pyMethods with
// dunder names; the evaluator dispatches `len(seq)`, `seq[0]`, `for m in layers` to them.
import {
  type Interop, type Kwargs, PyDict, PyError, PyIterator, PyList, PySlice, PyTuple, type PyValue, attributeError, indexError,
  keyError, pyStr, pyTypeName, typeError, valueError,
} from '../python/index.ts';
import { runtimeContext } from '../context.ts';
import { Module, type ModuleMethod, addIndent } from './module.ts';
import { method } from './module-methods.ts';
import { bindInput, initSignature } from './layer-support.ts';
import { pyIndex, sliceRange } from './py-helpers.ts';
import {
  absIndex, isIterable, iterate, moduleItems, msig, renumber, sameClass, typeNameOf,
} from './container-support.ts';
import { pyClassRepr } from './typename.ts';

// ---------------------------------------------------------------------------------------- Sequential

export class Sequential extends Module {
  static override readonly pyName: string = 'Sequential';
  static override readonly signature = initSignature('Sequential', [], { varargs: 'args' });

  protected override initialize(a: Map<string, PyValue>, _interop: Interop): void {
    const args = (a.get('args') as PyTuple).items;
    if (args.length === 1 && args[0] instanceof PyDict && args[0].typeName === 'OrderedDict') {
      for (const [key, module] of args[0].items()) this.addModule(key, module);
    } else {
      args.forEach((module, i) => this.addModule(String(i), module));
    }
  }

  get length(): number { return this.modulesDict?.size ?? 0; }

  append(module: PyValue): this { this.addModule(String(this.length), module); return this; }

  override forward(args: PyValue[], kwargs: Kwargs, interop: Interop): PyValue {
    let input = bindInput('Sequential', args, kwargs);
    for (const [, module] of moduleItems(this)) {
      if (!(module instanceof Module)) throw typeError(`'${pyTypeName(module)}' object is not callable`);
      input = module.call([input], new Map(), interop);
    }
    return input;
  }

  static override readonly pyMethods: Record<string, ModuleMethod> = {
    __getitem__: method(msig('Sequential', '__getitem__', ['idx']), (self, a, interop) => {
      const idx = a.get('idx');
      const items = moduleItems(self);
      if (idx instanceof PySlice) {
        const picked = sliceRange(idx, items.length).map((i) => items[i]!);
        return sameClass(self, [new PyDict(picked, 'OrderedDict')], interop);
      }
      return items[absIndex(idx, items.length)]![1];
    }),
    __setitem__: method(msig('Sequential', '__setitem__', ['idx', 'module']), (self, a) => {
      const items = moduleItems(self);
      self.setattr(items[absIndex(a.get('idx'), items.length)]![0], a.get('module'));
      return null;
    }),
    __delitem__: method(msig('Sequential', '__delitem__', ['idx']), (self, a) => {
      const idx = a.get('idx');
      const keys = moduleItems(self).map(([k]) => k);
      if (idx instanceof PySlice) for (const i of sliceRange(idx, keys.length)) self.delattr(keys[i]!);
      else self.delattr(keys[absIndex(idx, keys.length)]!);
      renumber(self);
      return null;
    }),
    __len__: method(msig('Sequential', '__len__', []), (self) => (self as Sequential).length),
    __iter__: method(msig('Sequential', '__iter__', []), (self) => new PyIterator(moduleItems(self).map(([, m]) => m))),
    __add__: method(msig('Sequential', '__add__', ['other']), (self, a, interop) => {
      const other = a.get('other');
      if (!(other instanceof Sequential)) {
        throw valueError(`add operator supports only objects of Sequential class, but ${pyClassRepr(other)} is given.`);
      }
      const ret = sameClass(new Sequential(), [], interop);
      for (const [, m] of [...moduleItems(self), ...moduleItems(other)]) ret.append(m);
      return ret;
    }),
    __iadd__: method(msig('Sequential', '__iadd__', ['other']), (self, a) => {
      const other = a.get('other');
      if (!(other instanceof Sequential)) {
        throw valueError(`add operator supports only objects of Sequential class, but ${pyClassRepr(other)} is given.`);
      }
      const offset = (self as Sequential).length;
      moduleItems(other).forEach(([, m], i) => self.addModule(String(i + offset), m));
      return self;
    }),
    __mul__: method(msig('Sequential', '__mul__', ['other']), (self, a, interop) => multiply(self as Sequential, a.get('other'), interop)),
    __rmul__: method(msig('Sequential', '__rmul__', ['other']), (self, a, interop) => multiply(self as Sequential, a.get('other'), interop)),
    __imul__: method(msig('Sequential', '__imul__', ['other']), (self, a) => {
      const n = checkMultiplier(self, a.get('other'));
      const original = moduleItems(self).map(([, m]) => m);
      let offset = original.length;
      for (let r = 0; r < n - 1; r++) {
        original.forEach((m, i) => self.addModule(String(i + offset), m));
        offset += original.length;
      }
      return self;
    }),
    pop: method(msig('Sequential', 'pop', ['key']), (self, a, interop) => popItem(self, a.get('key'), interop)),
    append: method(msig('Sequential', 'append', ['module']), (self, a) => (self as Sequential).append(a.get('module'))),
    insert: method(msig('Sequential', 'insert', ['index', 'module']), (self, a) => {
      const module = a.get('module');
      if (!(module instanceof Module)) throw new PyError('AssertionError', "module should be of type: <class 'torch.nn.modules.module.Module'>");
      insertAt(self, a.get('index'), module, true);
      return self;
    }),
    extend: method(msig('Sequential', 'extend', ['sequential']), (self, a, interop) => {
      for (const layer of iterate(a.get('sequential'), interop)) (self as Sequential).append(layer);
      return self;
    }),
  };
}

function checkMultiplier(self: Module, other: PyValue): number {
  if (typeof other !== 'number') throw typeError(`unsupported operand type(s) for *: ${pyClassRepr(self)} and ${pyClassRepr(other)}`);
  if (other <= 0) throw valueError(`Non-positive multiplication factor ${other} for ${pyClassRepr(self)}`);
  return other;
}

function multiply(self: Sequential, other: PyValue, interop: Interop): Sequential {
  const n = checkMultiplier(self, other);
  const combined = sameClass(new Sequential(), [], interop);
  let offset = 0;
  for (let r = 0; r < n; r++) for (const [, m] of moduleItems(self)) combined.addModule(String(offset++), m);
  return combined;
}

/** `pop(key)`: `v = self[key]; del self[key]; return v`. */
function popItem(self: Module, key: PyValue, interop: Interop): PyValue {
  const get = lookupOwnMethod(self, '__getitem__');
  const del = lookupOwnMethod(self, '__delitem__');
  const v = get(self, [key], new Map(), interop);
  del(self, [key], new Map(), interop);
  return v;
}

function lookupOwnMethod(self: Module, name: string): ModuleMethod {
  for (let c: unknown = self.constructor; c; c = Object.getPrototypeOf(c)) {
    const table = Object.prototype.hasOwnProperty.call(c, 'pyMethods') ? (c as typeof Module).pyMethods : undefined;
    if (table?.[name]) return table[name]!;
  }
  throw attributeError(name);
}

/** `insert(index, module)`: shift the entries after `index` up by one (Sequential also range-checks). */
function insertAt(self: Module, indexValue: PyValue, module: PyValue, checked: boolean): void {
  const d = self.modulesDict!;
  const n = d.size;
  let index = pyIndex(indexValue);
  if (checked) {
    if (!(-n <= index && index <= n)) throw indexError(`Index out of range: ${index}`);
    if (index < 0) index += n;
  }
  for (let i = n; i > index; i--) d.set(String(i), d.get(String(i - 1)));
  d.set(String(index), module);
}

// ---------------------------------------------------------------------------------------- ModuleList

export class ModuleList extends Module {
  static override readonly pyName: string = 'ModuleList';
  static override readonly signature = initSignature('ModuleList', [['modules', null]]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    if (a.get('modules') !== null) this.extend(a.get('modules'), interop);
  }

  get length(): number { return this.modulesDict?.size ?? 0; }

  extend(modules: PyValue, interop: Interop): this {
    if (!isIterable(modules)) throw typeError(`ModuleList.extend should be called with an iterable, but got ${typeNameOf(modules)}`);
    const offset = this.length;
    iterate(modules, interop).forEach((m, i) => this.addModule(String(offset + i), m));
    return this;
  }

  /** 2.x collapses runs of identical children (`(0-1): 2 x Linear(...)`) and ignores extra_repr. */
  override defaultRepr(): string {
    if (!runtimeContext().torch2Repr) return super.defaultRepr();
    const reprs = moduleItems(this).map(([, m]) => (m instanceof Module ? m.repr() : pyStr(m)));
    if (reprs.length === 0) return `${this.pyTypeName}()`;
    const blocks: [number, number, string][] = [];
    reprs.forEach((r, i) => {
      const last = blocks[blocks.length - 1];
      if (last && last[2] === r) last[1] = i;
      else blocks.push([i, i, r]);
    });
    const lines = blocks.map(([start, end, r]) =>
      addIndent(start === end ? `(${start}): ${r}` : `(${start}-${end}): ${end - start + 1} x ${r}`, 2));
    return `${this.pyTypeName}(\n  ${lines.join('\n  ')}\n)`;
  }

  static override readonly pyMethods: Record<string, ModuleMethod> = {
    __getitem__: method(msig('ModuleList', '__getitem__', ['idx']), (self, a, interop) => {
      const idx = a.get('idx');
      const values = moduleItems(self).map(([, m]) => m);
      if (idx instanceof PySlice) return sameClass(self, [new PyList(sliceRange(idx, values.length).map((i) => values[i]))], interop);
      return self.modulesDict!.get(String(absIndex(idx, values.length)));
    }),
    __setitem__: method(msig('ModuleList', '__setitem__', ['idx', 'module']), (self, a) => {
      self.setattr(String(absIndex(a.get('idx'), (self as ModuleList).length)), a.get('module'));
      return null;
    }),
    __delitem__: method(msig('ModuleList', '__delitem__', ['idx']), (self, a) => {
      const idx = a.get('idx');
      const n = (self as ModuleList).length;
      if (idx instanceof PySlice) for (const k of sliceRange(idx, n)) self.delattr(String(k));
      else self.delattr(String(absIndex(idx, n)));
      renumber(self);
      return null;
    }),
    __len__: method(msig('ModuleList', '__len__', []), (self) => (self as ModuleList).length),
    __iter__: method(msig('ModuleList', '__iter__', []), (self) => new PyIterator(moduleItems(self).map(([, m]) => m))),
    __iadd__: method(msig('ModuleList', '__iadd__', ['modules']), (self, a, interop) => (self as ModuleList).extend(a.get('modules'), interop)),
    __add__: method(msig('ModuleList', '__add__', ['other']), (self, a, interop) => {
      const combined = sameClass(new ModuleList(), [], interop);
      [...moduleItems(self).map(([, m]) => m), ...iterate(a.get('other'), interop)].forEach((m, i) => combined.addModule(String(i), m));
      return combined;
    }),
    insert: method(msig('ModuleList', 'insert', ['index', 'module']), (self, a) => { insertAt(self, a.get('index'), a.get('module'), false); return null; }),
    append: method(msig('ModuleList', 'append', ['module']), (self, a) => { self.addModule(String((self as ModuleList).length), a.get('module')); return self; }),
    pop: method(msig('ModuleList', 'pop', ['key']), (self, a, interop) => popItem(self, a.get('key'), interop)),
    extend: method(msig('ModuleList', 'extend', ['modules']), (self, a, interop) => (self as ModuleList).extend(a.get('modules'), interop)),
  };
}

// ---------------------------------------------------------------------------------------- ModuleDict

export class ModuleDict extends Module {
  static override readonly pyName: string = 'ModuleDict';
  static override readonly signature = initSignature('ModuleDict', [['modules', null]]);

  protected override initialize(a: Map<string, PyValue>, interop: Interop): void {
    if (a.get('modules') !== null) this.update(a.get('modules'), interop);
  }

  update(modules: PyValue, interop: Interop): void {
    if (!isIterable(modules)) {
      throw typeError(`ModuleDict.update should be called with an iterable of key/value pairs, but got ${typeNameOf(modules)}`);
    }
    if (modules instanceof PyDict) { for (const [k, m] of modules.items()) this.addModule(k, m); return; }
    if (modules instanceof ModuleDict) { for (const [k, m] of moduleItems(modules)) this.addModule(k, m); return; }
    iterate(modules, interop).forEach((entry, j) => {
      if (!isIterable(entry)) throw typeError(`ModuleDict update sequence element #${j} should be Iterable; is${typeNameOf(entry)}`);
      const pair = iterate(entry, interop);
      if (pair.length !== 2) throw valueError(`ModuleDict update sequence element #${j} has length ${pair.length}; 2 is required`);
      this.addModule(pair[0], pair[1]);
    });
  }

  private item(key: PyValue): PyValue {
    if (!this.modulesDict!.has(key)) throw keyError(pyStr(key));
    return this.modulesDict!.get(key);
  }

  static override readonly pyMethods: Record<string, ModuleMethod> = {
    __getitem__: method(msig('ModuleDict', '__getitem__', ['key']), (self, a) => (self as ModuleDict).item(a.get('key'))),
    __setitem__: method(msig('ModuleDict', '__setitem__', ['key', 'module']), (self, a) => { self.addModule(a.get('key'), a.get('module')); return null; }),
    __delitem__: method(msig('ModuleDict', '__delitem__', ['key']), (self, a) => {
      (self as ModuleDict).item(a.get('key'));
      self.modulesDict!.delete(a.get('key'));
      return null;
    }),
    __len__: method(msig('ModuleDict', '__len__', []), (self) => self.modulesDict!.size),
    __iter__: method(msig('ModuleDict', '__iter__', []), (self) => new PyIterator(self.modulesDict!.keys())),
    __contains__: method(msig('ModuleDict', '__contains__', ['key']), (self, a) => self.modulesDict!.has(a.get('key'))),
    clear: method(msig('ModuleDict', 'clear', []), (self) => { self.modulesDict!.clear(); return null; }),
    pop: method(msig('ModuleDict', 'pop', ['key']), (self, a) => {
      const v = (self as ModuleDict).item(a.get('key'));
      self.modulesDict!.delete(a.get('key'));
      return v;
    }),
    keys: method(msig('ModuleDict', 'keys', []), (self) => new PyList(self.modulesDict!.keys())),
    items: method(msig('ModuleDict', 'items', []), (self) => new PyList(self.modulesDict!.items().map(([k, v]) => new PyTuple([k, v])))),
    values: method(msig('ModuleDict', 'values', []), (self) => new PyList(self.modulesDict!.values())),
    update: method(msig('ModuleDict', 'update', ['modules']), (self, a, interop) => { (self as ModuleDict).update(a.get('modules'), interop); return null; }),
  };
}

export { ParameterDict, ParameterList } from './container-params.ts';
