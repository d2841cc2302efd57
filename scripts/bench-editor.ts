// `node --import tsx scripts/bench-editor.ts`: editor latency of the real language server over
// stdio (spawned as the LSP tests spawn it, test/lsp/server-process.ts). For every corpus file
// (test/corpus/models/*.py) and a generated ~2,000-line file with 70 models
// (test/lsp/latency-fixture/many_models.py, rewritten by `generateManyModels` below on each run):
// open it, then repeat a realistic edit (a layer's last integer argument, e.g. a Linear's
// out_features, toggled) as an incremental didChange, and measure
//   - edit → the publishDiagnostics of that version (the server debounces edits; the window
//     follows the document's previous analysis time, debounceAfter in
//     language-server/lsp/document-analyses.ts, and is reported with and without it);
//   - hover on a layer name once that version has settled.
// Aims: under 50 ms to diagnostics after the debounce, under 10 ms per hover.
//
//   node --import tsx scripts/bench-editor.ts [--runs 8] [--hovers 5] [--only lenet,many_models] [--json out.json]
import fs from 'node:fs';
import path from 'node:path';
import type { Hover } from 'vscode-languageserver/node.js';
import { DEBOUNCE_MS, debounceAfter } from '../language-server/lsp/document-analyses.ts';
import type { LspClient } from '../test/lsp/lsp-client.ts';
import { fileUri, root, startServer } from '../test/lsp/server-process.ts';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string): string => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1]! : dflt; };
const runs = Number(opt('runs', '8'));
const hoversPerRun = Number(opt('hovers', '5'));
const only = opt('only', '') ? new Set(opt('only', '').split(',')) : null;
const jsonOut = opt('json', '');

const DIAGNOSTICS_AIM_MS = 50;
const HOVER_AIM_MS = 10;

/**
 * The server's debounce window before analysing a version: its own rule (debounceAfter) applied to
 * the previous version's analysis time as the server logged it (rounded to 1 ms, so the window
 * read here may be off by a millisecond or two).
 */
const windowAfter = (previousAnalysisMs: number): number => debounceAfter(previousAnalysisMs);

// ---------------------------------------------------------------------------------------------
// The generated many-models file.

const mlp = (i: number): string => {
  const d = [32 + 8 * (i % 5), 64 + 16 * (i % 3), 48 + 8 * (i % 4)];
  return `
class MLP${i}(nn.Module):
    """A ${d.length}-layer perceptron (variant ${i})."""

    def __init__(self, in_features=${d[0]}, hidden=${d[1]}, num_classes=${d[2] % 20 + 2}):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, hidden // 2)
        self.norm = nn.LayerNorm(hidden // 2)
        self.fc3 = nn.Linear(hidden // 2, num_classes)
        self.dropout = nn.Dropout(p=0.1)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = self.dropout(x)
        x = F.gelu(self.norm(self.fc2(x)))
        return self.fc3(x)
`;
};

const cnn = (i: number): string => {
  const c = 8 + 4 * (i % 4);
  return `
class CNN${i}(nn.Module):
    """Two conv blocks and a linear head on ${16 + 8 * (i % 3)}x${16 + 8 * (i % 3)} images."""

    def __init__(self, in_channels=${1 + 2 * (i % 2)}, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, ${c}, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(${c})
        self.conv2 = nn.Conv2d(${c}, ${2 * c}, kernel_size=3, padding=1)
        self.bn2 = nn.BatchNorm2d(${2 * c})
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(${2 * c} * ${(16 + 8 * (i % 3)) / 4} * ${(16 + 8 * (i % 3)) / 4}, num_classes)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = self.pool(F.relu(self.bn2(self.conv2(x))))
        x = self.flatten(x)
        return self.fc(x)
`;
};

const residual = (i: number): string => {
  const c = 16 + 8 * (i % 3);
  return `
class ResBlock${i}(nn.Module):
    def __init__(self, channels=${c}):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + x)


class ResNet${i}(nn.Module):
    """A stem, ${2 + (i % 2)} residual blocks and a pooled head."""

    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, ${c}, kernel_size=3, padding=1)
        self.blocks = nn.Sequential(*[ResBlock${i}(${c}) for _ in range(${2 + (i % 2)})])
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.head = nn.Linear(${c}, num_classes)

    def forward(self, x):
        x = F.relu(self.stem(x))
        x = self.blocks(x)
        x = torch.flatten(self.pool(x), 1)
        return self.head(x)
`;
};

const transformer = (i: number): string => {
  const d = 32 + 16 * (i % 3), heads = 2 + 2 * (i % 2);
  return `
class Attention${i}(nn.Module):
    def __init__(self, dim=${d}, n_head=${heads}):
        super().__init__()
        self.n_head = n_head
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.qkv(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = F.softmax((q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1))), dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.proj(y)


class Transformer${i}(nn.Module):
    """A small pre-norm transformer block with token embeddings and a vocabulary head."""

    def __init__(self, vocab_size=${64 + 8 * (i % 4)}, dim=${d}):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, dim)
        self.ln1 = nn.LayerNorm(dim)
        self.attn = Attention${i}(dim)
        self.ln2 = nn.LayerNorm(dim)
        self.ff1 = nn.Linear(dim, 4 * dim)
        self.ff2 = nn.Linear(4 * dim, dim)
        self.lm_head = nn.Linear(dim, vocab_size)

    def forward(self, idx):
        x = self.embed(idx)
        x = x + self.attn(self.ln1(x))
        x = x + self.ff2(F.gelu(self.ff1(self.ln2(x))))
        return self.lm_head(x)
`;
};

/** ~2,000 lines: 70 models (MLPs, CNNs, residual nets and small transformers in turn) and a `__main__` block that runs each one. */
export function generateManyModels(count = 70): string {
  const parts: string[] = ['# Generated by scripts/bench-editor.ts (generateManyModels): the editor-latency benchmark\'s\n# large file. Do not edit by hand.\nimport math\n\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n'];
  const main: string[] = ['', 'if __name__ == "__main__":'];
  for (let i = 0; i < count; i++) {
    switch (i % 4) {
      case 0: {
        parts.push(mlp(i));
        main.push(`    model = MLP${i}()`, `    print(model(torch.randn(${1 + (i % 3)}, ${32 + 8 * (i % 5)})).shape)`);
        break;
      }
      case 1: {
        const s = 16 + 8 * (i % 3);
        parts.push(cnn(i));
        main.push(`    model = CNN${i}()`, `    print(model(torch.randn(2, ${1 + 2 * (i % 2)}, ${s}, ${s})).shape)`);
        break;
      }
      case 2: {
        parts.push(residual(i));
        main.push(`    model = ResNet${i}()`, `    print(model(torch.randn(1, 3, 32, 32)).shape)`);
        break;
      }
      default: {
        parts.push(transformer(i));
        main.push(`    print(Attention${i}()(torch.randn(2, 16, ${32 + 16 * (i % 3)})).shape)`);
        main.push(`    model = Transformer${i}()`, `    print(model(torch.randint(0, ${64 + 8 * (i % 4)}, (2, 16))).shape)`);
      }
    }
  }
  return `${parts.join('\n')}${main.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// The measurement.

interface Edit { line: number; start: number; end: number; original: string; changed: string }
interface HoverTarget { line: number; character: number; name: string }

/** The last integer argument of the first layer call found (Linear preferred): `nn.Linear(a, 128)` → 128 ↔ 129. */
function findEdit(lines: string[]): Edit {
  for (const layer of ['Linear', 'Conv2d', 'Conv1d', 'Embedding', 'LSTM', 'GRU', 'BatchNorm2d', 'LayerNorm']) {
    for (let line = 0; line < lines.length; line++) {
      const text = lines[line]!;
      const call = text.indexOf(`nn.${layer}(`);
      if (call < 0) continue;
      const ints = [...text.slice(call).matchAll(/(?<![\w.])(\d+)(?![\w.])/g)];
      const last = ints.at(-1);
      if (!last) continue;
      const start = call + last.index;
      const original = last[1]!;
      return { line, start, end: start + original.length, original, changed: String(Number(original) + 1) };
    }
  }
  // No layer with an integer argument: append to a comment-free line's end (still a full re-analysis).
  const line = lines.findIndex((l) => /^\s*def forward/.test(l));
  const at = Math.max(line, 0);
  return { line: at, start: lines[at]!.length, end: lines[at]!.length, original: '', changed: '  ' };
}

/** The attribute name of the first `self.NAME = nn.X(...)` assignment. */
function findHover(lines: string[]): HoverTarget | null {
  for (let line = 0; line < lines.length; line++) {
    const m = /^(\s*self\.)(\w+)\s*=\s*nn\.\w+\(/.exec(lines[line]!);
    if (m) return { line, character: m[1]!.length + 1, name: m[2]! };
  }
  return null;
}

/** The server's log line for an analysed version: `analysed <uri> v<version> in <ms> ms: ...`. */
const analysedLine = (uri: string, version: number): RegExp => new RegExp(`analysed ${uri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} v${version} in (\\d+) ms`);

/** The publishDiagnostics of `version` (waitForDiagnostics of server-process.ts, with a timeout long enough for cold starts). */
const diagnosticsOf = (client: LspClient, uri: string, version: number): Promise<unknown> => client.waitForNotification(
  (m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.version === version, `diagnostics of ${uri} v${version}`, 60_000);

const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

export interface EditorRow {
  file: string; lines: number; edits: number;
  /** didChange → publishDiagnostics, including the debounce. */
  diagMedianMs: number; diagP95Ms: number;
  /** The same, less each version's debounce window. */
  netMedianMs: number; netP95Ms: number;
  /** The debounce windows the server applied (median). */
  debounceMedianMs: number;
  /** The server's own analysis time for those versions (its `analysed ... in N ms` log line). */
  analysisMedianMs: number;
  /** The layer hovered; `(empty)` when the server answered null (a broken file whose class is not built). */
  hoverTarget: string; emptyHovers: number; hovers: number; hoverMedianMs: number; hoverP95Ms: number;
}

export async function runEditorBench(options: { runs?: number; hovers?: number; only?: Set<string> | null; log?: (line: string) => void } = {}): Promise<{ debounceMs: number; rows: EditorRow[] }> {
  const nRuns = options.runs ?? 8, nHovers = options.hovers ?? 5, log = options.log ?? ((l: string): void => console.log(l));
  const fixture = path.join(root, 'test/lsp/latency-fixture/many_models.py');
  fs.mkdirSync(path.dirname(fixture), { recursive: true });
  const generated = generateManyModels();
  if (!fs.existsSync(fixture) || fs.readFileSync(fixture, 'utf8') !== generated) fs.writeFileSync(fixture, generated);

  const corpusDir = path.join(root, 'test/corpus/models');
  const files = [
    ...fs.readdirSync(corpusDir).filter((f) => f.endsWith('.py')).sort().map((f) => path.join('test/corpus/models', f)),
    'test/lsp/latency-fixture/many_models.py',
  ].filter((f) => !options.only || options.only.has(path.basename(f, '.py')));

  const server = await startServer();
  const { client } = server;
  const rows: EditorRow[] = [];
  try {
    for (const file of files) {
      const uri = fileUri(file);
      let text = fs.readFileSync(path.join(root, file), 'utf8');
      const lines = text.split('\n');
      const edit = findEdit(lines);
      const target = findHover(lines);
      let version = 1;
      const openLine = analysedLine(uri, version);
      const opened = client.waitForNotification((n) => n.method === 'window/logMessage' && openLine.test(String(n.params.message)), `analysis log of ${file} v${version}`, 60_000);
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
      await diagnosticsOf(client, uri, version);
      let previousMs = Number(openLine.exec(String((await opened).params.message))![1]);

      const diag: number[] = [], net: number[] = [], windows: number[] = [], analysis: number[] = [], hovers: number[] = [];
      let emptyHovers = 0;
      for (let r = 0; r < nRuns; r++) {
        // Toggle the edit: even runs apply it, odd runs undo it.
        const [from, to] = r % 2 === 0 ? [edit.original, edit.changed] : [edit.changed, edit.original];
        const range = { start: { line: edit.line, character: edit.start }, end: { line: edit.line, character: edit.start + from.length } };
        const lineTexts = text.split('\n');
        const old = lineTexts[edit.line]!;
        lineTexts[edit.line] = old.slice(0, edit.start) + to + old.slice(edit.start + from.length);
        text = lineTexts.join('\n');
        version++;
        const logLine = analysedLine(uri, version);
        const logged = client.waitForNotification((n) => n.method === 'window/logMessage' && logLine.test(String(n.params.message)), `analysis log of ${file} v${version}`, 60_000);
        const wait = windowAfter(previousMs);
        const t0 = performance.now();
        client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: to }] });
        await diagnosticsOf(client, uri, version);
        diag.push(performance.now() - t0);
        net.push(diag[diag.length - 1]! - wait);
        windows.push(wait);
        previousMs = Number(logLine.exec(String((await logged).params.message))![1]);
        analysis.push(previousMs);
        if (target) {
          for (let h = 0; h < nHovers; h++) {
            const t1 = performance.now();
            const hover = await client.call<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: target.line, character: target.character } });
            hovers.push(performance.now() - t1);
            if (!hover) emptyHovers++;
          }
        }
      }
      client.notify('textDocument/didClose', { textDocument: { uri } });
      // Keep the client's notification list small: waits scan it from the start.
      client.notifications.length = 0;
      const row: EditorRow = {
        file: path.basename(file), lines: lines.length, edits: diag.length,
        diagMedianMs: quantile(diag, 0.5), diagP95Ms: quantile(diag, 0.95),
        netMedianMs: quantile(net, 0.5), netP95Ms: quantile(net, 0.95), debounceMedianMs: quantile(windows, 0.5),
        analysisMedianMs: quantile(analysis, 0.5),
        hoverTarget: target ? (emptyHovers ? `${target.name} (empty)` : target.name) : '-', emptyHovers, hovers: hovers.length, hoverMedianMs: quantile(hovers, 0.5), hoverP95Ms: quantile(hovers, 0.95),
      };
      rows.push(row);
      log(formatRow(row));
    }
  } finally {
    await server.stop();
  }
  return { debounceMs: DEBOUNCE_MS.max, rows };
}

const f1 = (x: number): string => (Number.isNaN(x) ? '-' : x.toFixed(1));
const header = (): string => [
  `editor latency, real language server over stdio; debounce window ${DEBOUNCE_MS.min}-${DEBOUNCE_MS.max} ms, twice the previous analysis (debounceAfter, language-server/lsp/document-analyses.ts)`,
  `aims: edit → diagnostics under ${DIAGNOSTICS_AIM_MS} ms after the debounce (net column); hover under ${HOVER_AIM_MS} ms`,
  `${'file'.padEnd(30)} ${'lines'.padStart(5)}  ${'diag med'.padStart(8)} ${'p95'.padStart(7)}  ${'net med'.padStart(7)} ${'p95'.padStart(7)}  ${'window'.padStart(6)}  ${'analysis'.padStart(8)}  ${'hover on'.padEnd(14)} ${'med'.padStart(6)} ${'p95'.padStart(6)}`,
].join('\n');
function formatRow(r: EditorRow): string {
  const mark = (ok: boolean): string => (ok ? ' ' : '!');
  return `${r.file.padEnd(30)} ${String(r.lines).padStart(5)}  ${f1(r.diagMedianMs).padStart(8)} ${f1(r.diagP95Ms).padStart(7)}  ${f1(r.netMedianMs).padStart(7)} ${f1(r.netP95Ms).padStart(6)}${mark(r.netP95Ms < DIAGNOSTICS_AIM_MS)}  ${f1(r.debounceMedianMs).padStart(6)}  ${f1(r.analysisMedianMs).padStart(8)}  ${r.hoverTarget.padEnd(14)} ${f1(r.hoverMedianMs).padStart(6)} ${f1(r.hoverP95Ms).padStart(5)}${mark(Number.isNaN(r.hoverP95Ms) || r.hoverP95Ms < HOVER_AIM_MS)}`;
}

/** `maxDebounceMs`: the ceiling of the server's debounce window (each row has the windows it met). */
export function summary(maxDebounceMs: number, rows: EditorRow[]): string {
  const all = (k: keyof EditorRow): number[] => rows.map((r) => r[k] as number).filter((x) => !Number.isNaN(x));
  const diagP95 = Math.max(...all('diagP95Ms')), netP95 = Math.max(...all('netP95Ms')), hoverP95 = Math.max(...all('hoverP95Ms'));
  const slowDiag = rows.filter((r) => r.netP95Ms >= DIAGNOSTICS_AIM_MS).map((r) => r.file);
  const slowHover = rows.filter((r) => r.hoverP95Ms >= HOVER_AIM_MS).map((r) => r.file);
  return [
    `worst p95: ${f1(diagP95)} ms to diagnostics with the debounce (window at most ${maxDebounceMs} ms), ${f1(netP95)} ms without (aim ${DIAGNOSTICS_AIM_MS}); hover ${f1(hoverP95)} ms (aim ${HOVER_AIM_MS})`,
    `diagnostics aim ${slowDiag.length ? `missed (p95) on: ${slowDiag.join(', ')}` : 'met on every file'}; hover aim ${slowHover.length ? `missed (p95) on: ${slowHover.join(', ')}` : 'met on every file'}`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(header());
  const { debounceMs, rows } = await runEditorBench({ runs, hovers: hoversPerRun, only });
  console.log(summary(debounceMs, rows));
  if (jsonOut) fs.writeFileSync(jsonOut, `${JSON.stringify({ debounceMs: { ...DEBOUNCE_MS, rule: 'twice the previous analysis' }, aims: { diagnosticsMs: DIAGNOSTICS_AIM_MS, hoverMs: HOVER_AIM_MS }, rows }, null, 2)}\n`);
}

export { header as editorBenchHeader };
