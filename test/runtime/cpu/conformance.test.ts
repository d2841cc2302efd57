// Every case of test/runtime/ops/cases.json on the `cpu` device, with the deterministic inputs of
// make-values.py, against PyTorch 1.13's answers for those inputs (values.json): shapes, dtypes,
// errors and values within 1e-5 + 1e-4·|x|. Cases whose output is random (torch.randn, normal_)
// compare shapes and dtypes only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../../runtime/kernels/cpu/index.ts';
import '../../../runtime/torch/index.ts';
import { loadCases } from '../ops/conformance-harness.ts';
import { loadValues, runValueCase } from './values-harness.ts';
import { knownGaps } from './known-gaps.ts';

const cases = loadCases();
const values = loadValues();

describe('cpu conformance: values.json matches cases.json', () => {
  it('has one entry per case, same ids and calls', () => {
    assert.equal(values.size, cases.length);
    for (const c of cases) assert.equal(values.get(c.id)?.call, c.call, c.id);
  });
});

for (const group of [...new Set(cases.map((c) => c.group))]) {
  describe(`cpu / ${group}`, () => {
    for (const c of cases.filter((x) => x.group === group)) {
      it(`${c.id} ${c.call}`, { todo: knownGaps[c.id] }, () => {
        const problems = runValueCase(c, values.get(c.id)!, 'cpu');
        assert.deepEqual(problems, [], problems.join('\n'));
      });
    }
  });
}
