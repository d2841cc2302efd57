// torch.nn.functional as the evaluator and the nn layers see it: `functional.get('conv2d')` is
// F.conv2d with PyTorch's signature (names, defaults, argument errors) and shape rules.
import type { BuiltinFunction } from '../python/index.ts';
import { PyNamespace } from '../python/index.ts';
import '../torch/functions/index.ts';
import './activations.ts';
import './pooling.ts';
import './normalization.ts';
import './vision.ts';
import './losses.ts';
import './attention.ts';
import { builtin, hasImpl } from '../torch/registry.ts';
import { functionalSignatures, nnSignatures } from '../torch/signatures.generated.ts';
import type { NativeEntry } from '../torch/signature-table.ts';

/** Where F.<name> lives when it is a builtin: torch.<name> or torch._C._nn.<name>. */
function builtinNamespace(name: string, entry: NativeEntry): 'torch' | 'nn' {
  const nn = nnSignatures[entry.name];
  if (nn && nn.kind === 'native' && nn.overloads.join('|') === entry.overloads.join('|') && hasImpl('nn', entry.name)) return 'nn';
  return 'torch';
}

function buildFunctional(): Map<string, BuiltinFunction> {
  const table = new Map<string, BuiltinFunction>();
  const names = new Set([...Object.keys(functionalSignatures), 'scaled_dot_product_attention']);
  for (const name of [...names].sort()) {
    if (hasImpl('F', name)) { table.set(name, builtin('F', name)); continue; }
    const entry = functionalSignatures[name];
    if (entry?.kind !== 'native') continue;
    const ns = builtinNamespace(name, entry);
    if (hasImpl(ns, entry.name)) table.set(name, builtin(ns, entry.name, name));
  }
  return table;
}

/** `torch.nn.functional.<name>` for every function NN Lens implements. */
export const functional: Map<string, BuiltinFunction> = buildFunctional();

/** The `torch.nn.functional` module object. */
export function createFunctionalNamespace(): PyNamespace {
  return new PyNamespace('torch.nn.functional', new Map(functional));
}
