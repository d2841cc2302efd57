// `torch.utils.hooks.RemovableHandle`: what register_forward_hook returns. It is a PyNamespace so
// that the evaluator's ordinary attribute lookup finds `handle.remove()` and `handle.id`.
import { BuiltinFunction, PyNamespace, type PyValue } from '../python/index.ts';

let nextHandleId = 0;

export class RemovableHandle extends PyNamespace {
  readonly id: number;
  constructor(hooks: PyValue[], hook: PyValue) {
    super('torch.utils.hooks.RemovableHandle');
    this.id = nextHandleId++;
    this.attrs.set('id', this.id);
    this.attrs.set('remove', new BuiltinFunction('remove', () => {
      // Removing twice is a no-op, as in torch (the key is simply gone from the dict).
      const i = hooks.indexOf(hook);
      if (i >= 0) hooks.splice(i, 1);
      return null;
    }));
  }
  override pyRepr(): string { return '<torch.utils.hooks.RemovableHandle object>'; }
}
