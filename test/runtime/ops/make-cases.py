#!/usr/bin/python3
"""Conformance cases for the runtime's tensor ops, answered by real PyTorch 1.13.

Run:  /usr/bin/python3 test/runtime/ops/make-cases.py   (writes cases.json next to this file)

Each case is a call (`torch.cat`, `F.conv2d`, `Tensor.view`, `op:+`, `getitem`, ...) with
arguments; tensors are described by shape and dtype (`T(1, 3, 32, 32)`). The script runs the
call on CPU tensors and records what torch returned (shapes, dtypes, Python values) or raised
(exception type and exact message). The TypeScript suite replays every case on the `meta`
device and compares. Inputs are drawn in argument order after `torch.manual_seed(0)`
(floats: randn, ints: randint(low, high), bools: randint(0, 2)), and float outputs record a sum
and their first values, so the value tier (issue 3) can replay the same cases on cpu/webgpu.
"""
import json
import math
import os
import warnings

import torch
import torch.nn.functional as F

warnings.filterwarnings('ignore')
torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))


class T:
    """A tensor input: shape, dtype and, for integer tensors, the range of its values."""

    def __init__(self, *shape, dtype='float32', low=0, high=10, requires_grad=False, device='cpu'):
        if len(shape) == 1 and isinstance(shape[0], tuple):  # T(()) is a 0-dim tensor
            shape = shape[0]
        self.shape, self.dtype, self.low, self.high = list(shape), dtype, low, high
        self.requires_grad, self.device = requires_grad, device

    def make(self):
        dt = getattr(torch, self.dtype)
        if self.device == 'meta':
            t = torch.empty(self.shape, dtype=dt, device='meta')
        elif dt.is_floating_point or dt.is_complex:
            t = torch.randn(self.shape, dtype=dt)
        elif dt == torch.bool:
            t = torch.randint(0, 2, self.shape).bool()
        else:
            t = torch.randint(self.low, self.high, self.shape, dtype=dt)
        if self.requires_grad:
            t.requires_grad_(True)
        return t

    def encode(self):
        out = {'tensor': self.shape, 'dtype': self.dtype}
        if not (getattr(torch, self.dtype).is_floating_point or self.dtype == 'bool'):
            out['low'], out['high'] = self.low, self.high
        if self.requires_grad:
            out['requires_grad'] = True
        return out


class Py:
    """A Python value that JSON cannot say: Ellipsis, a slice, a dtype, a device."""

    def __init__(self, value):
        self.value = value


CASES = []
GROUP = ['']


def group(name):
    GROUP[0] = name


def case(call, *args, needs_values=False, on_meta=False, **kwargs):
    """needs_values: the answer's shape depends on values (the shape tier must say so).
    on_meta: CPU's answer depends on values (an out-of-range index, a device); the shape tier must
    answer what torch's own `meta` device answers, recorded as `meta_expect`."""
    CASES.append({'group': GROUP[0], 'call': call, 'args': args, 'kwargs': kwargs,
                  'needs_values': needs_values, 'on_meta': on_meta})


# ---------------------------------------------------------------------------------- encoding

def enc(v):
    if isinstance(v, T):
        return v.encode()
    if isinstance(v, Py):
        return enc(v.value)
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return {'float': v if math.isfinite(v) else repr(v)}
    if isinstance(v, torch.Size):
        return {'size': list(v)}
    if isinstance(v, tuple):
        return {'tuple': [enc(x) for x in v]}
    if isinstance(v, list):
        return {'list': [enc(x) for x in v]}
    if v is Ellipsis:
        return {'ellipsis': True}
    if isinstance(v, slice):
        return {'slice': [enc(v.start), enc(v.stop), enc(v.step)]}
    if isinstance(v, torch.dtype):
        return {'dtype': str(v)[len('torch.'):]}
    if isinstance(v, torch.device):
        return {'device': str(v)}
    raise TypeError(f'cannot encode {v!r}')


def materialize(v):
    if isinstance(v, T):
        return v.make()
    if isinstance(v, Py):
        return v.value
    if isinstance(v, tuple) and not isinstance(v, torch.Size):
        return tuple(materialize(x) for x in v)
    if isinstance(v, list):
        return [materialize(x) for x in v]
    return v


def finite(x):
    """JSON has no NaN/inf: non-finite floats are written as 'nan', 'inf', '-inf'."""
    return x if not isinstance(x, float) or math.isfinite(x) else repr(x)


def first_values(t, n=4):
    flat = t.detach().reshape(-1)[:n]
    return [finite(float(x)) if t.dtype.is_floating_point else int(x) for x in flat.tolist()]


def result(v):
    if isinstance(v, torch.Tensor):
        out = {'tensor': list(v.shape), 'dtype': str(v.dtype)[len('torch.'):]}
        if v.device.type != 'meta' and not v.dtype.is_complex and v.numel() > 0:
            out['sum'] = finite(float(v.detach().double().sum())) if v.dtype != torch.bool else int(v.sum())
            out['first'] = first_values(v) if v.dtype != torch.bool else [bool(x) for x in v.reshape(-1)[:4].tolist()]
        if v.requires_grad:
            out['requires_grad'] = True
        return out
    if isinstance(v, torch.Size):
        return {'size': list(v)}
    if isinstance(v, tuple):  # also torch.return_types named tuples
        return {'tuple': [result(x) for x in v]}
    if isinstance(v, list):
        return {'list': [result(x) for x in v]}
    if isinstance(v, (torch.dtype, torch.device)):
        return {'repr': repr(v)}
    if isinstance(v, float):
        return {'float': v if math.isfinite(v) else repr(v)}
    if v is None or isinstance(v, (bool, int, str)):
        return v
    return {'repr': repr(v)}


def call(spec, args, kwargs):
    name = spec
    if name.startswith('torch.'):
        return getattr(torch, name[6:])(*args, **kwargs)
    if name.startswith('F.'):
        return getattr(F, name[2:])(*args, **kwargs)
    if name.startswith('Tensor.'):
        return getattr(args[0], name[7:])(*args[1:], **kwargs)
    if name.startswith('attr:'):
        return getattr(args[0], name[5:])
    if name.startswith('op:'):
        a, b = args
        return eval(f'a {name[3:]} b')  # noqa: S307 - fixed operator text from this file
    if name.startswith('iop:'):
        a, b = args
        ns = {'a': a, 'b': b}
        exec(f'a {name[4:]}= b', ns)  # noqa: S102
        return ns['a']
    if name.startswith('cmp:'):
        a, b = args
        return eval(f'a {name[4:]} b')  # noqa: S307
    if name.startswith('unary:'):
        return eval(f'{name[6:]}a', {'a': args[0]})  # noqa: S307
    if name == 'getitem':
        return args[0][args[1]]
    if name == 'setitem':
        args[0][args[1]] = args[2]
        return args[0]
    if name == 'len':
        return len(args[0])
    if name == 'iter':
        return list(args[0])
    if name == 'repr':
        return repr(args[0])
    if name in ('bool', 'float', 'int'):
        return {'bool': bool, 'float': float, 'int': int}[name](args[0])
    raise ValueError(name)


def to_meta(v):
    if isinstance(v, torch.Tensor):
        return v.to('meta').requires_grad_(v.requires_grad)
    if isinstance(v, tuple) and not isinstance(v, torch.Size):
        return tuple(to_meta(x) for x in v)
    if isinstance(v, list):
        return [to_meta(x) for x in v]
    return v


def outcome(c, args, kwargs):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            return {'result': result(call(c['call'], list(args), kwargs))}
    except Exception as e:  # noqa: BLE001
        return {'error': {'type': type(e).__name__, 'message': str(e)}}


def run(c):
    torch.manual_seed(0)
    args = materialize(c['args'])
    kwargs = {k: materialize(v) for k, v in c['kwargs'].items()}
    meta_expect = outcome(c, to_meta(args), to_meta(kwargs)) if c['on_meta'] else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            out = call(c['call'], list(args), kwargs)
        expect = {'result': result(out)}
        if 'empty' in c['call']:  # uninitialised memory: no values to record
            expect['result'].pop('sum', None)
            expect['result'].pop('first', None)
    except Exception as e:  # noqa: BLE001 - recording what torch raised is the point
        expect = {'error': {'type': type(e).__name__, 'message': str(e)}}
    entry = {
        'id': f"{c['group']}/{len([x for x in DONE if x['group'] == c['group']])}",
        'group': c['group'],
        'call': c['call'],
        'args': [enc(a) for a in c['args']],
        'kwargs': {k: enc(v) for k, v in c['kwargs'].items()},
        'expect': expect,
    }
    if c['needs_values']:
        entry['meta'] = 'needs_values'
    if meta_expect is not None:
        entry['meta_expect'] = meta_expect
    return entry


DONE = []

# =================================================================================== the cases
from cases_shapes import define_shape_cases  # noqa: E402
from cases_nn import define_nn_cases  # noqa: E402
from cases_extra import define_extra_cases  # noqa: E402

define_shape_cases(case, group, T, Py)
define_nn_cases(case, group, T, Py)
define_extra_cases(case, group, T, Py)

if __name__ == '__main__':
    for c in CASES:
        DONE.append(run(c))
    # One case per line, so a regenerated file diffs case by case.
    with open(os.path.join(HERE, 'cases.json'), 'w') as f:
        f.write('{"torch": %s, "cases": [\n' % json.dumps(torch.__version__))
        f.write(',\n'.join(json.dumps(d, separators=(',', ':')) for d in DONE))
        f.write('\n]}\n')
    errors = sum(1 for d in DONE if 'error' in d['expect'])
    print(f'{len(DONE)} cases ({errors} errors) -> cases.json')
