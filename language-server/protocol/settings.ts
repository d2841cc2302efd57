// The `nnLens.*` settings the server reads (sent as `initializationOptions.settings` and in
// `workspace/didChangeConfiguration` as `{ nnLens: ... }`), and the client-side command ids that
// the server's CodeLenses invoke. package.json `contributes` declares the same names.

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
}

export const defaultSettings: NnLensSettings = {
  codeLens: { enabled: true, models: true, layers: true, actions: true },
  diagnostics: { layersNotCalled: true },
  torch2Repr: false,
  seed: 0,
};

/** Commands the extension registers; CodeLenses carry them with `[uri, className]` arguments. */
export const commandIds = {
  runForward: 'nnLens.runForward',
  showWeights: 'nnLens.showWeights',
  setInputShape: 'nnLens.setInputShape',
  selectDevice: 'nnLens.selectDevice',
  showLog: 'nnLens.showLog',
} as const;

/** Reads settings from untrusted JSON: every missing or mistyped field takes its default. */
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
  };
}
