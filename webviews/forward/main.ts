// The forward results panel: the device of the run (and why not the requested one), the output as
// PyTorch prints it, every module call with its output shape, time and statistics, and the total
// time. It talks to its host only through protocol/forward-panel.ts messages and keeps the last
// message in vscode.setState, so a hidden and re-shown panel shows it again.
import type { ForwardHostToWebview, ForwardWebviewToHost, RunningMessage } from '../../language-server/protocol/forward-panel.ts';
import type { RunForwardResult, ShapeStruct } from '../../language-server/protocol/requests.ts';

interface VsCodeApi { postMessage(message: ForwardWebviewToHost): void; getState(): unknown; setState(state: PanelState): void }
declare function acquireVsCodeApi(): VsCodeApi;

export interface PanelState { last: ForwardHostToWebview | null }

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const title = $<HTMLElement>('title');
const status = $<HTMLElement>('status');
const device = $<HTMLElement>('device');
const error = $<HTMLElement>('error');
const printed = $<HTMLElement>('printed');
const rows = $<HTMLTableElement>('calls').tBodies[0]!;
const total = $<HTMLElement>('total');
const rerun = $<HTMLButtonElement>('rerun');

export function shapeText(s: ShapeStruct): string {
  if (s === null) return 'None';
  if (Array.isArray(s)) return `[${s.join(', ')}]`;
  if ('tuple' in s) return `(${s.tuple.map(shapeText).join(', ')})`;
  if ('list' in s) return `[${s.list.map(shapeText).join(', ')}]`;
  if ('dict' in s) return `{${Object.entries(s.dict).map(([k, v]) => `${k}: ${shapeText(v)}`).join(', ')}}`;
  return s.value;
}

const num = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : x.toFixed(4));
const ms = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toFixed(2));

function cell(row: HTMLTableRowElement, text: string, className?: string): void {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
}

function showDevice(r: RunForwardResult): void {
  device.replaceChildren();
  const add = (term: string, value: string, className?: string): void => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    if (className) dd.className = className;
    device.append(dt, dd);
  };
  add('device', r.device === 'webgpu' ? 'WebGPU' : 'CPU');
  if (r.adapter) add('adapter', r.adapter);
  if (r.fallback) add('fallback', `requested ${r.fallback.requested}: ${r.fallback.reason}`, 'fallback');
  if (r.ranOnCpu?.length) add('ran on the CPU', r.ranOnCpu.join(', '));
  if (r.seed !== undefined) add('seed', `${r.seed} (inputs ${r.seed + 1})`);
}

function render(m: ForwardHostToWebview): void {
  rerun.disabled = m.type === 'running';
  if (m.type === 'running') {
    title.textContent = `Forward of ${m.className}`;
    status.textContent = `Running ${m.className} forward ${runningOn(m.device)}…`;
    document.body.dataset.state = 'running';
    return;
  }
  if (m.type === 'failed') {
    title.textContent = `Forward of ${m.className}`;
    status.textContent = 'The run failed.';
    error.hidden = false;
    error.textContent = m.message;
    device.replaceChildren();
    printed.textContent = '';
    rows.replaceChildren();
    total.textContent = '';
    document.body.dataset.state = 'failed';
    return;
  }
  const r = m.result;
  title.textContent = `Forward of ${r.className}`;
  status.textContent = '';
  error.hidden = true;
  error.textContent = '';
  showDevice(r);
  printed.textContent = r.printed;
  rows.replaceChildren();
  for (const c of r.calls) {
    const row = rows.insertRow();
    cell(row, c.path || `(${r.className})`, 'path');
    cell(row, c.type);
    cell(row, shapeText(c.outputShape));
    cell(row, ms(c.ms), 'num');
    cell(row, num(c.mean), 'num');
    cell(row, num(c.std), 'num');
    cell(row, num(c.min), 'num');
    cell(row, num(c.max), 'num');
  }
  const t = r.timings;
  total.textContent = `Total ${t.totalMs.toFixed(1)} ms (parse ${t.parseMs.toFixed(1)}, module ${t.evaluateMs.toFixed(1)}, construction + forward ${t.modelMs.toFixed(1)})`;
  document.body.dataset.state = 'result';
}

window.addEventListener('message', (e: MessageEvent<ForwardHostToWebview>) => {
  const m = e.data;
  if (m?.type !== 'running' && m?.type !== 'result' && m?.type !== 'failed') return;
  render(m);
  vscode.setState({ last: m });
});
rerun.addEventListener('click', () => vscode.postMessage({ type: 'rerun' }));

const saved = (vscode.getState() as Partial<PanelState> | undefined)?.last;
if (saved) render(saved);
vscode.postMessage({ type: 'ready' });

/** Where a run goes, in words: `auto` tries WebGPU and says afterwards if it had to use the CPU. */
function runningOn(device: RunningMessage['device']): string {
  if (device === 'auto') return 'on WebGPU if available, else the CPU';
  return device === 'webgpu' ? 'on WebGPU' : 'on the CPU';
}
