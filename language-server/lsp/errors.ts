// The typed errors of protocol/errors.ts as JSON-RPC error responses, and the checks that turn
// malformed parameters into InvalidParams (-32602) instead of exceptions deep in a handler.
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node.js';
import { nnLensErrorCodes, type NnLensErrorData } from '../protocol/errors.ts';

export function typedError(message: string, data: NnLensErrorData): ResponseError<NnLensErrorData> {
  return new ResponseError(nnLensErrorCodes[data.kind], message, data);
}

export function invalidParams(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

type Json = Record<string, unknown>;

export function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidParams(`${what} must be an object`);
  return value as Json;
}

export function string(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw invalidParams(`${what} must be a non-empty string`);
  return value;
}

export function documentUri(params: unknown): string {
  return string(object(object(params, 'params').textDocument, 'params.textDocument').uri, 'params.textDocument.uri');
}

export function position(value: unknown, what = 'params.position'): { line: number; character: number } {
  const p = object(value, what);
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (!ok(p.line) || !ok(p.character)) throw invalidParams(`${what} must have non-negative integer line and character`);
  return { line: p.line, character: p.character };
}

export function shape(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 8 || !value.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 1 << 30)) {
    throw invalidParams(`${what} must be a list of 1 to 8 non-negative integers, like [1, 3, 32, 32]`);
  }
  return value as number[];
}
