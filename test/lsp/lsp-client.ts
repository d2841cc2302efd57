// A small LSP client for tests: JSON-RPC with Content-Length framing over a child process's
// stdio. Requests resolve to the whole response (result or error) so tests can assert on errors;
// notifications are kept and can be awaited by predicate, with a timeout (never a sleep).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Diagnostic } from 'vscode-languageserver/node.js';

export interface ResponseMessage { id: number; result?: unknown; error?: { code: number; message: string; data?: unknown } }
/** The fields tests read from the server's notifications (publishDiagnostics, nnLens/analysisStatus, window/logMessage). */
export interface NotificationParams { uri?: string; version?: number; diagnostics?: Diagnostic[]; message?: string; [field: string]: unknown }
export interface NotificationMessage { method: string; params: NotificationParams }
interface IncomingMessage { id?: number; method?: string; params?: unknown; result?: unknown; error?: ResponseMessage['error'] }

export class LspClient {
  private nextId = 1;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, (r: ResponseMessage) => void>();
  readonly notifications: NotificationMessage[] = [];
  private readonly waiters = new Set<() => void>();
  /** Requests the server sent to us (workspace/configuration, codeLens/refresh, ...), answered with null. */
  readonly serverRequests: { method: string; params: unknown }[] = [];
  stderr = '';

  constructor(readonly process: ChildProcessWithoutNullStreams) {
    process.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    process.stderr.on('data', (chunk: Buffer) => { this.stderr += chunk.toString('utf8'); });
  }

  request(method: string, params: unknown): { id: number; response: Promise<ResponseMessage> } {
    const id = this.nextId++;
    const response = new Promise<ResponseMessage>((resolve) => this.pending.set(id, resolve));
    this.send({ jsonrpc: '2.0', id, method, params });
    return { id, response };
  }

  /** The result of a request that must succeed. */
  async call<T>(method: string, params: unknown): Promise<T> {
    const r = await this.request(method, params).response;
    if (r.error) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
    return r.result as T;
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The first notification (seen so far or arriving) that matches, or a timeout error. */
  waitForNotification(predicate: (n: NotificationMessage) => boolean, what: string, timeoutMs = 15000): Promise<NotificationMessage> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = this.notifications.find(predicate);
        if (hit) { this.waiters.delete(check); clearTimeout(timer); resolve(hit); }
        return Boolean(hit);
      };
      const timer = setTimeout(() => { this.waiters.delete(check); reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`)); }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  sendRaw(text: string): void {
    this.process.stdin.write(`Content-Length: ${Buffer.byteLength(text, 'utf8')}\r\n\r\n${text}`);
  }

  private send(message: unknown): void {
    this.sendRaw(JSON.stringify(message));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body));
    }
  }

  private dispatch(message: IncomingMessage): void {
    if (message.id !== undefined && message.method) {
      this.serverRequests.push({ method: message.method, params: message.params });
      this.send({ jsonrpc: '2.0', id: message.id, result: null });
    } else if (message.id !== undefined) {
      this.pending.get(message.id)?.(message as ResponseMessage);
      this.pending.delete(message.id);
    } else {
      this.notifications.push(message as NotificationMessage);
      for (const w of [...this.waiters]) w();
    }
  }
}
