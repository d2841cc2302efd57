// The PyTorch corpus (test/corpus/) through `nnlens inspect --json --device cpu`: the seeded values
// compared with real PyTorch's truth — every parameter's and buffer's sha256 and the draw count
// after `torch.manual_seed(0); Model()`, every input's sha256 after `torch.manual_seed(1)`, and
// every forward output within tolerance. See golden.ts.
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

defineGoldenTests(cases, 'copy the files again from ../shared/corpus (its oracle.py made them)', { device: 'cpu' });
