// The value tier will fill parameters from the bit-exact generator; which tensors are filled, in
// which order and with which bounds decides every value. cases.json records PyTorch's
// `Tensor.uniform_`/`normal_` calls during construction; the layers must make the same calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withRuntimeContext } from '../../../runtime/context.ts';
import { setRandomFiller } from '../../../runtime/nn/index.ts';
import type { Tensor } from '../../../runtime/tensor.ts';
import { type Json, cases, construct, decode, decodeKwargs } from './helpers.ts';

interface DrawCase { cls: string; args: Json[]; kwargs: Record<string, Json>; draws: [string, number[], number, number][] }

const log: [string, number[], number, number][] = [];
const record = (name: string) => (t: Tensor, a: number, b: number): void => { log.push([name, [...t.shape], a, b]); };
const unexpected = (name: string) => (): void => { throw new Error(`unexpected ${name}`); };

for (const c of cases.draws as unknown as DrawCase[]) {
  test(`${c.cls}(${JSON.stringify(c.args)}, ${JSON.stringify(c.kwargs)}) fills like PyTorch`, () => {
    setRandomFiller({
      uniform: record('uniform_'), normal: record('normal_'),
      truncNormal: unexpected('trunc_normal_'), orthogonal: unexpected('orthogonal_'), sparse: unexpected('sparse_'),
    });
    try {
      withRuntimeContext({ device: 'cpu' }, () => {
        const args = c.args.map(decode); // modules given as arguments draw before the recording starts
        const kwargs = decodeKwargs(c.kwargs);
        log.length = 0;
        construct(c.cls, args, kwargs);
      });
      assert.deepEqual(log, c.draws);
    } finally {
      setRandomFiller(null);
    }
  });
}
