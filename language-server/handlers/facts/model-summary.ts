// One class of the report as the protocol's ModelSummary (nnLens/listModels, nnLens/setInput),
// and the words for its status and input source that hover and CodeLens share.
import type * as ast from '../../syntax/ast.ts';
import type { ClassReport, ForwardReport, InputSource } from '../../analysis/report.ts';
import type { InputSourceDescription, ModelStatus, ModelSummary, Range } from '../../protocol/requests.ts';
import type { InputChoice } from './analysed-document.ts';
import { product } from './format.ts';
import { lineRange } from './source-lines.ts';

export function modelStatus(cls: ClassReport): { status: ModelStatus; problem?: string } {
  const inst = cls.instance;
  if (!inst) return { status: 'needs-arguments', problem: `its constructor needs ${cls.required_args.join(', ')}, and the file builds no instance` };
  if (inst.status === 'construct_error') return { status: 'construct-error', problem: `construction fails: ${inst.error?.type}: ${inst.error?.message}` };
  if (inst.status === 'unsupported') return { status: 'unsupported', problem: `construction not evaluated: ${inst.error?.message}` };
  const f = inst.forward;
  if (!f) return { status: 'no-input', problem: 'forward not traced' };
  if (f.status === 'error') return { status: 'forward-error', problem: `forward fails: ${f.error?.type}: ${f.error?.message}` };
  if (f.status === 'unsupported') {
    if (f.unsupported) return { status: 'unsupported', problem: `forward not traced: ${f.unsupported.message}` };
    return { status: 'no-input', problem: f.input_source.kind === 'none' ? f.input_source.reason : 'no input' };
  }
  return { status: 'ok' };
}

/** `choice`: the input chosen for the class (nnLens.inputShapes or nnLens/setInput; the analysis calls either a spec). */
export function describeInputSource(source: InputSource, choice: InputChoice | undefined): Omit<InputSourceDescription, 'range'> & { line?: number } {
  switch (source.kind) {
    case 'spec':
      if (choice?.setting !== undefined) return { kind: 'setting', text: `from the setting nnLens.inputShapes["${choice.setting}"]`, setting: choice.setting };
      return choice ? { kind: 'user', text: 'set with NN Lens: Set Input Shape' } : { kind: 'spec', text: 'from the input spec' };
    case 'cli': return { kind: 'cli', text: 'from --input' };
    case 'file': return { kind: 'file', text: `from the call on line ${source.line}`, line: source.line };
    case 'inferred': return { kind: 'inferred', text: `inferred from the ${source.rule.replace(/^leading /, 'first layer, ')}` };
    case 'none': return { kind: 'none', text: source.reason };
  }
}

export function modelSummary(cls: ClassReport, choice: InputChoice | undefined, toRange: (r: ast.Range) => Range, source: string): ModelSummary {
  const { status, problem } = modelStatus(cls);
  const summary: ModelSummary = { className: cls.name, range: toRange(cls.range), nameRange: toRange(cls.nameRange), status };
  if (problem) summary.problem = problem;
  const inst = cls.instance;
  const error = inst?.status === 'construct_error' ? inst.error : inst?.forward?.status === 'error' ? inst.forward.error : undefined;
  if (error) summary.error = { type: error.type, message: error.message, ...(error.range ? { range: toRange(error.range) } : {}) };
  if (inst?.status !== 'ok') return summary;
  summary.parameterCount = inst.num_params ?? 0;
  summary.trainableParameterCount = inst.num_trainable_params ?? 0;
  summary.parameters = (inst.parameters ?? []).map(([name, shape]) => ({ name, shape, count: product(shape) }));
  summary.buffers = (inst.buffers ?? []).map(([name, shape]) => ({ name, shape, count: product(shape) }));
  const f: ForwardReport | null = inst.forward;
  if (!f) return summary;
  summary.inputs = f.inputs.map((i) => ({ ...i }));
  const { line, ...described } = describeInputSource(f.input_source, choice);
  summary.inputSource = line ? { ...described, range: toRange(lineRange(source, line - 1)) } : described;
  if (f.status === 'ok' && f.output_shape !== undefined) summary.outputShape = f.output_shape;
  return summary;
}
