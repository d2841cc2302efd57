// Every handler runs inside one of these: a bug or a malformed request becomes an error response
// (and a log line with the stack), never a dead server. Cancellation is honoured before and after
// the work: a cancelled request answers LSP's RequestCancelled.
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node.js';

export interface Logger { error(message: string): void; info(message: string): void }

export type Handler<P, R> = (params: P, token: CancellationToken) => R | Promise<R>;

export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

/** The handler's result; a failure rejects with a ResponseError, which the connection sends as the error response. */
export function requestBoundary<P, R>(method: string, log: Logger, handler: Handler<P, R>): (params: P, token: CancellationToken) => Promise<R> {
  return async (params, token) => {
    let result: R;
    try {
      if (token.isCancellationRequested) throw cancelled();
      result = await handler(params, token);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      log.error(`${method} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      throw new ResponseError(ErrorCodes.InternalError, `NN Lens: ${method} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (token.isCancellationRequested) throw cancelled();
    return result;
  };
}

export function notificationBoundary<P>(method: string, log: Logger, handler: (params: P) => void | Promise<void>): (params: P) => Promise<void> {
  return async (params) => {
    try {
      await handler(params);
    } catch (e) {
      log.error(`${method} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  };
}
