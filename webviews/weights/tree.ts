// The tree of tensors: parameters grouped by module, buffers, and one entry per module call's
// output (a module called 3 times appears 3 times, "layer1.0 (call 2 of 3)"). Keyboard: arrows
// walk it, Right/Left open and close groups, Enter or Space selects, C compares the selection with
// the focused tensor.
import type { TensorRef } from '../../language-server/protocol/requests.ts';
import type { ModelMessage } from '../../language-server/protocol/weights-panel.ts';
import { formatShape } from './format.ts';

export interface TreeEntry {
  id: string; label: string; detail: string; level: number;
  ref?: TensorRef;
  /** Leaves: the tensor's shape, or null for an output that is not one tensor (a tuple, a dict). */
  shape?: number[] | null;
  group?: string; parent?: string;
}

/** The entry id of a tensor: activations are told apart by call. */
export const refId = (r: TensorRef): string => (r.kind === 'activation' ? `activation/${r.name}#${r.call ?? 0}` : `${r.kind}/${r.name}`);

export function treeEntries(m: ModelMessage): TreeEntry[] {
  const out: TreeEntry[] = [];
  const grouped = (kind: 'parameter' | 'buffer', items: { name: string; shape: number[]; count: number }[]): void => {
    const modules = new Map<string, typeof items>();
    for (const p of items) {
      const cut = p.name.lastIndexOf('.');
      const mod = cut < 0 ? '' : p.name.slice(0, cut);
      modules.set(mod, [...(modules.get(mod) ?? []), p]);
    }
    for (const [mod, ps] of modules) {
      const group = `${kind}:${mod}`;
      const level = mod ? 2 : 1;
      if (mod) out.push({ id: group, label: mod, detail: `${ps.reduce((s, p) => s + p.count, 0).toLocaleString('en-US')}`, level: 1, group });
      for (const p of ps) {
        out.push({ id: `${kind}/${p.name}`, label: mod ? p.name.slice(mod.length + 1) : p.name, detail: `${formatShape(p.shape)} · ${p.count.toLocaleString('en-US')}`, level, ref: { kind, name: p.name }, shape: p.shape, ...(mod ? { parent: group } : {}) });
      }
    }
  };
  grouped('parameter', m.parameters);
  if (m.buffers.length) {
    out.push({ id: 'buffers', label: 'buffers', detail: '', level: 1, group: 'buffers' });
    for (const b of m.buffers) out.push({ id: `buffer/${b.name}`, label: b.name, detail: formatShape(b.shape), level: 2, ref: { kind: 'buffer', name: b.name }, shape: b.shape, parent: 'buffers' });
  }
  if (m.activations.length) {
    out.push({ id: 'activations', label: 'module outputs', detail: '', level: 1, group: 'activations' });
    const callsOf = new Map<string, number[]>();
    for (const a of m.activations) callsOf.set(a.path, [...(callsOf.get(a.path) ?? []), a.call]);
    for (const a of m.activations) {
      const calls = callsOf.get(a.path)!;
      const nth = calls.length > 1 ? ` (call ${calls.indexOf(a.call) + 1} of ${calls.length})` : '';
      const shape = Array.isArray(a.shape) ? a.shape : null;
      const ref: TensorRef = { kind: 'activation', name: a.path, call: a.call };
      out.push({ id: refId(ref), label: `${a.path || '(output)'}${nth}`, detail: `${a.type} ${shape ? formatShape(shape) : ''}`.trimEnd(), level: 2, ref, shape, parent: 'activations' });
    }
  }
  return out;
}

/** A tensor's display name: `conv1.weight`, `layer1.0 (call 2 of 3)`. */
export function refLabel(entries: readonly TreeEntry[], r: TensorRef): string {
  const e = entries.find((x) => x.id === refId(r));
  if (!e) return r.name || '(model output)';
  return r.kind === 'activation' ? e.label : r.name;
}

export interface TreeCallbacks {
  select(ref: TensorRef): void;
  compareWith(ref: TensorRef): void;
  isSelected(id: string): boolean;
  collapsed(): string[];
  setCollapsed(groups: string[]): void;
}

export class Tree {
  private entries: TreeEntry[] = [];
  constructor(private readonly root: HTMLUListElement, private readonly on: TreeCallbacks) {
    root.addEventListener('keydown', (ev) => this.onKey(ev));
  }

  setModel(m: ModelMessage): void {
    this.entries = treeEntries(m);
    this.render();
  }

  all(): readonly TreeEntry[] { return this.entries; }

  render(): void {
    const focused = (document.activeElement as HTMLElement | null)?.dataset.id;
    const collapsed = this.on.collapsed();
    this.root.replaceChildren();
    for (const e of this.entries) {
      if (e.parent && collapsed.includes(e.parent)) continue;
      const li = document.createElement('li');
      li.setAttribute('role', 'treeitem');
      li.setAttribute('aria-level', String(e.level));
      li.dataset.id = e.id;
      li.className = `level-${e.level}${e.ref ? ' leaf' : ' group'}`;
      li.tabIndex = -1;
      if (e.group) li.setAttribute('aria-expanded', String(!collapsed.includes(e.group)));
      if (e.ref) li.setAttribute('aria-selected', String(this.on.isSelected(e.id)));
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = e.label;
      const detail = document.createElement('span');
      detail.className = 'detail';
      detail.textContent = e.detail;
      li.append(name, detail);
      li.addEventListener('click', () => this.activate(li, e));
      li.addEventListener('contextmenu', (ev) => { if (e.ref) { ev.preventDefault(); this.on.compareWith(e.ref); } });
      this.root.append(li);
    }
    const items = this.items();
    const target = items.find((li) => li.dataset.id === focused) ?? items.find((li) => li.getAttribute('aria-selected') === 'true') ?? items[0];
    if (target) target.tabIndex = 0;
    if (focused && target && target.dataset.id === focused) target.focus();
  }

  private items(): HTMLLIElement[] { return [...this.root.querySelectorAll<HTMLLIElement>('li')]; }

  private activate(li: HTMLLIElement, e: TreeEntry): void {
    for (const other of this.items()) other.tabIndex = -1;
    li.tabIndex = 0;
    li.focus();
    if (e.group) this.toggle(e.group);
    else if (e.ref) this.on.select(e.ref);
  }

  private toggle(group: string, open?: boolean): void {
    const collapsed = this.on.collapsed();
    const want = open ?? collapsed.includes(group);
    this.on.setCollapsed(want ? collapsed.filter((g) => g !== group) : [...collapsed.filter((g) => g !== group), group]);
    this.render();
  }

  private onKey(ev: KeyboardEvent): void {
    const items = this.items();
    const at = items.indexOf(document.activeElement as HTMLLIElement);
    if (at < 0) return;
    const entry = this.entries.find((e) => e.id === items[at]!.dataset.id);
    if (!entry) return;
    const move = (i: number): void => {
      const target = items[Math.max(0, Math.min(items.length - 1, i))]!;
      items.forEach((li) => { li.tabIndex = -1; });
      target.tabIndex = 0;
      target.focus();
    };
    switch (ev.key) {
      case 'ArrowDown': move(at + 1); break;
      case 'ArrowUp': move(at - 1); break;
      case 'Home': move(0); break;
      case 'End': move(items.length - 1); break;
      case 'ArrowRight': if (entry.group) this.toggle(entry.group, true); break;
      case 'ArrowLeft':
        if (entry.group) this.toggle(entry.group, false);
        else if (entry.parent) move(items.findIndex((li) => li.dataset.id === entry.parent));
        break;
      case 'Enter': case ' ': this.activate(items[at]!, entry); break;
      case 'c': case 'C': if (entry.ref) this.on.compareWith(entry.ref); break;
      default: return;
    }
    ev.preventDefault();
  }
}
