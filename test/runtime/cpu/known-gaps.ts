// Cases of the cpu conformance suite that fail for reasons outside the cpu kernels, with the
// reason; they run as `todo` so they stay visible in the output without failing the suite.
const metaInput = 'PyTorch ran this case on a meta-device input (cases.json does not encode the device), so its repr has no values to compare';

export const knownGaps: Record<string, string> = {
  'repr/0': metaInput,
  'repr/1': metaInput,
  'repr/2': metaInput,
  'repr/3': metaInput,
  'repr/4': metaInput,
  'repr/5': metaInput,
};
