// Peer: TensorFlow.js (`@tensorflow/tfjs-core` ops) on `@tensorflow/tfjs-backend-webgpu` and on
// `@tensorflow/tfjs-backend-cpu` (pure JavaScript, the same kind of runtime as NN Lens's cpu
// kernels). LeNet-5 and ResNet-18 are written with tfjs ops in NHWC, tfjs's native layout, with the
// corpus models' shapes (batch 1, 1×32×32 and 3×224×224 inputs); weights are random, BatchNorm runs
// in inference form (running mean and variance), as PyTorch's `eval()` does.
//
// The webgpu backend gets its device from the same Dawn adapter NN Lens uses: the caller passes the
// navigator-like object, request options and limits, and a device of its own is created on it.
import * as tf from '@tensorflow/tfjs-core';

type Tensor4D = tf.Tensor4D;

export interface TfjsModel {
  name: string;
  input: number[];
  /** One forward pass; the caller reads the result back. */
  forward(x: tf.Tensor): tf.Tensor;
  dispose(): void;
}

const randn = (shape: number[], std: number): tf.Tensor => tf.randomNormal(shape, 0, std, 'float32', 7);

function convWeight(k: number, cin: number, cout: number): tf.Tensor4D {
  return randn([k, k, cin, cout], Math.sqrt(2 / (k * k * cin))) as tf.Tensor4D;
}

export function lenet(): TfjsModel {
  const w = {
    c1: convWeight(5, 1, 6), b1: randn([6], 0.1),
    c2: convWeight(5, 6, 16), b2: randn([16], 0.1),
    f1: randn([400, 120], 0.05), g1: randn([120], 0.05),
    f2: randn([120, 84], 0.09), g2: randn([84], 0.05),
    f3: randn([84, 10], 0.1), g3: randn([10], 0.05),
  };
  return {
    name: 'lenet.Net',
    input: [1, 32, 32, 1],
    forward: (x) => tf.tidy(() => {
      let y: Tensor4D = tf.maxPool(tf.relu(tf.add(tf.conv2d(x as Tensor4D, w.c1, 1, 'valid'), w.b1)) as Tensor4D, 2, 2, 'valid');
      y = tf.maxPool(tf.relu(tf.add(tf.conv2d(y, w.c2, 1, 'valid'), w.b2)) as Tensor4D, 2, 2, 'valid');
      let z: tf.Tensor = tf.reshape(y, [1, 400]);
      z = tf.relu(tf.add(tf.matMul(z as tf.Tensor2D, w.f1 as tf.Tensor2D), w.g1));
      z = tf.relu(tf.add(tf.matMul(z as tf.Tensor2D, w.f2 as tf.Tensor2D), w.g2));
      return tf.add(tf.matMul(z as tf.Tensor2D, w.f3 as tf.Tensor2D), w.g3);
    }),
    dispose: () => Object.values(w).forEach((t) => t.dispose()),
  };
}

interface Bn { mean: tf.Tensor; variance: tf.Tensor; offset: tf.Tensor; scale: tf.Tensor }
const bn = (c: number): Bn => ({ mean: randn([c], 0.1), variance: tf.add(tf.abs(randn([c], 0.1)), 1), offset: randn([c], 0.1), scale: tf.add(randn([c], 0.1), 1) });
const batchNorm = (x: tf.Tensor, p: Bn): Tensor4D => tf.batchNorm(x as Tensor4D, p.mean, p.variance, p.offset, p.scale, 1e-5) as Tensor4D;

interface Block { w1: tf.Tensor4D; bn1: Bn; w2: tf.Tensor4D; bn2: Bn; stride: number; down: { w: tf.Tensor4D; bn: Bn } | null }

export function resnet18(): TfjsModel {
  const all: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => { all.push(t); return t; };
  const keepBn = (c: number): Bn => { const p = bn(c); Object.values(p).forEach(keep); return p; };
  const stem = { w: keep(convWeight(7, 3, 64)), bn: keepBn(64) };
  const blocks: Block[] = [];
  let cin = 64;
  for (const [planes, stride] of [[64, 1], [128, 2], [256, 2], [512, 2]] as const) {
    for (let i = 0; i < 2; i++) {
      const s = i === 0 ? stride : 1;
      blocks.push({
        w1: keep(convWeight(3, cin, planes)), bn1: keepBn(planes),
        w2: keep(convWeight(3, planes, planes)), bn2: keepBn(planes),
        stride: s,
        down: s !== 1 || cin !== planes ? { w: keep(convWeight(1, cin, planes)), bn: keepBn(planes) } : null,
      });
      cin = planes;
    }
  }
  const fc = { w: keep(randn([512, 1000], 0.04)), b: keep(randn([1000], 0.04)) };
  return {
    name: 'resnet18.ResNet18',
    input: [1, 224, 224, 3],
    forward: (x) => tf.tidy(() => {
      let y = tf.relu(batchNorm(tf.conv2d(x as Tensor4D, stem.w, 2, [[0, 0], [3, 3], [3, 3], [0, 0]]), stem.bn)) as Tensor4D;
      y = tf.maxPool(y, 3, 2, 1);
      for (const b of blocks) {
        let out = tf.relu(batchNorm(tf.conv2d(y, b.w1, b.stride, 1), b.bn1)) as Tensor4D;
        out = batchNorm(tf.conv2d(out, b.w2, 1, 1), b.bn2);
        const identity = b.down ? batchNorm(tf.conv2d(y, b.down.w, b.stride, 0), b.down.bn) : y;
        y = tf.relu(tf.add(out, identity)) as Tensor4D;
      }
      const pooled = tf.mean(y, [1, 2]) as tf.Tensor2D;
      return tf.add(tf.matMul(pooled, fc.w as tf.Tensor2D), fc.b);
    }),
    dispose: () => all.forEach((t) => t.dispose()),
  };
}

export const tfjsModels: Record<string, () => TfjsModel> = { 'lenet.Net': lenet, 'resnet18.ResNet18': resnet18 };

export interface DawnSource {
  /** The navigator-like object of NN Lens's Dawn instance (`create(...)`), kept alive by the caller. */
  gpu: GPU;
  requestOptions: GPURequestAdapterOptions;
}

/**
 * Registers and selects tfjs's webgpu backend on a device of the given Dawn adapter. Resolves to
 * the adapter's description and a function that removes the backend and destroys its device (a
 * live Dawn device keeps Node from exiting); throws with the reason.
 */
export async function useTfjsWebgpu(source: DawnSource): Promise<{ name: string; release: () => void }> {
  const adapter = await source.gpu.requestAdapter(source.requestOptions);
  if (!adapter) throw new Error('Dawn returned no adapter for tfjs');
  // All of the adapter's limits, as NN Lens asks: compatibility mode (llvmpipe) otherwise caps a
  // workgroup at 128 invocations, below tfjs's kernels' sizes.
  const requiredLimits: Record<string, number> = {};
  for (const key in adapter.limits) {
    const v = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof v === 'number') requiredLimits[key] = v;
  }
  const requiredFeatures = (['timestamp-query'] as GPUFeatureName[]).filter((f) => adapter.features.has(f));
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures, label: 'tfjs peer' });
  // tfjs checks `navigator.gpu` (Node 20 has no navigator; 21+ has one without gpu).
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  if (!g.navigator!.gpu) Object.defineProperty(g.navigator, 'gpu', { value: source.gpu, configurable: true });
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info), 3);
  if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") failed');
  await tf.ready();
  const release = (): void => {
    if (tf.findBackend('webgpu')) tf.removeBackend('webgpu');
    device.destroy();
  };
  return { name: adapter.info.description || adapter.info.device, release };
}

export async function useTfjsCpu(): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") failed');
  await tf.ready();
}

/** Runs `forward` once and waits for its values on the host (readback included, as for NN Lens). */
export async function runOnce(model: TfjsModel, x: tf.Tensor): Promise<void> {
  const y = model.forward(x);
  await y.data();
  y.dispose();
}

/** An `n`×`n` matmul on the current backend: inputs, and one product read back per call. */
export function matmulOperands(n: number): { a: tf.Tensor2D; b: tf.Tensor2D } {
  return { a: tf.randomNormal([n, n], 0, 1, 'float32', 1) as tf.Tensor2D, b: tf.randomNormal([n, n], 0, 1, 'float32', 2) as tf.Tensor2D };
}

export { tf };
