// Errors CPython raises after parsing, while compiling (so `compile()` and `import` report them
// as SyntaxError too): misplaced `from __future__` (future.c), duplicate parameters and
// module-level `nonlocal` (symtable.c), then in source order `return`/`yield`/`await` outside a
// function, `break`/`continue` outside a loop, stray starred expressions and repeated keyword
// arguments (compile.c). Checked on our AST, in the order CPython runs those passes.

import type { Arguments, Expr, Module, Position, Range, Stmt } from './ast.ts';
import { exprChildren, statementBodies, statementExprs } from './ast-walk.ts';
import type { SourceText } from './source-text.ts';
import type { LocatedError } from './tokens.ts';

interface Scope {
  function: 'none' | 'sync' | 'async';
  loop: boolean;
}

class Found {
  constructor(readonly message: string, readonly range: Range) {}
}

const FUTURE_FEATURES: ReadonlySet<string> = new Set([
  'nested_scopes', 'generators', 'division', 'absolute_import', 'with_statement', 'print_function',
  'unicode_literals', 'barry_as_FLUFL', 'generator_stop', 'annotations',
]);

export function compileError(module: Module, src: SourceText): LocatedError | null {
  return located(src, () => {
    futureImports(module.body);
    symbolTable(module.body, true);
    codegen(module.body, { function: 'none', loop: false });
  });
}

/**
 * Only the `from __future__` placement check: the one check whose outcome for a top-level
 * statement depends on the statements before it. (A module whose top-level statements each pass
 * `compileError` on their own passes the other checks as a whole: incremental-parse.ts.)
 */
export function futureImportError(module: Module, src: SourceText): LocatedError | null {
  return located(src, () => futureImports(module.body));
}

function located(src: SourceText, check: () => void): LocatedError | null {
  try {
    check();
    return null;
  } catch (e) {
    if (!(e instanceof Found)) throw e;
    const index = (p: Position) => src.lineStarts[p.line]! + p.column;
    const start = index(e.range.start);
    return {
      message: e.message, type: 'SyntaxError', line: e.range.start.line + 1,
      offset: src.codePointColumn(start) + 1, start, end: index(e.range.end),
    };
  }
}

/** CPython's future.c runs first: `from __future__` only after the docstring and other futures. */
function futureImports(body: Stmt[]): void {
  let atTop = true;
  body.forEach((s, i) => {
    const isFuture = s.kind === 'ImportFrom' && s.module === '__future__' && s.level === 0;
    if (!isFuture) {
      const docstring = i === 0 && s.kind === 'Expr' && s.value.kind === 'Constant' && s.value.value.type === 'str';
      if (!docstring) atTop = false;
      return;
    }
    if (!atTop) throw new Found('from __future__ imports must occur at the beginning of the file', s.range);
    for (const alias of s.names) {
      if (alias.name === 'braces') throw new Found('not a chance', s.range);
      if (!FUTURE_FEATURES.has(alias.name)) throw new Found(`future feature ${alias.name} is not defined`, s.range);
    }
  });
}

/** The symbol-table pass (symtable.c), which also precedes code generation. */
function symbolTable(body: Stmt[], moduleLevel: boolean): void {
  const visitExpr = (e: Expr): void => {
    if (e.kind === 'Lambda') duplicateArguments(e.args);
    exprChildren(e).forEach(visitExpr);
  };
  for (const s of body) {
    if (s.kind === 'Nonlocal' && moduleLevel) throw new Found('nonlocal declaration not allowed at module level', s.range);
    statementExprs(s).forEach(visitExpr);
    if (s.kind === 'FunctionDef') duplicateArguments(s.args);
    const nested = s.kind === 'FunctionDef' || s.kind === 'ClassDef' ? false : moduleLevel;
    for (const b of statementBodies(s)) symbolTable(b, nested);
  }
}

function duplicateArguments(args: Arguments): void {
  const seen = new Set<string>();
  for (const a of [...args.posonlyargs, ...args.args, args.vararg, ...args.kwonlyargs, args.kwarg]) {
    if (!a) continue;
    if (seen.has(a.arg)) throw new Found(`duplicate argument '${a.arg}' in function definition`, a.range);
    seen.add(a.arg);
  }
}

/** Code generation (compile.c) visits statements in source order. */
function codegen(body: Stmt[], scope: Scope): void {
  for (const s of body) statement(s, scope);
}

function statement(s: Stmt, scope: Scope): void {
  switch (s.kind) {
    case 'Return':
      if (scope.function === 'none') throw new Found("'return' outside function", s.range);
      notStarred(s.value);
      break;
    case 'Break':
      if (!scope.loop) throw new Found("'break' outside loop", s.range);
      break;
    case 'Continue':
      if (!scope.loop) throw new Found("'continue' not properly in loop", s.range);
      break;
    case 'Assign':
      notStarred(s.value);
      for (const t of s.targets) {
        if (t.kind === 'Starred') throw new Found('starred assignment target must be in a list or tuple', t.range);
      }
      break;
    case 'Expr':
    case 'AugAssign':
    case 'AnnAssign':
      notStarred(s.value);
      break;
  }
  for (const e of statementExprs(s)) expr(e, scope);
  if (s.kind === 'FunctionDef') return codegen(s.body, { function: s.isAsync ? 'async' : 'sync', loop: false });
  if (s.kind === 'ClassDef') return codegen(s.body, { function: 'none', loop: false });
  if (s.kind === 'For' || s.kind === 'While') {
    codegen(s.body, { ...scope, loop: true });
    return codegen(s.orelse, scope);
  }
  for (const b of statementBodies(s)) codegen(b, scope);
}

/** A bare `*x` as a whole statement value (`x = *a`) compiles nowhere. */
function notStarred(e: Expr | null): void {
  if (e?.kind === 'Starred') throw new Found("can't use starred expression here", e.range);
}

/** `yield`/`await` where they are not allowed; repeated keywords. Lambdas are functions. */
function expr(e: Expr, scope: Scope): void {
  if (e.kind === 'Yield' && scope.function === 'none') throw new Found("'yield' outside function", e.range);
  if (e.kind === 'Await' && scope.function !== 'async') {
    throw new Found(scope.function === 'none' ? "'await' outside function" : "'await' outside async function", e.range);
  }
  if (e.kind === 'Lambda') {
    [...e.args.defaults, ...e.args.kwDefaults].forEach((d) => d && expr(d, scope));
    return expr(e.body, { function: 'sync', loop: false });
  }
  if (e.kind === 'Call') {
    const seen = new Set<string>();
    for (const k of e.keywords) {
      if (k.arg === null) continue;
      if (seen.has(k.arg)) throw new Found(`keyword argument repeated: ${k.arg}`, k.range);
      seen.add(k.arg);
    }
  }
  for (const child of exprChildren(e)) expr(child, scope);
}
