// What PyTorch printed for the examples (test/examples/expected/*.json, made by
// test/examples/make-expected.py with the real PyTorch), and the texts the editor should show,
// derived from it: the expected values follow the truth, never hand-typed numbers.
import tutorialNetwork from '../../examples/expected/tutorial_network.json' with { type: 'json' };
import brokenShapes from '../../examples/expected/broken_shapes.json' with { type: 'json' };

type Shape = number[] | null;
export interface TruthClass {
  name: string;
  line: number;
  instance: {
    repr: string;
    parameters: [string, number[]][];
    num_params: number;
    forward: { inputs: { shape: number[] }[]; status: string; output_shape?: number[]; calls: [string, string, Shape][]; error?: { type: string; message: string; line: number } };
  };
}

function only(truth: { classes: unknown[] }, file: string): TruthClass {
  if (truth.classes.length !== 1) throw new Error(`${file}: expected one class in the truth, found ${truth.classes.length}`);
  return truth.classes[0] as TruthClass;
}

export const tutorial = only(tutorialNetwork, 'tutorial_network.json');
export const broken = only(brokenShapes, 'broken_shapes.json');

/** 32998 → "32,998", as PyTorch users write counts. */
export const count = (n: number): string => n.toLocaleString('en-US');
export const shapeText = (s: number[]): string => `[${s.join(', ')}]`;
const product = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** The line print(model) shows for a top-level layer: `(conv1): Conv2d(...)` → `Conv2d(...)`. */
export function layerRepr(cls: TruthClass, layer: string): string {
  const prefix = `  (${layer}): `;
  const line = cls.instance.repr.split('\n').find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`${cls.name}'s repr has no line for ${layer}`);
  return line.slice(prefix.length);
}

/** The output shapes forward produced at each call of a top-level layer. */
export function callShapes(cls: TruthClass, layer: string): Shape[] {
  return cls.instance.forward.calls.filter(([path]) => path === layer).map(([, , shape]) => shape);
}

/** Top-level layers that own parameters, in the order named_parameters() lists them. */
export function layersWithParameters(cls: TruthClass): string[] {
  return [...new Set(cls.instance.parameters.map(([name]) => name.split('.')[0]!))];
}

/** The class lens: the parameter count. */
export const classCountLens = (cls: TruthClass): string => `${count(cls.instance.num_params)} params`;

/** The class lens of a model whose forward runs: `input [...] → output [...]`. */
export function classShapesLens(cls: TruthClass): string {
  const { inputs, output_shape } = cls.instance.forward;
  if (!output_shape) throw new Error(`${cls.name}'s forward has no output shape in the truth`);
  return `input ${shapeText(inputs[0]!.shape)} → output ${shapeText(output_shape)}`;
}

/** The lens above a layer: `weight [...] · bias [...] · N params · → [out]`. */
export function layerLens(cls: TruthClass, layer: string): string {
  const own = cls.instance.parameters.filter(([name]) => name.startsWith(`${layer}.`));
  const parts = own.map(([name, shape]) => `${name.slice(layer.length + 1)} ${shapeText(shape)}`);
  const total = own.reduce((sum, [, shape]) => sum + product(shape), 0);
  const outputs = callShapes(cls, layer).map((s) => (s ? shapeText(s) : '✖ raised'));
  return [...parts, `${count(total)} params`, `→ ${outputs.join(' · ')}`].join(' · ');
}
