// The message types between the server and its forward worker (lsp/forward-worker.ts).
import type { ClassSpec } from '../analysis/inputs.ts';
import type { FileReport } from '../analysis/report.ts';
import type { TensorRef } from '../protocol/requests.ts';
import type { TensorSummary, TensorView, ViewRequest } from './forward-tensor-view.ts';

export interface ForwardJob {
  text: string;
  fileName: string;
  className: string;
  spec: Record<string, ClassSpec>;
  torch2Repr: boolean;
  /** Whether `from .x import y` may read sibling files (documents on disk only). */
  siblings: boolean;
  /** Unsaved texts of open documents, by file path, read before the disk. */
  openTexts: Record<string, string>;
  /** Where to compute (the forward, and getTensor's model and forward). Default cpu. */
  device?: 'cpu' | 'webgpu';
  /** Device `webgpu` (not `auto`): without an adapter, fail with `webgpuUnavailable` instead of computing on the CPU. */
  webgpuOnly?: boolean;
  /** `torch.manual_seed(seed)` before construction, `seed + 1` before the inputs. Default 0. */
  seed?: number;
}

export type ForwardJobResult =
  | { ok: true; report: FileReport; ms: number; device: 'cpu' | 'webgpu'; adapter?: string; webgpuUnavailable?: string; ranOnCpu?: string[] }
  | { ok: false; message: string; webgpuUnavailable?: string };

/** The worker's mode: one forward job (`workerData` is a ForwardJob) or a long-lived tensor server. */
export interface TensorWorkerData { mode: 'tensors' }

/**
 * One getTensor request to the tensor worker; `key` names the document version, class, seed, input
 * and device its cache keeps. `minus`: answer `tensor − minus` (compare mode).
 */
export interface TensorJob {
  id: number;
  key: string;
  job: ForwardJob;
  tensor: TensorRef;
  minus?: TensorRef;
  view: ViewRequest;
  /** The summary id (TensorSummary.id) whose channel ranges the client already has: not sent again when it is still this tensor's. */
  knownSummary?: string;
}

/** Where the values were computed: the device, and for webgpu the adapter; `unavailable` when webgpu was asked for and could not be had. */
export interface ValueDevice { device: 'cpu' | 'webgpu'; adapter?: string; webgpuUnavailable?: string }

export type TensorJobResult =
  | { id: number; ok: true; shape: number[]; dtype: string; summary: TensorSummary; view: TensorView; where: ValueDevice }
  /** `unknownTensor`: no such tensor in the value run; `notKept`: it exists but its values were not kept (memory budget); `shapeMismatch`: compare of different shapes. */
  | { id: number; ok: false; kind: 'unknownTensor' | 'notKept' | 'shapeMismatch'; available: string[]; message: string }
  | { id: number; ok: false; kind: 'failed'; message: string }
  /** A `webgpuOnly` job found no adapter: nothing was computed on the CPU. */
  | { id: number; ok: false; kind: 'webgpuUnavailable'; message: string };
