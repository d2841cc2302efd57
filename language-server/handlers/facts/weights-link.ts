// The hover's links into the weights panel: one per tensor of a layer (its parameters and, when
// forward called it, its output), each a `command:` link that runs nnLens.showWeights with
// `[uri, className, tensor]`. The extension trusts exactly that command in hovers
// (extension/language-client.ts); other editors show the link text.
import { commandIds } from '../../protocol/settings.ts';
import type { TensorRef } from '../../protocol/requests.ts';
import type { LayerFacts } from './layer-facts.ts';

const maxLinks = 6;

function link(label: string, uri: string, className: string, tensor: TensorRef): string {
  const args = encodeURIComponent(JSON.stringify([uri, className, tensor]));
  return `[${label}](command:${commandIds.showWeights}?${args} "Open ${tensor.name || className} in the weights panel")`;
}

/** `▦ Weights panel: [weight] · [bias] · [output]`, or '' when the layer has nothing to show. */
export function weightsLinks(uri: string, className: string, facts: LayerFacts): string {
  const links: string[] = facts.kind === 'module'
    ? facts.parameters.slice(0, maxLinks).map((p) => link(p.name, uri, className, { kind: 'parameter', name: `${facts.path}.${p.name}` }))
    : [link(facts.kind === 'parameter' ? 'values' : 'buffer', uri, className, { kind: facts.kind, name: facts.path })];
  // An inexact use (`self.layers[i]`) lists its children's calls: no single output to open.
  if (facts.kind === 'module' && facts.calls.some((c) => c.path === facts.path)) links.push(link('output', uri, className, { kind: 'activation', name: facts.path }));
  return links.length ? `▦ Weights panel: ${links.join(' · ')}` : '';
}
