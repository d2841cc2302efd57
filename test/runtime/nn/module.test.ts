// nn.Module semantics replayed from cases.json's scenarios (real PyTorch 1.13): registration order
// when attributes are reassigned, shared parameters, apply order, train/eval, dtype casts,
// container operations, hooks, deep copies, and the messages of Module's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Kwargs, PyDict, PyIterator, PyList, PySlice, PyTuple, type PyValue, plainInterop } from '../../../runtime/python/index.ts';
import { float32, float64, int64 } from '../../../runtime/dtype.ts';
import { Parameter, Tensor } from '../../../runtime/tensor.ts';
import { Module, lookupPyMethod } from '../../../runtime/nn/module.ts';
import { copyModule } from '../../../runtime/nn/deep-copy.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import { type Json, cases, construct, encode, pyErrorOf } from './helpers.ts';

/** `obj.name(*args, **kwargs)` through the Python-visible method table. */
function call(m: Module, name: string, args: PyValue[] = [], kwargs: Kwargs = new Map()): PyValue {
  const method = lookupPyMethod(m, name);
  assert.ok(method, `no method ${name} on ${m.pyTypeName}`);
  return method(m, args, kwargs, plainInterop);
}

const mk = (cls: string, ...args: PyValue[]): Module => construct(cls, args, new Map());
const kw = (o: Record<string, PyValue>): Kwargs => new Map(Object.entries(o));
const items = (it: PyValue): PyValue[] => {
  const out: PyValue[] = [];
  for (let r = (it as PyIterator).next(); !r.done; r = (it as PyIterator).next()) out.push(r.value);
  return out;
};

/** A user-defined `class Net(nn.Module)` after `super().__init__()`. */
function userModule(className = 'Net'): Module {
  const m = new Module();
  m.user = { className, hasClassAttribute: () => false };
  m.moduleInit();
  return m;
}

interface ScenarioTruth {
  repr: string; parameters: [string, number[], string, boolean][]; buffers: [string, number[], string][]; state_dict: string[];
  dict: [string, Json][]; named_modules: string[]; children: string[]; parameters_no_recurse: string[];
}

function checkScenario(m: Module, truth: ScenarioTruth): void {
  assert.equal(m.repr(), truth.repr);
  assert.deepEqual(m.namedParameters().map(([n, p]) => [n, [...p.shape], p.dtype.name, p.requiresGrad]), truth.parameters);
  assert.deepEqual(m.namedBuffers().map(([n, b]) => [n, [...b.shape], b.dtype.name]), truth.buffers);
  assert.deepEqual((call(m, 'state_dict') as PyDict).keys(), truth.state_dict);
  assert.deepEqual([...m.dict.entries()].map(([k, v]) => [k, encode(v)]), truth.dict);
  assert.deepEqual(items(call(m, 'named_modules')).map((t) => (t as PyTuple).items[0]), truth.named_modules);
  assert.deepEqual(items(call(m, 'named_children')).map((t) => (t as PyTuple).items[0]), truth.children);
  assert.deepEqual(items(call(m, 'named_parameters', [], kw({ recurse: false }))).map((t) => (t as PyTuple).items[0]), truth.parameters_no_recurse);
}

const scenarios = cases.scenarios as unknown as Record<string, ScenarioTruth>;

test('reassigning attributes moves them between __dict__, _parameters, _buffers and _modules', () => {
  const net = userModule();
  net.setattr('a', new Parameter([2]));
  net.setattr('b', mk('Linear', 2, 2));
  call(net, 'register_buffer', ['c', new Tensor([3])]);
  net.setattr('g', 7);
  net.setattr('g', mk('Linear', 3, 3));
  net.setattr('b', new Parameter([5]));
  net.setattr('h', mk('ReLU'));
  net.setattr('h', null);
  net.setattr('d', new Parameter([1]));
  net.setattr('c', new Tensor([4]));
  net.setattr('e', 5);
  call(net, 'register_buffer', ['f', new Tensor([1])], kw({ persistent: false }));
  checkScenario(net, scenarios.reassign!);
});

test('shared modules and tied weights: listed once by named_*, under every name in state_dict', () => {
  const net = userModule();
  net.setattr('first', mk('Linear', 4, 4));
  net.setattr('second', net.getattrFallback('first'));
  net.setattr('head', mk('Linear', 4, 2));
  (net.getattrFallback('head') as Module).setattr('weight', new Parameter([2, 4]));
  net.setattr('tied', construct('Linear', [4, 2], kw({ bias: false })));
  (net.getattrFallback('tied') as Module).setattr('weight', (net.getattrFallback('head') as Module).getattrFallback('weight'));
  checkScenario(net, scenarios.shared!);
});

test('apply visits children first, then the module itself', () => {
  const seq = construct('Sequential', [mk('Linear', 2, 2), construct('Sequential', [mk('ReLU'), mk('Tanh')], new Map()), mk('Sigmoid')], new Map());
  const order: string[] = [];
  const fn = (args: PyValue[]): PyValue => { order.push((args[0] as Module).pyTypeName); return null; };
  assert.equal(call(seq, 'apply', [fn]), seq);
  assert.deepEqual(order, cases.apply_order);
});

test('train/eval propagate to every submodule and return self', () => {
  const truth = cases.train_eval as { initial: boolean[]; eval: boolean[]; sub_train: boolean[] };
  const m = construct('Sequential', [mk('Linear', 1, 1), construct('Sequential', [mk('Dropout'), mk('BatchNorm1d', 1)], new Map())], new Map());
  const flags = (): boolean[] => m.namedModules().map(([, x]) => x.training);
  assert.deepEqual(flags(), truth.initial);
  assert.equal(call(m, 'eval'), m);
  assert.deepEqual(flags(), truth.eval);
  call(call(m, '__getitem__', [1]) as Module, 'train');
  assert.deepEqual(flags(), truth.sub_train);
});

test('double()/half()/to(dtype) cast floating parameters and buffers, not num_batches_tracked', () => {
  const truth = cases.to_dtype as Record<string, [string, string][]>;
  const m = construct('Sequential', [mk('Linear', 2, 2), mk('BatchNorm1d', 2)], new Map());
  const dtypes = (): [string, string][] => (call(m, 'state_dict') as PyDict).items().map(([k, t]) => [k as string, (t as Tensor).dtype.name]);
  const weight = m.namedParameters()[0]![1];
  call(m, 'double');
  assert.deepEqual(dtypes(), truth.double);
  assert.equal(m.namedParameters()[0]![1], weight, 'parameters keep their identity');
  call(m, 'half');
  assert.deepEqual(dtypes(), truth.half);
  call(m, 'to', [float32]);
  assert.deepEqual(dtypes(), truth.to_float);
  call(m, 'to', [new Tensor([1], float64)]);
  assert.equal(weight.dtype, float64, '.to(tensor) takes the tensor\'s dtype');
  call(m, 'to', ['cpu'], kw({ dtype: float32 }));
  assert.deepEqual(dtypes(), truth.to_float);
});

test('Module errors carry PyTorch\'s messages', () => {
  const truth = cases.errors as Record<string, { type: string; message: string } | null>;
  const noSuper = (name: string, value: PyValue): void => {
    const m = new Module();
    m.user = { className: 'NoSuper', hasClassAttribute: () => false };
    m.setattr(name, value);
  };
  const lin = (): Module => mk('Linear', 2, 2);
  const checks: Record<string, () => unknown> = {
    no_super_module: () => noSuper('fc', mk('Linear', 2, 2)),
    no_super_param: () => noSuper('w', new Parameter([1])),
    assign_tensor_to_param: () => lin().setattr('weight', new Tensor([2])),
    assign_int_to_param: () => lin().setattr('weight', 3),
    assign_module_to_param: () => lin().setattr('weight', mk('ReLU')),
    assign_int_to_module: () => construct('Sequential', [mk('ReLU')], new Map()).setattr('0', 3),
    assign_double_tensor_to_param: () => lin().setattr('weight', new Tensor([2], float64)),
    register_buffer_dot: () => call(lin(), 'register_buffer', ['a.b', new Tensor([1])]),
    register_buffer_exists: () => call(lin(), 'register_buffer', ['in_features', new Tensor([1])]),
    register_buffer_int: () => call(lin(), 'register_buffer', ['z', 3]),
    register_parameter_tensor: () => call(lin(), 'register_parameter', ['z', new Tensor([1])]),
    add_module_int: () => call(lin(), 'add_module', ['z', 3]),
    add_module_empty: () => call(lin(), 'add_module', ['', mk('ReLU')]),
    getattr_missing: () => lin().getattrFallback('nope'),
    get_submodule_missing: () => call(construct('Sequential', [mk('ReLU')], new Map()), 'get_submodule', ['0.x']),
    get_submodule_not_module: () => call(lin(), 'get_submodule', ['weight']),
    get_parameter_not_param: () => call(lin(), 'get_parameter', ['in_features']),
    train_non_bool: () => call(lin(), 'train', [1]),
    to_int_dtype: () => call(lin(), 'to', [int64]),
    seq_index: () => call(construct('Sequential', [mk('ReLU')], new Map()), '__getitem__', [3]),
    modulelist_index: () => call(construct('ModuleList', [new PyList([mk('ReLU')])], new Map()), '__getitem__', [-2]),
    modulelist_str_index: () => call(construct('ModuleList', [new PyList([mk('ReLU')])], new Map()), '__getitem__', ['a']),
    moduledict_missing: () => call(construct('ModuleDict', [new PyDict([['a', mk('ReLU')]])], new Map()), '__getitem__', ['b']),
    module_forward_missing: () => mk('Module').call([new Tensor([1])], new Map(), plainInterop),
    modulelist_call: () => construct('ModuleList', [new PyList([mk('ReLU')])], new Map()).call([new Tensor([1])], new Map(), plainInterop),
    parameterlist_call: () => mk('ParameterList').call([new Tensor([1])], new Map(), plainInterop),
    seq_insert_range: () => call(construct('Sequential', [mk('ReLU')], new Map()), 'insert', [5, mk('ReLU')]),
    linear_forward_extra: () => lin().call([new Tensor([2]), new Tensor([2])], new Map(), plainInterop),
    linear_forward_missing: () => lin().call([], new Map(), plainInterop),
    seq_add_int: () => call(mk('Sequential'), '__add__', [3]),
  };
  for (const [name, expected] of Object.entries(truth)) {
    const check = checks[name];
    assert.ok(check, `no replay for ${name}`);
    assert.deepEqual(pyErrorOf(check), expected, name);
  }
});

test('Sequential, ModuleList, ModuleDict, ParameterList and ParameterDict operations', () => {
  const truth = cases.containers as Record<string, Json>;
  const repr = (v: PyValue): string => (v as Module).repr();
  const slice = (start: PyValue, stop: PyValue, step: PyValue = null): PySlice => new PySlice(start, stop, step);

  const s = construct('Sequential', [mk('Linear', 1, 2), mk('ReLU'), mk('Linear', 2, 3), mk('Tanh')], new Map());
  const part = call(s, '__getitem__', [slice(1, 3)]) as Module;
  assert.equal(repr(part), truth.seq_slice);
  assert.deepEqual(part.modulesDict!.keys(), truth.seq_slice_keys);
  assert.equal(repr(call(s, '__getitem__', [-1])), truth.seq_neg);
  call(s, '__delitem__', [1]);
  assert.equal(repr(s), truth.seq_after_del);
  call(s, 'insert', [1, mk('Sigmoid')]);
  assert.equal(repr(s), truth.seq_after_insert);
  call(s, 'append', [construct('Softmax', [], kw({ dim: 1 }))]);
  call(s, 'extend', [new PyList([mk('ReLU')])]);
  assert.equal(repr(s), truth.seq_after_append);
  call(s, '__setitem__', [0, mk('Linear', 1, 5)]);
  assert.equal(repr(s), truth.seq_after_setitem);
  assert.equal(call(s, '__len__'), truth.seq_len);
  assert.equal(repr(call(s, 'pop', [2])), truth.seq_pop);
  assert.equal(repr(s), truth.seq_after_pop);
  const one = (cls: string): Module => construct('Sequential', [mk(cls)], new Map());
  assert.equal(repr(call(one('ReLU'), '__add__', [one('Tanh')])), truth.seq_add);
  assert.equal(repr(call(construct('Sequential', [mk('ReLU'), mk('Tanh')], new Map()), '__mul__', [2])), truth.seq_mul);
  call(s, '__delitem__', [slice(0, 2)]);
  assert.equal(repr(s), truth.seq_after_del_slice);

  const ml = construct('ModuleList', [new PyList([mk('Linear', 1, 1), mk('ReLU'), mk('Tanh')])], new Map());
  assert.equal(repr(call(ml, '__getitem__', [slice(null, null, 2)])), truth.ml_slice);
  call(ml, '__iadd__', [new PyList([mk('Sigmoid')])]);
  call(ml, 'insert', [0, mk('Identity')]);
  assert.equal(repr(ml), truth.ml_after_ops);
  call(ml, '__delitem__', [1]);
  assert.equal(repr(ml), truth.ml_after_del);
  call(ml, '__setitem__', [-1, mk('GELU')]);
  assert.equal(repr(ml), truth.ml_after_set);
  const firstTwo = call(call(ml, '__getitem__', [slice(0, 1)]) as Module, '__add__', [call(ml, '__getitem__', [slice(1, 2)])]);
  assert.equal(repr(firstTwo), truth.ml_add);
  assert.equal(repr(call(ml, 'pop', [0])), truth.ml_pop);
  assert.equal(repr(ml), truth.ml_after_pop);

  const md = construct('ModuleDict', [new PyDict([['a', mk('ReLU')]])], new Map());
  call(md, '__setitem__', ['b', mk('Tanh')]);
  call(md, 'update', [new PyList([new PyTuple(['c', mk('Sigmoid')])])]);
  call(md, 'update', [new PyDict([['d', mk('GELU')]])]);
  assert.deepEqual((call(md, 'keys') as PyList).items, truth.md_keys);
  assert.equal(repr(call(md, 'pop', ['a'])), truth.md_pop);
  assert.deepEqual([call(md, '__contains__', ['b']), call(md, '__contains__', ['a'])], truth.md_contains);
  assert.equal(repr(md), truth.md_after);
  call(md, '__delitem__', ['b']);
  assert.equal(repr(md), truth.md_after_del);
  assert.equal(call(md, '__len__'), truth.md_len);

  const pl = construct('ParameterList', [new PyList([new Parameter([2])])], new Map());
  call(pl, 'append', [new Parameter([3, 4])]);
  call(pl, 'extend', [new PyList([new Tensor([5])])]);
  assert.equal(repr(pl), truth.pl_repr);
  assert.deepEqual(pl.namedParameters().map(([n]) => n), truth.pl_names);
  assert.equal(call(pl, '__len__'), truth.pl_len);
  const pd = mk('ParameterDict');
  call(pd, '__setitem__', ['x', new Parameter([2])]);
  call(pd, 'update', [new PyDict([['b', new Tensor([1])], ['a', new Tensor([3])]])]);
  assert.equal(repr(pd), truth.pd_repr);
  assert.deepEqual((call(pd, 'keys') as PyList).items, truth.pd_keys);
});

test('ModuleList repr collapses repeated children under torch 2.x only', () => {
  const ml = construct('ModuleList', [new PyList([mk('Linear', 2, 2), mk('Linear', 2, 2), mk('ReLU')])], new Map());
  assert.equal(ml.repr(), 'ModuleList(\n  (0): Linear(in_features=2, out_features=2, bias=True)\n  (1): Linear(in_features=2, out_features=2, bias=True)\n  (2): ReLU()\n)');
  assert.equal(withRuntimeContext({ torch2Repr: true }, () => ml.repr()),
    'ModuleList(\n  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n  (2): ReLU()\n)');
  // Nested: the collapse happens inside the parent's repr too.
  const parent = userModule('Net');
  parent.setattr('layers', ml);
  assert.equal(withRuntimeContext({ torch2Repr: true }, () => parent.repr()),
    'Net(\n  (layers): ModuleList(\n    (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n    (2): ReLU()\n  )\n)');
});

test('forward hooks and pre-hooks run around forward; their handles remove them', () => {
  const m = mk('Identity');
  const x = new Tensor([2, 3]);
  const y = new Tensor([4]);
  const seen: string[] = [];
  const pre = call(m, 'register_forward_pre_hook', [(args: PyValue[]) => { seen.push(`pre:${(args[1] as PyTuple).items.length}`); return null; }]);
  const post = call(m, 'register_forward_hook', [(args: PyValue[]) => { seen.push('post'); assert.equal(args[2], x); return y; }]);
  assert.equal(m.call([x], new Map(), plainInterop), y, 'a forward hook may replace the output');
  assert.deepEqual(seen, ['pre:1', 'post']);
  const remove = (h: PyValue): void => { ((h as { attrs: Map<string, PyValue> }).attrs.get('remove') as { impl: (a: PyValue[], k: Kwargs) => PyValue }).impl([], new Map()); };
  remove(post);
  remove(pre);
  remove(pre);
  assert.equal(m.call([x], new Map(), plainInterop), x);
  assert.deepEqual(seen, ['pre:1', 'post']);
});

test('parameters()/buffers()/children()/modules() are iterators in registration order', () => {
  const bn = mk('BatchNorm2d', 3);
  assert.deepEqual(items(call(bn, 'parameters')).map((p) => (p as Tensor).shape), [[3], [3]]);
  assert.deepEqual(items(call(bn, 'named_buffers', [], kw({ prefix: 'bn' }))).map((t) => (t as PyTuple).items[0]),
    ['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']);
  const nbt = bn.namedBuffers()[2]![1];
  assert.deepEqual([nbt.shape, nbt.dtype], [[], int64]);
  const seq = construct('Sequential', [bn, bn, mk('ReLU')], new Map());
  assert.deepEqual(items(call(seq, 'children')).map((c) => (c as Module).pyTypeName), ['BatchNorm2d', 'ReLU']);
  assert.deepEqual(items(call(seq, 'modules')).map((c) => (c as Module).pyTypeName), ['Sequential', 'BatchNorm2d', 'ReLU']);
  assert.deepEqual(items(call(seq, 'named_modules', [], kw({ remove_duplicate: false }))).map((t) => (t as PyTuple).items[0]), ['', '0', '1', '2']);
  call(seq, 'requires_grad_', [false]);
  assert.ok(seq.namedParameters().every(([, p]) => !p.requiresGrad));
  assert.equal(call(seq, 'get_submodule', ['0']), bn);
  assert.equal(call(seq, 'get_parameter', ['0.weight']), bn.getattrFallback('weight'));
  assert.equal(call(seq, 'get_buffer', ['0.running_var']), bn.getattrFallback('running_var'));
  assert.equal(call(seq, '_get_name'), 'Sequential');
  assert.equal(call(bn, 'extra_repr'), '3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True');
});

test('deep copies keep sharing inside the copied subtree and nothing with the original', () => {
  const shared = mk('Linear', 4, 4);
  const block = construct('Sequential', [shared, shared, mk('Linear', 4, 2)], new Map());
  const tail = block.modulesDict!.get('2') as Module;
  tail.setattr('weight', (shared.getattrFallback('weight') as Parameter));
  const copy = copyModule(block);
  assert.equal(copy.repr(), block.repr());
  const [a, b, c] = ['0', '1', '2'].map((k) => copy.modulesDict!.get(k) as Module);
  assert.equal(a, b, 'a module registered twice stays one module');
  assert.notEqual(a, shared);
  assert.equal(c!.getattrFallback('weight'), a!.getattrFallback('weight'), 'tied weights stay tied');
  assert.notEqual(a!.getattrFallback('weight'), shared.getattrFallback('weight'));
  assert.deepEqual(copy.namedParameters().map(([n]) => n), block.namedParameters().map(([n]) => n));
  copy.setattr('extra', mk('ReLU'));
  assert.equal(block.hasInstanceAttribute('extra'), false);
});

test('TransformerEncoder layers are independent deep copies of the given layer', () => {
  const layer = construct('TransformerEncoderLayer', [16, 2, 32], new Map());
  const enc = construct('TransformerEncoder', [layer, 3], new Map());
  const layers = enc.getattrFallback('layers') as Module;
  const copies = layers.childEntries().map(([, l]) => l);
  assert.equal(copies.length, 3);
  assert.ok(copies.every((l) => l !== layer));
  const weights = copies.map((l) => ((l.getattrFallback('self_attn') as Module).getattrFallback('in_proj_weight')));
  assert.equal(new Set(weights).size, 3);
  assert.equal(enc.namedParameters().length, 3 * layer.namedParameters().length);
});

test('classmethods and staticmethods reached through the class', async () => {
  const { lookupPyClassMethod } = await import('../../../runtime/nn/layer-support.ts');
  const { classByName } = await import('./helpers.ts');
  const Embedding = classByName.get('Embedding')!;
  const fromPretrained = lookupPyClassMethod(Embedding, 'from_pretrained')!;
  const weights = new Tensor([4, 3]);
  const e = fromPretrained(Embedding, [weights], kw({ padding_idx: 1 }), plainInterop) as Module;
  assert.equal(e.repr(), 'Embedding(4, 3, padding_idx=1)');
  const w = e.getattrFallback('weight') as Parameter;
  assert.equal(w.requiresGrad, false, 'freeze=True by default');
  assert.deepEqual(w.shape, [4, 3]);
  const bag = classByName.get('EmbeddingBag')!;
  const b = lookupPyClassMethod(bag, 'from_pretrained')!(bag, [weights], kw({ freeze: false, mode: 'sum' }), plainInterop) as Module;
  assert.equal(b.repr(), 'EmbeddingBag(4, 3, mode=sum)');
  assert.equal((b.getattrFallback('weight') as Parameter).requiresGrad, true);
  assert.deepEqual(pyErrorOf(() => fromPretrained(Embedding, [new Tensor([4])], new Map(), plainInterop)),
    { type: 'AssertionError', message: 'Embeddings parameter is expected to be 2-dimensional' });
  const T = classByName.get('Transformer')!;
  const mask = lookupPyClassMethod(T, 'generate_square_subsequent_mask')!(T, [3], new Map(), plainInterop) as Tensor;
  assert.deepEqual([mask.shape, mask.dtype.name], [[3, 3], 'float32']);
  assert.deepEqual((call(mk('Linear', 2, 2), 'state_dict', [null, 'p.']) as PyDict).keys(), ['p.weight', 'p.bias']);
});

test('load_state_dict checks keys and shapes with PyTorch\'s messages', () => {
  const truth = cases.load_state_dict as Record<string, { repr?: string; error?: { type: string; message: string } }>;
  const m = construct('Sequential', [mk('Linear', 2, 3), mk('BatchNorm1d', 3)], new Map());
  const sd = call(m, 'state_dict') as PyDict;
  const broken = new PyDict(sd.items().filter(([k]) => k !== '0.bias'));
  broken.set('extra', new Tensor([1]));
  broken.set('1.weight', new Tensor([4]));
  const fixed = new PyDict(broken.items());
  fixed.set('1.weight', new Tensor([3]));
  const withInt = new PyDict(sd.items());
  withInt.set('0.weight', 3);
  const runs: Record<string, () => PyValue> = {
    ok: () => call(m, 'load_state_dict', [sd]),
    strict: () => call(m, 'load_state_dict', [broken]),
    not_strict: () => call(m, 'load_state_dict', [fixed], kw({ strict: false })),
    not_dict: () => call(m, 'load_state_dict', [3]),
    not_tensor: () => call(m, 'load_state_dict', [withInt]),
  };
  for (const [name, expected] of Object.entries(truth)) {
    let result: PyValue;
    const error = pyErrorOf(() => { result = runs[name]!(); });
    if (expected.error) assert.deepEqual(error, expected.error, name);
    else assert.equal((result as { pyRepr(): string }).pyRepr(), expected.repr, name);
  }
});
