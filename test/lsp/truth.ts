// The PyTorch truth of the corpus (test/corpus/models/*.truth.json) and its run specs (inputs.json),
// for asserting exact texts in LSP answers.
import fs from 'node:fs';
import path from 'node:path';
import { root } from './server-process.ts';

export interface TruthClass {
  name: string;
  line: number;
  required_args: string[];
  instance: null | {
    status: string;
    repr?: string;
    repr_torch2?: string;
    parameters?: [string, number[]][];
    num_params?: number;
    num_trainable_params?: number;
    submodules?: [string, string, string][];
    submodules_repr_torch2?: [string, string][] | Record<string, string>;
    error?: { type: string; message: string; line: number };
    forward?: { status: string; calls: [string, string, unknown][]; output_shape?: unknown; error?: { type: string; message: string; line: number }; inputs?: { shape: number[] }[] };
  };
}
export interface Truth { import: { status: string; error?: { type: string; message: string; line: number; col: number } }; classes: TruthClass[] }

const corpus = path.join(root, 'test/corpus');

export function corpusFiles(): string[] {
  return fs.readdirSync(path.join(corpus, 'models')).filter((f) => f.endsWith('.py')).sort();
}

export function truthOf(file: string): Truth {
  return JSON.parse(fs.readFileSync(path.join(corpus, 'models', file.replace(/\.py$/, '.truth.json')), 'utf8'));
}

interface InputSpec { kind: string; shape?: number[] }
const inputs: Record<string, Record<string, { inputs?: InputSpec[]; args?: unknown[]; kwargs?: unknown }>> = JSON.parse(fs.readFileSync(path.join(corpus, 'inputs.json'), 'utf8'));

/** Whether the oracle built the class with constructor arguments from inputs.json (the editor never sees those). */
export function builtWithArguments(file: string, className: string): boolean {
  const spec = inputs[file.replace(/\.py$/, '')]?.[className];
  return Boolean(spec?.args || spec?.kwargs);
}

/** The single randn/randint input the oracle used for a class, if that is all it used. */
export function singleInput(file: string, className: string): { shape: number[]; dtype: 'float32' | 'int64' } | null {
  const spec = inputs[file.replace(/\.py$/, '')]?.[className];
  if (!spec?.inputs || spec.inputs.length !== 1 || spec.args || spec.kwargs) return null;
  const [only] = spec.inputs;
  if (!only?.shape || (only.kind !== 'randn' && only.kind !== 'randint')) return null;
  return { shape: only.shape, dtype: only.kind === 'randint' ? 'int64' : 'float32' };
}

/** The Python code block a hover starts with. */
export function firstCodeBlock(markdown: string): string | null {
  const m = /```python\n([\s\S]*?)\n```/.exec(markdown);
  return m ? m[1]! : null;
}
