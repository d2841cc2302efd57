#!/usr/bin/python3
"""Extracts PyTorch 1.13's own call signatures for the functions the runtime implements.

Writes runtime/torch/signatures.generated.ts. Run with Debian's /usr/bin/python3 (the only
Python with torch):  /usr/bin/python3 test/runtime/ops/make-signatures.py

Two kinds of callables exist in torch:
  * builtins parsed by torch's PythonArgParser (torch.cat, Tensor.view, torch._C._nn.linear):
    their signature strings ("cat(TensorList tensors, int64_t dim=0, *, Tensor out=None)") are
    compiled into libtorch_python.so. We read them from there, and find which strings belong to
    which callable (and in which order the parser tries them) by provoking the parser's own
    "expected one of:" error message and matching its lines.
  * Python functions (F.relu, torch.split, Tensor.unflatten): inspect.signature.
The output is deterministic (sorted names, overloads in parser order).
"""
import inspect
import json
import os
import re
import subprocess
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, '..', '..', '..', 'runtime', 'torch', 'signatures.generated.ts'))
LIB = '/usr/lib/x86_64-linux-gnu/libtorch_python.so.1.13.0'

# ----------------------------------------------------------------------------------- what we want

TORCH_FUNCTIONS = """
zeros ones empty full zeros_like ones_like empty_like full_like rand randn randint randn_like rand_like
randint_like randperm arange linspace logspace eye tensor as_tensor scalar_tensor tril triu numel
cat concat stack hstack vstack flatten unflatten reshape transpose swapaxes swapdims permute unsqueeze
squeeze chunk split tensor_split unbind movedim moveaxis narrow flip roll t broadcast_to
broadcast_tensors broadcast_shapes meshgrid repeat_interleave tile gather index_select scatter scatter_add
masked_fill masked_select where nonzero diagonal diag trace einsum tensordot cdist outer ger dot mv mm bmm
matmul addmm addbmm baddbmm addmv kron
abs absolute neg negative exp exp2 expm1 log log2 log10 log1p sqrt rsqrt sin cos tan asin acos atan sinh
cosh tanh asinh acosh atanh sigmoid relu floor ceil round trunc frac sign sgn reciprocal square erf erfc
erfinv logical_not bitwise_not isnan isinf isfinite nan_to_num clamp clip clamp_min clamp_max softmax
log_softmax logit lgamma digamma deg2rad rad2deg signbit
add sub subtract mul multiply div divide true_divide floor_divide remainder fmod pow float_power atan2
maximum minimum fmax fmin eq ne lt le gt ge greater greater_equal less less_equal not_equal
logical_and logical_or logical_xor bitwise_and bitwise_or bitwise_xor bitwise_left_shift
bitwise_right_shift lerp hypot copysign isclose allclose equal addcmul addcdiv dist
sum mean prod max min amax amin argmax argmin var std var_mean std_mean norm logsumexp all any cumsum
cumprod cummax cummin median topk sort argsort count_nonzero nansum nanmean unique
dropout alpha_dropout feature_dropout layer_norm batch_norm group_norm instance_norm conv1d conv2d conv3d
conv_transpose1d conv_transpose2d conv_transpose3d embedding max_pool1d max_pool2d max_pool3d avg_pool1d
adaptive_avg_pool1d adaptive_max_pool1d pixel_shuffle pixel_unshuffle cosine_similarity
pairwise_distance pdist prelu selu celu rrelu hardshrink threshold bilinear constant_pad_nd
is_tensor is_floating_point is_complex is_nonzero manual_seed seed initial_seed
get_default_dtype set_default_dtype is_grad_enabled result_type can_cast promote_types
from_numpy clone detach
""".split()

TENSOR_METHODS = """
view view_as reshape reshape_as expand expand_as repeat contiguous size dim ndimension numel nelement
element_size t permute transpose swapaxes swapdims unsqueeze squeeze flatten unflatten chunk split
tensor_split unbind movedim moveaxis narrow flip roll tril triu diagonal diag trace unfold
float double half bfloat16 long int short bool byte char to type type_as cpu cuda detach detach_ clone
requires_grad_ zero_ fill_ normal_ uniform_ bernoulli_ random_ exponential_ copy_ masked_fill
masked_fill_ index_fill index_fill_ index_add index_add_ index_copy index_copy_ scatter scatter_
scatter_add scatter_add_ gather index_select masked_select where nonzero
new_zeros new_ones new_full new_empty new_tensor item tolist numpy is_contiguous is_floating_point
is_complex stride storage_offset get_device data_ptr retain_grad backward
matmul mm bmm mv dot outer addmm baddbmm
abs neg negative exp exp2 expm1 log log2 log10 log1p sqrt rsqrt sin cos tan asin acos atan sinh cosh tanh
asinh acosh atanh sigmoid relu floor ceil round trunc frac sign sgn reciprocal square erf erfc erfinv
logical_not bitwise_not isnan isinf isfinite nan_to_num clamp clip clamp_min clamp_max softmax
log_softmax logit
abs_ neg_ exp_ log_ sqrt_ sin_ cos_ tanh_ sigmoid_ relu_ floor_ ceil_ round_ clamp_ clip_ reciprocal_
add sub subtract mul multiply div divide true_divide floor_divide remainder fmod pow float_power atan2
maximum minimum fmax fmin eq ne lt le gt ge greater greater_equal less less_equal not_equal
logical_and logical_or logical_xor bitwise_and bitwise_or bitwise_xor lerp hypot addcmul addcdiv dist
add_ sub_ mul_ div_ pow_ floor_divide_ remainder_ lerp_ addcmul_ addcdiv_ eq_ ne_
sum mean prod max min amax amin argmax argmin var std norm logsumexp all any cumsum cumprod cummax
cummin median topk sort argsort count_nonzero nansum nanmean unique
repeat_interleave tile broadcast_to expand roll equal allclose isclose
""".split()

# torch.nn.functional: builtins come from torch / torch._C._nn, the rest are Python functions.
FUNCTIONAL = """
linear bilinear conv1d conv2d conv3d conv_transpose1d conv_transpose2d conv_transpose3d
max_pool1d max_pool2d max_pool3d avg_pool1d avg_pool2d avg_pool3d adaptive_avg_pool1d
adaptive_avg_pool2d adaptive_avg_pool3d adaptive_max_pool1d adaptive_max_pool2d adaptive_max_pool3d
lp_pool1d lp_pool2d max_unpool1d max_unpool2d max_unpool3d
relu relu_ relu6 leaky_relu leaky_relu_ elu elu_ selu selu_ celu celu_ gelu silu mish hardswish
hardsigmoid hardtanh hardtanh_ softplus softsign tanhshrink softshrink hardshrink logsigmoid prelu rrelu
rrelu_ glu threshold threshold_ sigmoid tanh softmax log_softmax softmin gumbel_softmax
dropout dropout1d dropout2d dropout3d alpha_dropout feature_alpha_dropout
batch_norm layer_norm group_norm instance_norm local_response_norm normalize
embedding embedding_bag one_hot pad interpolate upsample upsample_nearest upsample_bilinear
pixel_shuffle pixel_unshuffle channel_shuffle unfold fold grid_sample affine_grid
cross_entropy nll_loss mse_loss l1_loss smooth_l1_loss huber_loss binary_cross_entropy
binary_cross_entropy_with_logits kl_div cosine_embedding_loss margin_ranking_loss hinge_embedding_loss
soft_margin_loss multilabel_soft_margin_loss triplet_margin_loss poisson_nll_loss gaussian_nll_loss
cosine_similarity pairwise_distance pdist multi_head_attention_forward
""".split()

# torch._C._nn builtins that torch.nn.functional's Python code calls.
NN_NATIVE = """
adaptive_avg_pool2d adaptive_avg_pool3d adaptive_max_pool2d adaptive_max_pool3d avg_pool2d avg_pool3d
binary_cross_entropy col2im cross_entropy_loss elu elu_ gelu glu hardsigmoid hardsigmoid_ hardswish hardswish_
hardtanh hardtanh_ huber_loss im2col l1_loss leaky_relu leaky_relu_ linear log_sigmoid max_pool2d_with_indices
max_pool3d_with_indices max_unpool2d max_unpool3d mish mish_ mse_loss multi_margin_loss multilabel_margin_loss
nll_loss nll_loss2d nll_loss_nd one_hot pad reflection_pad1d reflection_pad2d reflection_pad3d relu6 relu6_
replication_pad1d replication_pad2d replication_pad3d rrelu_with_noise silu silu_ smooth_l1_loss soft_margin_loss
softplus softshrink upsample_bicubic2d upsample_bilinear2d upsample_linear1d upsample_nearest1d
upsample_nearest2d upsample_nearest3d upsample_trilinear3d _upsample_nearest_exact1d _upsample_nearest_exact2d
_upsample_nearest_exact3d _pad_circular
""".split()

# torch.* builtins that F's Python code calls (beyond TORCH_FUNCTIONS).
TORCH_INTERNAL = """
relu_ selu_ celu_ rrelu_ threshold_ dropout_ alpha_dropout_ feature_alpha_dropout feature_alpha_dropout_
feature_dropout_ max_pool1d_with_indices embedding_renorm_ embedding_bag grid_sampler affine_grid_generator
kl_div binary_cross_entropy_with_logits cosine_embedding_loss margin_ranking_loss hinge_embedding_loss
triplet_margin_loss poisson_nll_loss channel_shuffle native_channel_shuffle sigmoid_ tanh_ hardshrink
rsub softmax log_softmax logsumexp
""".split()

# F functions defined with boolean_dispatch: their signature is the *_with_indices / private one.
BOOLEAN_DISPATCH = {
    'max_pool1d': '_max_pool1d', 'max_pool2d': '_max_pool2d', 'max_pool3d': '_max_pool3d',
    'adaptive_max_pool1d': '_adaptive_max_pool1d', 'adaptive_max_pool2d': '_adaptive_max_pool2d',
    'adaptive_max_pool3d': '_adaptive_max_pool3d',
}

# Single-overload builtins whose probes cannot tell candidates apart (checked by hand against
# the parser's messages: e.g. torch.tensor accepts names=).
SINGLE_OVERLOAD = {
    'torch.tensor': 'tensor(PyObject* data, *, ScalarType dtype=None, Device? device=None, bool pin_memory=False, bool requires_grad=False, DimnameList? names=None)',
}

# ------------------------------------------------------------------------ the parser's strings

TYPE_NAMES = {
    'Tensor': 'Tensor', 'Scalar': 'Number', 'int64_t': 'int', 'SymInt': 'SymInt', 'double': 'float',
    'complex': 'complex', 'TensorList': 'tuple of Tensors', 'c10::List<c10::optional<Tensor>>': 'tuple of Tensors',
    'IntArrayRef': 'tuple of ints', 'SymIntArrayRef': 'tuple of SymInts', 'ArrayRef<double>': 'tuple of floats',
    'Generator': 'torch.Generator', 'bool': 'bool', 'Storage': 'torch.Storage', 'PyObject*': 'object',
    'ScalarType': 'torch.dtype', 'Layout': 'torch.layout', 'MemoryFormat': 'torch.memory_format',
    'QScheme': 'torch.qscheme', 'Device': 'torch.device', 'Stream': 'torch.Stream', 'std::string': 'str',
    'c10::string_view': 'str', 'Dimname': 'name', 'DimnameList': 'tuple of names', 'ScalarList': 'tuple of Scalars',
}


def split_params(sig):
    body = sig[sig.index('(') + 1:sig.rindex(')')]
    return [p for p in body.split(', ')] if body else []


def display(sig):
    """FunctionSignature::toString(): what the parser prints in 'expected one of'."""
    out, keyword_only, marked = [], False, False
    for p in split_params(sig):
        if p == '*':
            keyword_only = True
            continue
        typ, name = p.split(' ', 1)
        name = name.split('=', 1)[0]
        base = re.sub(r'\[\d*\]', '', typ.rstrip('?'))
        entry = f'{TYPE_NAMES[base]} {name}'
        if keyword_only and not marked:
            entry, marked = '*, ' + entry, True
        out.append(entry)
    return '(' + ', '.join(out) + ')'


def binary_signatures():
    """Signature strings by function name. The linker merges a string that is the tail of another
    ('transpose(...)' inside '_transpose(...)'), so every tail that parses is a candidate."""
    text = subprocess.run(['strings', LIB], capture_output=True, text=True, check=True).stdout
    by_name, full = {}, set()
    for line in text.splitlines():
        if not re.search(r'\)(\|deprecated|\|hidden)?$', line):
            continue
        for start in range(len(line)):
            m = re.match(r'([a-z_0-9]+)\((.*)\)(\|deprecated|\|hidden)?$', line[start:])
            if not m or (start > 0 and not re.match(r'[a-z_0-9]', line[start - 1])):
                if not m:
                    continue
            try:
                display(line[start:].split('|')[0])
            except (KeyError, ValueError):
                continue
            candidates = by_name.setdefault(m.group(1), [])
            if line[start:] not in candidates:
                # Whole strings first: a merged tail is only a fallback.
                if start == 0:
                    candidates.insert(len([c for c in candidates if c in full]), line)
                    full.add(line)
                else:
                    candidates.append(line[start:])
    return by_name


PROBE = object()


def provoke(fn):
    """Calls fn with 20 junk positional arguments (torch truncates messages past 2047 chars): the parser then lists its visible overloads."""
    try:
        fn(*([PROBE] * 20))
    except TypeError as e:
        return str(e)
    except Exception as e:  # noqa: BLE001 - any other failure is reported by the caller
        return f'{type(e).__name__}: {e}'
    return ''


def provoke_type(fn):
    try:
        fn(PROBE)
    except TypeError as e:
        return str(e)
    except Exception as e:  # noqa: BLE001
        return f'{type(e).__name__}: {e}'
    return ''


def native_overloads(name, fn, candidates, is_method):
    msg = provoke(fn)
    m = re.search(r'but expected one of:\n((?: \* .*\n)+)', msg)
    if m:
        shown = [line[3:] for line in m.group(1).splitlines() if line.startswith(' * ')]
        visible = [c for c in candidates if '|' not in c]
        picked = []
        for d in shown:
            match = [c for c in visible if display(c) == d and c not in picked]
            if not match:
                raise SystemExit(f'{name}: no binary signature displays as {d!r}; candidates {visible}')
            picked.append(match[0])
        return {'overloads': picked, 'hidden': 0}
    m = re.search(r'but expected (\(.*\))$', msg)
    if m:  # one visible overload plus hidden (deprecated) ones
        match = [c for c in candidates if '|' not in c and display(c) == m.group(1)]
        if not match:
            raise SystemExit(f'{name}: no signature displays as {m.group(1)!r}')
        return {'overloads': [match[0]], 'hidden': 1}
    m = re.search(r'takes (?:from (\d+) to (\d+)|(\d+)) positional arguments? but', msg)
    varargs = re.match(r"^\w+\(\): argument '(\w+)' \(position 1\) must be tuple of (?:Sym)?[Ii]nts, not object$", msg)
    if varargs:  # a single int-list parameter takes varargs (expand(2, 3)): one positional parameter
        match = [c for c in candidates if '|' not in c and split_params(c)[0].split(' ')[1].split('=')[0] == varargs.group(1)
                 and len([p for p in split_params(c)[:(split_params(c) + ['*']).index('*')]]) == 1]
        return {'overloads': match[:1], 'hidden': 0}
    noargs = re.match(r'^([\w.]+)\(\) takes no arguments \(\d+ given\)$', msg)
    if noargs:  # a METH_NOARGS method: CPython's own message
        return {'noargs': noargs.group(1)}
    if not m:
        # Not parsed by PythonArgParser (a METH_NOARGS/METH_O function): hand-written in the runtime.
        print(f'note {name}: not a PythonArgParser function ({msg!r})', file=sys.stderr)
        return None
    lo, hi = (int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(3)), int(m.group(3)))
    type_msg = provoke_type(fn)
    first = re.search(r"argument '(\w+)' \(position 1\) must be (.*), not object", type_msg)

    def fits(c):
        params = [p for p in split_params(c) if p != '*']
        kw_at = split_params(c).index('*') if '*' in split_params(c) else len(split_params(c))
        positional = split_params(c)[:kw_at]
        required = [p for p in params if '=' not in p]
        if len(positional) != hi or len(required) != lo:
            return False
        if first and positional:
            typ, pname = positional[0].split(' ', 1)
            return pname.split('=')[0] == first.group(1)
        return True
    if name in SINGLE_OVERLOAD:
        return {'overloads': [SINGLE_OVERLOAD[name]], 'hidden': 0}
    match = [c for c in candidates if '|' not in c and fits(c)]
    if len(match) > 1:
        match = match[:1]  # whole strings come first
    if len(match) != 1:
        raise SystemExit(f'{name}: cannot pick the single overload from {candidates} ({msg!r}, {type_msg!r})')
    return {'overloads': match, 'hidden': 0}


def python_signature(fn, qualname, is_method):
    sig = inspect.signature(fn)
    params, kwonly, varargs, varkw = [], [], None, None
    items = list(sig.parameters.values())
    if is_method:
        items = items[1:]  # self
    for p in items:
        entry = {'name': p.name}
        if p.default is not inspect.Parameter.empty:
            entry['default'] = encode_default(p.default)
        if p.kind == p.POSITIONAL_ONLY:
            entry['positionalOnly'] = True
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            params.append(entry)
        elif p.kind == p.KEYWORD_ONLY:
            kwonly.append(entry)
        elif p.kind == p.VAR_POSITIONAL:
            varargs = p.name
        elif p.kind == p.VAR_KEYWORD:
            varkw = p.name
    out = {'qualname': qualname, 'params': params}
    if kwonly:
        out['kwonly'] = kwonly
    if varargs:
        out['varargs'] = varargs
    if varkw:
        out['varkw'] = varkw
    if is_method:
        out['isMethod'] = True
    return out


def encode_default(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return {'float': repr(v)}
    if isinstance(v, tuple):
        return {'tuple': [encode_default(x) for x in v]}
    return {'opaque': repr(v)}


def collect():
    binary = binary_signatures()
    x = torch.zeros(2, 2)
    out = {'torch': {}, 'tensor': {}, 'functional': {}, 'nn': {}}

    def native_or_python(table, name, fn, is_method, qual):
        if fn is None:
            print(f'skip {qual}: missing', file=sys.stderr)
            return
        if inspect.isfunction(fn) or inspect.ismethod(fn):
            target = fn.__func__ if inspect.ismethod(fn) else fn
            table[name] = {'kind': 'python', **python_signature(target, qual, is_method)}
            return
        bound = getattr(x, name) if is_method else fn
        sig_name = getattr(fn, '__name__', name)
        entry = native_overloads(qual, bound, binary.get(sig_name, []), is_method)
        if entry is not None and 'noargs' in entry:
            table[name] = {'kind': 'noargs', 'qualname': entry['noargs']}
        elif entry is not None:
            table[name] = {'kind': 'native', 'name': sig_name, **entry}

    for name in TORCH_FUNCTIONS + [n for n in TORCH_INTERNAL if n not in TORCH_FUNCTIONS]:
        native_or_python(out['torch'], name, getattr(torch, name, None), False, f'torch.{name}')
    for name in NN_NATIVE:
        native_or_python(out['nn'], name, getattr(torch._C._nn, name, None), False, f'torch._C._nn.{name}')
    for name in TENSOR_METHODS:
        fn = getattr(torch.Tensor, name, None)
        if fn is not None and inspect.isfunction(fn):
            out['tensor'][name] = {'kind': 'python', **python_signature(fn, f'Tensor.{name}', True)}
        else:
            native_or_python(out['tensor'], name, fn, True, f'Tensor.{name}')
    for name in FUNCTIONAL:
        if name in BOOLEAN_DISPATCH:
            private = BOOLEAN_DISPATCH[name]
            with_indices = getattr(F, f'{name}_with_indices')
            sig = python_signature(with_indices, private, False)
            out['functional'][name] = {'kind': 'python', **sig}
            continue
        native_or_python(out['functional'], name, getattr(F, name, None), False, name)
    # Python functions report their own __qualname__ in CPython's messages.
    for table in out.values():
        for entry in table.values():
            if entry['kind'] == 'python' and not entry['qualname'].startswith(('Tensor.', '_')):
                entry['qualname'] = entry['qualname'].split('.')[-1]
    return out


def to_ts(value):
    """JSON-ish literal, but floats and tuples become PyFloat / PyTuple constructors."""
    if isinstance(value, dict):
        if set(value) == {'float'}:
            return f'float({value["float"]})'
        if set(value) == {'tuple'}:
            return f'tuple({", ".join(to_ts(v) for v in value["tuple"])})'
        if set(value) == {'opaque'}:
            return f'opaque({json.dumps(value["opaque"])})'
        return '{ ' + ', '.join(f'{k if re.match(r"^[A-Za-z_][A-Za-z_0-9]*$", k) else json.dumps(k)}: {to_ts(v)}' for k, v in value.items()) + ' }'
    if isinstance(value, list):
        return '[' + ', '.join(to_ts(v) for v in value) + ']'
    if value is None:
        return 'null'
    if value is True:
        return 'true'
    if value is False:
        return 'false'
    return json.dumps(value)


def main():
    tables = collect()
    body = []
    for key, export in (('torch', 'torchSignatures'), ('tensor', 'tensorMethodSignatures'), ('nn', 'nnSignatures'), ('functional', 'functionalSignatures')):
        body.append(f'export const {export}: SignatureTable = {{')
        for name in sorted(tables[key]):
            body.append(f'  {name}: {to_ts(tables[key][name])},')
        body.append('};')
        body.append('')
    text = '\n'.join(body)
    python_imports = [n for n in ('float', 'tuple') if f'{n}(' in text]
    table_imports = ['type SignatureTable'] + (['opaque'] if 'opaque(' in text else [])
    lines = [
        '// GENERATED by test/runtime/ops/make-signatures.py from PyTorch 1.13.1 (libtorch_python.so and',
        '// inspect.signature). Do not edit: regenerate. Native entries are PythonArgParser signature',
        '// strings in the order the parser tries them; Python entries are inspect.signature().',
    ]
    if python_imports:
        lines.append(f"import {{ {', '.join(python_imports)} }} from '../python/index.ts';")
    lines.append(f"import {{ {', '.join(table_imports)} }} from './signature-table.ts';")
    lines.append('')
    with open(OUT, 'w') as f:
        f.write('\n'.join(lines) + '\n' + text)
    print(f'wrote {OUT}: ' + ', '.join(f'{k} {len(v)}' for k, v in tables.items()))


if __name__ == '__main__':
    main()
