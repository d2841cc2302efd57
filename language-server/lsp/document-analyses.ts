// The analyses of the open documents. An opened document is analysed at once; edits are
// debounced (a burst of keystrokes costs one analysis of the last text; the window follows the
// document's analysis time, see debounceAfter); a newer text or input choice makes older work
// stale: its result is dropped, never published. The latest result is cached per version, and
// requests wait for it (or for their cancellation).
import type { CancellationToken } from 'vscode-languageserver/node.js';
import type { AnalysedDocument, InputChoice } from '../handlers/facts/analysed-document.ts';
import { IncrementalParser } from '../syntax/incremental-parse.ts';
import { cancelled } from './catch-boundary.ts';

export interface DocumentAnalysis extends AnalysedDocument {
  /** Wall time of this analysis. */
  ms: number;
}

/** `parser`: the document's own incremental parser (it keeps the previous version's statements). */
export type Analyze = (
  uri: string, text: string, inputChoices: ReadonlyMap<string, InputChoice>, parser: IncrementalParser,
) => Promise<Omit<AnalysedDocument, 'uri' | 'version' | 'text' | 'inputChoices'>>;

interface Entry {
  uri: string;
  version: number;
  text: string;
  inputChoices: Map<string, InputChoice>;
  /** Lives as long as the document is open; analyses of one document never run concurrently. */
  parser: IncrementalParser;
  /** Wall time of the last analysis that ran to its end (current or stale): sets the debounce. */
  lastMs: number | null;
  /** Bumped by every change of text or input choices; a result counts only for its generation. */
  generation: number;
  timer: ReturnType<typeof setTimeout> | null;
  running: boolean;
  result: { generation: number; analysis: DocumentAnalysis } | null;
  failure: { generation: number; error: unknown } | null;
  wake: Set<() => void>;
}

export interface AnalysesEvents {
  analysed(analysis: DocumentAnalysis): void;
  failed(uri: string, version: number, error: unknown): void;
}

/**
 * The debounce window's bounds. The floor still coalesces machine-made bursts (multi-cursor
 * edits, format on type, undo steps) and key repeat (~30 ms); the ceiling is the fixed window
 * this replaced, enough for a fast typist's keystrokes.
 */
export const DEBOUNCE_MS = { min: 50, max: 150 } as const;

/**
 * The wait after an edit: twice the document's last analysis time, within DEBOUNCE_MS (the
 * ceiling until a first analysis finished). Why twice: while the user keeps typing, an analysis
 * starts only after a pause of that length and takes at most half of it, so the server is busy
 * at most half the time, and a quick file is not made to wait as long as a slow one.
 */
export function debounceAfter(lastAnalysisMs: number | null): number {
  if (lastAnalysisMs === null) return DEBOUNCE_MS.max;
  return Math.round(Math.min(DEBOUNCE_MS.max, Math.max(DEBOUNCE_MS.min, 2 * lastAnalysisMs)));
}

export class DocumentAnalyses {
  private readonly entries = new Map<string, Entry>();
  /**
   * The input choices the settings make for a document (nnLens.inputShapes, set by the server);
   * a choice made with setInputChoice for the same class wins over them.
   */
  settingChoices: (uri: string) => ReadonlyMap<string, InputChoice> = () => new Map();

  /** `debounce`: the wait after an edit, given the document's last analysis time (tests pass their own). */
  constructor(private readonly analyze: Analyze, private readonly events: AnalysesEvents, private readonly debounce: (lastAnalysisMs: number | null) => number = debounceAfter) {}

  open(uri: string, version: number, text: string): void {
    const entry: Entry = {
      uri, version, text, inputChoices: this.entries.get(uri)?.inputChoices ?? new Map(), parser: new IncrementalParser(), lastMs: null, generation: 0,
      timer: null, running: false, result: null, failure: null, wake: new Set(),
    };
    this.close(uri);
    this.entries.set(uri, entry);
    this.start(entry);
  }

  change(uri: string, version: number, text: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return this.open(uri, version, text);
    if (entry.version === version && entry.text === text) return;
    entry.version = version;
    entry.text = text;
    entry.generation++;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.start(entry), this.debounce(entry.lastMs));
  }

  close(uri: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    this.entries.delete(uri);
    entry.wake.forEach((w) => w());
  }

  has(uri: string): boolean {
    return this.entries.has(uri);
  }

  uris(): string[] {
    return [...this.entries.keys()];
  }

  /** Sets (or with null clears) one class's forward input, then re-analyses at once. */
  setInputChoice(uri: string, className: string, choice: InputChoice | null): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    if (choice) entry.inputChoices.set(className, choice);
    else entry.inputChoices.delete(className);
    this.reanalyse(uri);
  }

  /** Analyses again now (settings changed, input chosen). */
  reanalyse(uri: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    entry.generation++;
    this.start(entry);
  }

  /** The analysis of the document's current text, waiting for it if needed; null if it is not open. */
  async latest(uri: string, token?: CancellationToken): Promise<DocumentAnalysis | null> {
    for (;;) {
      const entry = this.entries.get(uri);
      if (!entry) return null;
      if (entry.result?.generation === entry.generation) return entry.result.analysis;
      if (entry.failure?.generation === entry.generation) throw entry.failure.error;
      await this.nextEvent(entry, token);
    }
  }

  private nextEvent(entry: Entry, token?: CancellationToken): Promise<void> {
    return new Promise((resolve, reject) => {
      if (token?.isCancellationRequested) return reject(cancelled());
      const listener = token?.onCancellationRequested(() => {
        entry.wake.delete(wake);
        reject(cancelled());
      });
      const wake = (): void => {
        listener?.dispose();
        resolve();
      };
      entry.wake.add(wake);
    });
  }

  private start(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    if (!entry.running) void this.run(entry);
  }

  private async run(entry: Entry): Promise<void> {
    entry.running = true;
    const { generation, version, text } = entry;
    const inputChoices = new Map([...this.settingChoices(entry.uri), ...entry.inputChoices]);
    const t0 = performance.now();
    try {
      const result = await this.analyze(entry.uri, text, inputChoices, entry.parser);
      const ms = performance.now() - t0;
      entry.lastMs = ms;
      if (this.entries.get(entry.uri) === entry && entry.generation === generation) {
        const analysis: DocumentAnalysis = { uri: entry.uri, version, text, inputChoices, ...result, ms };
        entry.result = { generation, analysis };
        this.events.analysed(analysis);
      }
    } catch (error) {
      entry.lastMs = performance.now() - t0;
      if (entry.generation === generation) entry.failure = { generation, error };
      this.events.failed(entry.uri, version, error);
    } finally {
      entry.running = false;
      const wake = [...entry.wake];
      entry.wake.clear();
      wake.forEach((w) => w());
      const stale = this.entries.get(entry.uri) === entry && entry.generation !== generation;
      if (stale && !entry.timer) void this.run(entry);
    }
  }
}
