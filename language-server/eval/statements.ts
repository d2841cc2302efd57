// Statement execution: one function per statement kind, returning a completion signal for
// return/break/continue (exceptions travel as JS exceptions).
import { PyDict, PyList, PyTuple, type PyValue, pyTypeName } from '../../runtime/python/index.ts';
import type * as ast from '../syntax/ast.ts';
import { PyException, builtinExceptions, exceptionClass, isExceptionClass, newException, raise } from './exceptions.ts';
import { GradModeContext, NoOpContext, Opaque, PyClass, PyInstance } from './objects.ts';
import { GradModeSetter } from '../../runtime/torch/index.ts';
import { Scope } from './scope.ts';
import type { Interpreter } from './interpreter.ts';
import { binaryOp } from './operators.ts';
import { Tensor } from '../../runtime/tensor.ts';
import { tensorInplaceBinaryOp } from '../../runtime/torch/index.ts';
import { defineClass } from './classes.ts';
import { defineFunction } from './functions.ts';
import { executeImport, executeImportFrom } from './imports.ts';

export class ReturnSignal { constructor(readonly value: PyValue) {} }
export const BREAK = Symbol('break');
export const CONTINUE = Symbol('continue');
export type Completion = undefined | ReturnSignal | typeof BREAK | typeof CONTINUE;

export function execBlock(it: Interpreter, body: readonly ast.Stmt[], scope: Scope): Completion {
  for (const s of body) {
    const c = execStmt(it, s, scope);
    if (c !== undefined) return c;
  }
  return undefined;
}

export function execStmt(it: Interpreter, s: ast.Stmt, scope: Scope): Completion {
  it.budget.step();
  it.currentStmt = s;
  try {
    return execStmtInner(it, s, scope);
  } catch (e) {
    throw it.locate(e, s.range);
  }
}

function execStmtInner(it: Interpreter, s: ast.Stmt, scope: Scope): Completion {
  switch (s.kind) {
    case 'Expr': it.evalExpr(s.value, scope); return undefined;
    case 'Assign': {
      const value = it.evalExpr(s.value, scope);
      for (const target of s.targets) it.assignTarget(target, value, scope);
      return undefined;
    }
    case 'AugAssign': return execAugAssign(it, s, scope);
    case 'AnnAssign': {
      if (scope.kind === 'class' && s.target.kind === 'Name') {
        let annotations = scope.vars.get('__annotations__');
        if (!(annotations instanceof PyDict)) { annotations = new PyDict(); scope.vars.set('__annotations__', annotations); }
        (annotations as PyDict).set(s.target.id, null);
      }
      if (s.value) it.assignTarget(s.target, it.evalExpr(s.value, scope), scope);
      return undefined;
    }
    case 'Return': return new ReturnSignal(s.value ? it.evalExpr(s.value, scope) : null);
    case 'Pass': return undefined;
    case 'Break': return BREAK;
    case 'Continue': return CONTINUE;
    case 'If': {
      const test = it.evalExpr(s.test, scope);
      return execBlock(it, it.truthy(test, s.test.range) ? s.body : s.orelse, scope);
    }
    case 'While': return execWhile(it, s, scope);
    case 'For': return execFor(it, s, scope);
    case 'FunctionDef': scope.assign(s.name, defineFunction(it, s, scope)); return undefined;
    case 'ClassDef': scope.assign(s.name, defineClass(it, s, scope)); return undefined;
    case 'Import': executeImport(it, s, scope); return undefined;
    case 'ImportFrom': executeImportFrom(it, s, scope); return undefined;
    // Loops rather than forEach callbacks: a closure capturing `it` or `scope` would make every
    // statement's execution allocate a context for them.
    case 'Global': for (const n of s.names) scope.globalNames.add(n); return undefined;
    case 'Nonlocal': for (const n of s.names) scope.nonlocalNames.add(n); return undefined;
    case 'Delete': for (const t of s.targets) it.deleteTarget(t, scope); return undefined;
    case 'Assert': {
      if (!it.truthy(it.evalExpr(s.test, scope), s.test.range)) {
        const args = s.msg ? [it.evalExpr(s.msg, scope)] : [];
        throw new PyException(newException(builtinExceptions.get('AssertionError')!, args));
      }
      return undefined;
    }
    case 'Raise': return execRaise(it, s, scope);
    case 'Try': return execTry(it, s, scope);
    case 'With': return execWith(it, s, scope);
    case 'Unsupported':
      it.unsupported(`unsupported-syntax`, `${s.what} is not evaluated by NN Lens`, s.range);
      return undefined;
  }
}

function execAugAssign(it: Interpreter, s: ast.AugAssign, scope: Scope): Completion {
  const value = it.evalExpr(s.value, scope);
  const t = s.target;
  if (t.kind === 'Name') {
    const current = it.lookupName(t.id, scope, t.range);
    scope.assign(t.id, inPlace(it, s.op, current, value));
  } else if (t.kind === 'Attribute') {
    const obj = it.evalExpr(t.value, scope);
    it.setAttr(obj, t.attr, inPlace(it, s.op, it.getAttr(obj, t.attr), value));
  } else if (t.kind === 'Subscript') {
    const obj = it.evalExpr(t.value, scope);
    const index = it.evalExpr(t.slice, scope);
    it.setItem(obj, index, inPlace(it, s.op, it.getItem(obj, index), value));
  } else {
    throw raise('SyntaxError', "'tuple' is an illegal expression for augmented assignment");
  }
  return undefined;
}

/** `a += b`: lists extend in place (same object), everything else rebinds. */
function inPlace(it: Interpreter, op: ast.BinOperator, a: PyValue, b: PyValue): PyValue {
  if (op === '+' && a instanceof PyList) { a.items.push(...it.budget.checkArray(it.iterate(b))); return a; }
  // Tensors update in place (same object, torch's broadcast and cast checks); built-in containers
  // (`ModuleList += [...]`) have their own __iadd__/__imul__.
  if (a instanceof Tensor) return tensorInplaceBinaryOp(op, a, b);
  const inplace = op === '+' ? '__iadd__' : op === '*' ? '__imul__' : null;
  const viaContainer = inplace ? it.callDunder(a, inplace, [b]) ?? it.callBuiltinDunder(a, inplace, [b]) : undefined;
  if (viaContainer !== undefined) return viaContainer;
  return binaryOp(it, op, a, b);
}

function execWhile(it: Interpreter, s: ast.While, scope: Scope): Completion {
  while (it.truthy(it.evalExpr(s.test, scope), s.test.range)) {
    it.budget.step();
    const c = execBlock(it, s.body, scope);
    if (c === BREAK) return undefined;
    if (c instanceof ReturnSignal) return c;
  }
  return execBlock(it, s.orelse, scope);
}

function execFor(it: Interpreter, s: ast.For, scope: Scope): Completion {
  const iterable = it.evalExpr(s.iter, scope);
  if (iterable instanceof Opaque) {
    it.unsupported('unsupported-loop', `this loop iterates over ${iterable.description}, which NN Lens cannot know; its body is skipped`, s.iter.range);
    return undefined;
  }
  for (const item of it.iterateLazily(iterable)) {
    it.budget.step();
    it.assignTarget(s.target, item, scope);
    const c = execBlock(it, s.body, scope);
    if (c === BREAK) return undefined;
    if (c instanceof ReturnSignal) return c;
  }
  return execBlock(it, s.orelse, scope);
}

function execRaise(it: Interpreter, s: ast.Raise, scope: Scope): Completion {
  if (!s.exc) {
    const active = it.activeException;
    if (active) throw active;
    throw raise('RuntimeError', 'No active exception to reraise');
  }
  const v = it.evalExpr(s.exc, scope);
  if (s.cause) it.evalExpr(s.cause, scope);
  if (isExceptionClass(v)) throw new PyException(it.instantiate(v, [], new Map()) as PyInstance);
  if (v instanceof PyInstance && isExceptionClass(v.cls)) throw new PyException(v);
  if (v instanceof Opaque) { it.unsupported('unsupported-raise', `raises ${v.description}`, s.range); throw raise('Exception', v.description); }
  throw raise('TypeError', 'exceptions must derive from BaseException');
}

function execTry(it: Interpreter, s: ast.Try, scope: Scope): Completion {
  let completion: Completion;
  try {
    try {
      completion = execBlock(it, s.body, scope);
    } catch (e) {
      const exc = it.asPythonException(e);
      if (!exc) throw e;
      const handler = s.handlers.find((h) => !h.type || matchesHandler(it, exc, it.evalExpr(h.type, scope)));
      if (!handler) throw exc;
      if (handler.name) scope.assign(handler.name, exc.exc);
      const previous = it.activeException;
      it.activeException = exc;
      try {
        return execBlock(it, handler.body, scope);
      } finally {
        it.activeException = previous;
      }
    }
    if (completion !== undefined) return completion;
    return execBlock(it, s.orelse, scope);
  } finally {
    if (s.finalbody.length) {
      const c = execBlock(it, s.finalbody, scope);
      if (c !== undefined) return c; // eslint-disable-line no-unsafe-finally -- Python's semantics: return in finally wins
    }
  }
}

function matchesHandler(it: Interpreter, exc: PyException, type: PyValue): boolean {
  if (type instanceof PyTuple) return type.items.some((t) => matchesHandler(it, exc, t));
  if (type instanceof PyClass) return exc.exc.cls.mro.includes(type);
  if (type instanceof Opaque) return false;
  throw raise('TypeError', `catching classes that do not inherit from BaseException is not allowed (got ${pyTypeName(type)})`);
}

function execWith(it: Interpreter, s: ast.With, scope: Scope): Completion {
  const exits: (() => void)[] = [];
  try {
    for (const item of s.items) {
      const manager = it.evalExpr(item.contextExpr, scope);
      let entered: PyValue = manager;
      if (manager instanceof PyInstance) {
        entered = it.callDunder(manager, '__enter__', []) ?? null;
        exits.push(() => { it.callDunder(manager, '__exit__', [null, null, null]); });
      } else if (manager instanceof GradModeContext) {
        manager.enter();
        entered = null;
        exits.push(() => manager.exit());
      } else if (manager instanceof GradModeSetter) {
        // `torch.set_grad_enabled(False)` set the mode when it was made; leaving the block restores it.
        entered = manager.enter();
        exits.push(() => { manager.exit(); });
      } else if (!(manager instanceof NoOpContext) && !(manager instanceof Opaque)) {
        throw raise('TypeError', `'${pyTypeName(manager)}' object does not support the context manager protocol`);
      }
      if (item.optionalVars) it.assignTarget(item.optionalVars, entered, scope);
    }
    return execBlock(it, s.body, scope);
  } finally {
    for (const exit of exits.reverse()) exit();
  }
}

export { exceptionClass };
