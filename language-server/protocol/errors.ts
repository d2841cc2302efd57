// The typed errors of the nnLens/* requests: a JSON-RPC error whose `code` is one of these and
// whose `data` says which, with the facts a client needs to word it. Standard JSON-RPC codes are
// used where they fit: -32602 (invalid params) for malformed requests, -32800 (LSP: request
// cancelled) for cancellations.

export const nnLensErrorCodes = {
  unknownDocument: 4001,
  unknownModel: 4002,
  modelNotEvaluated: 4003,
  unknownTensor: 4004,
  valueTierUnavailable: 4005,
  forwardFailed: 4006,
} as const;

export type NnLensErrorKind = keyof typeof nnLensErrorCodes;

export type NnLensErrorData =
  /** The document is not open in the server (send didOpen first). */
  | { kind: 'unknownDocument'; uri: string }
  /** No nn.Module class of that name in the document. */
  | { kind: 'unknownModel'; className: string; available: string[] }
  /** The class exists but has no evaluated instance (needs arguments, fails to construct, ...). */
  | { kind: 'modelNotEvaluated'; className: string; reason: string }
  | { kind: 'unknownTensor'; className: string; name: string; available: string[] }
  /** Values could not be computed or read (`reason` says why). */
  | { kind: 'valueTierUnavailable'; device: string; reason: string }
  /** The forward raised: the Python exception, where it was raised (1-based line). */
  | { kind: 'forwardFailed'; className: string; type: string; message: string; line: number };

export function isNnLensErrorData(data: unknown): data is NnLensErrorData {
  return typeof data === 'object' && data !== null && typeof (data as { kind?: unknown }).kind === 'string'
    && (data as { kind: string }).kind in nnLensErrorCodes;
}
