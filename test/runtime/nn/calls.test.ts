// Which submodules a forward calls, in call-start order (what the editor's call trace shows), against
// PyTorch's forward pre-hooks: including the fused fast path of TransformerEncoderLayer in eval mode
// without autograd, where PyTorch calls no submodule at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type PyValue, plainInterop } from '../../../runtime/python/index.ts';
import type { Module } from '../../../runtime/nn/module.ts';
import { withCallTracer } from '../../../runtime/nn/call-tracer.ts';
import { withGradEnabled } from '../../../runtime/ops/grad-mode.ts';
import { type Json, cases, decode, shapeStruct } from './helpers.ts';

interface CallCase { module: Json; inputs: Json[]; eval: boolean; no_grad: boolean; calls: [string, string][]; output: Json }

for (const [name, c] of Object.entries(cases.calls as unknown as Record<string, CallCase>)) {
  test(`call trace: ${name}`, () => {
    const m = decode(c.module) as Module;
    if (c.eval) m.train(false);
    const paths = new Map(m.namedModules().map(([p, sub]) => [sub, p]));
    const calls: [string, string][] = [];
    const tracer = { enter: (mod: Module): number => calls.push([paths.get(mod) ?? '?', mod.pyTypeName]), exit: (): void => {} };
    const out = withGradEnabled(!c.no_grad, () => withCallTracer(tracer, () => m.call(c.inputs.map(decode), new Map(), plainInterop) as PyValue));
    assert.deepEqual(calls, c.calls);
    assert.deepEqual(shapeStruct(out), c.output);
  });
}
