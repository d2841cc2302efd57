// Peer: onnxruntime-node (installed with `--onnxruntime-node-install=skip`: only what the npm package
// bundles, the CPU and WebGPU execution providers) running the corpus models that
// export_onnx.py exported with torch.onnx.export. A run is `session.run(feeds)`, which returns the
// outputs on the host (readback included on WebGPU).
//
// The WebGPU EP has its own Dawn inside libonnxruntime and only the D3D12 and Vulkan backends
// (`ep.webgpuexecutionprovider.dawnBackendType`), so on a machine without a GPU it can only reach
// SwiftShader's Vulkan ICD (VK_ICD_FILENAMES), not llvmpipe through OpenGL.
import { createRequire } from 'node:module';

type Ort = typeof import('onnxruntime-node');

export interface OnnxInput { name: string; shape: number[]; dtype: 'float32' | 'int64'; low?: number; high?: number }

export async function loadOrt(): Promise<{ ort: Ort; version: string; providers: string[] } | { error: string }> {
  try {
    const require = createRequire(import.meta.url);
    const ort = require('onnxruntime-node') as Ort;
    const list = (ort as unknown as { listSupportedBackends?: () => { name: string; bundled: boolean }[] }).listSupportedBackends?.() ?? [];
    const version = (require('onnxruntime-node/package.json') as { version: string }).version;
    return { ort, version, providers: list.filter((b) => b.bundled).map((b) => b.name) };
  } catch (e) {
    return { error: `onnxruntime-node could not be loaded (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); npm install onnxruntime-node --onnxruntime-node-install=skip` };
  }
}

/** Standard-normal float32 values (Box-Muller) or integers in [low, high), with a fixed seed. */
function feedsFor(ort: Ort, inputs: OnnxInput[]): Record<string, InstanceType<Ort['Tensor']>> {
  let s = 12345;
  const uniform = (): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return (s + 0.5) / 2 ** 32; };
  const feeds: Record<string, InstanceType<Ort['Tensor']>> = {};
  for (const i of inputs) {
    const n = i.shape.reduce((a, b) => a * b, 1);
    if (i.dtype === 'int64') {
      const lo = i.low ?? 0, hi = i.high ?? 2;
      feeds[i.name] = new ort.Tensor('int64', BigInt64Array.from({ length: n }, () => BigInt(lo + Math.floor(uniform() * (hi - lo)))), i.shape);
    } else {
      feeds[i.name] = new ort.Tensor('float32', Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())), i.shape);
    }
  }
  return feeds;
}

export interface OrtSessionOptions { provider: 'cpu' | 'webgpu'; threads?: number }

/** A session on one execution provider; `run()` is one forward with the outputs on the host. */
export async function ortSession(ort: Ort, file: string, inputs: OnnxInput[], o: OrtSessionOptions): Promise<{ run: () => Promise<void>; release: () => Promise<void> }> {
  const session = await ort.InferenceSession.create(file, {
    executionProviders: [o.provider],
    graphOptimizationLevel: 'all',
    ...(o.threads ? { intraOpNumThreads: o.threads, interOpNumThreads: 1 } : {}),
  });
  const feeds = feedsFor(ort, inputs);
  return {
    run: async () => { await session.run(feeds); },
    release: () => session.release(),
  };
}
