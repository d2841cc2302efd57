// Everything the report knows about one layer of a model: its repr, its parameters (names
// relative to the layer), and the shapes it produced each time forward called it.
import type { Range } from '../../syntax/ast.ts';
import type { ShapeStruct } from '../../analysis/report.ts';
import type { ParameterInfo } from '../../protocol/requests.ts';
import { type ModelContext, forwardOf, fullPath } from './model-context.ts';
import { product } from './format.ts';

export interface LayerCall { path: string; type: string; output: ShapeStruct; range: Range | null }

export interface LayerFacts {
  /** Full path in the owner model (`conv1`, `transformer.h.0.attn`). */
  path: string;
  kind: 'module' | 'parameter' | 'buffer';
  typeName?: string;
  repr?: string;
  /** The layer's parameters, named relative to it (`weight`, `0.bias`); for kind `parameter`: itself. */
  parameters: ParameterInfo[];
  parameterCount: number;
  /** Module calls of this layer (or, for an inexact path such as `layers[i]`, of its children), in call order. */
  calls: LayerCall[];
  /** Whether forward called it or anything inside it. */
  used: boolean;
}

/** Facts for `self.<relative>` of the context's class; null when the path is no module, parameter or buffer. */
export function layerFacts(ctx: ModelContext, relative: string, exact = true): LayerFacts | null {
  const path = fullPath(ctx, relative);
  const inst = ctx.instance;
  const param = inst.parameters?.find(([n]) => n === path);
  if (param) return tensorFacts(path, 'parameter', param[1]);
  const buffer = inst.buffers?.find(([n]) => n === path);
  if (buffer) return tensorFacts(path, 'buffer', buffer[1]);
  const sub = inst.submodules?.find(([n]) => n === path);
  if (!sub) return null;
  const parameters = (inst.parameters ?? [])
    .filter(([n]) => n.startsWith(`${path}.`))
    .map(([n, shape]) => ({ name: n.slice(path.length + 1), shape, count: product(shape) }));
  const calls = callsOf(ctx, path, exact);
  const trace = forwardOf(ctx)?.calls ?? [];
  return {
    path, kind: 'module', typeName: sub[1], repr: sub[2], parameters,
    parameterCount: parameters.reduce((s, p) => s + p.count, 0),
    calls,
    used: trace.some(([p]) => p === path || p.startsWith(`${path}.`)),
  };
}

function tensorFacts(path: string, kind: 'parameter' | 'buffer', shape: number[]): LayerFacts {
  const count = product(shape);
  return { path, kind, parameters: kind === 'parameter' ? [{ name: path.split('.').pop()!, shape, count }] : [], parameterCount: kind === 'parameter' ? count : 0, calls: [], used: true };
}

/** Calls of the module at `path` (exact) or of its direct children (inexact: `self.layers[i](x)`). */
export function callsOf(ctx: ModelContext, path: string, exact: boolean): LayerCall[] {
  const forward = forwardOf(ctx);
  if (!forward) return [];
  const out: LayerCall[] = [];
  forward.calls.forEach(([p, type, output], i) => {
    const matches = exact ? p === path : p.startsWith(`${path}.`) && !p.slice(path.length + 1).includes('.');
    // The root call's range is wherever the evaluator last stood, not a call in this file.
    if (matches) out.push({ path: p, type, output, range: i === 0 ? null : forward.call_ranges[i] ?? null });
  });
  return out;
}
