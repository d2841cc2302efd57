// The `nnlens` command line: `nnlens inspect FILE ...` prints what PyTorch would print for each
// nn.Module class of FILE (or the corpus-schema JSON with --json); `nnlens lsp --stdio` is the
// language server. Exit codes: 0 ok, 1 the file has errors, 2 bad usage, 3 `--device webgpu` and no
// WebGPU adapter (the same rule as the editor's nnLens.device: webgpu never falls back silently).
import fs from 'node:fs';
import path from 'node:path';
import { inspectSource, type InspectOptions } from './analysis/inspect.ts';
import { siblingImporter } from './analysis/sibling-importer.ts';
import type { FileReport } from './analysis/report.ts';
import type { ClassSpec } from './analysis/inputs.ts';
import { formatReport } from './analysis/format-report.ts';
import { startServer } from './server.ts';

const usage = `usage: nnlens inspect FILE [--class NAME] [--input 1,1,28,28] [--device meta|cpu|auto|webgpu] [--spec SPEC.json] [--json] [--torch2]
       nnlens lsp --stdio

  --class NAME     only this class
  --input SHAPE    the forward input of every class: one randn tensor of this shape
  --device D       meta (shapes only, default); cpu computes values (seeded as PyTorch: manual_seed(0)
                   before each construction, manual_seed(1) before the inputs); auto computes them
                   with WebGPU when an adapter is found, else on the CPU and says why on stderr;
                   webgpu only with WebGPU: without an adapter it says why and exits with 3
  --spec FILE      JSON: class name -> {inputs: [{kind: randn|randint|zeros|none|tuple, shape, low, high}],
                   args, kwargs, forward_kwargs, ctor: "Python expression"} (a corpus inputs.json entry)
  --json           the corpus truth schema on stdout
  --torch2         print reprs as PyTorch 2.x does`;

class UsageError extends Error {}

/** What inspect runs with: InspectOptions, whose device `auto` is resolved before the run. */
type CliOptions = Omit<InspectOptions, 'device'> & { device?: InspectOptions['device'] | 'auto' };

interface CliArgs { file: string; options: CliOptions; json: boolean }

function parseInspectArgs(argv: string[]): CliArgs {
  let file: string | undefined;
  const options: CliOptions = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--class': options.className = value(); break;
      case '--input': {
        const text = value();
        const shape = text.split(/[,x ]+/).filter(Boolean).map(Number);
        if (!shape.length || shape.some((n) => !Number.isInteger(n) || n < 0)) throw new UsageError(`--input wants a shape like 1,1,28,28, got '${text}'`);
        options.input = shape;
        break;
      }
      case '--device': {
        const d = value();
        if (d !== 'meta' && d !== 'cpu' && d !== 'auto' && d !== 'webgpu') throw new UsageError(`--device must be meta, cpu, auto or webgpu, got '${d}'`);
        options.device = d;
        break;
      }
      case '--spec': {
        const specPath = value();
        let parsed: unknown;
        try { parsed = JSON.parse(fs.readFileSync(specPath, 'utf8')); } catch (e) { throw new UsageError(`--spec ${specPath}: ${(e as Error).message}`); }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`--spec ${specPath}: expected an object of class name -> spec`);
        options.spec = parsed as Record<string, ClassSpec>;
        break;
      }
      case '--json': json = true; break;
      case '--torch2': options.torch2Repr = true; break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        if (file) throw new UsageError(`one FILE only (got '${file}' and '${a}')`);
        file = a;
    }
  }
  if (!file) throw new UsageError('inspect needs a FILE');
  return { file, options, json };
}

const readSource = (p: string): string | null => {
  try { return fs.readFileSync(p, 'utf8'); } catch { return null; }
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'inspect') return await inspect(parseInspectArgs(rest));
    if (command === 'lsp') return await startServer(rest);
    if (command === '--help' || command === '-h' || command === 'help') { process.stdout.write(`${usage}\n`); return 0; }
    throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
  } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`nnlens: ${e.message}\n${usage}\n`); return 2; }
    throw e;
  }
}

async function inspect({ file, options: cliOptions, json }: CliArgs): Promise<number> {
  const source = readSource(file);
  if (source === null) throw new UsageError(`cannot read ${file}`);
  const { device: requested, ...rest } = cliOptions;
  const options: InspectOptions = { ...rest, ...(requested && requested !== 'auto' ? { device: requested } : {}) };
  let webgpu: typeof import('../runtime/devices/webgpu.ts') | null = null;
  if (requested === 'webgpu' || requested === 'auto') {
    webgpu = await import('../runtime/devices/webgpu.ts');
    const init = await webgpu.initWebGpu();
    if (init.ok) {
      options.device = 'webgpu';
      options.materialize = async (t) => { await webgpu!.materialize(t); };
    } else if (requested === 'webgpu') {
      // The user insisted on WebGPU: computing on the CPU instead would be a silent fallback.
      process.stderr.write(`nnlens: WebGPU is unavailable (${init.reason}); --device webgpu computes nowhere else (use --device auto or cpu)\n`);
      return 3;
    } else {
      // No silent fallback: say once why the numbers come from the CPU.
      process.stderr.write(`nnlens: WebGPU is unavailable (${init.reason}); computing on the CPU instead\n`);
      options.device = 'cpu';
      webgpu = null;
    }
  }
  const report: FileReport = await inspectSource(source, path.resolve(file), {
    ...options,
    importerFactory: (fileName) => siblingImporter(fileName, readSource),
  });
  if (webgpu) {
    const fallbacks = webgpu.webgpuFallbacks();
    if (fallbacks.length) {
      process.stderr.write(`nnlens: ran on the CPU (no WebGPU kernel): ${fallbacks.map((f) => `${f.op} ×${f.count} (${f.reason})`).join(', ')}\n`);
    }
  }
  if (json) process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
  else process.stdout.write(formatReport(report, file));
  const failed = report.import.status === 'error' || report.classes.some((c) => c.instance?.status === 'construct_error' || c.instance?.forward?.status === 'error');
  return failed ? 1 : 0;
}
