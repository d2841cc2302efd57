// Problems found while evaluating user code, as data with source ranges (never thrown past the
// analysis boundary). LSP conversion happens in the server's glue only.
import type { Range } from '../syntax/ast.ts';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface EvalDiagnostic {
  /** Stable code, e.g. `python-error`, `unsupported-import`, `budget-steps`. */
  code: string;
  severity: Severity;
  message: string;
  range: Range;
}
