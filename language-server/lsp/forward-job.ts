// The message types between the server and its forward worker (lsp/forward-worker.ts).
import type { ClassSpec } from '../analysis/inputs.ts';
import type { FileReport } from '../analysis/report.ts';
import type { TensorRef } from '../protocol/requests.ts';
import type { RangeSummary, TensorSummary, TensorView, ViewRequest } from './forward-tensor-view.ts';

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
  /**
   * The tensor's first answer may carry only the range pass (min, max, count, channel ranges: what
   * the first paint needs); the rest of its summary is computed right after that answer is posted,
   * and a SummaryJob for its id then finds it.
   */
  deferSummary?: boolean;
  /** With deferSummary: the channel ranges wait for the SummaryJob too (a client not colouring per channel yet). */
  deferChannelRange?: boolean;
}

/** The full summary (statistics, histogram) of an answer that came with `summaryPending`. */
export interface SummaryJob { type: 'summary'; id: number; summaryId: string; withChannelRange?: boolean }

/**
 * The server no longer wants job `id` (its request was cancelled): the worker skips it when it has
 * not started it, and drops its answer otherwise (what it built stays cached).
 */
export interface CancelJob { type: 'cancel'; id: number }

/** What the server sends the tensor worker. */
export type TensorWorkerRequest = (TensorJob & { type?: undefined }) | SummaryJob | CancelJob;

/** A summary computed after its first answer: statistics and histogram (the channel ranges went with that answer). */
export interface FullSummary { stats: TensorSummary['stats']; histogram: TensorSummary['histogram']; channelRange?: TensorSummary['channelRange'] }

/** The range pass sent ahead of the rest of the summary (`summaryPending` in GetTensorResult). */
export type PendingSummary = RangeSummary & { id: string; pending: true; channelRangeOmitted?: boolean; channelRangePending?: boolean };

/** Where the values were computed: the device, and for webgpu the adapter; `unavailable` when webgpu was asked for and could not be had. */
export interface ValueDevice { device: 'cpu' | 'webgpu'; adapter?: string; webgpuUnavailable?: string }

export type TensorJobResult =
  | { id: number; ok: true; shape: number[]; dtype: string; summary: TensorSummary | PendingSummary; view: TensorView; where: ValueDevice }
  | { id: number; ok: true; summaryId: string; full: FullSummary }
  /** `skipped`: the job was cancelled (CancelJob) before or while it ran; nothing else is sent for it. `unknownSummary`: no summary of that id is kept. */
  | { id: number; ok: false; kind: 'skipped' | 'unknownSummary'; message: string }
  /** `unknownTensor`: no such tensor in the value run; `notKept`: it exists but its values were not kept (memory budget); `shapeMismatch`: compare of different shapes. */
  | { id: number; ok: false; kind: 'unknownTensor' | 'notKept' | 'shapeMismatch'; available: string[]; message: string }
  | { id: number; ok: false; kind: 'failed'; message: string }
  /** A `webgpuOnly` job found no adapter: nothing was computed on the CPU. */
  | { id: number; ok: false; kind: 'webgpuUnavailable'; message: string };
