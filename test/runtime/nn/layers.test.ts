// Every constructor case of cases.json (real PyTorch 1.13): the layer built from TypeScript must
// print the same repr (1.13 and 2.x), list the same parameters, buffers and state_dict keys, hold
// the same `__dict__`, or raise the same error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withRuntimeContext } from '../../../runtime/context.ts';
import type { Module } from '../../../runtime/nn/module.ts';
import { type Json, cases, construct, decode, decodeKwargs, encode, normalizeSetLiterals, pyErrorOf } from './helpers.ts';

interface Case {
  cls: string; args: Json[]; kwargs: Record<string, Json>;
  error?: { type: string; message: string };
  repr?: string; repr_torch2?: string | null;
  parameters?: [string, number[], string, boolean][]; buffers?: [string, number[], string][];
  state_dict?: string[]; dict?: [string, Json][]; submodules?: [string, string][];
}

const label = (c: Case): string => `${c.cls}(${[...c.args.map((a) => JSON.stringify(a)), ...Object.entries(c.kwargs).map(([k, v]) => `${k}=${JSON.stringify(v)}`)].join(', ')})`;

for (const c of cases.cases as unknown as Case[]) {
  test(label(c), () => {
    let m: Module | null = null;
    const error = pyErrorOf(() => { m = construct(c.cls, c.args.map(decode), decodeKwargs(c.kwargs)); });
    if (c.error) {
      assert.deepEqual(error, { ...c.error, message: normalizeSetLiterals(c.error.message) });
      return;
    }
    assert.equal(error, null, `unexpected ${JSON.stringify(error)}`);
    const mod = m! as Module;
    assert.equal(mod.repr(), c.repr, 'repr');
    assert.equal(withRuntimeContext({ torch2Repr: true }, () => mod.repr()), c.repr_torch2 ?? c.repr, 'repr under 2.x');
    assert.deepEqual(mod.namedParameters().map(([n, p]) => [n, [...p.shape], p.dtype.name, p.requiresGrad]), c.parameters, 'named_parameters');
    assert.deepEqual(mod.namedBuffers().map(([n, b]) => [n, [...b.shape], b.dtype.name]), c.buffers, 'named_buffers');
    assert.deepEqual(mod.stateDictEntries().map(([n]) => n), c.state_dict, 'state_dict keys');
    assert.deepEqual([...mod.dict.entries()].map(([k, v]) => [k, encode(v)]), c.dict, '__dict__');
    assert.deepEqual(mod.namedModules().slice(1).map(([n, s]) => [n, s.pyTypeName]), c.submodules, 'named_modules');
  });
}
