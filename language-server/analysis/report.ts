// The analysis result of one file, in the corpus truth schema (`../shared/corpus/README.md`)
// plus what the editor needs (ranges, diagnostics, input source). Plain data: no LSP types.
import type { Range } from '../syntax/ast.ts';
import type { EvalDiagnostic } from '../eval/diagnostics.ts';
import type { BufferDetails, OutputValues, ParameterDetails, RngState } from './values.ts';

export type { BufferDetails, OutputValues, ParameterDetails, RngState } from './values.ts';
import type { BindingRecord } from './bindings.ts';
import type { ShapeStruct } from '../protocol/requests.ts';

export interface ErrorInfo {
  type: string;
  message: string;
  line: number;
  range?: Range;
  col?: number;
}

// One definition, shared with the editor and the webviews through the protocol.
export type { ShapeStruct };

/** `[module_path, class_name, output shape or null if the call did not return]`. */
export type CallRecord = [string, string, ShapeStruct];

/**
 * Value runs: one module call's wall time and statistics of its first output tensor (mean, unbiased
 * std, min, max; null when the call returned no tensor or the values are not finite numbers).
 */
export interface CallStats { ms: number | null; mean: number | null; std: number | null; min: number | null; max: number | null }

export interface InputInfo {
  kind: 'randn' | 'randint' | 'zeros' | 'none';
  shape: number[];
  dtype: string;
  low?: number;
  high?: number;
  /** Value devices: the first values and the sha256 of the tensor's bytes. */
  first8?: (number | string | boolean)[];
  sha256?: string;
}

export type InputSource =
  | { kind: 'spec' }
  | { kind: 'cli' }
  | { kind: 'file'; line: number }
  | { kind: 'inferred'; rule: string }
  | { kind: 'none'; reason: string };

export interface ForwardReport {
  status: 'ok' | 'error' | 'unsupported';
  inputs: InputInfo[];
  input_source: InputSource;
  output_shape?: ShapeStruct;
  error?: ErrorInfo;
  /** Why the forward could not be traced (data-dependent control flow, unknown values). */
  unsupported?: { message: string; line: number; range: Range };
  calls: CallRecord[];
  hook_order: number[];
  /** Ranges of the call expressions in the file, parallel to `calls` (null for calls from built-in code). */
  call_ranges: (Range | null)[];
  /** Value devices: per-call time and output statistics, parallel to `calls`. */
  call_stats?: CallStats[];
  /** Names bound while the forward ran, with the shapes they held (hover on a variable). */
  bindings?: BindingRecord[];
  /** Value devices: the seed set before creating the inputs (always 1, as the oracle does). */
  seed?: number;
  /** Value devices: every tensor leaf of the return value. */
  outputs?: OutputValues[];
  /** Value devices: `repr()` of the return value, as `print(model(x))` shows it. */
  output_repr?: string;
  /** Value devices: why `outputs` is incomplete (tensors without host values). */
  values_error?: string;
  rng_after_inputs?: RngState;
  rng_after_forward?: RngState;
}

export interface InstanceReport {
  status: 'ok' | 'construct_error' | 'unsupported';
  error?: ErrorInfo;
  ctor_args?: unknown[];
  ctor_kwargs?: Record<string, unknown>;
  repr?: string;
  parameters?: [string, number[]][];
  num_params?: number;
  num_trainable_params?: number;
  buffers?: [string, number[]][];
  buffer_persistent?: Record<string, boolean>;
  /** Value devices: draws consumed by the construction since `torch.manual_seed(0)` (null: the file built the instance). */
  rng_after_init?: RngState | null;
  parameter_details?: Record<string, ParameterDetails>;
  buffer_details?: Record<string, BufferDetails>;
  /** Value devices: why parameter/buffer values are missing (a device read-back that failed). */
  values_error?: string;
  state_dict_keys?: string[];
  submodules?: [string, string, string][];
  forward: ForwardReport | null;
}

export interface ClassReport {
  name: string;
  line: number;
  end_line: number;
  range: Range;
  nameRange: Range;
  bases: string[];
  required_args: string[];
  constructible_without_args: boolean;
  instance: InstanceReport | null;
}

export interface FileReport {
  schema_version: 1;
  source: string;
  import: { status: 'ok' } | { status: 'error'; error: ErrorInfo };
  classes: ClassReport[];
  diagnostics: (EvalDiagnostic & { line: number })[];
  printed: string[];
  timings_ms: { parse: number; evaluate: number; classes: number };
}
