// The `nnLens.*` settings the server reads (sent as `initializationOptions.settings` and in
// `workspace/didChangeConfiguration` as `{ nnLens: ... }`), and the client-side command ids that
// the server's CodeLenses invoke. package.json `contributes` declares the same names.
import { isRequestedDevice, type RequestedDevice } from './requests.ts';
import { parseInputShapes, type InputShape } from './input-shapes.ts';

export interface NnLensSettings {
  codeLens: {
    /** Every NN Lens CodeLens. */
    enabled: boolean;
    /** Above each class: parameter count, input → output shape. */
    models: boolean;
    /** Above each layer assignment: parameter shapes, count, output shape. */
    layers: boolean;
    /** Above each class: ▶ Run forward and ▦ Weights. */
    actions: boolean;
  };
  diagnostics: {
    /** A hint on layers that forward never calls. */
    layersNotCalled: boolean;
  };
  /** Print reprs as PyTorch 2.x does (the corpus truth is 1.13). */
  torch2Repr: boolean;
  /** Value runs: `torch.manual_seed(seed)` before construction; the inputs use `seed + 1`. */
  seed: number;
  /** Where value runs compute; the extension sends it with each request (see RequestedDevice). */
  device: RequestedDevice;
  /** Forward inputs by class name (or `FILE:Class`), the valid entries of nnLens.inputShapes (protocol/input-shapes.ts). */
  inputShapes: Record<string, InputShape>;
}

export const defaultSettings: NnLensSettings = {
  codeLens: { enabled: true, models: true, layers: true, actions: true },
  diagnostics: { layersNotCalled: true },
  torch2Repr: false,
  seed: 0,
  device: 'auto',
  inputShapes: {},
};

/** Commands the extension registers; CodeLenses carry them with `[uri, className]` arguments. */
export const commandIds = {
  runForward: 'nnLens.runForward',
  showWeights: 'nnLens.showWeights',
  setInputShape: 'nnLens.setInputShape',
  selectDevice: 'nnLens.selectDevice',
  showLog: 'nnLens.showLog',
} as const;

/**
 * Reads settings from untrusted JSON: every missing or mistyped field takes its default. An invalid
 * nnLens.inputShapes entry is left out; settingsProblems() says which and why.
 */
export function settingsFrom(raw: unknown): NnLensSettings {
  const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? v as Record<string, unknown> : {});
  const bool = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : d);
  const r = obj(raw);
  const lens = obj(r.codeLens);
  const diag = obj(r.diagnostics);
  const d = defaultSettings;
  return {
    codeLens: {
      enabled: bool(lens.enabled, d.codeLens.enabled),
      models: bool(lens.models, d.codeLens.models),
      layers: bool(lens.layers, d.codeLens.layers),
      actions: bool(lens.actions, d.codeLens.actions),
    },
    diagnostics: { layersNotCalled: bool(diag.layersNotCalled, d.diagnostics.layersNotCalled) },
    torch2Repr: bool(r.torch2Repr, d.torch2Repr),
    seed: typeof r.seed === 'number' && Number.isSafeInteger(r.seed) && r.seed >= 0 ? r.seed : d.seed,
    device: isRequestedDevice(r.device) ? r.device : d.device,
    inputShapes: parseInputShapes(r.inputShapes).entries,
  };
}

/** What is wrong in the raw settings, one sentence each, for the user (a mistyped device, bad input shapes). */
export function settingsProblems(raw: unknown): string[] {
  const r = typeof raw === 'object' && raw !== null ? raw as Record<string, unknown> : {};
  const problems = parseInputShapes(r.inputShapes).problems;
  if (r.device !== undefined && !isRequestedDevice(r.device)) problems.unshift(`nnLens.device must be "auto", "webgpu" or "cpu", not ${JSON.stringify(r.device)}; using "auto"`);
  return problems;
}
