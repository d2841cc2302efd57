// Typed custom requests (language-server/protocol/requests.ts) through the language client, and the
// words for their typed errors.
import type { CancellationToken } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import type { RequestMethod } from '../language-server/protocol/requests.ts';
import { isNnLensErrorData, type NnLensErrorData } from '../language-server/protocol/errors.ts';

export function sendRequest<P, R>(client: LanguageClient, request: RequestMethod<P, R>, params: P, token?: CancellationToken): Promise<R> {
  return token ? client.sendRequest<R>(request.method, params, token) : client.sendRequest<R>(request.method, params);
}

/** The typed error data of a failed request, if it carries one. */
export function nnLensError(error: unknown): NnLensErrorData | null {
  const data = (error as { data?: unknown } | null)?.data;
  return isNnLensErrorData(data) ? data : null;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
