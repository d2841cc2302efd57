// Forward shapes (and errors) of every layer case that has forward inputs in cases.json (real
// PyTorch 1.13). Layers whose forward goes through torch.nn.functional/torch report a skip while
// those tables are not installed, so a missing op is visible in the test output, never a pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PyError, plainInterop } from '../../../runtime/python/index.ts';
import type { Module } from '../../../runtime/nn/module.ts';
import { type Json, cases, construct, decode, decodeKwargs, normalizeSetLiterals, pythonMessage, shapeStruct } from './helpers.ts';

interface ForwardEntry { args: Json[]; kwargs: Record<string, Json>; output?: Json; error?: { type: string; message: string } }
interface Case { cls: string; args: Json[]; kwargs: Record<string, Json>; forward?: ForwardEntry[]; error?: unknown }

const missingOp = /is not available in NN Lens yet/;

/** Differences that belong to other parts of the runtime (reported there); run as todo so they stay visible. */
const knownGaps: Record<string, string> = {
  'BatchNorm3d forward #0': "F.batch_norm (runtime/functional) does not raise torch's 'mixed dtype (CPU)' error for float64 parameters",
};

for (const c of cases.cases as unknown as Case[]) {
  for (const [i, f] of (c.forward ?? []).entries()) {
    const name = `${c.cls}(${[...c.args, ...Object.entries(c.kwargs).map(([k, v]) => `${k}=${JSON.stringify(v)}`)].map((a) => (typeof a === 'string' && a.includes('=') ? a : JSON.stringify(a))).join(', ')}) forward #${i}`;
    test(name, { todo: knownGaps[`${c.cls} forward #${i}`] }, (t) => {
      const m: Module = construct(c.cls, c.args.map(decode), decodeKwargs(c.kwargs));
      let out: unknown;
      try {
        out = m.call(f.args.map(decode), decodeKwargs(f.kwargs), plainInterop);
      } catch (e) {
        if (e instanceof PyError && e.pyType === 'NotImplementedError' && missingOp.test(e.message)) {
          t.skip(e.message);
          return;
        }
        if (!(e instanceof PyError)) throw e;
        assert.deepEqual({ type: e.pyType, message: normalizeSetLiterals(pythonMessage(e)) }, f.error
          ? { ...f.error, message: normalizeSetLiterals(f.error.message) } : undefined, `raised ${e.pyType}: ${e.message}`);
        return;
      }
      assert.equal(f.error, undefined, `expected ${JSON.stringify(f.error)}`);
      assert.deepEqual(shapeStruct(out as never), f.output);
    });
  }
}
