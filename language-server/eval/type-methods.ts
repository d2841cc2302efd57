// Methods of Python's built-in types that model code calls: str, list, tuple, dict, set, int,
// float. Each returns a bound BuiltinFunction, or undefined when the type has no such method.
import {
  BuiltinFunction, PyDict, PyFloat, PyList, PyTuple, type PyValue, dictKey, pyTypeName, type Kwargs,
} from '../../runtime/python/index.ts';
import { keyError, raise } from './exceptions.ts';
import { DictView, PySet } from './objects.ts';
import type { Interpreter } from './interpreter.ts';
import { checkHashable, equals } from './operators.ts';
import { formatString } from './formatting.ts';

type Method = (args: PyValue[], kwargs: Kwargs) => PyValue;

export function builtinTypeMethod(it: Interpreter, obj: PyValue, name: string): PyValue | undefined {
  const m = typeof obj === 'string' ? strMethod(it, obj, name)
    : obj instanceof DictView ? undefined
    : obj instanceof PyList ? listMethod(it, obj, name)
      : obj instanceof PyTuple ? tupleMethod(it, obj, name)
        : obj instanceof PyDict ? dictMethod(it, obj, name)
          : obj instanceof PySet ? setMethod(it, obj, name)
            : obj instanceof PyFloat ? floatMethod(obj, name)
              : typeof obj === 'number' ? intMethod(obj, name)
                : undefined;
  return m ? new BuiltinFunction(name, m) : undefined;
}

const str = (it: Interpreter, v: PyValue, what: string): string => {
  if (typeof v !== 'string') throw raise('TypeError', `${what} must be str, not ${pyTypeName(v)}`);
  void it;
  return v;
};

function strMethod(it: Interpreter, s: string, name: string): Method | undefined {
  switch (name) {
    case 'format': return (args, kwargs) => formatString(it, s, args, kwargs);
    case 'format_map': return ([mapping]) => {
      if (!(mapping instanceof PyDict)) throw raise('TypeError', `'${pyTypeName(mapping)}' object is not subscriptable`);
      return formatString(it, s, [], new Map(mapping.items().map(([k, v]) => [String(k), v])));
    };
    case 'join': return ([items]) => it.iterate(items).map((x, i) => {
      if (typeof x !== 'string') throw raise('TypeError', `sequence item ${i}: expected str instance, ${pyTypeName(x)} found`);
      return x;
    }).join(s);
    // sep and maxsplit by position or keyword (`s.split(".", maxsplit=1)`); rsplit counts from the right.
    case 'split': case 'rsplit': return ([sep0, max0], kwargs) => {
      const sep = kwargs.has('sep') ? kwargs.get('sep') : sep0;
      const maxsplit = kwargs.has('maxsplit') ? kwargs.get('maxsplit') : max0;
      const limit = typeof maxsplit === 'number' && maxsplit >= 0 ? maxsplit : Infinity;
      if (sep !== undefined && sep !== null) {
        if (typeof sep !== 'string') throw raise('TypeError', `must be str or None, not ${pyTypeName(sep)}`);
        if (sep === '') throw raise('ValueError', 'empty separator');
      }
      return new PyList(name === 'split' ? splitString(s, sep as string | null | undefined, limit) : rsplitString(s, sep as string | null | undefined, limit));
    };
    case 'strip': return ([chars]) => stripChars(s, chars, true, true);
    case 'lstrip': return ([chars]) => stripChars(s, chars, true, false);
    case 'rstrip': return ([chars]) => stripChars(s, chars, false, true);
    case 'upper': return () => s.toUpperCase();
    case 'lower': return () => s.toLowerCase();
    case 'title': return () => s.replace(/\w\S*/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase());
    case 'capitalize': return () => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
    case 'startswith': return ([p]) => (p instanceof PyTuple ? p.items.some((x) => s.startsWith(str(it, x, 'prefix'))) : s.startsWith(str(it, p, 'prefix')));
    case 'endswith': return ([p]) => (p instanceof PyTuple ? p.items.some((x) => s.endsWith(str(it, x, 'suffix'))) : s.endsWith(str(it, p, 'suffix')));
    case 'replace': return ([a, b]) => it.budget.checkString(s.split(str(it, a, 'old')).join(str(it, b, 'new')));
    case 'find': return ([sub]) => s.indexOf(str(it, sub, 'sub'));
    case 'rfind': return ([sub]) => s.lastIndexOf(str(it, sub, 'sub'));
    case 'index': return ([sub]) => { const i = s.indexOf(str(it, sub, 'sub')); if (i < 0) throw raise('ValueError', 'substring not found'); return i; };
    case 'count': return ([sub]) => s.split(str(it, sub, 'sub')).length - 1;
    case 'isdigit': case 'isnumeric': case 'isdecimal': return () => /^[0-9]+$/.test(s);
    case 'isalpha': return () => /^[A-Za-z]+$/.test(s);
    case 'isalnum': return () => /^[A-Za-z0-9]+$/.test(s);
    case 'isupper': return () => s !== s.toLowerCase() && s === s.toUpperCase();
    case 'islower': return () => s !== s.toUpperCase() && s === s.toLowerCase();
    case 'isspace': return () => /^\s+$/.test(s);
    case 'zfill': return ([w]) => s.padStart(Number(w), '0');
    case 'ljust': return ([w, c]) => s.padEnd(Number(w), typeof c === 'string' ? c : ' ');
    case 'rjust': return ([w, c]) => s.padStart(Number(w), typeof c === 'string' ? c : ' ');
    case 'center': return ([w, c]) => {
      const fill = typeof c === 'string' ? c : ' ', total = Math.max(0, Number(w) - s.length);
      const left = Math.floor(total / 2) + (total % 2 && Number(w) % 2 ? 1 : 0);
      return fill.repeat(left) + s + fill.repeat(total - left);
    };
    case 'partition': return ([sep]) => {
      const i = s.indexOf(str(it, sep, 'sep'));
      return i < 0 ? new PyTuple([s, '', '']) : new PyTuple([s.slice(0, i), sep, s.slice(i + (sep as string).length)]);
    };
    case 'splitlines': return () => new PyList(s.split(/\r?\n/).filter((x, i, a) => i < a.length - 1 || x !== ''));
    case 'encode': return () => s;
  }
  return undefined;
}

const isSpace = (c: string): boolean => /\s/.test(c);

function splitString(s: string, sep: string | null | undefined, limit: number): string[] {
  if (sep !== null && sep !== undefined) {
    const parts = s.split(sep);
    return parts.length <= limit + 1 ? parts : [...parts.slice(0, limit), parts.slice(limit).join(sep)];
  }
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i]!)) i++;
    if (i >= s.length) break;
    if (out.length === limit) { out.push(s.slice(i)); break; }
    let j = i;
    while (j < s.length && !isSpace(s[j]!)) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

function rsplitString(s: string, sep: string | null | undefined, limit: number): string[] {
  if (sep !== null && sep !== undefined) {
    const parts = s.split(sep);
    return parts.length <= limit + 1 ? parts : [parts.slice(0, parts.length - limit).join(sep), ...parts.slice(parts.length - limit)];
  }
  const out: string[] = [];
  let i = s.length;
  for (;;) {
    while (i > 0 && isSpace(s[i - 1]!)) i--;
    if (i <= 0) break;
    if (out.length === limit) { out.push(s.slice(0, i)); break; }
    let j = i;
    while (j > 0 && !isSpace(s[j - 1]!)) j--;
    out.push(s.slice(j, i));
    i = j;
  }
  return out.reverse();
}

function stripChars(s: string, chars: PyValue, left: boolean, right: boolean): string {
  const set = typeof chars === 'string' ? chars : ' \t\n\r\x0b\x0c';
  let a = 0, b = s.length;
  if (left) while (a < b && set.includes(s[a]!)) a++;
  if (right) while (b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function normIndex(i: PyValue, n: number, what: string): number {
  if (typeof i !== 'number') throw raise('TypeError', `'${pyTypeName(i)}' object cannot be interpreted as an integer`);
  const k = i < 0 ? i + n : i;
  if (k < 0 || k >= n) throw raise('IndexError', `${what} index out of range`);
  return k;
}

function listMethod(it: Interpreter, l: PyList, name: string): Method | undefined {
  switch (name) {
    case 'append': return ([x]) => { it.budget.checkCount(1, 0); l.items.push(x); return null; };
    case 'extend': return ([xs]) => { l.items.push(...it.budget.checkArray(it.iterate(xs))); return null; };
    case 'insert': return ([i, x]) => {
      const n = l.items.length;
      let k = typeof i === 'number' ? (i < 0 ? Math.max(0, i + n) : Math.min(i, n)) : n;
      if (k > n) k = n;
      l.items.splice(k, 0, x);
      return null;
    };
    case 'pop': return ([i]) => {
      if (!l.items.length) throw raise('IndexError', 'pop from empty list');
      const k = i === undefined ? l.items.length - 1 : normIndex(i, l.items.length, 'pop');
      return l.items.splice(k, 1)[0];
    };
    case 'remove': return ([x]) => {
      const k = l.items.findIndex((y) => equals(it, y, x));
      if (k < 0) throw raise('ValueError', 'list.remove(x): x not in list');
      l.items.splice(k, 1);
      return null;
    };
    case 'index': return ([x]) => {
      const k = l.items.findIndex((y) => equals(it, y, x));
      if (k < 0) throw raise('ValueError', `${it.repr(x)} is not in list`);
      return k;
    };
    case 'count': return ([x]) => l.items.filter((y) => equals(it, y, x)).length;
    case 'reverse': return () => { l.items.reverse(); return null; };
    case 'sort': return (_args, kwargs) => { l.items = it.sortValues(l.items, kwargs.get('key') ?? null, it.truthy(kwargs.get('reverse') ?? false)); return null; };
    case 'copy': return () => new PyList([...l.items]);
    case 'clear': return () => { l.items.length = 0; return null; };
  }
  return undefined;
}

function tupleMethod(it: Interpreter, t: PyTuple, name: string): Method | undefined {
  switch (name) {
    case 'index': return ([x]) => {
      const k = t.items.findIndex((y) => equals(it, y, x));
      if (k < 0) throw raise('ValueError', 'tuple.index(x): x not in tuple');
      return k;
    };
    case 'count': return ([x]) => t.items.filter((y) => equals(it, y, x)).length;
  }
  return undefined;
}

const viewName = (d: PyDict, kind: string): string => `${d.typeName === 'OrderedDict' ? 'odict' : 'dict'}_${kind}`;

function dictMethod(it: Interpreter, d: PyDict, name: string): Method | undefined {
  switch (name) {
    case 'keys': return () => new DictView(d.keys(), viewName(d, 'keys'));
    case 'values': return () => new DictView(d.values(), viewName(d, 'values'));
    case 'items': return () => new DictView(d.items().map(([k, v]) => new PyTuple([k, v])), viewName(d, 'items'));
    case 'get': return ([k, dflt]) => (d.has(k) ? d.get(k) : dflt ?? null);
    case 'pop': return (args) => {
      const [k] = args;
      if (d.has(k)) { const v = d.get(k); d.delete(k); return v; }
      if (args.length > 1) return args[1];
      throw keyError(k);
    };
    case 'setdefault': return ([k, dflt]) => { if (!d.has(k)) d.set(k, dflt ?? null); return d.get(k); };
    case 'update': return (args, kwargs) => {
      if (args[0] !== undefined) {
        const src = args[0];
        if (src instanceof PyDict) for (const [k, v] of src.items()) d.set(k, v);
        else for (const pair of it.iterate(src)) { const [k, v] = it.iterate(pair); d.set(k, v); }
      }
      for (const [k, v] of kwargs) d.set(k, v);
      return null;
    };
    case 'copy': return () => new PyDict(d.items(), d.typeName);
    case 'clear': return () => { d.clear(); return null; };
    case 'move_to_end': return ([k, last]) => {
      if (!d.has(k)) throw keyError(k);
      const v = d.get(k);
      const rest = d.items().filter(([key]) => !equals(it, key, k));
      const key = d.keys().find((key) => equals(it, key, k));
      d.clear();
      const ordered: [PyValue, PyValue][] = last === false ? [[key, v], ...rest] : [...rest, [key, v]];
      for (const [kk, vv] of ordered) d.set(kk, vv);
      return null;
    };
    case 'popitem': return () => {
      const items = d.items();
      if (!items.length) throw raise('KeyError', 'popitem(): dictionary is empty');
      const [k, v] = items[items.length - 1]!;
      d.delete(k);
      return new PyTuple([k, v]);
    };
  }
  return undefined;
}

function setMethod(it: Interpreter, s: PySet, name: string): Method | undefined {
  switch (name) {
    case 'add': return ([x]) => { checkHashable(x); s.items.set(dictKey(x), x); return null; };
    case 'update': return ([xs]) => { for (const x of it.iterate(xs)) s.items.set(dictKey(x), x); return null; };
    case 'discard': return ([x]) => { s.items.delete(dictKey(x)); return null; };
    case 'remove': return ([x]) => { if (!s.items.delete(dictKey(x))) throw keyError(x); return null; };
    case 'copy': return () => { const c = new PySet(s.frozen); s.items.forEach((v, k) => c.items.set(k, v)); return c; };
    case 'union': return ([xs]) => { const c = new PySet(s.frozen); s.items.forEach((v, k) => c.items.set(k, v)); for (const x of it.iterate(xs)) c.items.set(dictKey(x), x); return c; };
    case 'issubset': return ([xs]) => { const o = new Set(it.iterate(xs).map(dictKey)); return [...s.items.keys()].every((k) => o.has(k)); };
  }
  return undefined;
}

function intMethod(n: number, name: string): Method | undefined {
  if (name === 'bit_length') return () => (n === 0 ? 0 : Math.floor(Math.log2(Math.abs(n))) + 1);
  if (name === 'real' || name === 'numerator') return () => n;
  return undefined;
}

function floatMethod(f: PyFloat, name: string): Method | undefined {
  if (name === 'is_integer') return () => Number.isInteger(f.value);
  return undefined;
}
