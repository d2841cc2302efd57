// Expression lowering: node kinds, fields and ranges follow CPython's ast module.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { as, expr, parseOk, range, setup } from './helpers.ts';

describe('expression lowering', () => {
  before(setup);

  it('lowers names, attributes and calls with keywords and unpacking', () => {
    const call = as(expr('nn.Linear(16, *dims, bias=False, **extra)'), 'Call');
    const func = as(call.func, 'Attribute');
    assert.equal(func.attr, 'Linear');
    assert.deepEqual(func.attrRange, range(0, 3, 0, 9));
    assert.equal(as(func.value, 'Name').id, 'nn');
    assert.equal(call.args.length, 2);
    assert.equal(as(call.args[1], 'Starred').value.kind, 'Name');
    assert.deepEqual(call.keywords.map((k) => k.arg), ['bias', null]);
    assert.deepEqual(call.keywords[0]!.range, range(0, 21, 0, 31));
    assert.deepEqual(call.range, range(0, 0, 0, 41));
  });

  it('lowers a subscript of a tuple of slices, None and Ellipsis', () => {
    const sub = as(expr('x[:, None, ..., 1:3, ::2]'), 'Subscript');
    const tuple = as(sub.slice, 'Tuple');
    assert.deepEqual(tuple.elts.map((e) => e.kind), ['Slice', 'Constant', 'Constant', 'Slice', 'Slice']);
    const all = as(tuple.elts[0], 'Slice');
    assert.deepEqual([all.lower, all.upper, all.step], [null, null, null]);
    assert.deepEqual(as(tuple.elts[1], 'Constant').value, { type: 'None' });
    assert.deepEqual(as(tuple.elts[2], 'Constant').value, { type: 'Ellipsis' });
    const oneThree = as(tuple.elts[3], 'Slice');
    assert.deepEqual(as(oneThree.lower, 'Constant').value, { type: 'int', value: 1n });
    assert.deepEqual(as(oneThree.upper, 'Constant').value, { type: 'int', value: 3n });
    assert.equal(oneThree.step, null);
    const step = as(tuple.elts[4], 'Slice');
    assert.deepEqual([step.lower, step.upper], [null, null]);
    assert.deepEqual(as(step.step, 'Constant').value, { type: 'int', value: 2n });
    assert.deepEqual(tuple.range, range(0, 2, 0, 24));
  });

  it('keeps single subscripts and trailing-comma tuples apart', () => {
    assert.equal(as(expr('x[1]'), 'Subscript').slice.kind, 'Constant');
    assert.equal(as(expr('x[1,]'), 'Subscript').slice.kind, 'Tuple');
    assert.equal(as(expr('x[*a]'), 'Subscript').slice.kind, 'Tuple');
  });

  it('applies Python operator precedence (tree-sitter ranks ^ above &)', () => {
    // (b ^ (c & d)) | ((e & f) ^ g)
    const or = as(expr('b ^ c & d | e & f ^ g'), 'BinOp');
    assert.equal(or.op, '|');
    const left = as(or.left, 'BinOp');
    assert.equal(left.op, '^');
    assert.equal(as(left.right, 'BinOp').op, '&');
    const right = as(or.right, 'BinOp');
    assert.equal(right.op, '^');
    assert.equal(as(right.left, 'BinOp').op, '&');
    const power = as(expr('-a ** -b ** c'), 'UnaryOp');
    assert.equal(power.op, '-');
    const pow = as(power.operand, 'BinOp');
    assert.equal(as(pow.right, 'UnaryOp').operand.kind, 'BinOp');
    const paren = as(expr('(a + b) * c'), 'BinOp');
    assert.deepEqual(paren.range, range(0, 0, 0, 11));
    assert.deepEqual(paren.left.range, range(0, 1, 0, 6));
  });

  it('lowers chained comparisons including not in / is not', () => {
    const cmp = as(expr('a < b <= c not in d is not e'), 'Compare');
    assert.deepEqual(cmp.ops, ['<', '<=', 'not in', 'is not']);
    assert.equal(cmp.comparators.length, 4);
  });

  it('flattens boolean chains like CPython', () => {
    const or = as(expr('a or b or c and d'), 'BoolOp');
    assert.equal(or.op, 'or');
    assert.equal(or.values.length, 3);
    assert.equal(as(or.values[2], 'BoolOp').op, 'and');
    assert.equal(as(expr('not a'), 'UnaryOp').op, 'not');
  });

  it('lowers conditional expressions, walrus, lambda and await', () => {
    const ifexp = as(expr('a if b else c'), 'IfExp');
    assert.deepEqual([ifexp.body, ifexp.test, ifexp.orelse].map((e) => as(e, 'Name').id), ['a', 'b', 'c']);
    const walrus = as(expr('(y := 3)'), 'NamedExpr');
    assert.equal(walrus.target.id, 'y');
    assert.deepEqual(walrus.range, range(0, 1, 0, 7));
    const lambda = as(expr('lambda x, *y, z=1, **k: x'), 'Lambda');
    assert.deepEqual(lambda.args.args.map((a) => a.arg), ['x']);
    assert.equal(lambda.args.vararg?.arg, 'y');
    assert.deepEqual(lambda.args.kwonlyargs.map((a) => a.arg), ['z']);
    assert.deepEqual(lambda.args.kwDefaults.map((d) => d?.kind), ['Constant']);
    assert.equal(lambda.args.kwarg?.arg, 'k');
  });

  it('lowers comprehensions with nested for clauses and ifs', () => {
    const comp = as(expr('[a for b in c if d if e for f in g]'), 'ListComp');
    assert.equal(comp.generators.length, 2);
    assert.equal(comp.generators[0]!.ifs.length, 2);
    assert.equal(comp.generators[1]!.ifs.length, 0);
    const dict = as(expr('{k: v for k, v in w}'), 'DictComp');
    assert.equal(as(dict.generators[0]!.target, 'Tuple').elts.length, 2);
    assert.equal(expr('{a for a in b}').kind, 'SetComp');
    const call = as(expr('sum(x for x in y)'), 'Call');
    assert.equal(call.args[0]!.kind, 'GeneratorExp');
  });

  it('lowers displays and star-unpacking in literals', () => {
    const list = as(expr('[*a, b]'), 'List');
    assert.equal(list.elts[0]!.kind, 'Starred');
    const set = as(expr('{*a, b}'), 'Set');
    assert.equal(set.elts.length, 2);
    const dict = as(expr('{**a, 1: 2}'), 'Dict');
    assert.equal(dict.keys[0], null);
    assert.equal(as(expr('()'), 'Tuple').elts.length, 0);
    assert.equal(as(expr('(1,)'), 'Tuple').elts.length, 1);
    // tree-sitter reads `*a.b(1)` as `(*a).b(1)`; CPython stars the whole call.
    const starredCall = as(as(expr('[*nn.Linear(1, 2)]'), 'List').elts[0], 'Starred');
    assert.equal(starredCall.value.kind, 'Call');
  });

  it('lowers yield forms', () => {
    const [fn] = parseOk('def g():\n    x = (yield)\n    yield from y\n    yield a, b\n');
    const body = as(fn, 'FunctionDef').body;
    assert.equal(as(as(body[0], 'Assign').value, 'Yield').value, null);
    const from = as(as(body[1], 'Expr').value, 'Yield');
    assert.equal(from.from, true);
    assert.equal(as(as(body[2], 'Expr').value, 'Yield').value?.kind, 'Tuple');
  });
});
