// Loads web-tree-sitter and the Python grammar once. The WASM files are looked up next to the
// running module first (the build copies both into dist/ beside the bundle), then in
// node_modules (running from source under tsx).

import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

let parser: Parser | null = null;
let loading: Promise<void> | null = null;

/**
 * `require.resolve` of `./file` is `new URL('./file', import.meta.url)` plus an existence check,
 * without touching the file system from here (syntax/ may not import node:fs). A missing file
 * must be detected before web-tree-sitter sees it: its emscripten loader aborts the process.
 */
function locate(file: string, packagePath: string): string {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve(`./${file}`);
  } catch {
    return require.resolve(packagePath);
  }
}

async function load(): Promise<void> {
  const engine = locate('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
  await Parser.init({ locateFile: () => engine });
  const language = await Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
  const p = new Parser();
  p.setLanguage(language);
  parser = p;
}

/** Idempotent; concurrent callers share one load, and a failed load can be retried. */
export function initParser(): Promise<void> {
  loading ??= load().catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

export function getParser(): Parser {
  if (!parser) throw new Error('initParser() must complete before parsePython()');
  return parser;
}
