// Helpers shared by the container modules: Python's indexing rules, iterating Python iterables
// (containers through their own `__iter__`), and `_modules` bookkeeping.
import {
  type Interop, PyDict, PyIterator, PyList, PyTuple, type PyValue, indexError, pyTypeName, sig, type Signature,
} from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import { Module, type ModuleClass, lookupPyMethod } from './module.ts';
import { pyIndex } from './py-helpers.ts';

export const msig = (cls: string, name: string, params: Parameters<typeof sig>[1], more: Partial<Signature> = {}): Signature =>
  sig(`${cls}.${name}`, params, { isMethod: true, ...more });

/** `_modules` as a plain array of [key, value] (None entries included, as `self._modules.values()` has them). */
export const moduleItems = (m: Module): [string, PyValue][] => (m.modulesDict?.items() ?? []) as [string, PyValue][];

/** Replaces `_modules` with `OrderedDict(zip(str_indices, values))`: the renumbering after a deletion. */
export function renumber(m: Module): void {
  const values = moduleItems(m).map(([, v]) => v);
  m.modulesDict!.clear();
  values.forEach((v, i) => m.modulesDict!.set(String(i), v));
}

/** Whether `isinstance(v, collections.abc.Iterable)` holds for a value the containers accept. */
export function isIterable(v: PyValue): boolean {
  if (v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || typeof v === 'string' || v instanceof PyIterator || v instanceof Tensor) return true;
  if (v instanceof Module) return lookupPyMethod(v, '__iter__') !== undefined;
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return false;
  return typeof v === 'object' && !(v instanceof Module); // evaluator objects (generators, ranges): let interop decide
}

/** Items of an iterable: containers iterate their own way, everything else through the evaluator. */
export function iterate(v: PyValue, interop: Interop): PyValue[] {
  const iter = v instanceof Module ? lookupPyMethod(v, '__iter__') : undefined;
  if (iter) {
    const it = iter(v as Module, [], new Map(), interop) as PyIterator;
    const out: PyValue[] = [];
    for (let r = it.next(); !r.done; r = it.next()) out.push(r.value);
    return out;
  }
  return interop.iterate(v);
}

export const typeNameOf = (v: PyValue): string => (v instanceof Module ? v.pyTypeName : pyTypeName(v));

/** `_get_abs_string_index` / `_get_item_by_idx`: `operator.index`, range check, negative wrap. */
export function absIndex(idx: PyValue, size: number): number {
  const i = pyIndex(idx);
  if (!(-size <= i && i < size)) throw indexError(`index ${i} is out of range`);
  return i < 0 ? i + size : i;
}

/** Constructs a built-in container of the same class (`self.__class__(...)`). */
export function sameClass<T extends Module>(self: T, args: PyValue[], interop: Interop): T {
  const m = new (self.constructor as ModuleClass)() as T;
  m.pyInit(args, new Map(), interop);
  return m;
}

