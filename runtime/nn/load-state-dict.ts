// `Module.load_state_dict(state_dict, strict=True)`: PyTorch 1.13's key and shape checks with its
// messages (`Missing key(s) in state_dict: "fc.bias". `, `size mismatch for fc.weight: ...`). On the
// shape tier nothing is copied; with values, matching tensors are copied in place.
import {
  PyDict, PyList, PyTuple, type PyValue, notImplementedError, pyTypeName, runtimeError, typeError,
} from '../python/index.ts';
import { Tensor } from '../tensor.ts';
import type { Module } from './module.ts';
import { pyClassRepr } from './typename.ts';

/** The `_IncompatibleKeys(missing_keys, unexpected_keys)` namedtuple load_state_dict returns. */
export class IncompatibleKeys extends PyTuple {
  readonly pyTypeName = '_IncompatibleKeys';
  constructor(readonly missingKeys: string[], readonly unexpectedKeys: string[]) {
    super([new PyList(missingKeys), new PyList(unexpectedKeys)]);
  }
  pyRepr(): string {
    if (!this.missingKeys.length && !this.unexpectedKeys.length) return '<All keys matched successfully>';
    const list = (keys: string[]): string => `[${keys.map((k) => `'${k}'`).join(', ')}]`;
    return `_IncompatibleKeys(missing_keys=${list(this.missingKeys)}, unexpected_keys=${list(this.unexpectedKeys)})`;
  }
}

const torchSize = (shape: readonly number[]): string => `torch.Size([${shape.join(', ')}])`;

function copyInto(param: Tensor, input: Tensor): void {
  if (param.data === null) return;
  if (input.data === null || input.dtype !== param.dtype) throw notImplementedError('loading values of another dtype or device into a parameter');
  (param.data as { set(a: ArrayLike<number | bigint>): void }).set(input.data);
}

/** `_load_from_state_dict` for one module's own parameters and persistent buffers. */
function loadOwn(m: Module, sd: PyDict, prefix: string, missing: string[], unexpected: string[], errors: string[]): void {
  const local = new Map<string, Tensor>();
  for (const [name, p] of m.parametersDict?.items() ?? []) if (p instanceof Tensor) local.set(name as string, p);
  for (const [name, b] of m.buffersDict?.items() ?? []) if (b instanceof Tensor && !m.nonPersistentBuffers.has(name as string)) local.set(name as string, b);
  for (const [name, param] of local) {
    const key = prefix + name;
    if (!sd.has(key)) { missing.push(key); continue; }
    const value = sd.get(key);
    if (!(value instanceof Tensor)) {
      errors.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyClassRepr(value)}`);
      continue;
    }
    let input: Tensor = value;
    // Backward compatibility: loading a 1-dim tensor into a 0-dim parameter takes its first element.
    if (param.ndim === 0 && input.ndim === 1) input = new Tensor([], input.dtype, input.device);
    if (input.ndim !== param.ndim || input.shape.some((d, i) => d !== param.shape[i])) {
      errors.push(`size mismatch for ${key}: copying a param with shape ${torchSize(input.shape)} from checkpoint, the shape in current model is ${torchSize(param.shape)}.`);
      continue;
    }
    copyInto(param, input);
  }
  for (const key of sd.keys()) {
    if (typeof key !== 'string' || !key.startsWith(prefix)) continue;
    const head = key.slice(prefix.length).split('.', 1)[0]!;
    if (!m.modulesDict?.has(head) && !local.has(head)) unexpected.push(key);
  }
}

/** `load_state_dict(state_dict, strict)`; a value the runtime cannot see into (an opaque `torch.load(...)`) is taken to match. */
export function loadStateDict(root: Module, stateDict: PyValue, strict: boolean): IncompatibleKeys {
  if (!(stateDict instanceof PyDict)) {
    if (pyTypeName(stateDict) === 'opaque') return new IncompatibleKeys([], []);
    throw typeError(`Expected state_dict to be dict-like, got ${pyClassRepr(stateDict)}.`);
  }
  const missing: string[] = [];
  const unexpected: string[] = [];
  const errors: string[] = [];
  const load = (m: Module, prefix: string): void => {
    loadOwn(m, stateDict, prefix, missing, unexpected, errors);
    for (const [name, child] of m.childEntries()) load(child, `${prefix}${name}.`);
  };
  load(root, '');
  if (strict) {
    if (unexpected.length) errors.unshift(`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}. `);
    if (missing.length) errors.unshift(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}. `);
  }
  if (errors.length) throw runtimeError(`Error(s) in loading state_dict for ${root.pyTypeName}:\n\t${errors.join('\n\t')}`);
  return new IncompatibleKeys(missing, unexpected);
}
