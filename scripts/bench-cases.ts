// The weights panel's benchmark tensors as model files for the real server (scripts/bench-panel-host.ts,
// scripts/bench-webview.ts --server): the tutorial network's conv1.weight, a 4096×4096 Linear weight,
// a GPT-2 token embedding 50257×768. `warm` is a small tensor of the same model, asked first, so
// that the big tensor's first request is its own cost and not the model's construction.
import { readFile } from '../test/lsp/server-process.ts';

export interface BenchCase { label: string; file: string; text: string; className: string; name: string; shape: number[]; warm: string; warmShape: number[] }

export const benchCases: BenchCase[] = [
  { label: 'tutorial conv1.weight [6, 1, 5, 5]', file: 'examples/tutorial_network.py', text: readFile('examples/tutorial_network.py'), className: 'Network', name: 'conv1.weight', shape: [6, 1, 5, 5], warm: 'conv1.bias', warmShape: [6] },
  {
    label: 'Linear(4096, 4096).weight', file: '.scratch/bench-panel-host/big_linear.py', className: 'Big', name: 'fc.weight', shape: [4096, 4096], warm: 'fc.bias', warmShape: [4096],
    text: 'import torch\nimport torch.nn as nn\n\nclass Big(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4096, 4096)\n\n    def forward(self, x):\n        return self.fc(x)\n\nout = Big()(torch.randn(1, 4096))\n',
  },
  {
    // The LayerNorm (initialised without the RNG, after the embedding) is the small tensor to warm with.
    label: 'Embedding(50257, 768).weight', file: '.scratch/bench-panel-host/wte.py', className: 'Wte', name: 'wte.weight', shape: [50257, 768], warm: 'ln.weight', warmShape: [768],
    text: 'import torch\nimport torch.nn as nn\n\nclass Wte(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.wte = nn.Embedding(50257, 768)\n        self.ln = nn.LayerNorm(768)\n\n    def forward(self, idx):\n        return self.ln(self.wte(idx))\n\nout = Wte()(torch.randint(0, 50257, (1, 8)))\n',
  },
];
