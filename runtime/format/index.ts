// Tensor printing, byte-identical to PyTorch 1.13's repr/str (see tensor-str.ts).
export { formatTensor, tensorStrIntern, tensorBody, printOptions, setPrintOptions, defaultPrintOptions, type PrintOptions } from './tensor-str.ts';
export { formatFixed, formatExponent } from './python-float.ts';
