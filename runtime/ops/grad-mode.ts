// Autograd's global switch (`torch.no_grad()`, `torch.set_grad_enabled(False)`): with it off, op
// results do not require grad, as in PyTorch. The evaluator flips it for `with` blocks.
let enabled = true;

export function isGradEnabled(): boolean { return enabled; }

export function setGradEnabled(mode: boolean): void { enabled = mode; }

/** Runs `fn` with grad mode set to `mode`, restoring the previous mode afterwards. */
export function withGradEnabled<T>(mode: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = mode;
  try { return fn(); } finally { enabled = previous; }
}
