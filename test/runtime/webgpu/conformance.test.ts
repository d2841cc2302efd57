// The value conformance cases on the webgpu device: the ops conformance cases with the cpu suite's
// inputs and expected values (../cpu/values.json), and the webgpu-specific cases (cases.json),
// each compared with PyTorch 1.13 within 1e-5 + 1e-4·|expected|. Matmul and convolution cases run
// with both kernel styles (register-blocked for CPU-emulated adapters, workgroup-tiled for GPUs).
//
// The suite needs a WebGPU adapter (on machines without a GPU: llvmpipe or SwiftShader, which
// scripts/setup.sh installs) and fails loudly without one, unless NNLENS_CPU_ONLY=1 says the run is
// CPU-only. A case the runtime cannot answer for reasons outside the device (a cpu kernel not
// written yet, a value the shape tier never computes) is skipped with that reason.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../../runtime/index.ts';
import { type WebGpuInit, destroyWebGpu, initWebGpu, setWebGpuKernelStyle, webgpuAdapterInfo } from '../../../runtime/devices/webgpu.ts';
import { type ValueCase, loadOpsValueCases, loadWebGpuCases, runValueCase } from './harness.ts';

const cpuOnly = process.env.NNLENS_CPU_ONLY === '1';

/**
 * Cases known to differ from torch for reasons outside the webgpu device, with the reason. Each
 * must still fail: when one starts passing, the test says to remove it from this list.
 */
const knownFailures: Record<string, string> = {
  'embedding/11': 'F.one_hot without num_classes reads the max through `.data`, which a GPU-computed tensor does not have (should raise NeedsValuesError)',
  'loss/32': 'F.gaussian_nll_loss checks var for negative entries through `.data`, which a GPU-computed tensor does not have (should raise NeedsValuesError)',
  'repr/0': "the case's input is a meta tensor in torch (device='meta' is not part of the encoded case)",
  'repr/1': "the case's input is a meta tensor in torch (device='meta' is not part of the encoded case)",
  'repr/2': "the case's input is a meta tensor in torch (device='meta' is not part of the encoded case)",
  'repr/3': "the case's input is a meta tensor in torch (device='meta' is not part of the encoded case)",
  'repr/4': "the case's input is a meta tensor in torch (device='meta' is not part of the encoded case)",
  'repr/5': "the case's input is a meta tensor in torch (device='meta' is not part of the encoded case)",
};

let init: WebGpuInit = { ok: false, reason: 'not initialised' };
before(async () => { init = await initWebGpu(); });
after(() => destroyWebGpu());

describe('webgpu adapter', () => {
  it('finds a WebGPU adapter (or the run says NNLENS_CPU_ONLY=1)', (t) => {
    if (cpuOnly && !init.ok) { t.skip(`CPU-only run: ${init.reason}`); return; }
    assert.ok(init.ok, `no WebGPU adapter: ${init.ok ? '' : init.reason}. On a machine without a GPU, run scripts/setup.sh (installs chromium for SwiftShader and Mesa for llvmpipe), or set NNLENS_CPU_ONLY=1 for a CPU-only run.`);
    const info = webgpuAdapterInfo()!;
    assert.ok(info.description.length > 0 || info.device.length > 0, 'the adapter describes itself');
  });
});

function defineCases(title: string, cases: readonly ValueCase[], style?: 'registers' | 'tiled'): void {
  const groups = [...new Set(cases.map((c) => c.group))];
  for (const group of groups) {
    describe(`${title} / ${group}`, () => {
      for (const c of cases.filter((x) => x.group === group)) {
        it(`${c.id} ${c.call}`, async (t) => {
          if (!init.ok) { t.skip(`no WebGPU adapter: ${init.reason}`); return; }
          const previous = webgpuAdapterInfo()!.kernelStyle;
          if (style) setWebGpuKernelStyle(style);
          try {
            const outcome = await runValueCase(c);
            const known = knownFailures[c.id];
            if (outcome.status === 'blocked') { t.skip(outcome.reason); return; }
            if (known) {
              assert.equal(outcome.status, 'fail', `${c.id} now passes on webgpu: remove it from knownFailures (${known})`);
              t.diagnostic(`known failure: ${known}`);
              return;
            }
            assert.deepEqual(outcome.status === 'fail' ? outcome.problems : [], []);
          } finally {
            setWebGpuKernelStyle(previous);
          }
        });
      }
    });
  }
}

const opsCases = loadOpsValueCases();
const gpuCases = loadWebGpuCases();

describe('cases', () => {
  it('has the cpu suite\'s values for the ops conformance cases', () => {
    assert.ok(opsCases !== null, 'test/runtime/cpu/values.json is missing (made by test/runtime/cpu/make-values.py)');
    assert.ok(opsCases.length > 1000, `only ${opsCases.length} ops cases have values`);
  });
});

defineCases('ops', opsCases ?? []);
defineCases('webgpu', gpuCases);
// The matmul-family and convolution cases once more with the other kernel style.
const styleCases = gpuCases.filter((c) => c.group === 'gpu-matmul' || c.group === 'gpu-conv' || c.group === 'gpu-attention');
defineCases('tiled kernels', styleCases, 'tiled');
defineCases('register kernels', styleCases, 'registers');
