// examples/*.py, the files a new user opens first: `nnlens inspect --json --device meta` compared with
// what real PyTorch did (test/examples/expected/, made by test/examples/make-expected.py). See golden.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { defineGoldenTests, root, type FileTruth, type GoldenCase } from './golden.ts';

const expectedDir = path.join(root, 'test/examples/expected');
const specs = JSON.parse(fs.readFileSync(path.join(root, 'test/examples/inputs.json'), 'utf8')) as Record<string, unknown>;
const stems = fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.py')).sort().map((f) => f.slice(0, -3));
const regenerate = '/usr/bin/python3 test/examples/make-expected.py';

it('every example has expected output', () => {
  const missing = stems.filter((s) => !fs.existsSync(path.join(expectedDir, `${s}.json`)));
  assert.deepEqual(missing, [], `no test/examples/expected/<stem>.json; run ${regenerate}`);
  assert.ok(stems.includes('tutorial_network'), 'examples/tutorial_network.py (the demo) is missing');
});

const cases: GoldenCase[] = stems
  .filter((s) => fs.existsSync(path.join(expectedDir, `${s}.json`)))
  .map((stem) => ({
    stem,
    file: `examples/${stem}.py`,
    truth: JSON.parse(fs.readFileSync(path.join(expectedDir, `${stem}.json`), 'utf8')) as FileTruth,
    spec: specs[stem] ?? {},
  }));

defineGoldenTests(cases, regenerate);
