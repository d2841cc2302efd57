// Numbers as the panel prints them: four significant digits, exponent form for very large or small.
export const formatValue = (x: number): string => (Number.isFinite(x) ? (x === 0 ? '0' : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-4 ? x.toExponential(3) : x.toPrecision(4)) : String(x));

export const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
