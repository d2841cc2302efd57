// nnLens/getTensor: a parameter's, buffer's or activation's values, downsampled, as base64
// float32. The analysis does not hand whole tensors out yet (its value runs keep the first values,
// sums and hashes): the request checks that the tensor exists and answers the typed
// `valueTierUnavailable` error.
import type { CancellationToken } from 'vscode-languageserver/node.js';
import type { GetTensorResult } from '../protocol/requests.ts';
import type { ServerContext } from '../lsp/server-context.ts';
import { invalidParams, object, string, typedError } from '../lsp/errors.ts';
import { requestedDocument, requestedModel } from './lookup.ts';
import { formatShape } from './facts/format.ts';

export async function getTensor(ctx: ServerContext, params: unknown, token: CancellationToken): Promise<GetTensorResult> {
  const analysis = await requestedDocument(ctx, params, token);
  const cls = requestedModel(analysis, params);
  const ref = object(object(params, 'params').tensor, 'params.tensor');
  const kind = ref.kind;
  if (kind !== 'parameter' && kind !== 'buffer' && kind !== 'activation') throw invalidParams("params.tensor.kind must be 'parameter', 'buffer' or 'activation'");
  // An activation's name is a module path; '' is the model itself (its output).
  const name = kind === 'activation' && ref.name === '' ? '' : string(ref.name, 'params.tensor.name');
  const inst = cls.instance;
  if (inst?.status !== 'ok') throw typedError(`${cls.name} is not evaluated`, { kind: 'modelNotEvaluated', className: cls.name, reason: inst?.error?.message ?? 'its constructor needs arguments' });
  const known: [string, string][] = kind === 'parameter' ? (inst.parameters ?? []).map(([n, s]) => [n, formatShape(s)])
    : kind === 'buffer' ? (inst.buffers ?? []).map(([n, s]) => [n, formatShape(s)])
      : (inst.forward?.calls ?? []).map(([p, , s]) => [p, formatShape(s)]);
  const hit = known.find(([n]) => n === name);
  if (!hit) throw typedError(`${cls.name} has no ${kind} '${name}'`, { kind: 'unknownTensor', className: cls.name, name, available: [...new Set(known.map(([n]) => n))] });
  throw typedError(
    `The values of ${name} ${hit[1]} are not available yet: the analysis does not return whole tensors`,
    { kind: 'valueTierUnavailable', device: 'cpu', reason: 'the analysis keeps only the first values, sums and hashes of tensors' },
  );
}
