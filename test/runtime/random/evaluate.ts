// Runs a Python snippet through the evaluator on the cpu device and returns one of its globals:
// the RNG tests build modules and tensors the way user code does (torch.manual_seed, nn.Linear, ...).
import { initParser, parsePython } from '../../../language-server/syntax/parse.ts';
import { Interpreter } from '../../../language-server/eval/interpreter.ts';
import { noSiblings } from '../../../language-server/eval/imports.ts';
import { formatException } from '../../../language-server/eval/exceptions.ts';
import { withRuntimeContext } from '../../../runtime/context.ts';
import type { PyValue } from '../../../runtime/python/index.ts';
import '../../../runtime/kernels/cpu/index.ts';

await initParser();

/** Executes `source` (which should bind `name`) and returns that global. Errors in the snippet throw. */
export function evaluate(source: string, name = 'out'): PyValue {
  const parsed = parsePython(source);
  if (parsed.errors.length) throw new Error(`syntax error in snippet: ${parsed.errors[0]!.message}`);
  const it = new Interpreter({ moduleName: 'snippet', importer: noSiblings });
  return withRuntimeContext({ device: 'cpu' }, () => {
    const { firstError } = it.runModule(parsed.module.body);
    if (firstError) throw new Error(formatException(firstError));
    const problems = it.diagnostics.filter((d) => d.severity === 'error');
    if (problems.length) throw new Error(problems.map((d) => d.message).join('\n'));
    if (!it.globals.vars.has(name)) throw new Error(`snippet did not bind ${name}`);
    return it.globals.vars.get(name)!;
  });
}
