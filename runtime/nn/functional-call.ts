// How layers reach torch.nn.functional and torch: through the same Python-level tables user code
// calls (`F.linear(input, self.weight, self.bias)`, `torch.flatten(x, 1)`), so a shape error reads
// the same whether it came from `nn.Linear` or from `F.linear`, and is produced in one place.
import { type BuiltinFunction, type Interop, type Kwargs, type PyValue, noKwargs, notImplementedError } from '../python/index.ts';
import { functional } from '../functional/index.ts';
import { torchFunctions } from '../torch/namespace.ts';

/** The functional builtin `name` (`F.relu` is the default `activation` of TransformerEncoderLayer). */
export function functionalBuiltin(name: string): BuiltinFunction | undefined { return functional.get(name); }

function call(table: ReadonlyMap<string, BuiltinFunction>, prefix: string, name: string, args: PyValue[], interop: Interop, kwargs: Kwargs): PyValue {
  const fn = table.get(name);
  if (!fn) throw notImplementedError(`${prefix}.${name} is not available in NN Lens yet`);
  return fn.impl(args, kwargs, interop);
}

/** `F.<name>(*args, **kwargs)`. */
export function callF(name: string, args: PyValue[], interop: Interop, kwargs: Kwargs = noKwargs): PyValue {
  return call(functional, 'torch.nn.functional', name, args, interop, kwargs);
}

/** `torch.<name>(*args, **kwargs)` (what a layer's `input.flatten(...)` amounts to). */
export function callTorch(name: string, args: PyValue[], interop: Interop, kwargs: Kwargs = noKwargs): PyValue {
  return call(torchFunctions, 'torch', name, args, interop, kwargs);
}
