// Python's names for runtime classes as PyTorch's messages print them: `torch.typename(obj)`
// ('torch.nn.modules.linear.Linear', 'torch.FloatTensor', 'int') and `str(type(obj))`
// ("<class 'torch.nn.modules.linear.Linear'>").
import type { DType } from '../dtype.ts';
import { type PyValue, pyTypeName } from '../python/index.ts';
import { Tensor } from '../tensor.ts';

/** Where a built-in Module class lives (`torch.nn.modules.linear`); nn/index.ts registers them. */
const pyModuleOf = new WeakMap<object, string>();

export function setPyModule(cls: object, moduleName: string): void { pyModuleOf.set(cls, moduleName); }

/** Duck-typed view of a Module, so this file needs nothing from module.ts. */
interface ModuleLike { readonly pyTypeName: string; user: { className: string; moduleName?: string } | null }

const isModuleLike = (v: PyValue): v is ModuleLike =>
  typeof v === 'object' && v !== null && 'user' in v && 'modulesDict' in v;

/** `Linear` -> `torch.nn.modules.linear.Linear`; user classes live in their file (`__main__` by default). */
export function qualifiedClassName(m: ModuleLike): string {
  if (m.user) return `${m.user.moduleName ?? '__main__'}.${m.user.className}`;
  for (let c: unknown = (m as object).constructor; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const mod = pyModuleOf.get(c as object);
    if (mod) return `${mod}.${m.pyTypeName}`;
  }
  return `torch.nn.modules.module.${m.pyTypeName}`;
}

/** `tensor.type()`: the legacy type name of a CPU tensor of this dtype. */
export const legacyTensorType = (dtype: DType): string => dtype.legacyTypeName;

/** `torch.typename(obj)`. */
export function torchTypename(v: PyValue): string {
  if (v instanceof Tensor) return legacyTensorType(v.dtype);
  if (isModuleLike(v)) return qualifiedClassName(v);
  return pyTypeName(v);
}

/** `str(type(obj))`. */
export function pyClassRepr(v: PyValue): string {
  if (v instanceof Tensor) return v instanceof Tensor && v.pyTypeName === 'Parameter' ? "<class 'torch.nn.parameter.Parameter'>" : "<class 'torch.Tensor'>";
  return `<class '${isModuleLike(v) ? qualifiedClassName(v) : pyTypeName(v)}'>`;
}
