// Observes every module call (what `register_forward_pre_hook`/`register_forward_hook` on every
// submodule would see) without touching the modules: the analysis installs one to record the
// forward trace, the value tier to time calls and collect activations.
import type { PyValue } from '../python/index.ts';
import type { Module } from './module.ts';

export interface CallTracer {
  /** Called when `module(...)` starts; returns a token handed back to `exit`. */
  enter(module: Module, args: readonly PyValue[]): number;
  /** Called when the call returns (not when it raises). */
  exit(token: number, output: PyValue): void;
}

let current: CallTracer | null = null;

export function currentCallTracer(): CallTracer | null { return current; }

export function withCallTracer<T>(tracer: CallTracer | null, fn: () => T): T {
  const previous = current;
  current = tracer;
  try { return fn(); } finally { current = previous; }
}
