// The messages between the weights panel (webviews/weights/) and its host (extension/panels/):
// `postMessage` in both directions carries exactly these. Values cross as a Float32Array (structured
// clone), never as text. The host checks every message from the webview with `webviewMessageFrom`.
import type { ParameterInfo, Reduction, ShapeStruct, TensorRef, TensorStats, TensorWindow } from './requests.ts';

/** One module call's output: `call` is its index among the forward's module calls (TensorRef.call). */
export interface ActivationInfo { path: string; type: string; shape: ShapeStruct; call: number }

/** What the panel shows: the model's parameters and buffers, and the module outputs of the last forward run. */
export interface ModelMessage {
  type: 'model';
  className: string;
  uri: string;
  parameters: ParameterInfo[];
  buffers: ParameterInfo[];
  /** Every module call's output of the last forward run, in call order; empty until a forward ran (▶ Run forward). */
  activations: ActivationInfo[];
  /** A tensor to select at once (the hover's "open in the weights panel" link); absent otherwise. */
  select?: TensorRef;
}

export interface TensorMessage {
  type: 'tensor';
  requestId: number;
  tensor: TensorRef;
  shape: number[];
  dtype: string;
  folded: { rows: number; cols: number };
  window: TensorWindow;
  grid: { rows: number; cols: number };
  exact: boolean;
  reduction: Reduction;
  /** The tensor subtracted from `tensor` (compare mode), or null. */
  minus: TensorRef | null;
  /** Over the whole tensor; only min, max and count while `summaryPending`. */
  stats: TensorStats;
  /**
   * GetTensorResult.summaryPending: the statistics and histogram (`counts` empty until then) come
   * later in a SummaryMessage for `summaryId`; the cells and the colour scale are complete. Only
   * when the request set `deferSummary`.
   */
  summaryPending?: boolean;
  /** GetTensorResult.channelRangePending: the request set `deferChannelRange`; the SummaryMessage brings the ranges (`channelRange` is null until then). */
  channelRangePending?: boolean;
  /** Never sent: the webview sets it on a pending message when the SummaryMessage for it carried an error. */
  summaryError?: string;
  /** See GetTensorResult.channelRange; null when absent, and when left out (`channelRangeOmitted`). */
  channelRange: { dim: number; min: number[]; max: number[] } | null;
  /** GetTensorResult.summaryId: the webview keeps the channel ranges of the last one per tensor and names it in its next request. Optional for older hosts. */
  summaryId?: string;
  /** The channel ranges are those of `summaryId`, which the request named as known (RequestTensorMessage.knownSummary): not sent again. */
  channelRangeOmitted?: boolean;
  histogram: { min: number; max: number; counts: number[] };
  /** grid.rows × grid.cols cells, row-major. */
  values: Float32Array;
  /** Where the values were computed (`WebGPU · adapter`, `CPU`), and why not on the GPU when the user's `auto` fell back; optional for older hosts. */
  device?: string;
  fallback?: string;
}

export interface ErrorMessage { type: 'error'; requestId: number | null; message: string }

/**
 * The rest of a summary a TensorMessage announced with `summaryPending` (nnLens/getTensorSummary):
 * the whole statistics and the histogram, or why they could not be had (`error`).
 */
export type SummaryMessage =
  | {
    type: 'summary'; summaryId: string; stats: Required<TensorStats>; histogram: { min: number; max: number; counts: number[] };
    /** The channel ranges a `channelRangePending` answer held back. */
    channelRange?: { dim: number; min: number[]; max: number[] };
  }
  | { type: 'summary'; summaryId: string; error: string };

export type HostToWebview = ModelMessage | TensorMessage | ErrorMessage | SummaryMessage;

export interface ReadyMessage { type: 'ready' }
export interface RequestTensorMessage {
  type: 'requestTensor';
  requestId: number;
  tensor: TensorRef;
  window: TensorWindow | null;
  grid: { rows: number; cols: number };
  reduction: Reduction;
  /** Compare mode: show `tensor − minus` (same shape); null otherwise. */
  minus: TensorRef | null;
  /** The summaryId of an earlier answer for this tensor (and minus) whose channel ranges the webview keeps; the host passes it on as GetTensorParams.knownSummaryId. */
  knownSummary?: string;
  /**
   * The webview paints before the statistics arrive: the host asks with GetTensorParams.deferSummary
   * and sends the rest in a SummaryMessage. Optional (older webviews do not send it: whole answers).
   */
  deferSummary?: boolean;
  /** With deferSummary: the channel ranges may come with the SummaryMessage too (the webview is not colouring per channel). Optional. */
  deferChannelRange?: boolean;
}
/** Runs the forward so that module outputs become selectable. */
export interface RunForwardMessage { type: 'runForward' }

export type WebviewToHost = ReadyMessage | RequestTensorMessage | RunForwardMessage;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, min: number, max = 1 << 30): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** A TensorRef exactly as typed (`call` only on activations, a non-negative integer), else null. */
export function tensorRefFrom(raw: unknown): TensorRef | null {
  if (!isObject(raw)) return null;
  const { kind, name, call } = raw;
  if (kind !== 'parameter' && kind !== 'buffer' && kind !== 'activation') return null;
  if (typeof name !== 'string' || name.length > 1000) return null;
  if (call === undefined) return { kind, name };
  if (kind !== 'activation' || !isCount(call, 0)) return null;
  return { kind, name, call };
}

/** A message from the webview if it is one of WebviewToHost exactly as typed, else null. */
export function webviewMessageFrom(raw: unknown): WebviewToHost | null {
  if (!isObject(raw)) return null;
  if (raw.type === 'ready' || raw.type === 'runForward') return { type: raw.type };
  if (raw.type !== 'requestTensor') return null;
  const { requestId, window, grid, reduction } = raw;
  if (!isCount(requestId, 0, Number.MAX_SAFE_INTEGER) || !isObject(grid)) return null;
  const tensor = tensorRefFrom(raw.tensor);
  if (!tensor) return null;
  // `minus` is required (null when not comparing): a webview that omits it speaks an older protocol.
  const minus = raw.minus === null ? null : tensorRefFrom(raw.minus);
  if (raw.minus !== null && !minus) return null;
  if (!isCount(grid.rows, 1, 4096) || !isCount(grid.cols, 1, 4096)) return null;
  if (reduction !== 'mean' && reduction !== 'min' && reduction !== 'max') return null;
  let win: TensorWindow | null = null;
  if (window !== null) {
    if (!isObject(window) || !isCount(window.row, 0) || !isCount(window.col, 0) || !isCount(window.rows, 1) || !isCount(window.cols, 1)) return null;
    win = { row: window.row, col: window.col, rows: window.rows, cols: window.cols };
  }
  // `knownSummary` is optional (older webviews do not send it): a short string when present.
  const known = raw.knownSummary;
  if (known !== undefined && (typeof known !== 'string' || known.length > 200)) return null;
  // `deferSummary` is optional too: a boolean when present.
  const defer = raw.deferSummary;
  if (defer !== undefined && typeof defer !== 'boolean') return null;
  const deferRanges = raw.deferChannelRange;
  if (deferRanges !== undefined && typeof deferRanges !== 'boolean') return null;
  return {
    type: 'requestTensor', requestId, tensor, window: win, grid: { rows: grid.rows, cols: grid.cols }, reduction, minus,
    ...(known !== undefined ? { knownSummary: known } : {}), ...(defer !== undefined ? { deferSummary: defer } : {}),
    ...(deferRanges !== undefined ? { deferChannelRange: deferRanges } : {}),
  };
}
