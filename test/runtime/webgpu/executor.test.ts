// How work runs on the webgpu device: one submission per forward pass, readback of only what is
// asked, weights uploaded once, CPU fallbacks recorded (and run between GPU segments when their
// inputs exist only on the GPU), in-place ops, tensors over a binding limit, and GPU errors
// surfacing as readback errors with Dawn's message.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../../runtime/index.ts';
import { Tensor } from '../../../runtime/tensor.ts';
import { float32, int64 } from '../../../runtime/dtype.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import { binary, binaryInplace, unary } from '../../../runtime/ops/elementwise.ts';
import { linear, matmul } from '../../../runtime/ops/matmul.ts';
import { softmax, sum } from '../../../runtime/ops/reduce.ts';
import { view } from '../../../runtime/ops/shape-ops.ts';
import { embedding } from '../../../runtime/ops/index-ops.ts';
import { wrapScalar } from '../../../runtime/ops/scalar.ts';
import { defineOp, registerKernel, runOp } from '../../../runtime/ops/registry.ts';
import {
  type WebGpuInit, clearWebgpuFallbacks, destroyWebGpu, initWebGpu, readback, readbackData, webgpuAdapterInfo, webgpuFallbacks, webgpuStats,
} from '../../../runtime/devices/webgpu.ts';
import { Params, dispatch, output } from '../../../runtime/kernels/webgpu/common.ts';
import { guarded } from '../../../runtime/devices/webgpu-program.ts';

const cpuOnly = process.env.NNLENS_CPU_ONLY === '1';
let init: WebGpuInit = { ok: false, reason: 'not initialised' };
before(async () => { init = await initWebGpu(); });
after(() => destroyWebGpu());

const gpu = <T>(fn: () => T): T => withRuntimeContext({ device: 'webgpu' }, fn);
const tensor = (shape: number[], f: (i: number) => number): Tensor =>
  new Tensor(shape, float32, 'webgpu', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => f(i)));

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i]! - want[i]!) <= 1e-5 + 1e-4 * Math.abs(want[i]!);
    assert.ok(ok, `${what}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

/** y = relu(x @ w + b) computed on the host, for checking. */
function reference(x: Tensor, w: Tensor, M: number, K: number, N: number): number[] {
  const xd = x.data as Float32Array;
  const wd = w.data as Float32Array;
  const out: number[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += xd[i * K + k]! * wd[j * K + k]!;
      out.push(Math.max(0, s));
    }
  }
  return out;
}

describe('webgpu executor', () => {
  it('needs an adapter (or a CPU-only run)', (t) => {
    if (cpuOnly && !init.ok) { t.skip(`CPU-only run: ${init.reason}`); return; }
    assert.ok(init.ok, `no WebGPU adapter: ${init.ok ? '' : init.reason}`);
  });

  it('encodes a forward pass into one submission and reads back only the tensor asked for', async (t) => {
    if (!init.ok) { t.skip(init.reason); return; }
    const x = tensor([6, 10], (i) => Math.sin(i));
    const w = tensor([8, 10], (i) => Math.cos(i * 0.7));
    const before = webgpuStats();
    const y = gpu(() => {
      let h = linear(x, w, null);
      h = unary.relu!(h);
      const scores = softmax(h, 1);
      return { h, scores, total: sum(scores) };
    });
    assert.equal(y.h.data, null, 'results stay on the GPU');
    assert.ok(y.h.gpu !== null);
    const mid = webgpuStats();
    assert.equal(mid.submits, before.submits, 'nothing is submitted while ops run');
    assert.ok(mid.dispatches - before.dispatches >= 4, 'every op encoded a dispatch');
    const values = await readback(y.h);
    const after = webgpuStats();
    assert.equal(after.submits - before.submits, 1, 'the whole forward pass is one submission');
    assert.equal(after.readbackBytes - before.readbackBytes, y.h.numel() * 4, 'only the tensor asked for is read');
    assertClose(values, reference(x, w, 6, 10, 8), 'relu(linear)');
    const total = await readback(y.total);
    assertClose(total, [6], 'softmax rows sum to 1');
  });

  it('uploads a weight once and reuses it in later forward passes', async (t) => {
    if (!init.ok) { t.skip(init.reason); return; }
    const x = tensor([4, 12], (i) => (i % 7) - 3);
    const w = tensor([5, 12], (i) => ((i * 3) % 11) / 10);
    const first = webgpuStats();
    const y1 = gpu(() => unary.relu!(linear(x, w, null)));
    await readback(y1);
    const second = webgpuStats();
    assert.equal(second.uploads - first.uploads, 2, 'x and w uploaded once each');
    const storage = w.gpu;
    assert.ok(storage !== null && w.data !== null, 'the weight keeps its host values and its GPU copy');
    const y2 = gpu(() => unary.relu!(linear(x, w, null)));
    assertClose(await readback(y2), reference(x, w, 4, 12, 5), 'second forward');
    assert.equal(webgpuStats().uploads, second.uploads, 'no upload in the second forward');
    assert.equal(w.gpu, storage, 'the same GPU storage');
  });

  it('runs an op without a WGSL kernel on the CPU between GPU segments, and says so', async (t) => {
    if (!init.ok) { t.skip(init.reason); return; }
    // An op with only a cpu kernel: a running sum along the last dim.
    const cpuOnlyOp = defineOp<Record<string, never>>('test_cpu_only_running_sum', ([x]) => ({ shape: x!.shape, dtype: x!.dtype }));
    registerKernel(cpuOnlyOp, 'cpu', ([x], _a, [out]) => {
      const cols = x!.shape[x!.ndim - 1]!;
      const src = x!.data as Float32Array;
      const dst = out!.data as Float32Array;
      for (let i = 0; i < src.length; i++) dst[i] = src[i]! + (i % cols === 0 ? 0 : dst[i - 1]!);
    });
    clearWebgpuFallbacks();
    const x = tensor([3, 5], (i) => i - 7);
    const hostSteps = webgpuStats().hostSteps;
    // relu on the GPU, the cpu-only op on the CPU, then neg on the GPU again.
    const y = gpu(() => unary.neg!(runOp(cpuOnlyOp, [unary.relu!(x)], {})));
    const want: number[] = [];
    for (let r = 0; r < 3; r++) {
      let s = 0;
      for (let c = 0; c < 5; c++) { s += Math.max(0, r * 5 + c - 7); want.push(-s); }
    }
    assertClose(await readback(y), want, 'neg(running_sum(relu(x)))');
    assert.equal(webgpuStats().hostSteps - hostSteps, 1, 'one host step');
    const notices = webgpuFallbacks();
    assert.deepEqual(notices.map((n) => [n.op, n.reason]), [['test_cpu_only_running_sum', 'no WGSL kernel']]);
    const onHost = gpu(() => runOp(cpuOnlyOp, [x], {}));
    assert.ok(onHost.data !== null, 'with host inputs it runs at once');
    assert.equal(webgpuFallbacks().length, 1, 'one notice per op and reason');
    assert.equal(webgpuFallbacks()[0]!.count, 2, 'counting how often it ran');
  });

  it('gives an in-place op on a GPU tensor a new storage, leaving views with the old values', async (t) => {
    if (!init.ok) { t.skip(init.reason); return; }
    const x = gpu(() => unary.relu!(tensor([2, 3], (i) => i - 2)));
    const v = gpu(() => view(x, [6]));
    assert.equal(v.gpu, x.gpu, 'a view shares the storage');
    gpu(() => binaryInplace('add', x, wrapScalar({ kind: 'float', value: 10 })));
    assert.notEqual(v.gpu, x.gpu);
    assertClose(await readback(x), [10, 10, 10, 11, 12, 13], 'x after x += 10');
    assertClose(await readback(v), [0, 0, 0, 1, 2, 3], 'the view keeps its values');
  });

  it('writes in-place results on host values into the existing array (param.data aliases see them)', async (t) => {
    if (!init.ok) { t.skip(init.reason); return; }
    const p = tensor([4], (i) => i);
    const alias = new Tensor(p.shape, p.dtype, p.device, p.data);
    // What parameter initialisation does: `p.data.mul_(2)` before any forward pass.
    gpu(() => binaryInplace('mul', p, wrapScalar({ kind: 'float', value: 2 })));
    assert.equal(p.gpu, null, 'stays on the host');
    assert.equal(alias.data, p.data, 'the alias shares the array');
    assertClose(alias.data as Float32Array, [0, 2, 4, 6], 'p *= 2 seen through the alias');
    // Once uploaded, the GPU copy is used; a later host write drops it, so the next use re-uploads.
    const y = gpu(() => unary.neg!(p));
    assertClose(await readback(y), [0, -2, -4, -6], '-p');
    assert.ok(p.gpu !== null);
    assertClose((await readbackData(p)) as Float32Array, [0, 2, 4, 6], 'p');
  });

  it('checks host indices with torch\'s IndexError before encoding', (t) => {
    if (!init.ok) { t.skip(init.reason); return; }
    const weight = tensor([4, 3], (i) => i);
    const idx = new Tensor([2], int64, 'webgpu', BigInt64Array.from([1n, 9n]));
    assert.throws(() => gpu(() => embedding(weight, idx)), /index out of range in self/);
  });

  it('refuses a tensor over the adapter\'s binding limit with a clear reason and computes it on the CPU', async (t) => {
    if (!init.ok) { t.skip(init.reason); return; }
    const limits = webgpuAdapterInfo()!.limits;
    const saved = limits.maxStorageBufferBindingSize;
    clearWebgpuFallbacks();
    try {
      limits.maxStorageBufferBindingSize = 1024;
      const a = tensor([16, 16], (i) => (i % 5) - 2);
      const b = tensor([16, 32], (i) => (i % 3) - 1);
      const y = gpu(() => matmul(a, b));
      assert.ok(y.data !== null, 'computed on the host');
      const notice = webgpuFallbacks().find((n) => n.op === 'matmul');
      assert.ok(notice, 'recorded as a fallback');
      assert.match(notice.reason, /needs 2\.0 KiB, over this adapter's maxStorageBufferBindingSize \(1\.0 KiB\)/);
      const want: number[] = [];
      for (let i = 0; i < 16; i++) for (let j = 0; j < 32; j++) { let s = 0; for (let k = 0; k < 16; k++) s += ((i * 16 + k) % 5 - 2) * ((k * 32 + j) % 3 - 1); want.push(s); }
      assertClose(await readback(y), want, 'matmul on the CPU');
    } finally {
      limits.maxStorageBufferBindingSize = saved;
    }
  });

  it('binds a linear weight over the binding limit in slices of rows', async (t) => {
    if (!init.ok) { t.skip(init.reason); return; }
    const limits = webgpuAdapterInfo()!.limits;
    const saved = limits.maxStorageBufferBindingSize;
    clearWebgpuFallbacks();
    try {
      limits.maxStorageBufferBindingSize = 1024;
      const x = tensor([4, 16], (i) => Math.sin(i));
      const w = tensor([64, 16], (i) => Math.cos(i * 0.3));
      const b = tensor([64], (i) => i / 64);
      const before = webgpuStats().dispatches;
      const y = gpu(() => linear(x, w, b));
      assert.equal(y.data, null, 'computed on the GPU');
      assert.equal(webgpuStats().dispatches - before, 4, 'a 4 KiB weight in four 1 KiB slices');
      assert.deepEqual(webgpuFallbacks(), []);
      const want: number[] = [];
      for (let i = 0; i < 4; i++) for (let j = 0; j < 64; j++) { let s = j / 64; for (let k = 0; k < 16; k++) s += Math.fround(Math.sin(i * 16 + k)) * Math.fround(Math.cos((j * 16 + k) * 0.3)); want.push(s); }
      assertClose(await readback(y), want, 'linear in slices');
    } finally {
      limits.maxStorageBufferBindingSize = saved;
    }
  });

  it('fails every read of a forward pass whose CPU step failed, never returning unfilled values', async (t) => {
    if (!init.ok) { t.skip(init.reason); return; }
    const failing = defineOp<Record<string, never>>('test_failing_cpu_step', ([x]) => ({ shape: x!.shape, dtype: x!.dtype }));
    registerKernel(failing, 'cpu', () => { throw new Error('values out of range'); });
    const x = tensor([3], (i) => i);
    const { a, b } = gpu(() => {
      const r = unary.relu!(x);
      const bad = runOp(failing, [r], {});
      return { a: unary.neg!(bad), b: unary.exp!(bad) };
    });
    await assert.rejects(readback(a), /cpu fallback for test_failing_cpu_step failed: values out of range/);
    await assert.rejects(readback(b), /the work that computes this tensor failed: cpu fallback for test_failing_cpu_step failed/);
    assertClose(await readback(gpu(() => unary.neg!(x))), [0, -1, -2], 'later work');
  });

  it('reports a GPU validation error when the values are read back, then keeps working', async (t) => {
    if (!init.ok) { t.skip(init.reason); return; }
    const target = new Tensor([4], float32, 'webgpu');
    const storage = output(target);
    guarded('test', () => dispatch('test:broken-shader', () => 'this is not WGSL', new Params().u32(4), [storage], [1, 1, 1]));
    await assert.rejects(readback(target), /WebGPU (validation )?error[\s\S]*(WGSL|parsing|Invalid)/i);
    const y = gpu(() => binary.add!(tensor([2], (i) => i), tensor([2], () => 1)));
    assertClose(await readback(y), [1, 2], 'after the error');
  });
});
