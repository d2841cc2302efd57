// Which evaluated instance a class's `self` stands for. A class the analysis constructed is its
// own context; a class it could not construct on its own (its constructor needs arguments) may
// still live inside another model (`Block` as `transformer.h.0` of `GPT`): then that model's
// instance and trace describe it, under that path.
import type { ClassReport, FileReport, ForwardReport, InstanceReport } from '../../analysis/report.ts';

export interface ModelContext {
  /** The class whose instance this is (the class itself, or the model that contains it). */
  owner: ClassReport;
  instance: InstanceReport;
  /** Path of the class's instance inside `owner`: '' for its own instance, else e.g. 'transformer.h.0'. */
  path: string;
}

export function contextFor(report: FileReport, cls: ClassReport): ModelContext | null {
  if (cls.instance) return cls.instance.status === 'ok' ? { owner: cls, instance: cls.instance, path: '' } : null;
  for (const owner of report.classes) {
    if (owner === cls || owner.instance?.status !== 'ok') continue;
    const sub = owner.instance.submodules?.find(([, type]) => type === cls.name);
    if (sub) return { owner, instance: owner.instance, path: sub[0] };
  }
  return null;
}

/** `conv1` inside the context → the full module path in the owner (`transformer.h.0.conv1`). */
export function fullPath(ctx: ModelContext, relative: string): string {
  return ctx.path ? `${ctx.path}.${relative}` : relative;
}

/** The owner's forward trace, when it ran (fully or up to an error). */
export function forwardOf(ctx: ModelContext): ForwardReport | null {
  return ctx.instance.forward ?? null;
}
