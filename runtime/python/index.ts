export * from './values.ts';
export * from './errors.ts';
export * from './signature.ts';
export * from './interop.ts';
export * from './callables.ts';
