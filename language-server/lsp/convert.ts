// The one place where analysis data becomes LSP data: ranges (UTF-16 columns → the negotiated
// encoding), diagnostics (severity, tags, related locations).
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Position, type Range } from 'vscode-languageserver/node.js';
import type * as ast from '../syntax/ast.ts';
import type { Severity } from '../eval/diagnostics.ts';
import type { EditorDiagnostic } from '../handlers/facts/editor-diagnostics.ts';
import { ColumnConverter, type PositionEncoding } from './position-encoding.ts';

export class LspConverter {
  private readonly columns: ColumnConverter;

  constructor(readonly uri: string, text: string, encoding: PositionEncoding) {
    this.columns = new ColumnConverter(text, encoding);
  }

  range(r: ast.Range): Range {
    return { start: this.columns.toClient(r.start), end: this.columns.toClient(r.end) };
  }

  /** A client position in the analysis's terms. */
  position(p: Position): ast.Position {
    return this.columns.fromClient(p);
  }

  diagnostic(d: EditorDiagnostic): Diagnostic {
    const out: Diagnostic = { range: this.range(d.range), severity: severity(d.severity), code: d.code, source: 'NN Lens', message: d.message };
    if (d.unnecessary) out.tags = [DiagnosticTag.Unnecessary];
    if (d.related?.length) out.relatedInformation = d.related.map((r) => ({ location: { uri: this.uri, range: this.range(r.range) }, message: r.message }));
    return out;
  }
}

function severity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'error': return DiagnosticSeverity.Error;
    case 'warning': return DiagnosticSeverity.Warning;
    case 'information': return DiagnosticSeverity.Information;
    case 'hint': return DiagnosticSeverity.Hint;
  }
}
