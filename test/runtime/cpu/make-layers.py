#!/usr/bin/python3
"""Expected forward values of layers whose cpu forward NN Lens computes itself (recurrences,
attention) and of a few composite layers, answered by real PyTorch 1.13.

Run:  /usr/bin/python3 test/runtime/cpu/make-layers.py   (writes layers.json next to this file)

Each case builds a layer, then overwrites every parameter (in named_parameters() order) and
creates every input tensor (in argument order) with the deterministic generator of
make-values.py (floats scaled by `scale`), runs the forward in eval mode (train mode when
`train`) and records each output tensor: shape, dtype, sum, abs_sum and the first values.
"""
import base64
import importlib.util
import json
import math
import os

import torch
import torch.nn as nn

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('make_values', os.path.join(HERE, 'make-values.py'))
mv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mv)


def T(*shape, dtype='float32', low=0, high=10):
    return {'tensor': list(shape), 'dtype': dtype, 'low': low, 'high': high}


CASES = []


def case(cls, args, kwargs, inputs, forward_kwargs=None, scale=0.5, train=False):
    CASES.append({'cls': cls, 'args': args, 'kwargs': kwargs, 'inputs': inputs, 'forward_kwargs': forward_kwargs or {},
                  'scale': scale, 'train': train})


# recurrences: layers, directions, batch_first, proj_size, given or zero initial states, unbatched
case('RNN', [8, 16], {}, [T(5, 3, 8)])
case('RNN', [8, 16], {'nonlinearity': 'relu', 'num_layers': 2}, [T(5, 3, 8), T(2, 3, 16)])
case('RNN', [8, 16], {'bidirectional': True, 'batch_first': True}, [T(3, 5, 8)])
case('RNN', [8, 16], {'bias': False}, [T(5, 8)])
case('LSTM', [8, 16], {}, [T(5, 3, 8)])
case('LSTM', [8, 16], {'num_layers': 2, 'bidirectional': True}, [T(6, 2, 8), {'tuple': [T(4, 2, 16), T(4, 2, 16)]}])
case('LSTM', [8, 16], {'batch_first': True, 'proj_size': 4}, [T(2, 7, 8)])
case('LSTM', [8, 16], {'num_layers': 3, 'proj_size': 5, 'bidirectional': True}, [T(4, 2, 8)])
case('LSTM', [8, 12], {}, [T(5, 8), {'tuple': [T(1, 12), T(1, 12)]}])
case('LSTM', [32, 64], {'num_layers': 2, 'batch_first': True, 'bidirectional': True}, [T(2, 24, 32)], scale=0.25)
case('GRU', [8, 16], {}, [T(5, 3, 8)])
case('GRU', [8, 16], {'num_layers': 2, 'bidirectional': True, 'batch_first': True}, [T(3, 5, 8), T(4, 3, 16)])
case('GRU', [8, 16], {'bias': False}, [T(4, 8)])
case('RNNCell', [8, 16], {}, [T(3, 8)])
case('RNNCell', [8, 16], {'nonlinearity': 'relu'}, [T(3, 8), T(3, 16)])
case('RNNCell', [8, 16], {}, [T(8), T(16)])
case('LSTMCell', [8, 16], {}, [T(3, 8)])
case('LSTMCell', [8, 16], {}, [T(3, 8), {'tuple': [T(3, 16), T(3, 16)]}])
case('LSTMCell', [8, 16], {'bias': False}, [T(8)])
case('GRUCell', [8, 16], {}, [T(3, 8), T(3, 16)])
case('GRUCell', [8, 16], {}, [T(8)])
# attention: self/cross, masks (bool, float, key padding), need_weights off/per head, bias_kv, zero attn, kdim/vdim, batch_first
case('MultiheadAttention', [16, 4], {}, [T(5, 2, 16), 'q', 'q'])
case('MultiheadAttention', [16, 4], {}, [T(5, 2, 16), T(7, 2, 16), T(7, 2, 16)])
case('MultiheadAttention', [16, 2], {'batch_first': True}, [T(2, 5, 16), 'q', 'q'], {'average_attn_weights': False})
case('MultiheadAttention', [16, 4], {}, [T(5, 2, 16), 'q', 'q'], {'attn_mask': {'causal': 5}})
case('MultiheadAttention', [16, 4], {}, [T(5, 2, 16), 'q', 'q'], {'attn_mask': T(5, 5), 'need_weights': False})
case('MultiheadAttention', [16, 4], {}, [T(5, 2, 16), 'q', 'q'], {'key_padding_mask': T(2, 5, dtype='bool', low=0, high=2)})
case('MultiheadAttention', [16, 4], {'add_bias_kv': True, 'add_zero_attn': True}, [T(5, 2, 16), T(6, 2, 16), T(6, 2, 16)])
case('MultiheadAttention', [16, 4], {'kdim': 8, 'vdim': 12}, [T(5, 2, 16), T(6, 2, 8), T(6, 2, 12)])
case('MultiheadAttention', [16, 4], {}, [T(5, 16), 'q', 'q'])
# composite layers built on the above
case('TransformerEncoderLayer', [16, 4], {'dim_feedforward': 32, 'dropout': 0.0}, [T(6, 2, 16)])
case('TransformerEncoderLayer', [16, 4], {'dim_feedforward': 32, 'dropout': 0.0, 'batch_first': True, 'norm_first': True,
                                          'activation': 'gelu'}, [T(2, 6, 16)])
case('TransformerDecoderLayer', [16, 4], {'dim_feedforward': 32, 'dropout': 0.0}, [T(6, 2, 16), T(4, 2, 16)])
# training mode: dropout masks come from torch's generator (manual_seed(0) before construction)
case('Dropout', [0.3], {}, [T(4, 6)], train=True)
case('Dropout2d', [0.5], {}, [T(2, 3, 4, 4)], train=True)
case('AlphaDropout', [0.2], {}, [T(4, 6)], train=True)
case('FeatureAlphaDropout', [0.2], {}, [T(2, 3, 4)], train=True)
case('LSTM', [8, 16], {'num_layers': 2, 'dropout': 0.5}, [T(5, 3, 8)], train=True)
case('TransformerEncoderLayer', [16, 4], {'dim_feedforward': 32, 'dropout': 0.1}, [T(6, 2, 16)], train=True)


def build(c):
    cls = getattr(nn, c['cls'])
    m = cls(*c['args'], **c['kwargs'])
    m.train(c['train'])
    return m


def make_tensor(spec, gen, scale):
    """A tensor from the generator: floats scaled by `scale` (the same as the TypeScript side)."""
    dt = getattr(torch, spec['dtype'])
    n = 1
    for s in spec['tensor']:
        n *= s
    if dt.is_floating_point:
        vals = [gen.normal() * scale for _ in range(n)]
        return torch.tensor(vals, dtype=torch.float64).to(dt).reshape(spec['tensor'])
    if dt == torch.bool:
        return torch.tensor([math.floor(gen.u() * 2) for _ in range(n)]).bool().reshape(spec['tensor'])
    vals = [spec['low'] + math.floor(gen.u() * (spec['high'] - spec['low'])) for _ in range(n)]
    return torch.tensor(vals, dtype=torch.int64).to(dt).reshape(spec['tensor'])


def make_input(v, gen, scale, first):
    if v == 'q':
        return first
    if isinstance(v, dict) and 'tuple' in v:
        return tuple(make_input(x, gen, scale, first) for x in v['tuple'])
    if isinstance(v, dict) and 'causal' in v:
        n = v['causal']
        return torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
    return make_tensor(v, gen, scale)


def run(c):
    torch.manual_seed(0)
    m = build(c)
    gen = mv.Lcg()
    with torch.no_grad():
        for _, p in m.named_parameters():
            p.copy_(make_tensor({'tensor': list(p.shape), 'dtype': 'float32'}, gen, c['scale']))
    inputs = []
    for v in c['inputs']:
        inputs.append(make_input(v, gen, 1.0, inputs[0] if inputs else None))
    kwargs = {k: make_input(v, gen, 1.0, None) if isinstance(v, dict) else v for k, v in c['forward_kwargs'].items()}
    out = m(*inputs, **kwargs)
    return {'result': mv.result(out)}


def main():
    entries = []
    for c in CASES:
        entries.append({**c, 'expect': run(c)})
    with open(os.path.join(HERE, 'layers.json'), 'w') as f:
        f.write('{"torch": %s, "cases": [\n' % json.dumps(torch.__version__))
        f.write(',\n'.join(json.dumps(e, separators=(',', ':')) for e in entries))
        f.write('\n]}\n')
    print(f'{len(entries)} layer cases -> layers.json')


if __name__ == '__main__':
    main()
