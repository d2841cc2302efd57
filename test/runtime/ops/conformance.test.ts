// Every case PyTorch 1.13 answered in cases.json (regenerate with make-cases.py) must come out
// the same from the runtime on the `meta` device: output shapes and dtypes, or the exception
// type and exact message. Issue 3 adds 'cpu'/'webgpu' to `devices` with value-producing inputs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCases, runCase } from './conformance-harness.ts';

const cases = loadCases();
const devices = ['meta'] as const;

for (const device of devices) {
  const groups = [...new Set(cases.map((c) => c.group))];
  for (const group of groups) {
    describe(`${device} / ${group}`, () => {
      for (const c of cases.filter((x) => x.group === group)) {
        it(`${c.id} ${c.call}`, () => {
          const problems = runCase(c, device);
          assert.deepEqual(problems, [], problems.join('\n'));
        });
      }
    });
  }
}
