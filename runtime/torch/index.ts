// torch for the evaluator: the `torch` namespace, tensor attributes and methods, Python
// operators, indexing and protocols on tensors.
export { createTorchNamespace, torchFunctions, GradModeSetter } from './namespace.ts';
export { getTensorAttribute, deviceOf } from './attributes.ts';
export { tensorBinaryOp, tensorInplaceBinaryOp, tensorCompare, tensorUnaryOp, type BinaryOperator, type CompareOperator } from './operators.ts';
export { tensorGetItem, tensorSetItem } from './indexing.ts';
export { tensorLen, tensorIter, tensorRepr, tensorToBool, tensorToNumber, tensorIndex } from './protocol.ts';
export { TorchSize, TorchDevice, TorchGenerator, TorchEnumValue, makeTorchSize, parseDevice } from './objects.ts';
export { manualSeed, defaultGenerator } from './random.ts';
export { callRegistered } from './registry.ts';
export { functional, createFunctionalNamespace } from '../functional/index.ts';
