// The messages between the forward results panel (webviews/forward/) and its host
// (extension/panels/forward-panel.ts). The host checks every message from the webview with
// `forwardWebviewMessageFrom`.
import type { RequestedDevice, RunForwardResult } from './requests.ts';

/** A run started: the panel shows it is waiting. */
export interface RunningMessage { type: 'running'; className: string; device: RequestedDevice }
/** A run finished with values. */
export interface ResultMessage { type: 'result'; result: RunForwardResult }
/** A run failed (the error is also a diagnostic at its line, when it has one). */
export interface FailedMessage { type: 'failed'; className: string; message: string }

export type ForwardHostToWebview = RunningMessage | ResultMessage | FailedMessage;

export type ForwardWebviewToHost = { type: 'ready' } | { type: 'rerun' };

export function forwardWebviewMessageFrom(raw: unknown): ForwardWebviewToHost | null {
  const type = (raw as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'rerun' ? { type } : null;
}
