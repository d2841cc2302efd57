// Golden tests against real PyTorch: runs the built CLI (`node bin/nnlens.mjs inspect FILE --json
// --spec SPEC --device meta`) on model files and makes, as named subtests, the structure comparisons
// of ../shared/tools/corpus-check.mjs: import error, class line, construction status/error, repr
// (1.13 text or repr_torch2), parameters, buffers, num_params, forward status/error/output shape,
// call trace. With `{ device: 'cpu' }` the run is `--device cpu` and the subtests are the value
// comparisons instead: every parameter's sha256 (bit-exact seeded init), every buffer (sha256, or
// first values within tolerance), the draws the construction consumed, every forward input's
// sha256, and every output within
// 1e-5 + 1e-4·|x| (first16) and 1e-4·abs_sum (sum). A value that is missing because a kernel
// does not exist yet fails with the error that stopped it. The set of subtests depends only on
// the truth files, so a filter (--test-name-pattern 'lenet.Net repr') selects the same tests
// whatever the CLI does.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';

export const root = path.resolve(import.meta.dirname, '../..');
const cliPath = path.join(root, 'bin/nnlens.mjs');
const timeoutMs = Number(process.env.NNLENS_GOLDEN_TIMEOUT_S ?? 120) * 1000;
const concurrency = 2;

// ------------------------------------------------------------------ truth (corpus schema, test/corpus/README.md)

export interface ErrorInfo { type: string; message: string; line: number | null }
export type ShapeStruct = number[] | { tuple: ShapeStruct[] } | { list: ShapeStruct[] } | { dict: Record<string, ShapeStruct> }
  | { value: string } | null;
export type Call = [path: string, className: string, shape: ShapeStruct];
/** A float as the truth writes it ("nan"/"inf"/"-inf" for non-finite values). */
export type JsonFloat = number | string;
export interface InputTruth { kind: string; shape: number[]; dtype: string; first8?: JsonFloat[]; sha256?: string }
export interface OutputTruth { path: (number | string)[]; shape: number[]; dtype: string; first16: JsonFloat[]; sum: JsonFloat; abs_sum: JsonFloat }
export interface ForwardTruth {
  status: 'ok' | 'error'; output_shape?: ShapeStruct; error?: ErrorInfo; calls: Call[];
  inputs?: InputTruth[]; outputs?: OutputTruth[];
}
export interface TensorTruth { dtype: string; numel: number; first8: JsonFloat[]; sha256: string; persistent?: boolean }
export interface RngTruth { draws: number; normal_cache: JsonFloat | null }
export interface InstanceTruth {
  status: 'ok' | 'construct_error';
  error?: ErrorInfo;
  repr?: string;
  repr_torch2?: string | null;
  parameters?: [string, number[]][];
  buffers?: [string, number[]][];
  num_params?: number;
  forward?: ForwardTruth | null;
  parameter_details?: Record<string, TensorTruth>;
  buffer_details?: Record<string, TensorTruth>;
  rng_after_init?: RngTruth;
}
export interface ClassTruth { name: string; line: number; instance: InstanceTruth | null }
export interface FileTruth {
  source_sha256: string;
  import: { status: 'ok' } | { status: 'error'; error: ErrorInfo };
  classes: ClassTruth[];
}

/** What `nnlens inspect --json` prints; every field is optional because it comes from outside. */
interface Output {
  import?: { status?: string; error?: ErrorInfo };
  classes?: { name?: string; line?: number; instance?: OutputInstance | null }[];
}
interface OutputForward extends Partial<Omit<ForwardTruth, 'status'>> {
  status?: 'ok' | 'error' | 'unsupported';
  values_error?: string;
  unsupported?: { message: string };
}
interface OutputInstance extends Partial<Omit<InstanceTruth, 'forward'>> { forward?: OutputForward | null }

export interface GoldenCase {
  stem: string;
  /** model file, relative to the project root */
  file: string;
  truth: FileTruth;
  /** this file's run spec: class name -> {inputs, args?, kwargs?} (an inputs.json entry) */
  spec: unknown;
}

// ------------------------------------------------------------------ running the CLI

type Outcome = { json: Output } | { failure: string };

export type GoldenDevice = 'meta' | 'cpu';

function runInspect(c: GoldenCase, specDir: string, device: GoldenDevice): Promise<Outcome> {
  const specPath = path.join(specDir, `${c.stem}.spec.json`);
  fs.writeFileSync(specPath, JSON.stringify(c.spec ?? {}));
  const args = [cliPath, 'inspect', c.file, '--json', '--spec', specPath, '--device', device];
  const command = `node bin/nnlens.mjs inspect ${c.file} --json --spec ${specPath} --device ${device}`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolve({ failure: `${command}: could not start: ${e.message}` }));
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-5).join('\n');
      const how = signal ? `killed by ${signal}${signal === 'SIGTERM' ? ` (timeout ${timeoutMs / 1000} s?)` : ''}` : `exit ${code}`;
      try {
        const json: unknown = JSON.parse(stdout);
        if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('not an object');
        resolve({ json: json as Output });
      } catch {
        const shown = stdout.trim() ? `\nstdout: ${stdout.trim().slice(0, 300)}` : '';
        resolve({ failure: `${command}\nprinted no JSON object (${how})${shown}${stderr ? `\nstderr: ${stderr}` : ''}` });
      }
    });
  });
}

/** Starts runs in order with at most `concurrency` at a time; asking for case i also starts case i+1. */
function makeRunner(cases: GoldenCase[], specDir: string, device: GoldenDevice) {
  const results = new Map<number, Promise<Outcome>>();
  const queue: (() => void)[] = [];
  let running = 0;
  const start = (i: number) => {
    if (i >= cases.length || results.has(i)) return;
    results.set(i, new Promise<Outcome>((resolve) => {
      queue.push(() => {
        running += 1;
        runInspect(cases[i], specDir, device).then(resolve).finally(() => { running -= 1; queue.shift()?.(); });
      });
      if (running < concurrency) queue.shift()?.();
    }));
  };
  return (i: number) => { start(i); start(i + 1); return results.get(i)!; };
}

// ------------------------------------------------------------------ failure messages

class Mismatch extends Error {
  constructor(message: string) {
    super(message);
    this.stack = message; // the message is the whole story; a stack into this file would be noise
  }
}
function fail(message: string): never { throw new Mismatch(message); }
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const errorText = (e: ErrorInfo | undefined | null) => (e ? `${e.type}: ${e.message} (line ${e.line})` : 'no error');
const sameError = (ours: ErrorInfo | undefined, truth: ErrorInfo | undefined) =>
  !!ours && !!truth && ours.type === truth.type && ours.message === truth.message && ours.line === truth.line;

function listDiff(ours: unknown[] | undefined, truth: unknown[], what: string): string {
  if (!Array.isArray(ours)) return `${what}: got ${JSON.stringify(ours)}, want ${truth.length} entries`;
  for (let i = 0; i < Math.max(ours.length, truth.length); i++) {
    if (!same(ours[i], truth[i])) {
      return `${what} #${i} (of got ${ours.length} / want ${truth.length}):\n  got  ${JSON.stringify(ours[i])}\n  want ${JSON.stringify(truth[i])}`;
    }
  }
  return 'equal';
}

/** A line diff (longest common subsequence): ' ' both, '-' only in got, '+' only in want. */
export function textDiff(got: string, want: string): string {
  const a = got.split('\n');
  const b = want.split('\n');
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) { lines.push(`  ${a[i]}`); i++; j++; }
    else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) lines.push(`- ${a[i++]}`);
    else lines.push(`+ ${b[j++]}`);
  }
  return lines.join('\n');
}

// ------------------------------------------------------------------ the tests

type Check = [name: string, check: (ours: Output) => void];

function classChecks(stem: string, cls: ClassTruth): Check[] {
  const where = `${stem}.${cls.name}`;
  const mine = (ours: Output) => (ours.classes ?? []).find((c) => c.name === cls.name)
    ?? fail(`class ${cls.name} missing from the output (classes: ${JSON.stringify((ours.classes ?? []).map((c) => c.name))})`);
  const checks: Check[] = [[`${where} line`, (ours) => {
    const line = mine(ours).line;
    if (line !== cls.line) fail(`class line: got ${line}, want ${cls.line}`);
  }]];
  const truth = cls.instance;
  if (!truth) return checks;

  const instance = (ours: Output) => mine(ours).instance ?? fail(`${cls.name} was not instantiated (want status ${truth.status})`);
  const built = (ours: Output) => {
    const inst = instance(ours);
    return inst.status === 'ok' ? inst : fail(`${cls.name} not built: status ${inst.status}, ${errorText(inst.error)}`);
  };
  checks.push([`${where} status`, (ours) => {
    const inst = instance(ours);
    if (inst.status !== truth.status) fail(`status: got ${inst.status} (${errorText(inst.error)}), want ${truth.status}`);
  }]);
  if (truth.status === 'construct_error') {
    checks.push([`${where} construct error`, (ours) => {
      const inst = instance(ours);
      if (!sameError(inst.error, truth.error)) fail(`construct error:\n  got  ${errorText(inst.error)}\n  want ${errorText(truth.error)}`);
    }]);
    return checks;
  }
  checks.push(
    [`${where} repr`, (ours) => {
      const repr = built(ours).repr;
      if (repr === truth.repr || (truth.repr_torch2 && repr === truth.repr_torch2)) return;
      if (typeof repr !== 'string') fail(`repr: got ${JSON.stringify(repr)}`);
      fail(`repr differs from torch 1.13's print(model) (- got, + want):\n${textDiff(repr, truth.repr!)}`);
    }],
    [`${where} parameters`, (ours) => {
      const got = built(ours).parameters;
      if (!same(got, truth.parameters)) fail(listDiff(got, truth.parameters!, 'parameter'));
    }],
    [`${where} buffers`, (ours) => {
      const got = built(ours).buffers;
      if (!same(got, truth.buffers)) fail(listDiff(got, truth.buffers!, 'buffer'));
    }],
    [`${where} num_params`, (ours) => {
      const got = built(ours).num_params;
      if (got !== truth.num_params) fail(`num_params: got ${got}, want ${truth.num_params}`);
    }],
  );
  const fwd = truth.forward;
  if (!fwd) return checks;
  const forward = (ours: Output) => built(ours).forward ?? fail('no forward result');
  checks.push([`${where} forward.status`, (ours) => {
    const f = forward(ours);
    if (f.status !== fwd.status) fail(`forward status: got ${f.status} (${errorText(f.error)}), want ${fwd.status} (${errorText(fwd.error)})`);
  }]);
  if (fwd.status === 'error') {
    checks.push([`${where} forward.error`, (ours) => {
      const f = forward(ours);
      if (!sameError(f.error, fwd.error)) fail(`forward error:\n  got  ${errorText(f.error)}\n  want ${errorText(fwd.error)}`);
    }]);
  } else {
    checks.push([`${where} output_shape`, (ours) => {
      const f = forward(ours);
      if (!same(f.output_shape, fwd.output_shape)) fail(`output shape: got ${JSON.stringify(f.output_shape)}, want ${JSON.stringify(fwd.output_shape)}`);
    }]);
  }
  checks.push([`${where} calls`, (ours) => {
    const f = forward(ours);
    if (!same(f.calls, fwd.calls)) fail(listDiff(f.calls, fwd.calls, 'call'));
  }]);
  return checks;
}

// ------------------------------------------------------------------ value checks (--device cpu)

const close = (a: unknown, b: JsonFloat, atol = 1e-5, rtol = 1e-4): boolean => {
  if (typeof b === 'string' || typeof a === 'string') return a === b;
  return typeof a === 'number' && Math.abs(a - b) <= atol + rtol * Math.abs(b);
};

/** Why an instance has no values to compare: not built, or built with a different status. */
function valuesInstance(ours: Output, cls: ClassTruth): OutputInstance {
  const mine = (ours.classes ?? []).find((c) => c.name === cls.name) ?? fail(`class ${cls.name} missing from the output`);
  const inst = mine.instance ?? fail(`${cls.name} was not instantiated`);
  if (inst.status !== 'ok') fail(`${cls.name} not built: status ${inst.status}, ${errorText(inst.error)}`);
  return inst;
}

/** What stopped a forward from producing values (its error, an unsupported construct, a read-back problem). */
function forwardProblem(f: OutputForward | null | undefined): string {
  if (!f) return 'no forward result';
  if (f.status === 'error') return `the forward raised ${errorText(f.error)}`;
  if (f.status === 'unsupported') return `the forward was not run to the end: ${f.unsupported?.message ?? 'unsupported'}`;
  return f.values_error ?? 'no output values';
}

/**
 * Parameters must be bit-exact (seeded init). Buffers are computed by ordinary ops as often as they
 * are constants (a positional encoding's sin/cos), so a buffer that is not bit-exact passes when
 * its dtype, numel and first values agree within the output tolerance.
 */
function tensorCheck(kind: 'parameter' | 'buffer', name: string, truth: TensorTruth, inst: OutputInstance): void {
  const details = (kind === 'parameter' ? inst.parameter_details : inst.buffer_details) as Record<string, TensorTruth> | undefined;
  const mine = details?.[name] ?? fail(`no ${kind}_details for ${name} (have ${Object.keys(details ?? {}).length})`);
  if (mine.sha256 === truth.sha256) return;
  const firstValues = `\n  first8 got  ${JSON.stringify(mine.first8)}\n  first8 want ${JSON.stringify(truth.first8)}`;
  if (kind === 'parameter') fail(`parameter ${name} differs from torch.manual_seed(0) init:${firstValues}`);
  if (mine.dtype !== truth.dtype || mine.numel !== truth.numel) fail(`buffer ${name}: got ${mine.dtype}[${mine.numel}], want ${truth.dtype}[${truth.numel}]`);
  if (mine.persistent !== truth.persistent) fail(`buffer ${name}: persistent ${mine.persistent}, want ${truth.persistent}`);
  if (!truth.first8.every((v, k) => close(mine.first8[k], v))) fail(`buffer ${name} differs beyond tolerance:${firstValues}`);
}

function valueClassChecks(stem: string, cls: ClassTruth): Check[] {
  const truth = cls.instance;
  if (!truth || truth.status !== 'ok') return [];
  const where = `${stem}.${cls.name}`;
  const checks: Check[] = [];
  if (truth.rng_after_init) {
    const want = truth.rng_after_init;
    checks.push([`${where} rng_after_init`, (ours) => {
      const got = valuesInstance(ours, cls).rng_after_init;
      if (!same(got, want)) fail(`generator after construction: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }]);
  }
  for (const [name, d] of Object.entries(truth.parameter_details ?? {})) {
    checks.push([`${where} ${name}.sha256`, (ours) => tensorCheck('parameter', name, d, valuesInstance(ours, cls))]);
  }
  for (const [name, d] of Object.entries(truth.buffer_details ?? {})) {
    checks.push([`${where} buffer ${name}`, (ours) => tensorCheck('buffer', name, d, valuesInstance(ours, cls))]);
  }
  const fwd = truth.forward;
  if (!fwd) return checks;
  (fwd.inputs ?? []).forEach((input, i) => {
    checks.push([`${where} inputs[${i}].sha256`, (ours) => {
      const f = valuesInstance(ours, cls).forward ?? fail('no forward result');
      const mine = f.inputs?.[i] ?? fail(`no input ${i}`);
      if (mine.sha256 !== input.sha256) {
        fail(`input ${i} differs from torch.manual_seed(1) draws:\n  first8 got  ${JSON.stringify(mine.first8)}\n  first8 want ${JSON.stringify(input.first8)}`);
      }
    }]);
  });
  if (fwd.status !== 'ok') return checks;
  for (const out of fwd.outputs ?? []) {
    checks.push([`${where} outputs${JSON.stringify(out.path)}`, (ours) => {
      const f = valuesInstance(ours, cls).forward;
      const mine = (f?.outputs ?? []).find((o) => same(o.path, out.path)) ?? fail(`output ${JSON.stringify(out.path)} missing: ${forwardProblem(f)}`);
      if (!same(mine.shape, out.shape)) fail(`output shape: got ${JSON.stringify(mine.shape)}, want ${JSON.stringify(out.shape)}`);
      const bad = out.first16.findIndex((v, k) => !close(mine.first16?.[k], v));
      if (bad >= 0) fail(`first16[${bad}]: got ${JSON.stringify(mine.first16?.[bad])}, want ${JSON.stringify(out.first16[bad])} (tolerance 1e-5 + 1e-4·|x|)\n  got  ${JSON.stringify(mine.first16)}\n  want ${JSON.stringify(out.first16)}`);
      const absSum = typeof out.abs_sum === 'number' ? out.abs_sum : Infinity;
      const sumOk = typeof out.sum === 'number' && typeof mine.sum === 'number'
        ? Math.abs(mine.sum - out.sum) <= 1e-4 * Math.max(absSum, 1e-6) + 1e-5
        : mine.sum === out.sum;
      if (!sumOk) fail(`sum: got ${mine.sum}, want ${out.sum} (tolerance 1e-4·abs_sum = ${1e-4 * absSum})`);
    }]);
  }
  return checks;
}

function valueChecks(c: GoldenCase): Check[] {
  if (c.truth.import.status === 'error') return [];
  return c.truth.classes.flatMap((cls) => valueClassChecks(c.stem, cls));
}

function fileChecks(c: GoldenCase): Check[] {
  const imp = c.truth.import;
  if (imp.status === 'error') {
    return [[`${c.stem} import error`, (ours) => {
      if (ours.import?.status !== 'error' || !sameError(ours.import.error, imp.error)) {
        fail(`import: got ${JSON.stringify(ours.import)}, want error ${errorText(imp.error)}`);
      }
    }]];
  }
  return [
    [`${c.stem} import`, (ours) => {
      if (ours.import?.status !== 'ok') fail(`import: got ${JSON.stringify(ours.import)}, want ok`);
    }],
    ...c.truth.classes.flatMap((cls) => classChecks(c.stem, cls)),
  ];
}

/**
 * Registers one suite per case: a source-drift check, the CLI run, then one test per comparison
 * (structure on `meta`, values on `cpu`).
 */
export function defineGoldenTests(cases: GoldenCase[], regenerate: string, options: { device?: GoldenDevice } = {}): void {
  const device = options.device ?? 'meta';
  const specDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlens-golden-'));
  after(() => fs.rmSync(specDir, { recursive: true, force: true }));
  const outcome = makeRunner(cases, specDir, device);
  const suffix = device === 'meta' ? '' : ` --device ${device}`;

  cases.forEach((c, index) => {
    describe(`${c.stem}${suffix}`, () => {
      let reported = false; // the "printed JSON" test ran and showed why there is nothing to compare

      it(`${c.stem} truth matches the source${suffix}`, () => {
        const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(root, c.file))).digest('hex');
        assert.equal(sha, c.truth.source_sha256, `${c.file} changed since its truth was recorded; regenerate: ${regenerate}`);
      });

      it(`${c.stem} nnlens inspect --json${suffix}`, async () => {
        const result = await outcome(index);
        reported = true;
        if ('failure' in result) fail(result.failure);
      });

      for (const [name, check] of device === 'meta' ? fileChecks(c) : valueChecks(c)) {
        it(name, async (t: TestContext) => {
          const result = await outcome(index);
          if ('failure' in result) {
            if (reported) { t.skip(`no JSON to compare (see "${c.stem} nnlens inspect --json${suffix}")`); return; }
            fail(result.failure);
          } else {
            check(result.json);
          }
        });
      }
    });
  });
}
