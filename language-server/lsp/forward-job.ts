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
  /** Where to compute (forward runs only; getTensor computes on the CPU). Default cpu. */
  device?: 'cpu' | 'webgpu';
  /** `torch.manual_seed(seed)` before construction, `seed + 1` before the inputs. Default 0. */
  seed?: number;
}

export type ForwardJobResult =
  | { ok: true; report: FileReport; ms: number; device: 'cpu' | 'webgpu'; adapter?: string; webgpuUnavailable?: string; ranOnCpu?: string[] }
  | { ok: false; message: string };

/** The worker's mode: one forward job (`workerData` is a ForwardJob) or a long-lived tensor server. */
export interface TensorWorkerData { mode: 'tensors' }

/** One getTensor request to the tensor worker; `key` names the document version and class its cache keeps. */
export interface TensorJob {
  id: number;
  key: string;
  job: ForwardJob;
  tensor: TensorRef;
  view: ViewRequest;
}

export type TensorJobResult =
  | { id: number; ok: true; shape: number[]; dtype: string; summary: TensorSummary; view: TensorView }
  | { id: number; ok: false; kind: 'unknownTensor'; available: string[]; message: string }
  | { id: number; ok: false; kind: 'failed'; message: string };
