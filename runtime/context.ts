// Where tensors are created during one evaluation. The shape tier evaluates on `meta`, the value
// tier on `cpu`/`webgpu`; the same model code runs on both.
import type { DeviceKind } from './tensor.ts';

export interface RuntimeContext {
  device: DeviceKind;
  /** PyTorch 2.x's repr text (ModuleList collapsing, quoted Upsample mode) instead of 1.13's. */
  torch2Repr: boolean;
}

let current: RuntimeContext = { device: 'meta', torch2Repr: false };

export function runtimeContext(): RuntimeContext { return current; }

/** Runs `fn` with `ctx` as the current context, restoring the previous one afterwards. */
export function withRuntimeContext<T>(ctx: Partial<RuntimeContext>, fn: () => T): T {
  const previous = current;
  current = { ...previous, ...ctx };
  try { return fn(); } finally { current = previous; }
}
