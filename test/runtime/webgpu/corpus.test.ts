// Every model of the PyTorch corpus (test/corpus/) evaluated on the webgpu device in one process:
// each forward output must match real PyTorch's (first 16 values within 1e-5 + 1e-4·|x|, the sum
// within 1e-4·abs_sum), and no op may fall back to the CPU — the corpus is what the WGSL kernels
// are for, so a fallback here is a regression (its reason is in the failure message).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectSource } from '../../../language-server/analysis/inspect.ts';
import type { ClassSpec } from '../../../language-server/analysis/inputs.ts';
import {
  type WebGpuInit, clearWebgpuFallbacks, destroyWebGpu, initWebGpu, materialize, webgpuFallbacks,
} from '../../../runtime/devices/webgpu.ts';

const cpuOnly = process.env.NNLENS_CPU_ONLY === '1';
const corpus = fileURLToPath(new URL('../../corpus', import.meta.url));
const specs = JSON.parse(fs.readFileSync(path.join(corpus, 'inputs.json'), 'utf8')) as Record<string, Record<string, ClassSpec>>;

interface OutputTruth { path: unknown[]; shape: number[]; first16: number[]; sum: number | string; abs_sum: number | string }
interface ClassTruth { name: string; instance: { status: string; forward?: { status: string; outputs?: OutputTruth[] } } | null }
interface OurOutput { path: unknown[]; shape: number[]; first16?: number[]; sum?: number }
interface OurForward { status?: string; outputs?: OurOutput[]; values_error?: string; error?: unknown }
interface Ours { classes?: { name: string; instance?: { forward?: OurForward | null } | null }[] }

let init: WebGpuInit = { ok: false, reason: 'not initialised' };
before(async () => { init = await initWebGpu(); });
after(() => destroyWebGpu());

const close = (a: number | undefined, b: number): boolean => a !== undefined && Math.abs(a - b) <= 1e-5 + 1e-4 * Math.abs(b);

describe('corpus on webgpu', () => {
  const files = fs.readdirSync(path.join(corpus, 'models')).filter((f) => f.endsWith('.py')).sort();
  for (const file of files) {
    const stem = file.slice(0, -3);
    const truth = JSON.parse(fs.readFileSync(path.join(corpus, 'models', `${stem}.truth.json`), 'utf8')) as { classes: ClassTruth[] };
    const withOutputs = truth.classes.filter((c) => c.instance?.status === 'ok' && c.instance.forward?.status === 'ok' && (c.instance.forward.outputs ?? []).length > 0);
    if (withOutputs.length === 0) continue;
    it(`${stem}: forward outputs match PyTorch, no CPU fallback`, async (t) => {
      if (!init.ok) {
        if (cpuOnly) { t.skip(`CPU-only run: ${init.reason}`); return; }
        assert.fail(`no WebGPU adapter: ${init.reason}`);
      }
      clearWebgpuFallbacks();
      const source = fs.readFileSync(path.join(corpus, 'models', file), 'utf8');
      const report = await inspectSource(source, path.join(corpus, 'models', file), {
        device: 'webgpu', spec: specs[stem] ?? {}, materialize: async (x) => { await materialize(x); },
      }) as unknown as Ours;
      for (const cls of withOutputs) {
        const mine: OurForward | null | undefined = report.classes?.find((c) => c.name === cls.name)?.instance?.forward;
        assert.ok(mine, `${cls.name}: no forward result`);
        for (const out of cls.instance!.forward!.outputs!) {
          const got: OurOutput | undefined = mine.outputs?.find((o) => JSON.stringify(o.path) === JSON.stringify(out.path));
          assert.ok(got, `${cls.name} output ${JSON.stringify(out.path)} missing: ${mine.values_error ?? JSON.stringify(mine.error ?? mine.status)}`);
          assert.deepEqual(got.shape, out.shape, `${cls.name} output shape`);
          const bad = out.first16.findIndex((v, k) => !close(got.first16?.[k], v));
          assert.equal(bad, -1, `${cls.name} first16[${bad}]: got ${got.first16?.[bad]}, want ${out.first16[bad]}`);
          if (typeof out.sum === 'number' && typeof out.abs_sum === 'number') {
            assert.ok(typeof got.sum === 'number' && Math.abs(got.sum - out.sum) <= 1e-4 * Math.max(out.abs_sum, 1e-6) + 1e-5, `${cls.name} sum: got ${got.sum}, want ${out.sum}`);
          }
        }
      }
      assert.deepEqual(webgpuFallbacks(), [], 'ops that ran on the CPU instead of the GPU');
    });
  }
});
