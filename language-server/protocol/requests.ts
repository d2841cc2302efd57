// The custom requests and notifications of the NN Lens language server, shared by the server, the
// VS Code extension and the webviews (docs/protocol.md describes each one). Types only, no package
// imports, so that a webview can import this file: a method is its name with its parameter and
// result types attached, and each side turns it into its own LSP library's call.
//
// Positions and ranges are LSP's: 0-based line and a column in the negotiated position encoding
// (UTF-16 unless the client asked for another one).

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface TextDocumentIdentifier { uri: string }

/** A request: `method` at run time, its parameter and result types at compile time. */
export interface RequestMethod<Params, Result> {
  readonly method: string;
  /** Never set: carries the types. */
  readonly types?: (params: Params) => Result;
}

/** A notification from the server: `method` at run time, its parameter type at compile time. */
export interface NotificationMethod<Params> {
  readonly method: string;
  readonly types?: (params: Params) => void;
}

const request = <P, R>(method: string): RequestMethod<P, R> => ({ method });
const notification = <P>(method: string): NotificationMethod<P> => ({ method });

/** Where values were computed (results say this). `meta` (shapes only) is what every analysis uses. */
export type Device = 'cpu' | 'webgpu';

/**
 * Where a value run should compute (requests and the `nnLens.device` setting say this):
 * - `auto`: WebGPU when an adapter is found, else the CPU, and the result says why (`fallback`);
 * - `webgpu`: WebGPU only; without an adapter the request fails (`valueTierUnavailable`, device
 *   `webgpu`) with the reason, and nothing runs on the CPU;
 * - `cpu`: the CPU kernels.
 */
export type RequestedDevice = 'auto' | Device;
export const requestedDevices: readonly RequestedDevice[] = ['auto', 'webgpu', 'cpu'];
export const isRequestedDevice = (v: unknown): v is RequestedDevice => (requestedDevices as readonly unknown[]).includes(v);

/** A shape as the corpus writes it: a tensor's sizes, null (None), or a container of those. */
export type ShapeStruct =
  | number[]
  | null
  | { tuple: ShapeStruct[] }
  | { list: ShapeStruct[] }
  | { dict: Record<string, ShapeStruct> }
  | { value: string };

export interface ParameterInfo { name: string; shape: number[]; count: number }

export interface InputDescription {
  kind: 'randn' | 'randint' | 'zeros' | 'none';
  shape: number[];
  dtype: string;
  low?: number;
  high?: number;
}

/**
 * Where a model's forward input came from. `text` says it in words ("from the call on line 50").
 * `setting`: an entry of `nnLens.inputShapes` (its key in `setting`); `user`: nnLens/setInput.
 */
export interface InputSourceDescription {
  kind: 'file' | 'setting' | 'user' | 'inferred' | 'spec' | 'cli' | 'none';
  text: string;
  /** The `nnLens.inputShapes` key the input came from (kind `setting`). */
  setting?: string;
  /** The call in the file that supplied the input (kind `file`). */
  range?: Range;
}

export interface ModelError { type: string; message: string; range?: Range }

/**
 * - `ok`: constructed and traced;
 * - `needs-arguments`: its constructor has required parameters and nothing in the file builds one;
 * - `construct-error` / `forward-error`: PyTorch would raise (see `error`);
 * - `no-input`: constructed, but no forward input is known (set one with `nnLens/setInput`);
 * - `unsupported`: uses something NN Lens does not evaluate yet (see `problem`).
 */
export type ModelStatus = 'ok' | 'needs-arguments' | 'construct-error' | 'forward-error' | 'no-input' | 'unsupported';

export interface ModelSummary {
  className: string;
  range: Range;
  nameRange: Range;
  status: ModelStatus;
  /** Why it is not fully evaluated, in words; absent when `status` is `ok`. */
  problem?: string;
  error?: ModelError;
  /** Absent unless the model was constructed. */
  parameterCount?: number;
  trainableParameterCount?: number;
  parameters?: ParameterInfo[];
  buffers?: ParameterInfo[];
  inputs?: InputDescription[];
  inputSource?: InputSourceDescription;
  outputShape?: ShapeStruct;
}

// ------------------------------------------------------------------ nnLens/listModels

export interface ListModelsParams { textDocument: TextDocumentIdentifier }
export interface ListModelsResult { uri: string; version: number; models: ModelSummary[] }
export const listModels = request<ListModelsParams, ListModelsResult>('nnLens/listModels');

// ------------------------------------------------------------------ nnLens/runForward

export interface RunForwardParams { textDocument: TextDocumentIdentifier; className: string; device: RequestedDevice }

/** One module call of the forward, in call order (`path` '' is the model itself). */
export interface ForwardCall {
  path: string;
  type: string;
  outputShape: ShapeStruct;
  /** Wall time of the call in ms (on webgpu: the time to issue its work; the GPU may finish later). */
  ms?: number | null;
  /** Statistics of the call's first output tensor (unbiased std, as torch.std); null when it returned none. */
  mean?: number | null;
  std?: number | null;
  min?: number | null;
  max?: number | null;
}

export interface RunForwardResult {
  className: string;
  /** Where the values were computed. */
  device: Device;
  /** Set when an `auto` run could not use WebGPU and ran on the CPU: what was asked for and why. */
  fallback?: { requested: RequestedDevice; reason: string };
  /** The WebGPU adapter used (webgpu runs). */
  adapter?: string;
  /** Ops of a webgpu run that had no WGSL kernel and ran on the CPU, with the reason. */
  ranOnCpu?: string[];
  /** The output as `print(output)` prints it. */
  printed: string;
  outputShape: ShapeStruct;
  calls: ForwardCall[];
  /** The seed set before construction (`seed + 1` before the inputs). */
  seed?: number;
  /** Wall time of the whole run, and the analysis's own split (parse, module code, construction + forward). */
  timings: { totalMs: number; parseMs: number; evaluateMs: number; modelMs: number };
}
export const runForward = request<RunForwardParams, RunForwardResult>('nnLens/runForward');

// ------------------------------------------------------------------ nnLens/getTensor

export interface TensorRef {
  kind: 'parameter' | 'buffer' | 'activation';
  /** `conv1.weight` for a parameter or buffer, a module path (`conv1`) for an activation. */
  name: string;
  /**
   * Activations only: which call of that module, counted over the forward's module calls in order
   * (the index into RunForwardResult.calls); default the module's first call. A module called
   * several times (a shared block, a loop) has one output per call.
   */
  call?: number;
}

export type Reduction = 'mean' | 'min' | 'max';

/** A rectangle of the tensor folded to 2-D (see protocol/tensor-fold.ts): first row and column, and its size. */
export interface TensorWindow { row: number; col: number; rows: number; cols: number }

export interface GetTensorParams {
  textDocument: TextDocumentIdentifier & { version?: number };
  className: string;
  tensor: TensorRef;
  /** At most this many values come back when no `grid` is given; default 65536. */
  maxElements?: number;
  device?: RequestedDevice;
  /** The part of the folded tensor to view; default the whole of it. */
  window?: TensorWindow;
  /** The cells to reduce the window to (each cell covers a block of elements); exact values when the window fits. */
  grid?: { rows: number; cols: number };
  /** How a cell summarises the elements it covers; default `mean`. */
  reduction?: Reduction;
  /**
   * Compare: the values are `tensor − minus` element by element (both must have the same shape), e.g.
   * the same activation in two calls, or a parameter before and after loading a checkpoint.
   */
  minus?: TensorRef;
  /**
   * The `summaryId` of an earlier answer whose `channelRange` the client keeps: when this answer's
   * summary is still that one, `channelRange` is left out and `channelRangeOmitted` set (an
   * embedding's ranges are 2 × 50,257 numbers, the same for every window). Optional: without it
   * every answer carries `channelRange`.
   */
  knownSummaryId?: string;
  /**
   * The first answer for a tensor (of at least 2^20 elements) may come before its statistics: it then carries `summaryPending`,
   * `stats` with only min, max and count, the channel ranges, and no histogram, and
   * nnLens/getTensorSummary with its `summaryId` gives the rest (computed right after that answer).
   * Optional: without it every answer carries the whole summary.
   */
  deferSummary?: boolean;
  /**
   * With `deferSummary`: the channel ranges wait for nnLens/getTensorSummary too (asked with
   * `channelRange: true`); the first answer then says `channelRangePending`. For a client not
   * colouring per channel yet (an embedding's ranges are 2 × 50,257 numbers). Optional.
   */
  deferChannelRange?: boolean;
}

export interface TensorStats {
  min: number;
  max: number;
  /** Absent only while GetTensorResult.summaryPending (min, max and count come first). */
  mean?: number;
  std?: number;
  /** Extended statistics (always present since the value tier answers getTensor). */
  zeroFraction?: number;
  l2Norm?: number;
  count?: number;
}

export interface GetTensorResult {
  tensor: TensorRef;
  shape: number[];
  dtype: string;
  /** Shape of the values sent after downsampling (the cell grid), and the elements per cell along rows and columns. */
  sampledShape: number[];
  step: number[];
  /** The cell values (row-major over the grid), little-endian float32, base64. */
  data: string;
  stats: TensorStats;
  /** The document version the values are from. */
  version?: number;
  /** The tensor folded to 2-D: its full size. */
  folded?: { rows: number; cols: number };
  /** The window these cells cover, the grid, and whether each cell is exactly one element. */
  window?: TensorWindow;
  grid?: { rows: number; cols: number };
  exact?: boolean;
  reduction?: Reduction;
  /** Histogram over the whole tensor: `counts.length` equal bins from `min` to `max`. */
  histogram?: { min: number; max: number; counts: number[] };
  /**
   * Per-channel normalisation: the minimum and maximum over the whole tensor of each index along
   * the channel dimension `dim` (0 for parameters: output channels of a conv weight, rows of a
   * linear weight; 1 for activations of rank ≥ 3, whose dim 0 is the batch); absent for tensors of
   * rank < 2 and when that dimension has more than 65,536 entries.
   */
  channelRange?: { dim: number; min: number[]; max: number[] };
  /** Names the whole-tensor summary (stats, histogram, channelRange) of these values; the same id means the same summary. */
  summaryId?: string;
  /** `channelRange` left out because the request's `knownSummaryId` is this `summaryId`: the client's copy is current. */
  channelRangeOmitted?: boolean;
  /**
   * The request set `deferSummary` and this is the tensor's first answer: `stats` holds only min,
   * max and count (all the colour scale needs), `histogram` is absent; nnLens/getTensorSummary
   * with `summaryId` answers the rest.
   */
  summaryPending?: boolean;
  /** `deferChannelRange` held the channel ranges back: nnLens/getTensorSummary with `channelRange: true` answers them. */
  channelRangePending?: boolean;
  /** The compared tensor when `minus` was given (the values are `tensor − minus`). */
  minus?: TensorRef;
  /** Where the values were computed (read back to the host from the GPU for webgpu), and the WebGPU adapter. */
  device?: 'cpu' | 'webgpu';
  adapter?: string;
  /** Set when `auto` could not use WebGPU: what was asked for and why; the values are from `device`. */
  fallback?: { requested: RequestedDevice; reason: string };
}
export const getTensor = request<GetTensorParams, GetTensorResult>('nnLens/getTensor');

/** The rest of a summary sent with `summaryPending`: its `summaryId`; `channelRange`: the channel ranges too (after `channelRangePending`). */
export interface GetTensorSummaryParams { summaryId: string; channelRange?: boolean }
export interface GetTensorSummaryResult {
  summaryId: string;
  stats: Required<TensorStats>;
  histogram: { min: number; max: number; counts: number[] };
  /** Asked for with `channelRange: true`, and the tensor has them (see GetTensorResult.channelRange). */
  channelRange?: { dim: number; min: number[]; max: number[] };
}
export const getTensorSummary = request<GetTensorSummaryParams, GetTensorSummaryResult>('nnLens/getTensorSummary');

// ------------------------------------------------------------------ nnLens/setInput

export interface InputOverride {
  shape: number[];
  /** `int64` makes token ids (`torch.randint`); default: the kind of input the model had. */
  dtype?: 'float32' | 'int64';
}

export interface SetInputParams {
  textDocument: TextDocumentIdentifier;
  className: string;
  /** null goes back to the input NN Lens finds by itself. */
  input: InputOverride | null;
}
export interface SetInputResult { model: ModelSummary }
export const setInput = request<SetInputParams, SetInputResult>('nnLens/setInput');

// ------------------------------------------------------------------ nnLens/analysisStatus (server → client)

export interface AnalysisStatusParams {
  uri: string;
  version: number;
  modelCount: number;
  errorCount: number;
  analysisMs: number;
}
export const analysisStatus = notification<AnalysisStatusParams>('nnLens/analysisStatus');
