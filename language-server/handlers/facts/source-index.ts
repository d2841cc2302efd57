// What the editor features need to know about the text itself, found once per analysed version:
// the top-level classes, their `self.X = ...` layer assignments, their `self.X(...)` layer uses
// and, per method, where each local name is assigned and read. Plain data with AST ranges.
import { initParser, parsePython } from '../../syntax/parse.ts';
import type * as ast from '../../syntax/ast.ts';
import { exprChildren, statementBodies, statementExprs } from '../../syntax/ast-walk.ts';

/** `self.conv1` → `conv1`; `self.layers[0]` → `layers.0`; `self.layers[i]` → `layers` (inexact). */
export interface SelfPath { path: string; exact: boolean }

export interface LayerAssignment {
  attr: string;
  /** `self.conv1` of `self.conv1 = nn.Conv2d(...)`. */
  target: ast.Range;
  statement: ast.Range;
  method: string;
}

export interface LayerUse extends SelfPath {
  /** The called expression (`self.conv1`, `layer`). */
  func: ast.Range;
  call: ast.Range;
  /** Each positional argument's name when it is a plain variable (`x`), else null. */
  argNames: (string | null)[];
  statement: ast.Range;
  method: string;
}

/** A read of `self.X` (called or not): forward may use a layer's weights without calling it. */
export interface SelfRead { attr: string; range: ast.Range; method: string }

export interface NameAssignment { name: string; target: ast.Range; statement: ast.Range; value: ast.Expr | null }
export interface NameOccurrence { name: string; range: ast.Range; statement: ast.Range }

export interface MethodIndex {
  name: string;
  range: ast.Range;
  /** Parameters after `self`, with their ranges. */
  params: { name: string; range: ast.Range }[];
  assignments: NameAssignment[];
  names: NameOccurrence[];
}

export interface ClassIndex {
  name: string;
  range: ast.Range;
  nameRange: ast.Range;
  layerAssignments: LayerAssignment[];
  layerUses: LayerUse[];
  selfReads: SelfRead[];
  methods: MethodIndex[];
}

export interface SourceIndex { classes: ClassIndex[] }

/** `parsed`: the same text already parsed (the language server parses each version once). */
export async function indexSource(source: string, parsed?: ast.ParseResult): Promise<SourceIndex> {
  if (!parsed) await initParser();
  return { classes: topLevelClasses((parsed ?? parsePython(source)).module.body).map(indexedClass) };
}

/**
 * A class's index depends on its node only, and AST nodes are never mutated; the language server
 * hands out the same node for an unchanged class on every edit (syntax/incremental-parse.ts), so
 * its index is built once. Callers only read indexes.
 */
const classIndexes = new WeakMap<ast.ClassDef, ClassIndex>();

function indexedClass(node: ast.ClassDef): ClassIndex {
  let index = classIndexes.get(node);
  if (!index) {
    index = indexClass(node);
    classIndexes.set(node, index);
  }
  return index;
}

function topLevelClasses(body: readonly ast.Stmt[]): ast.ClassDef[] {
  const out: ast.ClassDef[] = [];
  const visit = (stmts: readonly ast.Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === 'ClassDef') out.push(s);
      else if (s.kind === 'If' || s.kind === 'Try') statementBodies(s).forEach(visit);
    }
  };
  visit(body);
  return out;
}

function indexClass(node: ast.ClassDef): ClassIndex {
  const cls: ClassIndex = { name: node.name, range: node.range, nameRange: node.nameRange, layerAssignments: [], layerUses: [], selfReads: [], methods: [] };
  for (const s of node.body) if (s.kind === 'FunctionDef') cls.methods.push(indexMethod(s, cls));
  return cls;
}

function indexMethod(fn: ast.FunctionDef, cls: ClassIndex): MethodIndex {
  const all = [...fn.args.posonlyargs, ...fn.args.args];
  const self = all[0]?.arg ?? 'self';
  const rest = [...all.slice(1), ...(fn.args.vararg ? [fn.args.vararg] : []), ...fn.args.kwonlyargs, ...(fn.args.kwarg ? [fn.args.kwarg] : [])];
  const method: MethodIndex = { name: fn.name, range: fn.range, params: rest.map((a) => ({ name: a.arg, range: a.range })), assignments: [], names: [] };
  const loopContainers = new Map<string, string>();

  const visitExpr = (e: ast.Expr, statement: ast.Range): void => {
    if (e.kind === 'Name') method.names.push({ name: e.id, range: e.range, statement });
    if (e.kind === 'Attribute' && e.value.kind === 'Name' && e.value.id === self) cls.selfReads.push({ attr: e.attr, range: e.range, method: fn.name });
    if (e.kind === 'Call') {
      const path = selfPath(e.func, self) ?? loopVariablePath(e.func, loopContainers);
      if (path) cls.layerUses.push({ ...path, func: e.func.range, call: e.range, argNames: e.args.map((a) => (a.kind === 'Name' ? a.id : null)), statement, method: fn.name });
    }
    if (e.kind === 'Lambda') return;
    for (const child of exprChildren(e)) visitExpr(child, statement);
  };

  const visitStmt = (s: ast.Stmt): void => {
    if (s.kind === 'FunctionDef' || s.kind === 'ClassDef') return; // nested scopes are not the method's
    if (s.kind === 'Assign' || s.kind === 'AnnAssign') {
      const targets = s.kind === 'Assign' ? s.targets : [s.target];
      for (const t of targets) recordTarget(t, s.value, s.range);
    }
    if (s.kind === 'AugAssign') recordTarget(s.target, null, s.range);
    if (s.kind === 'For') {
      recordTarget(s.target, null, s.range);
      const container = s.target.kind === 'Name' ? selfPath(s.iter, self) : null;
      if (container && s.target.kind === 'Name') loopContainers.set(s.target.id, container.path);
    }
    for (const e of statementExprs(s)) visitExpr(e, s.range);
    statementBodies(s).forEach((b) => b.forEach(visitStmt));
  };

  const recordTarget = (t: ast.Expr, value: ast.Expr | null, statement: ast.Range): void => {
    if (t.kind === 'Name') method.assignments.push({ name: t.id, target: t.range, statement, value });
    else if (t.kind === 'Tuple' || t.kind === 'List') t.elts.forEach((x) => recordTarget(x, null, statement));
    else if (t.kind === 'Starred') recordTarget(t.value, null, statement);
    else if (t.kind === 'Attribute' && t.value.kind === 'Name' && t.value.id === self) {
      cls.layerAssignments.push({ attr: t.attr, target: t.range, statement, method: fn.name });
    }
  };

  fn.body.forEach(visitStmt);
  return method;
}

/** The module path an expression rooted at `self` names, or null. */
export function selfPath(e: ast.Expr, self: string): SelfPath | null {
  if (e.kind === 'Attribute') {
    if (e.value.kind === 'Name' && e.value.id === self) return { path: e.attr, exact: true };
    const inner = selfPath(e.value, self);
    return inner?.exact ? { path: `${inner.path}.${e.attr}`, exact: true } : inner;
  }
  if (e.kind === 'Subscript') {
    const inner = selfPath(e.value, self);
    if (!inner?.exact) return inner;
    const key = constantKey(e.slice);
    return key === null ? { path: inner.path, exact: false } : { path: `${inner.path}.${key}`, exact: true };
  }
  return null;
}

/** A non-negative int or a str index; anything else (`[-1]`, `[i]`) leaves the child unknown. */
function constantKey(e: ast.Expr): string | null {
  if (e.kind === 'Constant' && (e.value.type === 'int' || e.value.type === 'str')) return String(e.value.value);
  return null;
}

/** `layer(x)` inside `for layer in self.layers:` calls one of `layers`' children. */
function loopVariablePath(e: ast.Expr, loopContainers: ReadonlyMap<string, string>): SelfPath | null {
  if (e.kind !== 'Name') return null;
  const container = loopContainers.get(e.id);
  return container === undefined ? null : { path: container, exact: false };
}
