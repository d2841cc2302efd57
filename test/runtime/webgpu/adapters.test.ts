// Adapter selection and device lifecycle: each software adapter this machine has (llvmpipe through
// Dawn's OpenGL backend, SwiftShader through chromium's Vulkan ICD) computes correct values; a
// missing adapter comes back as a reason, not an exception; a lost device turns into clear errors
// and a new device can be made; a process that used the GPU exits on its own.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import '../../../runtime/index.ts';
import { Tensor } from '../../../runtime/tensor.ts';
import { float32 } from '../../../runtime/dtype.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import { unary } from '../../../runtime/ops/elementwise.ts';
import { matmul } from '../../../runtime/ops/matmul.ts';
import { softmax } from '../../../runtime/ops/reduce.ts';
import { convolution } from '../../../runtime/ops/conv.ts';
import { destroyWebGpu, initWebGpu, readback } from '../../../runtime/devices/webgpu.ts';
import { currentGpu } from '../../../runtime/devices/webgpu-context.ts';

const cpuOnly = process.env.NNLENS_CPU_ONLY === '1';
const root = fileURLToPath(new URL('../../..', import.meta.url));
after(() => destroyWebGpu());

const gpu = <T>(fn: () => T): T => withRuntimeContext({ device: 'webgpu' }, fn);
const tensor = (shape: number[], f: (i: number) => number): Tensor =>
  new Tensor(shape, float32, 'webgpu', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => f(i)));

/** A small conv + matmul + softmax program checked against the same arithmetic on the host. */
async function checkProgram(): Promise<void> {
  const x = tensor([1, 2, 5, 5], (i) => Math.sin(i));
  const w = tensor([3, 2, 3, 3], (i) => Math.cos(i * 0.5));
  const conv = gpu(() => convolution(x, w, null, { spatial: 2, stride: [1], padding: [1], dilation: [1], groups: 1, transposed: false, outputPadding: [0] }));
  const want: number[] = [];
  for (let co = 0; co < 3; co++) {
    for (let oy = 0; oy < 5; oy++) {
      for (let ox = 0; ox < 5; ox++) {
        let s = 0;
        for (let ci = 0; ci < 2; ci++) {
          for (let ky = 0; ky < 3; ky++) {
            for (let kx = 0; kx < 3; kx++) {
              const iy = oy + ky - 1;
              const ix = ox + kx - 1;
              if (iy < 0 || iy >= 5 || ix < 0 || ix >= 5) continue;
              s += Math.fround(Math.sin(ci * 25 + iy * 5 + ix)) * Math.fround(Math.cos(((co * 2 + ci) * 3 + ky) * 3 * 0.5 + kx * 0.5));
            }
          }
        }
        want.push(s);
      }
    }
  }
  const got = await readback(conv);
  want.forEach((v, i) => assert.ok(Math.abs(got[i]! - v) <= 1e-5 + 1e-4 * Math.abs(v), `conv[${i}]: ${got[i]} vs ${v}`));
  const a = tensor([4, 6], (i) => (i % 5) - 2);
  const b = tensor([6, 3], (i) => (i % 4) - 1.5);
  const probs = await readback(gpu(() => softmax(unary.relu!(matmul(a, b)), 1)));
  for (let r = 0; r < 4; r++) {
    const row = [0, 1, 2].map((c) => { let s = 0; for (let k = 0; k < 6; k++) s += (((r * 6 + k) % 5) - 2) * (((k * 3 + c) % 4) - 1.5); return Math.exp(Math.max(0, s)); });
    const total = row.reduce((p, q) => p + q, 0);
    row.forEach((v, c) => assert.ok(Math.abs(probs[r * 3 + c]! - v / total) < 1e-5, `softmax[${r}, ${c}]`));
  }
}

describe('webgpu adapters', () => {
  for (const adapter of ['llvmpipe', 'swiftshader'] as const) {
    it(`computes correct values on ${adapter} when it is installed`, async (t) => {
      destroyWebGpu();
      const init = await initWebGpu({ adapter });
      if (!init.ok) {
        // Only a missing package is a skip; anything else about an installed adapter is a failure.
        if (/not installed|apt-get install|no OpenGL adapter/.test(init.reason)) { t.skip(init.reason); return; }
        assert.fail(init.reason);
      }
      assert.equal(init.adapterInfo.source, adapter);
      assert.equal(init.adapterInfo.kind, 'cpu-emulated');
      assert.equal(init.adapterInfo.kernelStyle, process.env.NNLENS_WEBGPU_KERNELS ?? 'registers');
      t.diagnostic(`${adapter}: ${init.adapterInfo.device} / ${init.adapterInfo.description}`);
      await checkProgram();
    });
  }

  it('finds some adapter on its own (or the run is CPU-only)', async (t) => {
    destroyWebGpu();
    const init = await initWebGpu();
    if (cpuOnly && !init.ok) { t.skip(`CPU-only run: ${init.reason}`); return; }
    assert.ok(init.ok, `no WebGPU adapter: ${init.ok ? '' : init.reason}`);
  });

  it('says why when an adapter is missing, without throwing', async () => {
    destroyWebGpu();
    const saved = process.env.NNLENS_SWIFTSHADER_ICD;
    process.env.NNLENS_SWIFTSHADER_ICD = '/nonexistent/vk_swiftshader_icd.json';
    try {
      const init = await initWebGpu({ adapter: 'swiftshader' });
      assert.equal(init.ok, false);
      assert.match((init as { reason: string }).reason, /^no usable WebGPU adapter \(swiftshader: its Vulkan ICD is not installed .*apt-get install chromium libvulkan1\)/);
      assert.throws(() => gpu(() => unary.relu!(tensor([2], (i) => i))), /WebGPU is not available: no usable WebGPU adapter/);
    } finally {
      if (saved === undefined) delete process.env.NNLENS_SWIFTSHADER_ICD; else process.env.NNLENS_SWIFTSHADER_ICD = saved;
    }
  });

  it('turns a lost device into errors that say so, and makes a new device on request', async (t) => {
    destroyWebGpu();
    const init = await initWebGpu();
    if (!init.ok) { t.skip(init.reason); return; }
    const onGpu = gpu(() => unary.relu!(tensor([3], (i) => i - 1)));
    const ctx = currentGpu()!;
    ctx.device.destroy();
    await ctx.device.lost;
    assert.throws(() => gpu(() => unary.neg!(tensor([2], (i) => i))), /WebGPU device was lost/);
    await assert.rejects(readback(onGpu), /device was lost|not available|gone/);
    const again = await initWebGpu();
    assert.ok(again.ok, 'a new device');
    assert.throws(() => gpu(() => unary.neg!(onGpu)), /on a WebGPU device that is gone/);
    assertValues(await readback(gpu(() => unary.neg!(tensor([2], (i) => i + 1)))), [-1, -2]);
  });

  it('lets the process exit after using the GPU', async (t) => {
    if (cpuOnly) { t.skip('CPU-only run'); return; }
    const script = `
      import { initWebGpu, readback } from './runtime/devices/webgpu.ts';
      import { Tensor } from './runtime/tensor.ts';
      import { float32 } from './runtime/dtype.ts';
      import { unary } from './runtime/ops/elementwise.ts';
      import { withRuntimeContext } from './runtime/context.ts';
      const init = await initWebGpu();
      if (!init.ok) { console.log('no adapter'); process.exit(3); }
      const y = withRuntimeContext({ device: 'webgpu' }, () => unary.relu(new Tensor([3], float32, 'webgpu', Float32Array.from([-1, 0, 2]))));
      console.log('values', Array.from(await readback(y)).join(','));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const [code] = await once(child, 'exit', { signal: AbortSignal.timeout(120_000) }) as [number | null];
    assert.equal(code, 0, out);
    assert.match(out, /values 0,0,2/);
  });
});

function assertValues(got: Float32Array, want: number[]): void {
  assert.deepEqual(Array.from(got), want);
}
