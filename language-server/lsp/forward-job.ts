// The message types between the server and its forward worker (lsp/forward-worker.ts).
import type { ClassSpec } from '../analysis/inputs.ts';
import type { FileReport } from '../analysis/report.ts';

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
}

export type ForwardJobResult = { ok: true; report: FileReport; ms: number } | { ok: false; message: string };
