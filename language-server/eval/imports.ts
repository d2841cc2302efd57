// `import` and `from ... import`: torch and the standard library modules we model, sibling
// files next to the open one (through the caller's importer: the evaluator itself never touches
// the file system), and opaque values with one hint for everything else.
import { PyNamespace, type PyValue } from '../../runtime/python/index.ts';
import { torchModule } from '../../runtime/index.ts';
import type * as ast from '../syntax/ast.ts';
import { raise } from './exceptions.ts';
import { Opaque } from './objects.ts';
import type { Scope } from './scope.ts';
import type { Interpreter } from './interpreter.ts';
import { stdlibModule } from './stdlib.ts';
import { torchExtra } from './attributes.ts';

export interface Importer {
  /**
   * Evaluates the module `dotted` relative to the open file (`level` leading dots; 0 for an absolute
   * name that may still be a sibling file or package) and returns its namespace, or null if there is
   * no such file. Cycles and caching are the importer's business.
   */
  importSibling(dotted: string, level: number): PyNamespace | null;
}

export const noSiblings: Importer = { importSibling: () => null };

/** Resolves a module name to a namespace or an opaque value. */
function resolveModule(it: Interpreter, dotted: string, level: number, range: ast.Range): PyValue {
  if (level === 0) {
    const top = dotted.split('.')[0]!;
    if (top === 'torch') return walk(it, torchModule(), dotted.split('.').slice(1), dotted, range);
    const std = stdlibModule(it, dotted);
    if (std) return std;
  }
  const sibling = it.importer.importSibling(dotted, level);
  if (sibling) return sibling;
  const shown = '.'.repeat(level) + dotted;
  it.unsupported('unsupported-import', `module '${shown}' is not available to NN Lens; names imported from it are unknown values`, range);
  return new Opaque(shown);
}

function walk(it: Interpreter, ns: PyNamespace, path: string[], dotted: string, range: ast.Range): PyValue {
  let current: PyValue = ns;
  for (const part of path) {
    if (current instanceof PyNamespace && current.attrs.has(part)) current = current.attrs.get(part);
    else {
      it.unsupported('unsupported-import', `module '${dotted}' is not modelled by NN Lens; names imported from it are unknown values`, range);
      return new Opaque(dotted);
    }
  }
  return current;
}

export function executeImport(it: Interpreter, s: ast.Import, scope: Scope): void {
  for (const alias of s.names) {
    const module = resolveModule(it, alias.name, 0, alias.range);
    if (alias.asname) scope.assign(alias.asname, module);
    else {
      // `import torch.nn` binds `torch`.
      const top = alias.name.split('.')[0]!;
      scope.assign(top, top === alias.name ? module : resolveModule(it, top, 0, alias.range));
    }
  }
}

export function executeImportFrom(it: Interpreter, s: ast.ImportFrom, scope: Scope): void {
  const module = resolveModule(it, s.module ?? '', s.level, s.range);
  for (const alias of s.names) {
    if (alias.name === '*') {
      if (module instanceof PyNamespace) {
        for (const [k, v] of module.attrs) if (!k.startsWith('_')) scope.assign(k, v);
      }
      continue;
    }
    let value: PyValue;
    if (module instanceof Opaque) value = new Opaque(`${module.description}.${alias.name}`);
    else if (module instanceof PyNamespace && module.attrs.has(alias.name)) value = module.attrs.get(alias.name);
    else if (module instanceof PyNamespace && (module.name === 'torch' || module.name.startsWith('torch.'))) {
      value = torchExtra(module, alias.name) ?? it.opaqueFromUnsupported(`${module.name}.${alias.name}`);
    } else if (module instanceof PyNamespace) {
      // `from package import submodule` where the submodule is a sibling file.
      const sub = it.importer.importSibling(`${s.module ? `${s.module}.` : ''}${alias.name}`, s.level);
      if (!sub) throw raise('ImportError', `cannot import name '${alias.name}' from '${module.name}'`);
      value = sub;
    } else {
      value = it.getAttr(module, alias.name);
    }
    scope.assign(alias.asname ?? alias.name, value);
  }
}
