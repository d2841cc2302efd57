// The corpus models as the value-tier benchmark runs them: each class is constructed once (the
// oracle's `torch.manual_seed(0); m = Cls(*args, **kwargs)`, inputs after `torch.manual_seed(1)`),
// then only its forward is timed. The interpreter is the one `inspectSource` uses; construction,
// input creation and the first (warm-up) forward are outside the timed region.
import fs from 'node:fs';
import path from 'node:path';
import { initParser, parsePython } from '../../language-server/syntax/parse.ts';
import { Interpreter } from '../../language-server/eval/interpreter.ts';
import { noSiblings } from '../../language-server/eval/imports.ts';
import { PyClass } from '../../language-server/eval/objects.ts';
import { formatException } from '../../language-server/eval/exceptions.ts';
import { type ClassSpec, createInputs } from '../../language-server/analysis/inputs.ts';
import { jsonToPython } from '../../language-server/analysis/inspect.ts';
import { tensorLeaves } from '../../language-server/analysis/values.ts';
import { Module } from '../../runtime/nn/module.ts';
import { withRuntimeContext } from '../../runtime/context.ts';
import { manualSeed } from '../../runtime/torch/random.ts';
import type { Tensor } from '../../runtime/tensor.ts';
import type { Kwargs, PyValue } from '../../runtime/python/index.ts';
import '../../runtime/kernels/cpu/index.ts';

/** One corpus class with a run spec whose forward PyTorch runs (its truth file says `ok`). */
export interface CorpusModel {
  /** `lenet.Net` */
  id: string;
  stem: string;
  className: string;
  file: string;
  spec: ClassSpec;
  params: number;
  /** PyTorch's outputs (first 16 values per tensor), to check that what is timed is right. */
  truth: { path: unknown[]; shape: number[]; first16: number[] }[];
}

interface TruthFile {
  classes: { name: string; instance: { status: string; num_params?: number; forward?: { status: string; outputs?: CorpusModel['truth'] } | null } | null }[];
}

export function corpusModels(corpusDir: string): CorpusModel[] {
  const specs = JSON.parse(fs.readFileSync(path.join(corpusDir, 'inputs.json'), 'utf8')) as Record<string, Record<string, ClassSpec> | string>;
  const out: CorpusModel[] = [];
  for (const [stem, classes] of Object.entries(specs)) {
    if (typeof classes !== 'object' || stem.startsWith('_')) continue;
    const file = path.join(corpusDir, 'models', `${stem}.py`);
    const truthFile = path.join(corpusDir, 'models', `${stem}.truth.json`);
    if (!fs.existsSync(file) || !fs.existsSync(truthFile)) continue;
    const truth = JSON.parse(fs.readFileSync(truthFile, 'utf8')) as TruthFile;
    for (const [className, spec] of Object.entries(classes)) {
      const t = truth.classes.find((c) => c.name === className);
      if (t?.instance?.status !== 'ok' || t.instance.forward?.status !== 'ok' || !spec.inputs) continue;
      out.push({ id: `${stem}.${className}`, stem, className, file, spec, params: t.instance.num_params ?? 0, truth: t.instance.forward.outputs ?? [] });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** A constructed model and its inputs on one device; `forward()` runs it once (encodes, on webgpu). */
export interface LoadedModel {
  forward(): Tensor[];
}

/** Parses and evaluates the file, constructs the class and creates its inputs on `device`. */
export async function loadModel(m: CorpusModel, device: 'cpu' | 'webgpu'): Promise<LoadedModel> {
  await initParser();
  const parsed = parsePython(fs.readFileSync(m.file, 'utf8'));
  if (parsed.errors.length) throw new Error(`syntax error: ${parsed.errors[0]!.message}`);
  // A budget no benchmark reaches: the editor's limits guard against runaway user code, not work.
  const it = new Interpreter({ moduleName: m.stem, importer: noSiblings, budget: { maxSteps: Number.MAX_SAFE_INTEGER, maxElements: Number.MAX_SAFE_INTEGER, maxDepth: 200 } });
  const ctx = { device };
  return withRuntimeContext(ctx, () => {
    const { firstError } = it.runModule(parsed.module.body);
    if (firstError) throw new Error(formatException(firstError));
    const cls = it.globals.vars.get(m.className);
    if (!(cls instanceof PyClass)) throw new Error(`${m.className} is not a class`);
    manualSeed(0);
    const model = it.callValue(cls, (m.spec.args ?? []).map(jsonToPython), new Map(Object.entries(m.spec.kwargs ?? {}).map(([k, v]) => [k, jsonToPython(v)])));
    if (!(model instanceof Module)) throw new Error('the constructor did not return a module');
    model.train(false);
    manualSeed(1);
    const { tensors } = createInputs(m.spec.inputs ?? []);
    const kwargs: Kwargs = new Map(Object.entries(m.spec.forward_kwargs ?? {}).map(([k, v]) => [k, jsonToPython(v)]));
    return {
      forward: () => withRuntimeContext(ctx, () => {
        it.budget.steps = 0;
        it.budget.elements = 0;
        let out: PyValue;
        try {
          out = it.callValue(model, tensors, kwargs);
        } catch (e) {
          const py = it.asPythonException(e);
          throw new Error(py ? formatException(py) : e instanceof Error ? e.message : String(e));
        }
        return tensorLeaves(out).map(([, t]) => t);
      }),
    };
  });
}

/** Whether `values` (the output tensors' values, in leaf order) match PyTorch's first 16 values. */
export function matchesTruth(m: CorpusModel, values: ArrayLike<number>[]): string | null {
  if (values.length !== m.truth.length) return `${values.length} output tensors, PyTorch has ${m.truth.length}`;
  for (let i = 0; i < values.length; i++) {
    const want = m.truth[i]!.first16;
    for (let k = 0; k < want.length; k++) {
      const got = Number(values[i]![k]);
      if (!(Math.abs(got - want[k]!) <= 1e-4 + 1e-3 * Math.abs(want[k]!))) return `output ${i}[${k}] = ${got}, PyTorch ${want[k]}`;
    }
  }
  return null;
}
