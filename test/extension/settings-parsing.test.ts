// The settings NN Lens reads, as pure functions (no VS Code, no server): nnLens.inputShapes entries
// and keys (protocol/input-shapes.ts), how Set Input Shape… rewrites one scope of the setting
// (extension/input-shape-setting.ts), nnLens.device and its problems (protocol/settings.ts), and
// the device rule shared by runForward and getTensor (lsp/resolve-device.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  inputShapeSettingValue, inputShapesForFile, parseInputShape, parseInputShapes, parseShapeText, splitKey,
} from '../../language-server/protocol/input-shapes.ts';
import { defaultSettings, settingsFrom, settingsProblems } from '../../language-server/protocol/settings.ts';
import { updatedInputShapes } from '../../extension/input-shape-setting.ts';
import { jobDevice, parseRequestedDevice, settleDevice } from '../../language-server/lsp/resolve-device.ts';
import { sameChoices, settingInputChoices } from '../../language-server/lsp/setting-input-choices.ts';

describe('a shape as typed', () => {
  test('commas, spaces, brackets, parentheses and x all separate sizes', () => {
    for (const text of ['1, 3, 32, 32', '[1, 3, 32, 32]', '(1,3,32,32)', '1x3x32x32', ' 1 3 32 32 ', '1, 3, 32, 32,']) {
      assert.deepEqual(parseShapeText(text), [1, 3, 32, 32], text);
    }
    assert.deepEqual(parseShapeText('0'), [0]);
  });

  test('what is not a shape is null', () => {
    for (const text of ['', '  ', 'a', '1, x', '1,,2', 'x1', '1, -3', '1.5', '1e3', '1, 2, 3, 4, 5, 6, 7, 8, 9', `${2 ** 31}`]) {
      assert.equal(parseShapeText(text), null, text);
    }
  });
});

describe('nnLens.inputShapes entries', () => {
  test('a string or a list is torch.randn of that shape', () => {
    assert.deepEqual(parseInputShape('1, 1, 28, 28'), { shape: [1, 1, 28, 28], dtype: 'float32' });
    assert.deepEqual(parseInputShape([8, 3, 32, 32]), { shape: [8, 3, 32, 32], dtype: 'float32' });
    assert.deepEqual(parseInputShape({ shape: '2, 3' }), { shape: [2, 3], dtype: 'float32' });
  });

  test('int64 is token ids, from 0..2 unless low/high say otherwise', () => {
    assert.deepEqual(parseInputShape({ shape: [2, 16], dtype: 'int64' }), { shape: [2, 16], dtype: 'int64', low: 0, high: 2 });
    assert.deepEqual(parseInputShape({ shape: [2, 16], dtype: 'int64', high: 50257 }), { shape: [2, 16], dtype: 'int64', low: 0, high: 50257 });
    assert.deepEqual(parseInputShape({ shape: '4', dtype: 'int64', low: 5 }), { shape: [4], dtype: 'int64', low: 5, high: 6 });
  });

  test('a bad entry says what is wrong with it', () => {
    assert.match(parseInputShape('1, x') as string, /^"1, x" is not a shape \(expected sizes like "1, 3, 32, 32"/);
    assert.match(parseInputShape([]) as string, /is not a shape: 1 to 8 non-negative integers/);
    assert.match(parseInputShape([1, 2.5]) as string, /\[1,2\.5\] is not a shape/);
    assert.match(parseInputShape(42) as string, /^42 is not a shape/);
    assert.match(parseInputShape({ dtype: 'int64' }) as string, /^"shape" is missing/);
    assert.match(parseInputShape({ shape: [1], dtype: 'float16' }) as string, /^"dtype" must be "float32" or "int64", not "float16"/);
    assert.match(parseInputShape({ shape: [1], low: 3 }) as string, /"low" and "high" are for "dtype": "int64"/);
    assert.match(parseInputShape({ shape: [1], dtype: 'int64', low: 4, high: 4 }) as string, /"high" \(4\) must be greater than "low" \(4\)/);
    assert.match(parseInputShape({ shape: [1], dtyp: 'int64' }) as string, /unknown field "dtyp"/);
  });

  test('the whole setting: valid entries kept, each bad one named once and left out', () => {
    const { entries, problems } = parseInputShapes({ LeNet: '1, 1, 28, 28', 'lenet.py:Net': [2, 3], Bad: 'x', '3D': '1', GPT: { shape: [1, 8], dtype: 'int64' } });
    assert.deepEqual(Object.keys(entries), ['LeNet', 'lenet.py:Net', 'GPT']);
    assert.deepEqual(problems, [
      'nnLens.inputShapes["Bad"]: "x" is not a shape (expected sizes like "1, 3, 32, 32", a list [1, 3, 32, 32], or { "shape": …, "dtype": "float32" | "int64" }); the entry is ignored',
      'nnLens.inputShapes["3D"]: the key is not a class name or FILE:Class; the entry is ignored',
    ]);
    assert.deepEqual(parseInputShapes(undefined), { entries: {}, problems: [] });
    assert.match(parseInputShapes('LeNet: 1, 1, 28, 28').problems[0]!, /^nnLens.inputShapes must be an object of class name → shape/);
  });

  test('keys: a class name or FILE:Class', () => {
    assert.deepEqual(splitKey('LeNet'), { className: 'LeNet' });
    assert.deepEqual(splitKey('models/lenet.py:LeNet'), { file: 'models/lenet.py', className: 'LeNet' });
    assert.deepEqual(splitKey('C:\\work\\lenet.py:LeNet'), { file: 'C:/work/lenet.py', className: 'LeNet' });
    assert.equal(splitKey(':LeNet'), null);
    assert.equal(splitKey('lenet.py:'), null);
    assert.equal(splitKey('Le Net'), null);
  });

  test('the entries for one file: FILE:Class naming the file (its name or the end of its path) wins over Class', () => {
    const { entries } = parseInputShapes({ Net: '1, 1', 'b.py:Net': '2, 2', 'models/a.py:Net': '3, 3', 'a.py:Other': '4', Other: '5', 'odels/a.py:Net': '6' });
    const shapes = (file: string): Record<string, [number[], string]> =>
      Object.fromEntries([...inputShapesForFile(entries, file)].map(([cls, { input, key }]) => [cls, [input.shape, key]]));
    assert.deepEqual(shapes('/work/models/a.py'), { Net: [[3, 3], 'models/a.py:Net'], Other: [[4], 'a.py:Other'] });
    assert.deepEqual(shapes('/work/b.py'), { Net: [[2, 2], 'b.py:Net'], Other: [[5], 'Other'] });
    assert.deepEqual(shapes('/work/c.py'), { Net: [[1, 1], 'Net'], Other: [[5], 'Other'] });
    assert.deepEqual(shapes('C:\\work\\models\\a.py'), { Net: [[3, 3], 'models/a.py:Net'], Other: [[4], 'a.py:Other'] });
  });

  test('what Set Input Shape… writes reads back as what was chosen', () => {
    for (const input of [{ shape: [1, 3, 32, 32], dtype: 'float32' as const }, { shape: [2, 16], dtype: 'int64' as const, low: 0, high: 50257 }]) {
      assert.deepEqual(parseInputShape(inputShapeSettingValue(input)), input);
    }
    assert.equal(inputShapeSettingValue({ shape: [1, 3, 32, 32], dtype: 'float32' }), '1, 3, 32, 32');
  });
});

describe('Set Input Shape… rewriting one settings scope', () => {
  test('sets the plain class name, keeps the other entries', () => {
    assert.deepEqual(updatedInputShapes(undefined, '/w/a.py', 'Net', '1, 2'), { value: { Net: '1, 2' }, changed: true });
    assert.deepEqual(updatedInputShapes({ Other: [3], Net: 'x' }, '/w/a.py', 'Net', '1, 2'), { value: { Other: [3], Net: '1, 2' }, changed: true });
    assert.deepEqual(updatedInputShapes({ Net: '1, 2' }, '/w/a.py', 'Net', '1, 2'), { value: { Net: '1, 2' }, changed: false });
  });

  test('updates the FILE:Class key that applies to the file instead of shadowing it', () => {
    assert.deepEqual(updatedInputShapes({ 'a.py:Net': '1', Net: '2' }, '/w/a.py', 'Net', '5, 5'), { value: { 'a.py:Net': '5, 5', Net: '2' }, changed: true });
    assert.deepEqual(updatedInputShapes({ 'b.py:Net': '1' }, '/w/a.py', 'Net', '5, 5'), { value: { 'b.py:Net': '1', Net: '5, 5' }, changed: true });
  });

  test('null removes every key that applies to the class in this file; no entries left removes the setting', () => {
    assert.deepEqual(updatedInputShapes({ 'a.py:Net': '1', Net: '2', 'b.py:Net': '3' }, '/w/a.py', 'Net', null), { value: { 'b.py:Net': '3' }, changed: true });
    assert.deepEqual(updatedInputShapes({ Net: '2' }, '/w/a.py', 'Net', null), { value: undefined, changed: true });
    assert.deepEqual(updatedInputShapes(undefined, '/w/a.py', 'Net', null), { value: undefined, changed: false });
    assert.deepEqual(updatedInputShapes({ Other: '1' }, '/w/a.py', 'Net', null), { value: { Other: '1' }, changed: false });
  });
});

describe('settings the server reads', () => {
  test('nnLens.device: auto by default, a mistyped value is auto and a problem', () => {
    assert.equal(defaultSettings.device, 'auto');
    assert.equal(settingsFrom({}).device, 'auto');
    for (const d of ['auto', 'webgpu', 'cpu'] as const) assert.equal(settingsFrom({ device: d }).device, d);
    assert.equal(settingsFrom({ device: 'gpu' }).device, 'auto');
    assert.deepEqual(settingsProblems({ device: 'gpu' }), ['nnLens.device must be "auto", "webgpu" or "cpu", not "gpu"; using "auto"']);
    assert.deepEqual(settingsProblems({ device: 'cpu', inputShapes: { Net: [1] } }), []);
  });

  test('nnLens.inputShapes in the settings: the valid entries; the bad ones are problems', () => {
    const raw = { inputShapes: { Net: '1, 1, 28, 28', Bad: [-1] } };
    assert.deepEqual(settingsFrom(raw).inputShapes, { Net: { shape: [1, 1, 28, 28], dtype: 'float32' } });
    assert.equal(settingsProblems(raw).length, 1);
    assert.match(settingsProblems(raw)[0]!, /^nnLens.inputShapes\["Bad"\]: \[-1\] is not a shape/);
  });

  test('the input choices of one document, each naming its key', () => {
    const { entries } = parseInputShapes({ Net: '8, 1, 28, 28', 'lenet.py:LeNet': { shape: [2, 16], dtype: 'int64', high: 100 }, 'x.py:Net': '1' });
    const choices = settingInputChoices(entries, 'file:///work/examples/lenet.py');
    assert.deepEqual([...choices], [
      ['Net', { kind: 'randn', shape: [8, 1, 28, 28], setting: 'Net' }],
      ['LeNet', { kind: 'randint', shape: [2, 16], low: 0, high: 100, setting: 'lenet.py:LeNet' }],
    ]);
    assert.ok(sameChoices(choices, settingInputChoices(entries, 'file:///work/examples/lenet.py')));
    assert.ok(!sameChoices(choices, settingInputChoices(entries, 'file:///work/x.py')));
    assert.equal(settingInputChoices({}, 'untitled:Untitled-1').size, 0);
  });
});

describe('the device rule (auto, webgpu, cpu)', () => {
  test('requests name one of the three; absent takes the caller\'s default', () => {
    assert.equal(parseRequestedDevice('auto'), 'auto');
    assert.equal(parseRequestedDevice(undefined, 'cpu'), 'cpu');
    assert.deepEqual(parseRequestedDevice('tpu'), { invalid: 'params.device must be one of auto, webgpu, cpu' });
    assert.deepEqual(parseRequestedDevice(undefined), { invalid: 'params.device must be one of auto, webgpu, cpu' });
    assert.deepEqual(['auto', 'webgpu', 'cpu'].map((d) => jobDevice(d as 'auto')), ['webgpu', 'webgpu', 'cpu']);
  });

  test('auto without an adapter runs on the CPU and says why; webgpu fails and says why; cpu is the CPU', () => {
    const noAdapter = { device: 'cpu' as const, webgpuUnavailable: 'no usable WebGPU adapter (gpu: none)' };
    assert.deepEqual(settleDevice('auto', { device: 'webgpu' }, 'the forward ran'), { ok: true, device: 'webgpu' });
    assert.deepEqual(settleDevice('auto', noAdapter, 'the forward ran'), {
      ok: true, device: 'cpu', fallback: { requested: 'auto', reason: 'WebGPU is unavailable (no usable WebGPU adapter (gpu: none)); the forward ran on the CPU' },
    });
    const failed = settleDevice('webgpu', noAdapter, 'the forward ran');
    assert.equal(failed.ok, false);
    assert.match(!failed.ok ? failed.reason : '', /^WebGPU is unavailable \(no usable WebGPU adapter \(gpu: none\)\); the device is set to webgpu, so nothing ran on the CPU/);
    assert.deepEqual(settleDevice('webgpu', { device: 'webgpu' }, 'x'), { ok: true, device: 'webgpu' });
    assert.deepEqual(settleDevice('cpu', { device: 'cpu' }, 'x'), { ok: true, device: 'cpu' });
  });
});
