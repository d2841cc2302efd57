#!/usr/bin/python3
"""Value cases aimed at the WGSL kernels, answered by real PyTorch 1.13.

Run:  /usr/bin/python3 test/runtime/webgpu/make-cases.py   (writes cases.json next to this file)

The webgpu suite replays two sets of cases:
- the conformance cases of test/runtime/ops/cases.json, with the inputs and expected values that
  the cpu suite uses (test/runtime/cpu/values.json, made by make-values.py there): one oracle for
  both value devices;
- the cases of cases_webgpu.py, written by this script: what the WGSL kernels branch on (matmul
  register blocks and ragged edges, conv groups/stride/dilation/padding, pooling windows, norms,
  reductions, gathers, activations with their attributes), with every output value (an evenly
  spaced sample and the sums for large outputs).
Inputs come from the cpu suite's generator (`Lcg`, reimplemented in harness.ts), drawn in argument
order, so only outputs are stored. The TypeScript suite builds each input on the webgpu device,
runs the call through the runtime's torch namespace, reads the results back and compares within
1e-5 + 1e-4·|expected|.
"""
import importlib.util
import json
import math
import os
import sys
import warnings

import torch

warnings.filterwarnings('ignore')
torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
OPS = os.path.join(HERE, '..', 'ops')
sys.path.insert(0, OPS)
sys.path.insert(0, HERE)

spec = importlib.util.spec_from_file_location('ops_make_cases', os.path.join(OPS, 'make-cases.py'))
mc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mc)  # defines mc.CASES (its __main__ block does not run)

# Calls whose values are random or uninitialised: shapes and dtypes are compared, values are not.
RANDOM = ('rand', 'empty', 'normal_', 'uniform_', 'dropout', 'bernoulli', 'gumbel', 'rrelu', 'new_empty')
# Outputs up to this many elements record every value; larger ones an evenly spaced sample and sums.
MAX_VALUES = 4096
SAMPLE = 512

# ---------------------------------------------------------------------------------- inputs
# test/runtime/cpu/make-values.py's generator: state = 12345 per case, then per draw
#   state = (state * 1664525 + 1013904223) mod 2**32;  u = (state >> 8) / 2**24
# floats (u1 + u2 + u3 - 1.5) * 2 rounded to the dtype; ints low + floor(u * (high - low)); bools floor(2u).


class Lcg:
    def __init__(self):
        self.state = 12345

    def u(self):
        self.state = (self.state * 1664525 + 1013904223) & 0xFFFFFFFF
        return (self.state >> 8) / 16777216.0


DRAW = [Lcg()]


def draw_tensor(t):
    shape, dt = t.shape, getattr(torch, t.dtype)
    n = 1
    for s in shape:
        n *= s
    g = DRAW[0]
    if dt.is_floating_point or dt.is_complex:
        vals = [(g.u() + g.u() + g.u() - 1.5) * 2 for _ in range(n)]
        return torch.tensor(vals, dtype=torch.float64).to(dt).reshape(shape)
    if dt == torch.bool:
        return torch.tensor([math.floor(g.u() * 2) for _ in range(n)], dtype=torch.int64).to(torch.bool).reshape(shape)
    vals = [t.low + math.floor(g.u() * (t.high - t.low)) for _ in range(n)]
    return torch.tensor(vals, dtype=torch.int64).to(dt).reshape(shape)


def recording_make(self):
    if self.device == 'meta':
        t = torch.empty(self.shape, dtype=getattr(torch, self.dtype), device='meta')
    else:
        t = draw_tensor(self)
        if hasattr(self, 'post'):  # cases_webgpu.Pos: |x| + 0.5
            t = self.post(t)
    if self.requires_grad:
        t.requires_grad_(True)
    return t


mc.T.make = recording_make


def num(x, is_float):
    if is_float:
        if math.isnan(x):
            return 'nan'
        if math.isinf(x):
            return 'inf' if x > 0 else '-inf'
        return float('%.9g' % x)
    return int(x)


def encode_values(t):
    t = t.detach()
    flat = t.reshape(-1)
    if t.dtype == torch.bool:
        return [bool(v) for v in flat.tolist()]
    is_float = t.dtype.is_floating_point
    return [num(v, is_float) for v in flat.double().tolist()] if is_float else [int(v) for v in flat.tolist()]


def result(v, with_values):
    if isinstance(v, torch.Tensor):
        out = {'tensor': list(v.shape), 'dtype': str(v.dtype)[len('torch.'):]}
        if with_values and v.device.type != 'meta' and not v.dtype.is_complex:
            values = encode_values(v)
            if len(values) > MAX_VALUES:
                step = len(values) / SAMPLE
                idx = sorted({int(i * step) for i in range(SAMPLE)} | {len(values) - 1})
                out['sample'] = {'at': idx, 'values': [values[i] for i in idx]}
                d = v.detach().double()
                out['sum'] = float(d.sum())
                out['abs_sum'] = float(d.abs().sum())
            else:
                out['values'] = values
        if v.requires_grad:
            out['requires_grad'] = True
        return out
    if isinstance(v, torch.Size):
        return {'size': list(v)}
    if isinstance(v, tuple):
        return {'tuple': [result(x, with_values) for x in v]}
    if isinstance(v, list):
        return {'list': [result(x, with_values) for x in v]}
    if isinstance(v, (torch.dtype, torch.device)):
        return {'repr': repr(v)}
    if isinstance(v, float):
        return {'float': v if math.isfinite(v) else repr(v)}
    if v is None or isinstance(v, (bool, int, str)):
        return v
    return {'repr': repr(v)}


def run(c, case_id):
    torch.manual_seed(0)
    DRAW[0] = Lcg()
    args = mc.materialize(c['args'])
    kwargs = {k: mc.materialize(v) for k, v in c['kwargs'].items()}
    with_values = not any(r in c['call'] for r in RANDOM) and not c.get('no_values', False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            out = mc.call(c['call'], list(args), kwargs)
        expect = {'result': result(out, with_values)}
    except Exception as e:  # noqa: BLE001 - recording what torch raised is the point
        expect = {'error': {'type': type(e).__name__, 'message': str(e)}}
    entry = {
        'id': case_id,
        'group': c['group'],
        'call': c['call'],
        'args': [mc.enc(a) for a in c['args']],
        'kwargs': {k: mc.enc(v) for k, v in c['kwargs'].items()},
        'expect': expect,
    }
    if c.get('needs_values'):
        entry['needs_values'] = True
    return entry


def main():
    from cases_webgpu import define_webgpu_cases
    cases = []
    group_name = ['']

    def case(call, *args, no_values=False, **kwargs):
        cases.append({'group': group_name[0], 'call': call, 'args': args, 'kwargs': kwargs, 'no_values': no_values})

    def group(name):
        group_name[0] = name

    define_webgpu_cases(case, group, mc.T, mc.Py)
    counts = {}
    done = []
    for c in cases:
        n = counts.get(c['group'], 0)
        counts[c['group']] = n + 1
        done.append(run(c, f"{c['group']}/{n}"))
    with open(os.path.join(HERE, 'cases.json'), 'w') as f:
        f.write('{"torch": %s, "cases": [\n' % json.dumps(torch.__version__))
        f.write(',\n'.join(json.dumps(d, separators=(',', ':')) for d in done))
        f.write('\n]}\n')
    print(f'{len(done)} cases -> cases.json')


if __name__ == '__main__':
    main()
