// nnLens/runForward's device over the real server, and the CLI's --device: `auto` uses WebGPU when an
// adapter is found (here: a GPU, else Mesa's llvmpipe or SwiftShader), else the CPU and says why;
// `webgpu` without an adapter fails with the reason instead of computing on the CPU; `cpu` is the
// CPU. "No adapter" is forced with the adapter switches runtime/devices/webgpu.ts documents:
// NNLENS_WEBGPU_ADAPTER=swiftshader with NNLENS_SWIFTSHADER_ICD pointing at nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RunForwardResult } from '../../language-server/protocol/requests.ts';
import type { LspClient } from './lsp-client.ts';
import { fileUri, openDocument, readFile, root, startServer } from './server-process.ts';

const cpuOnly = process.env.NNLENS_CPU_ONLY === '1';
const uri = fileUri('examples/tutorial_network.py');
const noAdapterEnv = { NNLENS_WEBGPU_ADAPTER: 'swiftshader', NNLENS_SWIFTSHADER_ICD: '/nonexistent/vk_swiftshader_icd.json' };

/** Starts a server whose process (and forward worker) sees `env` on top of this one's. */
async function serverWith(env: Record<string, string>): Promise<{ client: LspClient; stop(): Promise<void> }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await startServer();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

const numbers = (text: string): number[] => (text.match(/-?\d+\.\d+(e[-+]\d+)?/g) ?? []).map(Number);

describe('runForward devices where WebGPU has an adapter', () => {
  let client: LspClient;
  let stop: () => Promise<void>;
  before(async () => {
    ({ client, stop } = await startServer());
    await openDocument(client, uri, readFile('examples/tutorial_network.py'));
  });
  after(() => stop());

  test('auto runs on WebGPU and names the adapter (with NNLENS_CPU_ONLY=1: on the CPU, saying why)', async () => {
    const r = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'auto' });
    if (cpuOnly) {
      assert.equal(r.device, 'cpu');
      assert.equal(r.fallback?.requested, 'auto');
      return;
    }
    assert.equal(r.device, 'webgpu', JSON.stringify(r.fallback));
    assert.equal(r.fallback, undefined);
    assert.ok(r.adapter, 'the adapter is named');
    const cpu = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'cpu' });
    assert.equal(numbers(r.printed).length, 10);
    numbers(r.printed).forEach((x, i) => assert.ok(Math.abs(x - numbers(cpu.printed)[i]!) <= 1.01e-4, `value ${i}: auto ${x}, cpu ${numbers(cpu.printed)[i]}`));
  });

  test('cpu runs on the CPU, with no fallback and no adapter', async () => {
    const r = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'cpu' });
    assert.equal(r.device, 'cpu');
    assert.equal(r.fallback, undefined);
    assert.equal(r.adapter, undefined);
    assert.deepEqual(r.outputShape, [1, 10]);
  });

  test('webgpu runs on WebGPU', { skip: cpuOnly ? 'NNLENS_CPU_ONLY=1: no adapter expected' : false }, async () => {
    const r = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'webgpu' });
    assert.equal(r.device, 'webgpu');
    assert.ok(r.adapter);
  });

  test('a device that is none of auto, webgpu, cpu is invalid params', async () => {
    for (const device of ['gpu', 'meta', undefined, 3]) {
      const r = await client.request('nnLens/runForward', { textDocument: { uri }, className: 'Network', device }).response;
      assert.equal(r.error?.code, -32602, String(device));
      assert.equal(r.error?.message, 'params.device must be one of auto, webgpu, cpu');
    }
  });
});

describe('runForward devices when no WebGPU adapter can be had', () => {
  let client: LspClient;
  let stop: () => Promise<void>;
  before(async () => {
    ({ client, stop } = await serverWith(noAdapterEnv));
    await openDocument(client, uri, readFile('examples/tutorial_network.py'));
  });
  after(() => stop());

  test('auto runs on the CPU and says why in fallback', async () => {
    const r = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'auto' });
    assert.equal(r.device, 'cpu');
    assert.equal(r.adapter, undefined);
    assert.equal(r.fallback?.requested, 'auto');
    assert.match(r.fallback!.reason, /^WebGPU is unavailable \(no usable WebGPU adapter \(swiftshader: its Vulkan ICD is not installed .*\)\); the forward ran on the CPU$/);
    assert.deepEqual(r.outputShape, [1, 10]);
  });

  test('webgpu fails with valueTierUnavailable on device webgpu, naming why, and computes nothing on the CPU', async () => {
    const r = await client.request('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'webgpu' }).response;
    assert.equal(r.error?.code, 4005, JSON.stringify(r));
    const data = r.error?.data as { kind: string; device: string; reason: string };
    assert.equal(data.kind, 'valueTierUnavailable');
    assert.equal(data.device, 'webgpu');
    assert.match(data.reason, /^WebGPU is unavailable \(no usable WebGPU adapter \(swiftshader: .*\)\); the device is set to webgpu, so nothing ran on the CPU \(choose auto or cpu to compute on the CPU\)$/);
    assert.match(r.error!.message, /^NN Lens could not run Network on WebGPU: WebGPU is unavailable/);
  });

  test('cpu is unaffected', async () => {
    const r = await client.call<RunForwardResult>('nnLens/runForward', { textDocument: { uri }, className: 'Network', device: 'cpu' });
    assert.equal(r.device, 'cpu');
    assert.equal(r.fallback, undefined);
  });
});

describe('nnlens inspect --device', () => {
  const cli = path.join(root, 'bin/nnlens.mjs');
  const built = fs.existsSync(path.join(root, 'dist/cli.mjs'));
  const run = (device: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } =>
    spawnSync(process.execPath, [cli, 'inspect', 'examples/tutorial_network.py', '--device', device], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  const skip = built ? false : 'dist/cli.mjs is missing: run npm run build';

  test('auto without an adapter computes on the CPU and says why on stderr', { skip }, () => {
    const r = run('auto', noAdapterEnv);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^nnlens: WebGPU is unavailable \(no usable WebGPU adapter \(swiftshader: .*\)\); computing on the CPU instead$/m);
    assert.match(r.stdout, /Network/);
  });

  test('webgpu without an adapter says why and exits with 3, printing no report', { skip }, () => {
    const r = run('webgpu', noAdapterEnv);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /^nnlens: WebGPU is unavailable \(.*\); --device webgpu computes nowhere else \(use --device auto or cpu\)$/m);
    assert.equal(r.stdout, '');
  });

  test('auto with an adapter computes on WebGPU (nothing on stderr about the CPU)', { skip: skip || (cpuOnly ? 'NNLENS_CPU_ONLY=1' : false) }, () => {
    const r = run('auto');
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /WebGPU is unavailable/);
  });

  test('an unknown device is a usage error', { skip }, () => {
    const r = run('gpu');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--device must be meta, cpu, auto or webgpu, got 'gpu'/);
  });
});
