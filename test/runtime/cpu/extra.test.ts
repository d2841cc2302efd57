// Extra value cases for the cpu kernels (extra.json, written by make-extra.py): parameter
// combinations cases.json does not reach, with make-values.py's deterministic inputs, against
// PyTorch 1.13 within 1e-5 + 1e-4·|x|.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import '../../../runtime/kernels/cpu/index.ts';
import '../../../runtime/torch/index.ts';
import type { Case } from '../ops/conformance-harness.ts';
import { runValueCase } from './values-harness.ts';

/** Calls the torch namespace does not bind yet (no signature recorded, or no Python-level entry): not kernel problems. */
const unbound: Record<string, string> = {
  'extra-reduce/12': 'torch.kthvalue has no recorded signature (make-signatures.py)',
  'extra-reduce/14': 'torch.mode has no recorded signature (make-signatures.py)',
  'extra-reduce/15': 'torch.nanmedian has no recorded signature (make-signatures.py)',
  'extra-elementwise/3': 'torch.i0 is not bound in the torch namespace (the unary op and its kernel exist)',
  'extra-index/13': 'torch.take_along_dim is not bound in the torch namespace',
};

const cases = (JSON.parse(readFileSync(new URL('./extra.json', import.meta.url), 'utf8')) as { cases: (Case & { random?: boolean })[] }).cases;

for (const group of [...new Set(cases.map((c) => c.group))]) {
  describe(`cpu extra / ${group}`, () => {
    for (const c of cases.filter((x) => x.group === group)) {
      it(`${c.id} ${c.call}`, { todo: unbound[c.id] }, () => {
        const problems = runValueCase(c, { id: c.id, call: c.call, expect: c.expect, random: c.random }, 'cpu');
        assert.deepEqual(problems, [], problems.join('\n'));
      });
    }
  });
}
