// One analysed version of a document: the text, the analysis report, the source index, and the
// forward inputs the user chose (nnLens/setInput) that the analysis ran with.
import type { FileReport } from '../../analysis/report.ts';
import type { SourceIndex } from './source-index.ts';

/**
 * A forward input chosen by the user for one class: `torch.randn(shape)` or `torch.randint(low,
 * high, shape)`; `setting` is the nnLens.inputShapes key it came from (absent: nnLens/setInput).
 */
export interface InputChoice { kind: 'randn' | 'randint'; shape: number[]; low?: number; high?: number; setting?: string }

export interface AnalysedDocument {
  uri: string;
  version: number;
  text: string;
  report: FileReport;
  index: SourceIndex;
  inputChoices: ReadonlyMap<string, InputChoice>;
}
