// Runs the analysis for one document text: the file's report (shape tier) and the source index the
// editor features use. Sibling modules (`from .layers import Block`) are read from the open
// documents first, then from disk; the user's input choices become the analysis's input spec.
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspectSource } from '../analysis/inspect.ts';
import { siblingImporter } from '../analysis/sibling-importer.ts';
import type { ClassSpec } from '../analysis/inputs.ts';
import { indexSource } from '../handlers/facts/source-index.ts';
import { initParser } from '../syntax/parse.ts';
import type { InputChoice } from '../handlers/facts/analysed-document.ts';
import type { Analyze } from './document-analyses.ts';

export interface AnalyzerOptions {
  /** The text of an open document, or null. */
  openDocumentText(uri: string): string | null;
  torch2Repr(): boolean;
}

export function documentAnalyzer(options: AnalyzerOptions): Analyze {
  const readSource = (path: string): string | null => {
    const open = options.openDocumentText(pathToFileURL(path).href);
    if (open !== null) return open;
    try { return fs.readFileSync(path, 'utf8'); } catch { return null; }
  };
  return async (uri, text, inputChoices, parser) => {
    const fileName = fileNameOf(uri);
    // One parse per version, shared by the report and the index; incremental per open document.
    await initParser();
    const parsed = parser.parse(text);
    const report = await inspectSource(text, fileName, {
      parsed,
      spec: inputSpec(inputChoices),
      torch2Repr: options.torch2Repr(),
      // Only files on disk have siblings; an untitled buffer imports nothing of its own.
      importerFactory: uri.startsWith('file:') ? (f) => siblingImporter(f, readSource) : undefined,
    });
    return { report, index: await indexSource(text, parsed) };
  };
}

/** The file path of a `file:` URI; for other schemes (untitled:) a plain name. */
export function fileNameOf(uri: string): string {
  if (uri.startsWith('file:')) {
    try { return fileURLToPath(uri); } catch { /* fall through */ }
  }
  const path = uri.replace(/^[a-z][a-z0-9+.-]*:/i, '').replace(/[?#].*$/, '');
  return decodeURIComponent(path.split('/').pop() || 'untitled.py');
}

/** The user's input choices as the analysis's per-class input spec. */
export function inputSpec(choices: ReadonlyMap<string, InputChoice>): Record<string, ClassSpec> {
  const spec: Record<string, ClassSpec> = {};
  for (const [className, c] of choices) {
    spec[className] = { inputs: [c.kind === 'randint' ? { kind: 'randint', shape: c.shape, low: c.low ?? 0, high: c.high ?? 2 } : { kind: 'randn', shape: c.shape }] };
  }
  return spec;
}
