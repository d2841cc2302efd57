// The forward's name bindings (what hover shows for a variable): parameters, assignments,
// tuple unpacking of sizes, loop variables recorded once per distinct result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectSource } from '../../language-server/analysis/inspect.ts';

const source = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)
        self.blocks = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])

    def forward(self, x):
        b, n = x.shape
        h = self.fc(x)
        for blk in self.blocks:
            h = blk(h)
        return h.softmax(-1)
`;

test('forward bindings record parameters, unpacked sizes and assignments with shapes', async () => {
  const report = await inspectSource(source, 'net.py', { input: [2, 8] });
  const bindings = report.classes[0]!.instance!.forward!.bindings!;
  const seen = bindings.map((b) => `${b.line}:${b.name}=${JSON.stringify(b.value)}${b.dtype ? ` ${b.dtype}` : ''}`);
  assert.deepEqual(seen, [
    '10:x=[2,8] float32',
    '11:b={"value":"2"}',
    '11:n={"value":"8"}',
    '12:h=[2,4] float32',
    // The loop rebinds h three times with the same shape: recorded once.
    '14:h=[2,4] float32',
  ]);
});
