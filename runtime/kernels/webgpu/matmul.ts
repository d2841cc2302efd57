// Matrix products: matmul (every rank combination), mm, bmm, mv, dot, outer, linear, addmm, addmv
// and baddbmm, all through one batched GEMM: C[b] = alpha * A[b] @ op(B[b]) + beta * bias[b], with
// A [M, K] and B [K, N] (or [N, K] when `transB`: a linear layer's weight, read without a copy),
// batch dims broadcast through strides (0 along a broadcast dim), the bias broadcast likewise.
//
// Two kernel styles, chosen by adapter (see webgpu-context.ts):
// - `registers` (CPU-emulated adapters: llvmpipe, SwiftShader): each invocation computes 4 rows ×
//   a vec4 of columns straight from global memory, no workgroup memory and no barriers; when K is
//   a multiple of 4 the A rows (and transposed B rows) are read as vec4 along K.
// - `tiled` (real GPUs): 64×64 output tiles per 256-invocation workgroup, K in steps of 16 through
//   workgroup memory, each invocation a 4×4 register block.
import type { Tensor } from '../../tensor.ts';
import { getOp, registerKernel, type OpDef } from '../../ops/registry.ts';
import { broadcastShapes } from '../../ops/broadcast.ts';
import { requireGpu } from '../../devices/webgpu-context.ts';
import { type BufferRange, type GpuStorage, KernelUnsupported, Params, dispatch, input, numAttr, output, paramsDecl, requireFloat32, storageDecl, stridesOf } from './common.ts';

const MAX_BATCH_DIMS = 4;

export interface GemmSpec {
  a: GpuStorage;
  b: GpuStorage;
  out: GpuStorage;
  M: number; N: number; K: number;
  transB: boolean;
  /** Output batch shape (empty: one matrix) and each operand's element strides along it. */
  batchShape: readonly number[];
  aBatchStrides: readonly number[];
  bBatchStrides: readonly number[];
  bias?: { storage: GpuStorage; rowStride: number; colStride: number; batchStrides: readonly number[] };
  alpha: number;
  beta: number;
  /** Element offsets of A, B and C inside their buffers (for callers that slice). */
  aOffset?: number; bOffset?: number; cOffset?: number;
  /** C's row stride (default N: a slice of columns writes into a wider output). */
  ldc?: number;
  /** Element offset added to every bias index (a slice of columns reads the matching bias). */
  biasBase?: number;
  /** B bound as a byte range of its storage (a weight larger than one binding, in parts). */
  bRange?: BufferRange;
}

/** Encodes one GEMM with the adapter's kernel style. */
export function encodeGemm(g: GemmSpec): void {
  const batch = g.batchShape.reduce((x, y) => x * y, 1);
  if (g.M === 0 || g.N === 0 || batch === 0) return;
  if (g.batchShape.length > MAX_BATCH_DIMS) throw new KernelUnsupported(`matmul with ${g.batchShape.length} batch dims (at most ${MAX_BATCH_DIMS})`);
  const { info } = requireGpu();
  const pad = (v: readonly number[]): number[] => [...new Array<number>(MAX_BATCH_DIMS - v.length).fill(0), ...v];
  const padShape = [...new Array<number>(MAX_BATCH_DIMS - g.batchShape.length).fill(1), ...g.batchShape];
  const params = new Params()
    .u32(g.M, g.N, g.K, batch)
    .u32(...padShape, ...pad(g.aBatchStrides), ...pad(g.bBatchStrides), ...pad(g.bias?.batchStrides ?? []))
    .u32(g.bias?.rowStride ?? 0, g.bias?.colStride ?? 0, g.aOffset ?? 0, g.bOffset ?? 0, g.cOffset ?? 0)
    .f32(g.alpha, g.beta)
    .u32(g.ldc ?? g.N, g.biasBase ?? 0);
  const maxZ = info.limits.maxComputeWorkgroupsPerDimension;
  if (batch > maxZ) throw new KernelUnsupported(`a batch of ${batch} matrices exceeds the adapter's ${maxZ} workgroups per dimension`);
  const hasBias = g.bias !== undefined;
  const b = g.bRange ?? g.b;
  const buffers = hasBias ? [g.a, b, g.bias!.storage, g.out] : [g.a, b, g.out];
  const ldc = g.ldc ?? g.N;
  if (info.kernelStyle === 'tiled') {
    const key = `gemm-tiled:${g.transB}:${hasBias}`;
    const groups: [number, number, number] = [Math.ceil(g.N / 64), Math.ceil(g.M / 64), batch];
    dispatch(key, () => tiledShader(g.transB, hasBias, params.length), params, buffers, groups);
    return;
  }
  const aligned = (g.aOffset ?? 0) % 4 === 0 && (g.bOffset ?? 0) % 4 === 0 && (g.cOffset ?? 0) % 4 === 0;
  const vecK = g.K % 4 === 0 && aligned;
  const vecN = g.N % 4 === 0 && ldc % 4 === 0 && aligned;
  // 64 invocations per workgroup, up to 16 column blocks wide (measured best at 512³ on llvmpipe
  // and SwiftShader: 16.4 and 2.35 GFLOP/s), narrower when N has fewer column blocks.
  const wgX = Math.min(16, Math.max(4, 2 ** Math.ceil(Math.log2(Math.ceil(g.N / 4)))));
  const wgY = 64 / wgX;
  const key = `gemm-reg:${g.transB}:${hasBias}:${vecK}:${vecN}:${wgX}`;
  const groups: [number, number, number] = [Math.ceil(Math.ceil(g.N / 4) / wgX), Math.ceil(Math.ceil(g.M / 4) / wgY), batch];
  dispatch(key, () => registersShader(g.transB, hasBias, vecK, vecN, params.length, wgX, wgY), params, buffers, groups);
}

// Parameter word indices (see encodeGemm).
const P = { M: 0, N: 1, K: 2, batch: 3, shape: 4, aStr: 8, bStr: 12, biasStr: 16, biasRow: 20, biasCol: 21, aOff: 22, bOff: 23, cOff: 24, alpha: 25, beta: 26, ldc: 27, biasBase: 28 };

const batchOffsets = `
fn batch_offsets(z: u32) -> vec3<u32> {
  var rem = z;
  var offs = vec3<u32>(0u, 0u, 0u);
  for (var d = 3i; d >= 0; d = d - 1) {
    let size = pu(${P.shape}u + u32(d));
    let c = rem % size;
    rem = rem / size;
    offs = offs + c * vec3<u32>(pu(${P.aStr}u + u32(d)), pu(${P.bStr}u + u32(d)), pu(${P.biasStr}u + u32(d)));
  }
  return offs;
}
`;

function registersShader(transB: boolean, hasBias: boolean, vecK: boolean, vecN: boolean, paramCount: number, wgX: number, wgY: number): string {
  // A: vec4 along K when vecK. B: transposed rows as vec4 along K (transB && vecK), rows as vec4
  // along N (!transB && vecN), else scalars. C: vec4 stores when vecN.
  const aVec = vecK;
  const bVec = transB ? vecK : vecN;
  let s = paramsDecl(paramCount);
  s += storageDecl(1, 'A', aVec ? 'vec4<f32>' : 'f32');
  s += storageDecl(2, 'B', bVec ? 'vec4<f32>' : 'f32');
  if (hasBias) s += storageDecl(3, 'bias', 'f32');
  s += storageDecl(hasBias ? 4 : 3, 'C', vecN ? 'vec4<f32>' : 'f32', true);
  s += batchOffsets;
  const rows = [0, 1, 2, 3];
  // B(k, n) as a scalar, for the unvectorised paths.
  const bAt = (k: string, n: string): string => (transB ? `B[bOff + (${n}) * K + (${k})]` : `B[bOff + (${k}) * N + (${n})]`);
  const bColsScalar = (k: string): string => `vec4<f32>(${[0, 1, 2, 3].map((j) => `select(0.0, ${bAt(k, `min(n0 + ${j}u, N - 1u)`)}, n0 + ${j}u < N)`).join(', ')})`;
  let loop: string;
  if (vecK) {
    const aLoads = rows.map((r) => `    let a${r} = A[(aOff + r${r} * K) / 4u + k4];`).join('\n');
    if (transB) {
      const bLoads = [0, 1, 2, 3].map((j) => `    let b${j} = B[(bOff + min(n0 + ${j}u, N - 1u) * K) / 4u + k4];`).join('\n');
      const accs = rows.map((r) => `    acc${r} = acc${r} + vec4<f32>(dot(a${r}, b0), dot(a${r}, b1), dot(a${r}, b2), dot(a${r}, b3));`).join('\n');
      loop = `  for (var k4 = 0u; k4 < K / 4u; k4 = k4 + 1u) {\n${aLoads}\n${bLoads}\n${accs}\n  }`;
    } else {
      const bRow = (kk: number): string => (vecN ? `B[(bOff + (k4 * 4u + ${kk}u) * N) / 4u + c4]` : bColsScalar(`k4 * 4u + ${kk}u`));
      const bLoads = [0, 1, 2, 3].map((kk) => `    let b${kk} = ${bRow(kk)};`).join('\n');
      const accs = rows.map((r) => `    acc${r} = acc${r} + a${r}.x * b0 + a${r}.y * b1 + a${r}.z * b2 + a${r}.w * b3;`).join('\n');
      loop = `  for (var k4 = 0u; k4 < K / 4u; k4 = k4 + 1u) {\n${aLoads}\n${bLoads}\n${accs}\n  }`;
    }
  } else {
    const b = !transB && vecN ? `B[(bOff + k * N) / 4u + c4]` : bColsScalar('k');
    const accs = rows.map((r) => `    acc${r} = acc${r} + A[aOff + r${r} * K + k] * b;`).join('\n');
    loop = `  for (var k = 0u; k < K; k = k + 1u) {\n    let b = ${b};\n${accs}\n  }`;
  }
  const biasAt = (row: string, col: string): string => `bias[biasOff + (${row}) * pu(${P.biasRow}u) + (${col}) * pu(${P.biasCol}u)]`;
  const epilogue = (r: number): string => {
    const row = `m0 + ${r}u`;
    const value = (j: number): string => {
      const v = `acc${r}[${j}]`;
      return hasBias ? `alpha * ${v} + beta * ${biasAt(row, `n0 + ${j}u`)}` : `alpha * ${v}`;
    };
    if (vecN) {
      const vec = hasBias ? `vec4<f32>(${[0, 1, 2, 3].map(value).join(', ')})` : `alpha * acc${r}`;
      return `  if (${row} < M) { C[(cOff + (${row}) * ldc) / 4u + c4] = ${vec}; }`;
    }
    return `  if (${row} < M) {\n${[0, 1, 2, 3].map((j) => `    if (n0 + ${j}u < N) { C[cOff + (${row}) * ldc + n0 + ${j}u] = ${value(j)}; }`).join('\n')}\n  }`;
  };
  s += `
@compute @workgroup_size(${wgX}, ${wgY}, 1)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let M = pu(${P.M}u); let N = pu(${P.N}u); let K = pu(${P.K}u);
  let c4 = g.x;
  let n0 = c4 * 4u;
  let m0 = g.y * 4u;
  if (n0 >= N || m0 >= M) { return; }
  let z = g.z;
  let offs = batch_offsets(z);
  let aOff = pu(${P.aOff}u) + offs.x;
  let bOff = pu(${P.bOff}u) + offs.y;
  let biasOff = offs.z + pu(${P.biasBase}u);
  let ldc = pu(${P.ldc}u);
  let cOff = pu(${P.cOff}u) + z * M * ldc;
  let alpha = pf(${P.alpha}u);
  let beta = pf(${P.beta}u);
${rows.map((r) => `  let r${r} = min(m0 + ${r}u, M - 1u);`).join('\n')}
${rows.map((r) => `  var acc${r} = vec4<f32>(0.0);`).join('\n')}
${loop}
${rows.map(epilogue).join('\n')}
}
`;
  return s;
}

function tiledShader(transB: boolean, hasBias: boolean, paramCount: number): string {
  let s = paramsDecl(paramCount);
  s += storageDecl(1, 'A', 'f32');
  s += storageDecl(2, 'B', 'f32');
  if (hasBias) s += storageDecl(3, 'bias', 'f32');
  s += storageDecl(hasBias ? 4 : 3, 'C', 'f32', true);
  s += batchOffsets;
  const bAt = (k: string, n: string): string => (transB ? `B[bOff + (${n}) * K + (${k})]` : `B[bOff + (${k}) * N + (${n})]`);
  s += `
const TS = 64u;
const TK = 16u;
var<workgroup> As: array<array<f32, 16>, 64>;
var<workgroup> Bs: array<array<f32, 64>, 16>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) l: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let M = pu(${P.M}u); let N = pu(${P.N}u); let K = pu(${P.K}u);
  let z = wg.z;
  let offs = batch_offsets(z);
  let aOff = pu(${P.aOff}u) + offs.x;
  let bOff = pu(${P.bOff}u) + offs.y;
  let biasOff = offs.z + pu(${P.biasBase}u);
  let ldc = pu(${P.ldc}u);
  let cOff = pu(${P.cOff}u) + z * M * ldc;
  let rowBase = wg.y * TS;
  let colBase = wg.x * TS;
  var acc: array<array<f32, 4>, 4>;
  for (var i = 0u; i < 4u; i = i + 1u) { for (var j = 0u; j < 4u; j = j + 1u) { acc[i][j] = 0.0; } }
  let tiles = (K + TK - 1u) / TK;
  for (var t = 0u; t < tiles; t = t + 1u) {
    let k0 = t * TK;
    // 1024 elements of each tile, 4 per invocation.
    for (var e = 0u; e < 4u; e = e + 1u) {
      let idx = li + e * 256u;
      let ar = idx / TK;
      let ak = idx % TK;
      let gr = rowBase + ar;
      let gk = k0 + ak;
      As[ar][ak] = select(0.0, A[aOff + min(gr, M - 1u) * K + min(gk, K - 1u)], gr < M && gk < K);
      let bk = idx / TS;
      let bn = idx % TS;
      let gk2 = k0 + bk;
      let gn = colBase + bn;
      Bs[bk][bn] = select(0.0, ${bAt('min(gk2, K - 1u)', 'min(gn, N - 1u)')}, gk2 < K && gn < N);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk = kk + 1u) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i = i + 1u) { a[i] = As[l.y * 4u + i][kk]; b[i] = Bs[kk][l.x * 4u + i]; }
      for (var i = 0u; i < 4u; i = i + 1u) { for (var j = 0u; j < 4u; j = j + 1u) { acc[i][j] = acc[i][j] + a[i] * b[j]; } }
    }
    workgroupBarrier();
  }
  let alpha = pf(${P.alpha}u);
  let beta = pf(${P.beta}u);
  for (var i = 0u; i < 4u; i = i + 1u) {
    let r = rowBase + l.y * 4u + i;
    if (r >= M) { continue; }
    for (var j = 0u; j < 4u; j = j + 1u) {
      let c = colBase + l.x * 4u + j;
      if (c >= N) { continue; }
      var v = alpha * acc[i][j];
      ${hasBias ? `v = v + beta * bias[biasOff + r * pu(${P.biasRow}u) + c * pu(${P.biasCol}u)];` : ''}
      C[cOff + r * ldc + c] = v;
    }
  }
}
`;
  return s;
}

// ------------------------------------------------------------------ op mapping

/** Strides (elements) of a contiguous tensor's batch dims, right-aligned to `batch`, 0 where broadcast. */
function batchStrides(shape: readonly number[], matrixDims: number, batch: readonly number[]): number[] {
  const own = shape.slice(0, shape.length - matrixDims);
  const strides = stridesOf(shape).slice(0, own.length);
  const lead = batch.length - own.length;
  return batch.map((_, d) => (d < lead || own[d - lead] === 1 ? 0 : strides[d - lead]!));
}

/** Bias strides when `bias` broadcasts to [...batch, M, N] (the bias may have any rank up to that). */
function biasLayout(bias: Tensor, batch: readonly number[], M: number, N: number, vectorM: boolean, vectorN: boolean): GemmSpec['bias'] {
  // The output as torch shapes it may omit M or N (mv, vector results); put them back as size 1.
  const outShape = [...batch, ...(vectorM ? [] : [M]), ...(vectorN ? [] : [N])];
  const strides = stridesOf(bias.shape);
  const lead = outShape.length - bias.ndim;
  if (lead < 0) throw new KernelUnsupported('bias of a higher rank than the product');
  const stride = (d: number): number => (d < lead || bias.shape[d - lead] === 1 ? 0 : strides[d - lead]!);
  let d = batch.length;
  const rowStride = vectorM ? 0 : stride(d++);
  const colStride = vectorN ? 0 : stride(d);
  return { storage: input(bias), rowStride, colStride, batchStrides: batch.map((_, i) => stride(i)) };
}

/** Plans matmul(a, b) as a GEMM (torch's rank rules; batch dims of `a` fold into rows when b has none). */
function planMatmul(a: Tensor, b: Tensor): Omit<GemmSpec, 'out' | 'alpha' | 'beta' | 'a' | 'b'> & { vectorM: boolean; vectorN: boolean } {
  const vectorM = a.ndim === 1;
  const vectorN = b.ndim === 1;
  const K = a.shape[a.ndim - 1]!;
  const aM = vectorM ? 1 : a.shape[a.ndim - 2]!;
  const N = vectorN ? 1 : b.shape[b.ndim - 1]!;
  const aBatch = a.ndim > 2 ? a.shape.slice(0, -2) : [];
  const bBatch = b.ndim > 2 ? b.shape.slice(0, -2) : [];
  if (bBatch.length === 0) {
    return { M: aBatch.reduce((x, y) => x * y, 1) * aM, N, K, transB: false, batchShape: [], aBatchStrides: [], bBatchStrides: [], vectorM, vectorN };
  }
  const batchShape = broadcastShapes(aBatch, bBatch);
  return {
    M: aM, N, K, transB: false, batchShape,
    aBatchStrides: a.ndim > 2 ? batchStrides(a.shape, 2, batchShape) : batchShape.map(() => 0),
    bBatchStrides: batchStrides(b.shape, 2, batchShape),
    vectorM, vectorN,
  };
}

function matmulKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const [a, b] = inputs;
  requireFloat32(a!, b!, outputs[0]!);
  const plan = planMatmul(a!, b!);
  encodeGemm({ ...plan, a: input(a!), b: input(b!), out: output(outputs[0]!), alpha: numAttr(attrs, ['alpha'], 1), beta: 0 });
}

/** addmm / addmv / baddbmm: beta * self + alpha * (m1 @ m2), self broadcast to the product's shape. */
function addKernel(inputs: readonly Tensor[], attrs: unknown, outputs: Tensor[]): void {
  const [self, m1, m2] = inputs;
  requireFloat32(self!, m1!, m2!, outputs[0]!);
  const plan = planMatmul(m1!, m2!);
  const beta = numAttr(attrs, ['beta'], 1);
  const bias = biasLayout(self!, plan.batchShape, plan.M, plan.N, plan.vectorM, plan.vectorN);
  encodeGemm({ ...plan, a: input(m1!), b: input(m2!), bias, out: output(outputs[0]!), alpha: numAttr(attrs, ['alpha'], 1), beta });
}

function outerKernel(inputs: readonly Tensor[], _attrs: unknown, outputs: Tensor[]): void {
  const [a, b] = inputs;
  requireFloat32(a!, b!, outputs[0]!);
  encodeGemm({
    a: input(a!), b: input(b!), out: output(outputs[0]!), M: a!.numel(), N: b!.numel(), K: 1, transB: false,
    batchShape: [], aBatchStrides: [], bBatchStrides: [], alpha: 1, beta: 0,
  });
}

/** linear(input, weight, bias): input [..., K] @ weight [N, K]ᵀ + bias [N]; the weight is read transposed in place. */
function linearKernel(inputs: readonly Tensor[], _attrs: unknown, outputs: Tensor[]): void {
  const [x, w, bias] = inputs;
  const out = outputs[0]!;
  requireFloat32(x!, w!, out, ...(bias ? [bias] : []));
  const K = x!.shape[x!.ndim - 1] ?? 1;
  const M = x!.ndim <= 1 ? 1 : x!.numel() / K;
  const N = w!.ndim === 2 ? w!.shape[0]! : 1;
  const biasSpec = bias ? linearBias(bias, x!, M, N) : undefined;
  const a = input(x!);
  const b = input(w!);
  const c = output(out);
  const base: GemmSpec = {
    a, b, out: c, M, N, K, transB: w!.ndim === 2, batchShape: [], aBatchStrides: [], bBatchStrides: [],
    ...(biasSpec ? { bias: biasSpec } : {}), alpha: 1, beta: 1,
  };
  const { limits } = requireGpu().info;
  if (b.byteSize <= limits.maxStorageBufferBindingSize || w!.ndim !== 2) { encodeGemm(base); return; }
  // A weight over one binding (VGG's 25088×4096 classifier on llvmpipe's 128 MiB): bind it in
  // slices of whole rows, each computing its block of output columns.
  const align = requireGpu().adapter.limits.minStorageBufferOffsetAlignment;
  const rowBytes = K * 4;
  const quantum = align / gcd(rowBytes, align);
  const rows = Math.floor(limits.maxStorageBufferBindingSize / rowBytes / quantum) * quantum;
  if (rows < 1) throw new KernelUnsupported(`a weight row of ${rowBytes} bytes cannot be bound within maxStorageBufferBindingSize`);
  for (let n0 = 0; n0 < N; n0 += rows) {
    const nc = Math.min(rows, N - n0);
    encodeGemm({
      ...base, N: nc, ldc: N, cOffset: n0, biasBase: biasSpec ? n0 * biasSpec.colStride : 0,
      bRange: { storage: b, offset: n0 * rowBytes, size: Math.ceil((nc * rowBytes) / 16) * 16 > b.byteSize - n0 * rowBytes ? b.byteSize - n0 * rowBytes : Math.ceil((nc * rowBytes) / 16) * 16 },
    });
  }
}

const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));

/** Where linear's bias element (row m, column n) is: a vector over N, or a broadcast [rows, N] matrix. */
function linearBias(bias: Tensor, x: Tensor, M: number, N: number): NonNullable<GemmSpec['bias']> {
  const at = (d: number): number => bias.shape[bias.ndim - d] ?? 1;
  const colStride = at(1) === 1 ? 0 : 1;
  if (bias.ndim <= 1 || bias.shape.slice(0, -1).every((s) => s === 1)) return { storage: input(bias), rowStride: 0, colStride, batchStrides: [] };
  const rows = bias.numel() / at(1);
  // A bias over every row of the (folded) input: [M, N] (or [M, 1]) in the input's row order.
  if (rows === M && bias.ndim <= Math.max(x.ndim, 2)) return { storage: input(bias), rowStride: at(1) === 1 ? 1 : N, colStride, batchStrides: [] };
  throw new KernelUnsupported(`linear with a bias of shape [${bias.shape}]`);
}

export function registerMatmulKernels(): void {
  const reg = (name: string, k: (i: readonly Tensor[], a: unknown, o: Tensor[]) => void): void => {
    const op = getOp(name);
    if (op) registerKernel(op as OpDef<unknown>, 'webgpu', k);
  };
  for (const name of ['matmul', 'mm', 'bmm', 'mv', 'dot']) reg(name, matmulKernel);
  for (const name of ['addmm', 'addmv', 'baddbmm']) reg(name, addKernel);
  reg('outer', outerKernel);
  reg('linear', linearKernel);
}
