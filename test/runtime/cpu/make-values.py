#!/usr/bin/python3
"""Expected values for the cpu run of test/runtime/ops/cases.json, answered by real PyTorch 1.13.

Run:  /usr/bin/python3 test/runtime/cpu/make-values.py   (writes values.json next to this file)

cases.json was recorded with inputs drawn from torch's RNG (randn/randint after manual_seed(0)).
The cpu suite must not depend on an implementation of that RNG, so this script replays every
case of make-cases.py with inputs from a tiny deterministic generator that the TypeScript suite
reimplements bit for bit (`lcgValues` in values-harness.ts):

    state = 12345 at the start of each case, then per element:
      state = (state * 1664525 + 1013904223) mod 2**32;  u = (state >> 8) / 2**24     (exact)
    floats:  x = (u1 + u2 + u3 - 1.5) * 2     (three draws; mean 0, std 1, range (-3, 3)),
             rounded to the tensor's dtype
    ints:    low + floor(u * (high - low));   bools: floor(u * 2)

Tensors are drawn in argument order (args, then kwargs in order, recursing into tuples/lists),
exactly as the harness decodes them. For each case it records what torch returned with those
inputs: the result structure of make-cases.py (shapes, dtypes, Python values or the exception)
plus, for every tensor, `sum` and `abs_sum` (float64) and its first values (`values`, up to
VALUES_LIMIT, float64 little-endian base64). A case whose output changes with the global seed
(torch.randn, dropout in training mode, normal_, ...) is marked `random`: only its structure
can be compared without torch's generator.
"""
import base64
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
_spec = importlib.util.spec_from_file_location('make_cases', os.path.join(OPS, 'make-cases.py'))
mc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mc)

VALUES_LIMIT = 128


class Lcg:
    def __init__(self):
        self.state = 12345

    def u(self):
        self.state = (self.state * 1664525 + 1013904223) & 0xFFFFFFFF
        return (self.state >> 8) / 16777216.0

    def normal(self):
        a = self.u()
        b = self.u()
        c = self.u()
        return (a + b + c - 1.5) * 2


GEN = [Lcg()]


def make(self):
    """Replaces T.make: deterministic values instead of torch's RNG."""
    dt = getattr(torch, self.dtype)
    n = 1
    for s in self.shape:
        n *= s
    g = GEN[0]
    if self.device == 'meta':
        t = torch.empty(self.shape, dtype=dt, device='meta')
    elif dt.is_floating_point or dt.is_complex:
        vals = [g.normal() for _ in range(n)]
        t = torch.tensor(vals, dtype=torch.float64).to(dt).reshape(self.shape)
    elif dt == torch.bool:
        vals = [math.floor(g.u() * 2) for _ in range(n)]
        t = torch.tensor(vals, dtype=torch.int64).to(torch.bool).reshape(self.shape)
    else:
        vals = [self.low + math.floor(g.u() * (self.high - self.low)) for _ in range(n)]
        t = torch.tensor(vals, dtype=torch.int64).to(dt).reshape(self.shape)
    if self.requires_grad:
        t.requires_grad_(True)
    return t


mc.T.make = make


def finite(x):
    return x if math.isfinite(x) else repr(x)


def values_of(t):
    flat = t.detach().reshape(-1)
    if t.dtype.is_complex:
        return {}
    d = flat.double()
    out = {'sum': finite(float(d.sum())), 'abs_sum': finite(float(d.abs().sum()))}
    first = d[:VALUES_LIMIT].contiguous()
    out['values'] = base64.b64encode(first.numpy().astype('<f8').tobytes()).decode('ascii')
    return out


def result(v):
    """make-cases.py's result() with values for every tensor."""
    if isinstance(v, torch.Tensor):
        out = {'tensor': list(v.shape), 'dtype': str(v.dtype)[len('torch.'):]}
        if v.device.type != 'meta' and v.numel() > 0:
            out.update(values_of(v))
        if v.requires_grad:
            out['requires_grad'] = True
        return out
    if isinstance(v, torch.Size):
        return {'size': list(v)}
    if isinstance(v, tuple):
        return {'tuple': [result(x) for x in v]}
    if isinstance(v, list):
        return {'list': [result(x) for x in v]}
    if isinstance(v, (torch.dtype, torch.device)):
        return {'repr': repr(v)}
    if isinstance(v, float):
        return {'float': finite(v)}
    if v is None or isinstance(v, (bool, int, str)):
        return v
    return {'repr': repr(v)}


def outcome(c, seed):
    GEN[0] = Lcg()
    torch.manual_seed(seed)
    args = mc.materialize(c['args'])
    kwargs = {k: mc.materialize(v) for k, v in c['kwargs'].items()}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            out = mc.call(c['call'], list(args), kwargs)
        expect = {'result': result(out)}
    except Exception as e:  # noqa: BLE001 - recording what torch raised is the point
        expect = {'error': {'type': type(e).__name__, 'message': str(e)}}
    return expect


def main():
    counts = {}
    entries = []
    for c in mc.CASES:
        index = counts.get(c['group'], 0)
        counts[c['group']] = index + 1
        expect = outcome(c, 0)
        entry = {'id': f"{c['group']}/{index}", 'call': c['call'], 'expect': expect}
        if 'empty' in c['call']:
            entry['random'] = True  # uninitialised memory
        elif json.dumps(outcome(c, 1)) != json.dumps(expect):
            entry['random'] = True
        entries.append(entry)
    with open(os.path.join(HERE, 'values.json'), 'w') as f:
        f.write('{"torch": %s, "values_limit": %d, "cases": [\n' % (json.dumps(torch.__version__), VALUES_LIMIT))
        f.write(',\n'.join(json.dumps(e, separators=(',', ':')) for e in entries))
        f.write('\n]}\n')
    print(f"{len(entries)} cases ({sum(1 for e in entries if e.get('random'))} random) -> values.json")


if __name__ == '__main__':
    main()
