// Resolves `from .sibling import X` and `from package.module import Name` against files next to
// the open one. The caller passes the file reader (the analysis does no I/O of its own); each
// sibling is parsed and evaluated once, and import cycles yield an ImportError-free partial module,
// as Python's partially initialised modules do.
import { PyNamespace } from '../../runtime/python/index.ts';
import { parsePython } from '../syntax/parse.ts';
import { Interpreter } from '../eval/interpreter.ts';
import type { Importer } from '../eval/imports.ts';

export type ReadSource = (path: string) => string | null;

/** Joins path segments with '/' (paths here are whatever the reader understands). */
function dirname(p: string): string { const i = p.replace(/\\/g, '/').lastIndexOf('/'); return i < 0 ? '.' : p.slice(0, i); }

export function siblingImporter(fileName: string, read: ReadSource, cache = new Map<string, PyNamespace>()): Importer {
  const baseDir = dirname(fileName);
  return {
    importSibling(dotted, level) {
      let dir = baseDir;
      for (let i = 1; i < level; i++) dir = dirname(dir);
      const parts = dotted ? dotted.split('.') : [];
      const candidates = parts.length
        ? [`${dir}/${parts.join('/')}.py`, `${dir}/${parts.join('/')}/__init__.py`]
        : [`${dir}/__init__.py`];
      for (const path of candidates) {
        const cached = cache.get(path);
        if (cached) return cached;
        const source = read(path);
        if (source === null) continue;
        const name = parts[parts.length - 1] ?? '__init__';
        const namespace = new PyNamespace(dotted || name);
        cache.set(path, namespace); // before evaluating: a cycle sees the partial module
        const it = new Interpreter({ moduleName: name, importer: siblingImporter(path, read, cache) });
        it.runModule(parsePython(source).module.body);
        for (const [k, v] of it.globals.vars) namespace.attrs.set(k, v);
        return namespace;
      }
      return null;
    },
  };
}
