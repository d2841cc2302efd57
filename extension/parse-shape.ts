// What the user types as an input shape: `1, 3, 32, 32`, `[1, 3, 32, 32]`, `1x3x32x32`. The same
// reading as an nnLens.inputShapes entry (protocol/input-shapes.ts), so what the box accepts the
// setting accepts.
export { parseShapeText as parseShape } from '../language-server/protocol/input-shapes.ts';
