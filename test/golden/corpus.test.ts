// The PyTorch corpus (test/corpus/, copied from ../shared/corpus): every model file through
// `nnlens inspect --json --device meta`, compared with real PyTorch's truth. See golden.ts.
import fs from 'node:fs';
import path from 'node:path';
import { defineGoldenTests, root, type FileTruth, type GoldenCase } from './golden.ts';

const corpus = path.join(root, 'test/corpus');
const specs = JSON.parse(fs.readFileSync(path.join(corpus, 'inputs.json'), 'utf8')) as Record<string, unknown>;
const cases: GoldenCase[] = fs.readdirSync(path.join(corpus, 'models'))
  .filter((f) => f.endsWith('.py'))
  .sort()
  .map((f) => {
    const stem = f.slice(0, -3);
    const truth = JSON.parse(fs.readFileSync(path.join(corpus, 'models', `${stem}.truth.json`), 'utf8')) as FileTruth;
    return { stem, file: `test/corpus/models/${f}`, truth, spec: specs[stem] ?? {} };
  });

defineGoldenTests(cases, 'copy the files again from ../shared/corpus (its oracle.py made them)');
