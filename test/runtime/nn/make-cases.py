#!/usr/bin/python3
"""Truth table for the nn layer tests, produced by real PyTorch 1.13.

    /usr/bin/python3 test/runtime/nn/make-cases.py      # writes cases.json next to this file

For every constructor case: repr (1.13 and emulated 2.x, as ../shared/corpus/oracle.py does),
named_parameters, named_buffers, state_dict keys, the instance __dict__ (minus Module's own
bookkeeping), or the constructor's error. Forward cases add inputs and the output ShapeStruct
(or the error). Scenarios record what Module semantics produce for scripted sequences that the
tests replay in TypeScript. Deterministic: torch.manual_seed(0) before each case.

Values are encoded so that JSON keeps Python's distinctions:
    int -> 3      float -> {"float": 3.0}      bool -> true      None -> null     str -> "s"
    tuple -> {"tuple": [...]}   list -> {"list": [...]}   dict -> {"dict": [[k, v], ...]}
    OrderedDict -> {"odict": [[k, v], ...]}   torch.dtype -> {"dtype": "float64"}
    tensor -> {"tensor": [shape], "dtype": "float32"}   Parameter -> {"param": [shape], "dtype": ...}
    a module built from a spec -> {"module": [cls, args, kwargs]}   F.<name> -> {"F": "relu"}
"""
import collections
import json
import sys
import math
import os
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.simplefilter("ignore")
# Set reprs in messages (`{'same', 'valid'}`) follow string hashing: fix the seed so reruns match.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)
HERE = os.path.dirname(os.path.abspath(__file__))


# ----------------------------------------------------------------------------- encoding
def enc(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return {"float": v if math.isfinite(v) else repr(v)}
    if isinstance(v, tuple):
        return {"tuple": [enc(x) for x in v]}
    if isinstance(v, list):
        return {"list": [enc(x) for x in v]}
    if isinstance(v, collections.OrderedDict):
        return {"odict": [[enc(k), enc(x)] for k, x in v.items()]}
    if isinstance(v, dict):
        return {"dict": [[enc(k), enc(x)] for k, x in v.items()]}
    if isinstance(v, torch.dtype):
        return {"dtype": str(v).replace("torch.", "")}
    if isinstance(v, nn.Parameter):
        return {"param": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")}
    if isinstance(v, torch.Tensor):
        return {"tensor": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")}
    if isinstance(v, nn.Module):
        return {"module_repr": repr(v)}
    if callable(v) and getattr(F, getattr(v, "__name__", ""), None) is v:
        return {"F": v.__name__}
    return {"unencodable": type(v).__name__}


def dec(v):
    """Inverse of enc for specs written in this file (modules as specs)."""
    if isinstance(v, list):
        return [dec(x) for x in v]
    if not isinstance(v, dict):
        return v
    if "float" in v:
        return float(v["float"])
    if "tuple" in v:
        return tuple(dec(x) for x in v["tuple"])
    if "list" in v:
        return [dec(x) for x in v["list"]]
    if "dict" in v:
        return {dec(k): dec(x) for k, x in v["dict"]}
    if "odict" in v:
        return collections.OrderedDict((dec(k), dec(x)) for k, x in v["odict"])
    if "dtype" in v and len(v) == 1:
        return getattr(torch, v["dtype"])
    if "tensor" in v:
        return torch.zeros(v["tensor"], dtype=getattr(torch, v.get("dtype", "float32")))
    if "param" in v:
        return nn.Parameter(torch.zeros(v["param"], dtype=getattr(torch, v.get("dtype", "float32"))))
    if "module" in v:
        cls, args, kwargs = v["module"]
        return getattr(nn, cls)(*dec(args), **{k: dec(x) for k, x in kwargs.items()})
    if "F" in v:
        return getattr(F, v["F"])
    raise ValueError(v)


# Python-side spec helpers: write cases with real Python values, encode them for the table.
SPECIAL = {"module", "tensor", "param", "F"}


def is_special(v):
    return isinstance(v, dict) and bool(SPECIAL & set(v))


def spec_arg(v):
    """enc() that keeps module/tensor/function specs as they are (recursively)."""
    if is_special(v):
        return v
    if isinstance(v, tuple) and not isinstance(v, torch.Size):
        return {"tuple": [spec_arg(x) for x in v]}
    if isinstance(v, list):
        return {"list": [spec_arg(x) for x in v]}
    if isinstance(v, collections.OrderedDict):
        return {"odict": [[spec_arg(k), spec_arg(x)] for k, x in v.items()]}
    if isinstance(v, dict):
        return {"dict": [[spec_arg(k), spec_arg(x)] for k, x in v.items()]}
    return enc(v)


def M(cls, *args, **kwargs):
    return {"module": [cls, [spec_arg(a) for a in args], {k: spec_arg(x) for k, x in kwargs.items()}]}


def T(*shape, dtype="float32"):
    return {"tensor": list(shape), "dtype": dtype}


def P(*shape):
    return {"param": list(shape), "dtype": "float32"}


def Fn(name):
    return {"F": name}


# ----------------------------------------------------------------------------- 2.x repr
def _addindent(s_, num_spaces):
    s = s_.split("\n")
    if len(s) == 1:
        return s_
    first = s.pop(0)
    return first + "\n" + "\n".join((num_spaces * " ") + line for line in s)


def _modulelist_repr_v2(self):
    list_of_reprs = [repr(item) for item in self]
    if len(list_of_reprs) == 0:
        return self._get_name() + "()"
    start_end_indices = [[0, 0]]
    repeated_blocks = [list_of_reprs[0]]
    for i, r in enumerate(list_of_reprs[1:], 1):
        if r == repeated_blocks[-1]:
            start_end_indices[-1][1] += 1
            continue
        start_end_indices.append([i, i])
        repeated_blocks.append(r)
    lines = []
    for (start_id, end_id), b in zip(start_end_indices, repeated_blocks):
        local_repr = f"({start_id}): {b}"
        if start_id != end_id:
            local_repr = f"({start_id}-{end_id}): {end_id - start_id + 1} x {b}"
        lines.append(_addindent(local_repr, 2))
    return self._get_name() + "(" + "\n  " + "\n  ".join(lines) + "\n" + ")"


def _upsample_extra_repr_v2(self):
    info = ("scale_factor=" + repr(self.scale_factor)) if self.scale_factor is not None else ("size=" + repr(self.size))
    return info + ", mode=" + repr(self.mode)


def _softplus_extra_repr_v2(self):
    beta, threshold = self.beta, self.threshold
    if type(beta) is int and beta == 1:
        beta = 1.0
    if type(threshold) is int and threshold == 20:
        threshold = 20.0
    return f"beta={beta}, threshold={threshold}"


def repr_torch2(obj):
    saved = (nn.ModuleList.__repr__, nn.Upsample.extra_repr, nn.Softplus.extra_repr)
    nn.ModuleList.__repr__ = _modulelist_repr_v2
    nn.Upsample.extra_repr = _upsample_extra_repr_v2
    nn.Softplus.extra_repr = _softplus_extra_repr_v2
    try:
        return repr(obj)
    finally:
        nn.ModuleList.__repr__, nn.Upsample.extra_repr, nn.Softplus.extra_repr = saved


# ----------------------------------------------------------------------------- recording
MODULE_INTERNALS = {"_parameters", "_buffers", "_non_persistent_buffers_set", "_backward_hooks",
                    "_is_full_backward_hook", "_forward_hooks", "_forward_pre_hooks", "_state_dict_hooks",
                    "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks", "_modules"}


def error_info(e):
    return {"type": type(e).__name__, "message": str(e)}


def module_info(m):
    r1, r2 = repr(m), repr_torch2(m)
    return {
        "repr": r1,
        "repr_torch2": r2 if r2 != r1 else None,
        "parameters": [[n, list(p.shape), str(p.dtype)[6:], p.requires_grad] for n, p in m.named_parameters()],
        "buffers": [[n, list(b.shape), str(b.dtype)[6:]] for n, b in m.named_buffers()],
        "state_dict": list(m.state_dict().keys()),
        "dict": [[k, enc(v)] for k, v in m.__dict__.items() if k not in MODULE_INTERNALS],
        "submodules": [[n, type(s).__name__] for n, s in m.named_modules()][1:],
    }


def shape_struct(v):
    if isinstance(v, torch.Tensor):
        return {"shape": list(v.shape), "dtype": str(v.dtype)[6:]}
    if isinstance(v, tuple):
        return {"tuple": [shape_struct(x) for x in v]}
    if isinstance(v, list):
        return {"list": [shape_struct(x) for x in v]}
    if v is None:
        return None
    return {"value": repr(v)}


def run_case(cls, args=(), kwargs=None, forward=None):
    kwargs = kwargs or {}
    case = {"cls": cls, "args": [spec_arg(a) for a in args], "kwargs": {k: spec_arg(v) for k, v in kwargs.items()}}
    torch.manual_seed(0)
    try:
        m = getattr(nn, cls)(*[dec(a) for a in case["args"]], **{k: dec(v) for k, v in case["kwargs"].items()})
    except Exception as e:  # noqa: BLE001 - the error is the truth being recorded
        case["error"] = error_info(e)
        return case
    case.update(module_info(m))
    if forward:
        case["forward"] = []
        for fw in forward:
            fargs, fkwargs = (fw[:-1], fw[-1]) if fw and isinstance(fw[-1], dict) and not is_special(fw[-1]) else (fw, {})
            entry = {"args": [spec_arg(a) for a in fargs], "kwargs": {k: spec_arg(v) for k, v in fkwargs.items()}}
            try:
                out = m(*[dec(a) for a in entry["args"]], **{k: dec(v) for k, v in entry["kwargs"].items()})
                entry["output"] = shape_struct(out)
            except Exception as e:  # noqa: BLE001
                entry["error"] = error_info(e)
            case["forward"].append(entry)
    return case


# ----------------------------------------------------------------------------- the cases
def C(cls, *args, forward=None, **kwargs):
    return (cls, args, kwargs, forward)


CASES = [
    # linear
    C("Linear", 3, 4, forward=[[T(2, 3)], [T(3)], [T(2, 5)], [T(5, 2, 3)]]),
    C("Linear", 3, 4, bias=False), C("Linear", in_features=5, out_features=2), C("Linear", 3, 4, False),
    C("Linear", 0, 2), C("Linear", True, 2), C("Linear", 3.5, 2), C("Linear", 3, 2.0), C("Linear", None, 2),
    C("Linear", -1, 2), C("Linear", 3, -2), C("Linear", 3, 4, dtype=torch.float64), C("Linear", 3, 4, dtype=torch.int64),
    C("Linear", 3, 2.0, dtype=torch.float64, device="cpu"), C("Linear", 3, 4, dtype="float"),
    C("Linear", 3), C("Linear", 3, 4, foo=1), C("Linear", 3, 4, True, None, None, 5), C("Linear", 2 ** 40, 2 ** 40),
    C("Linear", 3, 4, in_features=3), C("Linear", 2, 2, device="foo"),
    C("Linear", 2, 2, device="meta"), C("Linear", 2, 2, device="cpu"),
    C("Bilinear", 3, 4, 5, forward=[[T(2, 3), T(2, 4)]]), C("Bilinear", 3, 4, 5, bias=False),
    C("Identity"), C("Identity", 3, foo=4, forward=[[T(2, 3)]]),
    # conv
    C("Conv1d", 1, 32, 80, stride=16, forward=[[T(1, 1, 8000)], [T(1, 8000)], [T(2, 2, 100)]]),
    C("Conv1d", 3, 8, 3, padding="same", forward=[[T(2, 3, 10)]]), C("Conv1d", 3, 8, 3, padding="valid"),
    C("Conv1d", 4, 8, 3, groups=2, bias=False, padding_mode="circular", dilation=2, forward=[[T(1, 4, 20)]]),
    C("Conv2d", 1, 6, 5, forward=[[T(1, 1, 32, 32)], [T(1, 32, 32)], [T(1, 784)], [T(1, 3, 32, 32)], [T(1, 1, 3, 3)]]),
    C("Conv2d", 3, 8, (3, 5), stride=(2, 1), padding=(4, 2), forward=[[T(2, 3, 16, 16)]]),
    C("Conv2d", 3, 3, 3, padding="same", groups=3, bias=False, forward=[[T(1, 3, 9, 9)]]),
    C("Conv2d", 32, 32, 3, padding=2, dilation=2, groups=4, padding_mode="reflect", forward=[[T(1, 32, 8, 8)]]),
    C("Conv2d", 4, 8, [3, 3]), C("Conv2d", 4, 8, 3, padding=[1, 2]), C("Conv2d", 4, 8, 3, padding=(0, 0), dilation=(1, 1)),
    C("Conv2d", 4, 8, 4, stride=2, padding=1, bias=False, padding_mode="zeros"),
    C("Conv2d", 3, 8, 3, padding="same", dilation=(1, 2)), C("Conv2d", 3, 8, (2, 3), padding="same", padding_mode="replicate"),
    C("Conv2d", in_channels=3, out_channels=8, kernel_size=3, padding=1),
    C("Conv2d", 3, 8, 3, groups=0), C("Conv2d", 3, 8, 3, groups=2), C("Conv2d", 4, 9, 3, groups=2),
    C("Conv2d", 4, 8, 3, padding="foo"), C("Conv2d", 4, 8, 3, padding="same", stride=2),
    C("Conv2d", 4, 8, 3, padding_mode="zero"), C("Conv2d", 3, 8, 3, groups="a"), C("Conv2d", 3, 8, 2.5),
    C("Conv2d", 3.0, 8, 3), C("Conv2d", 3, 8, (2, 2.5)), C("Conv2d", 3), C("Conv2d", 3, 4, 3, 1, 1, 1, 1, True, "zeros", None, None, 5),
    C("Conv2d", 3, 8, kernel=3),
    C("Conv3d", 2, 4, 3, forward=[[T(1, 2, 5, 6, 7)]]),
    C("Conv3d", 2, 4, (1, 2, 3), stride=2, padding=1, padding_mode="replicate"),
    C("ConvTranspose1d", 4, 2, 3, stride=2, forward=[[T(1, 4, 5)], [T(1, 4, 5), {"output_size": [12]}]]),
    C("ConvTranspose2d", 100, 512, 4, 1, 0, bias=False, forward=[[T(1, 100, 1, 1)]]),
    C("ConvTranspose2d", 64, 32, 2, stride=2, forward=[[T(1, 64, 8, 8)], [T(1, 64, 8, 8), {"output_size": (17, 17)}],
                                                      [T(1, 64, 8, 8), {"output_size": (20, 20)}]]),
    C("ConvTranspose2d", 4, 8, 3, output_padding=1, stride=2, groups=2, dilation=2, forward=[[T(1, 4, 5, 5)]]),
    C("ConvTranspose2d", 4, 8, 3, padding_mode="reflect"), C("ConvTranspose2d", 4, 8, 3, padding="same"),
    C("ConvTranspose3d", 2, 4, 3, stride=(1, 2, 2), padding=1, forward=[[T(1, 2, 3, 4, 4)]]),
    # pooling
    C("MaxPool1d", 4, forward=[[T(1, 32, 100)]]), C("MaxPool1d", 3, stride=2, padding=1, dilation=1, ceil_mode=True),
    C("MaxPool2d", 2, forward=[[T(1, 3, 8, 8)], [T(3, 8, 8)], [T(8, 8)]]), C("MaxPool2d", 3, 2, 1, ceil_mode=True, forward=[[T(1, 3, 7, 7)]]),
    C("MaxPool2d", kernel_size=(2, 2)), C("MaxPool2d", 2, return_indices=True, forward=[[T(1, 3, 8, 8)]]),
    C("MaxPool3d", 2, forward=[[T(1, 2, 4, 4, 4)]]), C("MaxPool3d", (1, 2, 2), stride=(1, 2, 2)),
    C("AvgPool1d", 2, forward=[[T(1, 3, 9)]]), C("AvgPool1d", 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    C("AvgPool2d", 2, forward=[[T(1, 3, 9, 9)]]), C("AvgPool2d", 3, stride=2, padding=1, divisor_override=2),
    C("AvgPool2d", (2, 3), stride=1), C("AvgPool3d", 2, forward=[[T(1, 2, 4, 4, 4)]]),
    C("AdaptiveAvgPool1d", 1, forward=[[T(1, 3, 9)]]), C("AdaptiveAvgPool2d", 1, forward=[[T(1, 3, 9, 9)]]),
    C("AdaptiveAvgPool2d", (1, 1)), C("AdaptiveAvgPool2d", (None, 7), forward=[[T(1, 3, 9, 9)]]),
    C("AdaptiveAvgPool3d", (1, 2, 2), forward=[[T(1, 2, 4, 4, 4)]]),
    C("AdaptiveMaxPool1d", 4), C("AdaptiveMaxPool2d", (2, 2), forward=[[T(1, 3, 9, 9)]]),
    C("AdaptiveMaxPool2d", 3, return_indices=True, forward=[[T(1, 3, 9, 9)]]), C("AdaptiveMaxPool3d", 2),
    C("LPPool1d", 2, 3, forward=[[T(1, 3, 9)]]), C("LPPool2d", 1.5, (2, 2), stride=1, forward=[[T(1, 3, 9, 9)]]),
    C("FractionalMaxPool2d", 3, output_size=(13, 12)), C("FractionalMaxPool2d", 3, output_ratio=(0.5, 0.5)),
    C("FractionalMaxPool2d", 3), C("FractionalMaxPool2d", 3, output_size=4, output_ratio=0.5),
    C("FractionalMaxPool2d", 3, output_ratio=1.5), C("FractionalMaxPool3d", 2, output_size=3),
    C("MaxUnpool1d", 2), C("MaxUnpool2d", 2), C("MaxUnpool2d", (2, 2), stride=2, padding=0), C("MaxUnpool3d", 2, 1),
    # normalization
    C("BatchNorm1d", 32, forward=[[T(4, 32)], [T(4, 32, 10)], [T(4, 16)], [T(32)]]),
    C("BatchNorm1d", 32, eps=1e-3, momentum=0.01), C("BatchNorm1d", 16, affine=False), C("BatchNorm1d", 16, track_running_stats=False),
    C("BatchNorm2d", 16, momentum=None, forward=[[T(2, 16, 4, 4)], [T(16, 4, 4)], [T(2, 8, 4, 4)]]),
    C("BatchNorm2d", 0), C("BatchNorm2d", 4.0), C("BatchNorm2d", 4.0, affine=False), C("BatchNorm2d", 8, 1e-3, 0.2, False, False),
    C("BatchNorm3d", 4, dtype=torch.float64, forward=[[T(2, 4, 3, 3, 3)]]),
    C("InstanceNorm1d", 16, forward=[[T(2, 16, 10)], [T(16, 10)]]), C("InstanceNorm2d", 16, forward=[[T(2, 16, 4, 4)], [T(2, 16)]]),
    C("InstanceNorm2d", 8, affine=True), C("InstanceNorm3d", 8, track_running_stats=True),
    C("LayerNorm", 64, forward=[[T(2, 5, 64)], [T(2, 5, 32)]]), C("LayerNorm", [8, 16, 16], forward=[[T(2, 8, 16, 16)]]),
    C("LayerNorm", (4, 5), eps=1e-6, elementwise_affine=False), C("LayerNorm", 4.0), C("LayerNorm", torch.Size([4, 5])),
    C("GroupNorm", 4, 16, forward=[[T(2, 16, 4, 4)], [T(2, 12, 4, 4)]]), C("GroupNorm", 3, 16), C("GroupNorm", 2, 4, affine=False, eps=1e-3),
    C("LocalResponseNorm", 2, forward=[[T(1, 4, 5, 5)]]), C("LocalResponseNorm", 3, alpha=1e-3, beta=0.5, k=2),
    C("CrossMapLRN2d", 5),
    # dropout
    C("Dropout", forward=[[T(2, 3)]]), C("Dropout", 0.25), C("Dropout", p=0, inplace=True), C("Dropout", 1.5), C("Dropout", -0.1),
    C("Dropout", "a"), C("Dropout", None), C("Dropout", 1), C("Dropout1d", 0.2, forward=[[T(2, 3, 4)]]),
    C("Dropout2d", forward=[[T(2, 3, 4, 4)]]), C("Dropout3d", 0.1), C("AlphaDropout", 0.2), C("FeatureAlphaDropout"),
    # activations
    C("ReLU", forward=[[T(2, 3)]]), C("ReLU", True), C("ReLU6", inplace=True), C("ReLU6"), C("LeakyReLU"),
    C("LeakyReLU", 0.2, True), C("PReLU", forward=[[T(2, 3)]]), C("PReLU", 8, 0.1, forward=[[T(2, 8)], [T(2, 4)]]),
    C("PReLU", num_parameters=3, init=1), C("ELU"), C("ELU", alpha=0.5, inplace=True), C("ELU", 1), C("SELU"), C("SELU", True),
    C("CELU", 2.0), C("CELU"), C("GELU", forward=[[T(2, 3)]]), C("GELU", "tanh"), C("GELU", approximate="none"), C("SiLU"),
    C("SiLU", True), C("Mish"), C("Mish", inplace=True), C("Sigmoid", forward=[[T(2, 3)]]), C("Tanh", forward=[[T(2, 3)]]),
    C("Softmax", forward=[[T(2, 3)]]), C("Softmax", dim=1, forward=[[T(2, 3)], [T(2)]]), C("Softmax", -1),
    C("LogSoftmax", dim=1, forward=[[T(2, 3)]]), C("Softmin", 0), C("Softmin"), C("Softplus", forward=[[T(2, 3)]]),
    C("Softplus", 2, 10), C("Softplus", beta=1.0), C("Softplus", 1, 20.0), C("Softsign"), C("Hardtanh"), C("Hardtanh", -2, 2),
    C("Hardtanh", -2.0, 2.0, True), C("Hardtanh", 1, 0), C("Hardtanh", min_value=-3.0), C("Hardswish"), C("Hardswish", True),
    C("Hardsigmoid", True), C("Hardsigmoid"), C("Hardshrink"), C("Hardshrink", 0.3), C("Softshrink"), C("Softshrink", 1),
    C("Tanhshrink"), C("LogSigmoid"), C("Threshold", 0.1, 20), C("Threshold", 0.1, 20.0, True), C("Threshold", 0.1),
    C("GLU", forward=[[T(2, 4)], [T(2, 3)]]), C("GLU", 1), C("RReLU"), C("RReLU", 0.1, 0.3, True),
    C("Softmax2d", forward=[[T(2, 3, 4, 4)], [T(3, 4, 4)], [T(3, 4)]]),
    # attention
    C("MultiheadAttention", 64, 4, forward=[
        [T(5, 2, 64), T(5, 2, 64), T(5, 2, 64)],
        [T(5, 2, 64), T(7, 2, 32), T(7, 2, 32)], [T(5, 2, 64), T(7, 3, 64), T(7, 3, 64)],
        [T(5, 2, 64), T(7, 2, 64), T(7, 2, 64), {"need_weights": False}],
        [T(5, 2, 64), T(7, 2, 64), T(7, 2, 64), {"average_attn_weights": False}],
        [T(5, 64), T(7, 64), T(7, 64)],
        [T(5, 2, 32), T(5, 2, 32), T(5, 2, 32)],
        [T(5, 2, 64), T(7, 2, 64), T(6, 2, 64)],
        [T(5, 2, 64), T(7, 2, 64), T(7, 2, 64), {"attn_mask": T(5, 7)}],
        [T(5, 2, 64), T(7, 2, 64), T(7, 2, 64), {"attn_mask": T(5, 5)}],
        [T(5, 2, 64), T(7, 2, 64), T(7, 2, 64), {"attn_mask": T(8, 5, 7)}],
        [T(5, 2, 64), T(7, 2, 64), T(7, 2, 64), {"attn_mask": T(2, 5, 7)}],
        [T(5, 2, 64), T(7, 2, 64), T(7, 2, 64), {"key_padding_mask": T(2, 7, dtype="bool")}],
        [T(5, 2, 64), T(7, 2, 64), T(7, 2, 64), {"key_padding_mask": T(2, 6, dtype="bool")}],
        [T(5, 2, 64), T(7, 2, 64), T(7, 2, 64), {"key_padding_mask": T(2, 7, dtype="int64")}],
        [T(5, 2, 64), T(7, 2), T(7, 2, 64)],
        [T(2, 5, 2, 64), T(2, 5, 2, 64), T(2, 5, 2, 64)],
    ]),
    C("MultiheadAttention", 64, 4, dropout=0.1, bias=False),
    C("MultiheadAttention", 64, 4, kdim=32, vdim=16, forward=[[T(5, 2, 64), T(7, 2, 32), T(7, 2, 16)],
                                                             [T(5, 2, 64), T(7, 2, 32), T(6, 2, 16)]]),
    C("MultiheadAttention", 64, 4, add_bias_kv=True, add_zero_attn=True, batch_first=True,
      forward=[[T(2, 5, 64), T(2, 7, 64), T(2, 7, 64)], [T(5, 64), T(7, 64), T(7, 64)],
               [T(2, 5, 64), T(2, 7, 64), T(2, 7, 64), {"attn_mask": T(5, 7)}]]),
    C("MultiheadAttention", 10, 3), C("MultiheadAttention", 64, 4, bias=False, kdim=32), C("MultiheadAttention", 64, 4, vdim=64),
    # sparse
    C("Embedding", 10, 3, forward=[[T(2, 5, dtype="int64")], [T(4, dtype="int64")], [T(2, 5)]]),
    C("Embedding", 10, 3, padding_idx=0), C("Embedding", 10, 3, padding_idx=-1),
    C("Embedding", 10, 3, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True, sparse=True), C("Embedding", 10, 3, padding_idx=10),
    C("Embedding", 10, 3, padding_idx=-11), C("Embedding", 10, 3, norm_type=2), C("Embedding", 10, 3, _weight=T(10, 3)),
    C("Embedding", 10, 3, _weight=T(3, 10)), C("Embedding", 3.0, 2),
    C("EmbeddingBag", 10, 3, forward=[[T(2, 4, dtype="int64")]]), C("EmbeddingBag", 10, 3, mode="sum", padding_idx=1),
    C("EmbeddingBag", 10, 3, max_norm=2.0, include_last_offset=True),
    # rnn
    C("LSTM", 32, 128, num_layers=2, batch_first=True, dropout=0.2, forward=[
        [T(2, 24, 32)], [T(24, 32)], [T(2, 24, 16)], [T(2, 24, 32), (T(2, 2, 128), T(2, 2, 128))],
        [T(2, 24, 32), (T(1, 2, 128), T(2, 2, 128))], [T(2, 24, 32), (T(2, 2, 128), T(2, 3, 128))],
        [T(2, 24, 32), (T(2, 128), T(2, 128))], [T(24, 32), (T(2, 128), T(2, 128))], [T(24, 32), (T(2, 2, 128), T(2, 2, 128))],
        [T(2, 2, 24, 32)], [T(2, 24, 32, dtype="float64")]]),
    C("LSTM", 8, 16, 2, bidirectional=True, forward=[[T(5, 3, 8)], [T(5, 8)]]),
    C("LSTM", 10, 20, proj_size=5, forward=[[T(4, 2, 10)], [T(4, 2, 10), (T(1, 2, 5), T(1, 2, 20))],
                                            [T(4, 2, 10), (T(1, 2, 20), T(1, 2, 20))]]),
    C("LSTM", 10, 20, bias=False, proj_size=5, bidirectional=True, forward=[[T(4, 2, 10)]]),
    C("GRU", 10, 20, forward=[[T(4, 2, 10)], [T(4, 10)], [T(4, 2, 10), T(1, 2, 20)], [T(4, 2, 10), T(2, 20)],
                              [T(4, 10), T(1, 20)], [T(4, 10), T(1, 1, 20)], [T(4, 2, 10), T(2, 2, 20)]]),
    C("GRU", 10, 20, 3, False, True, 0.0, True, forward=[[T(2, 4, 10)]]),
    C("RNN", 10, 20, forward=[[T(4, 2, 10)], [T(4, 2, 10), T(1, 2, 20)]]), C("RNN", 10, 20, nonlinearity="relu"),
    C("RNN", 10, 20, 2, nonlinearity="tanh", dropout=0.5), C("RNN", 10, 20, 2, True, True, 0.5, True),
    C("LSTM", 10), C("LSTM", 10, 20, foo=1), C("LSTM", 10, 20, 1, 1, 1, 1, 1, 1, 1, 1, 1), C("LSTM", 10, 20, dropout=2),
    C("LSTM", 10, 20, dropout=True), C("GRU", 10, 20, proj_size=2), C("LSTM", 10, 20, proj_size=20), C("LSTM", 10, 20, proj_size=-1),
    C("RNN", 10, 20, nonlinearity="sigmoid"), C("LSTM", 10, 20, dropout=0.5), C("LSTM", input_size=4, hidden_size=3, num_layers=1),
    C("LSTM", 10, 20, dropout=1), C("RNN", 10, 20, nonlinearity="relu", proj_size=3),
    C("RNNCell", 10, 20, forward=[[T(3, 10)], [T(10)], [T(3, 10), T(3, 20)], [T(3, 2, 10)]]),
    C("RNNCell", 10, 20, False, "relu"),
    C("LSTMCell", 10, 20, forward=[[T(3, 10)], [T(10)], [T(3, 10), (T(3, 20), T(3, 20))]]), C("GRUCell", 10, 20, bias=False, forward=[[T(3, 10)]]),
    # transformer
    C("TransformerEncoderLayer", 64, 4, 128, 0.1, batch_first=True, forward=[[T(2, 10, 64)], [T(10, 64)],
                                                                             [T(2, 10, 64), {"src_key_padding_mask": T(2, 10, dtype="bool")}],
                                                                             [T(2, 10, 64), {"src_mask": T(10, 10)}], [T(2, 10, 32)]]),
    C("TransformerEncoderLayer", d_model=32, nhead=2, activation="gelu", norm_first=True, forward=[[T(10, 2, 32)]]),
    C("TransformerEncoderLayer", 64, 4, activation=M("GELU")), C("TransformerEncoderLayer", 32, 2, activation=Fn("relu")),
    C("TransformerEncoderLayer", 32, 2, activation="tanh"), C("TransformerEncoderLayer", 10, 3),
    C("TransformerDecoderLayer", 32, 4, forward=[[T(5, 2, 32), T(7, 2, 32)]]),
    C("TransformerDecoderLayer", 32, 4, 64, activation="gelu", batch_first=True, norm_first=True, layer_norm_eps=1e-6,
      forward=[[T(2, 5, 32), T(2, 7, 32)]]),
    C("TransformerEncoder", M("TransformerEncoderLayer", 64, 4, 128), 2, forward=[[T(10, 2, 64)], [T(10, 2, 64), {"mask": T(10, 10)}]]),
    C("TransformerEncoder", M("TransformerEncoderLayer", 64, 4, 128, batch_first=True), 3, M("LayerNorm", 64)),
    C("TransformerDecoder", M("TransformerDecoderLayer", 32, 4, 64), 2, M("LayerNorm", 32), forward=[[T(5, 2, 32), T(7, 2, 32)]]),
    C("Transformer", d_model=32, nhead=4, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=64,
      forward=[[T(7, 2, 32), T(5, 2, 32)], [T(7, 2, 32), T(5, 3, 32)], [T(7, 2, 32), T(5, 2, 16)]]),
    # containers
    C("Sequential", M("Linear", 2, 3), M("ReLU"), forward=[[T(4, 2)]]),
    C("Sequential", collections.OrderedDict([("fc", M("Linear", 2, 3)), ("act", M("ReLU"))])), C("Sequential"),
    C("Sequential", 3), C("Sequential", M("Linear", 2, 3), None),
    C("ModuleList", [M("Linear", 2, 2), M("Linear", 2, 2)]), C("ModuleList"),
    C("ModuleList", [M("Linear", 2, 2), M("ReLU"), M("Linear", 2, 2), M("Linear", 2, 2), M("Linear", 2, 3)]),
    C("ModuleList", [M("Sequential", M("Linear", 2, 2), M("ReLU")), M("Sequential", M("Linear", 2, 2), M("ReLU"))]),
    C("ModuleList", 3), C("ModuleList", [3]), C("ModuleList", (M("ReLU"),)),
    C("ModuleDict", {"a": M("Linear", 2, 2), "b": M("ReLU")}), C("ModuleDict", [("x", M("ReLU")), ("y", M("Tanh"))]),
    C("ModuleDict"), C("ModuleDict", {"keys": M("ReLU")}), C("ModuleDict", collections.OrderedDict([("z", M("ReLU")), ("a", M("Tanh"))])),
    C("ModuleDict", [("x", M("ReLU"), 3)]), C("ModuleDict", 3),
    C("ParameterList", [P(2, 3), P(4)]), C("ParameterList"), C("ParameterList", [P(2, 3), T(4)]),
    C("ParameterDict", {"b": P(2, 3), "a": T(4)}), C("ParameterDict", collections.OrderedDict([("b", P(2, 3)), ("a", P(4))])),
    C("ParameterDict"),
    # flatten
    C("Flatten", forward=[[T(2, 3, 4, 5)], [T(2)]]), C("Flatten", 0, 2, forward=[[T(2, 3, 4, 5)]]),
    C("Unflatten", 1, (2, 5), forward=[[T(3, 10)], [T(3, 9)]]), C("Unflatten", 1, [2, 5]), C("Unflatten", 1, (2, 2.0)),
    C("Unflatten", 1.0, (2, 2)), C("Unflatten", "features", (("C", 2), ("H", 3))), C("Unflatten", 1, 2),
    C("Unflatten", "x", (2, 3)),
    # misc
    C("Upsample", scale_factor=2, forward=[[T(1, 3, 4, 4)]]), C("Upsample", size=(40, 40), forward=[[T(1, 3, 4, 4)]]),
    C("Upsample", scale_factor=(2, 3), mode="bilinear", align_corners=True, forward=[[T(1, 3, 4, 4)]]),
    C("Upsample", size=10, mode="linear", forward=[[T(1, 3, 4)]]), C("Upsample", scale_factor=1.5, mode="bicubic"),
    C("Upsample", scale_factor=0), C("Upsample", size=[8, 8]), C("Upsample"),
    C("UpsamplingNearest2d", scale_factor=2, forward=[[T(1, 3, 4, 4)]]), C("UpsamplingBilinear2d", size=(8, 8)),
    C("PixelShuffle", 2, forward=[[T(1, 8, 3, 3)], [T(1, 7, 3, 3)]]), C("PixelUnshuffle", 3, forward=[[T(1, 2, 6, 6)]]),
    C("ChannelShuffle", 2),
    C("ZeroPad2d", 2, forward=[[T(1, 3, 4, 4)]]), C("ZeroPad2d", (1, 2, 3, 4)), C("ConstantPad1d", 2, 3.5, forward=[[T(1, 3, 4)]]),
    C("ConstantPad2d", (1, 1, 2, 0), 0), C("ConstantPad3d", 1, 1), C("ReflectionPad1d", 2, forward=[[T(1, 3, 4)]]),
    C("ReflectionPad2d", (1, 1, 2, 0), forward=[[T(1, 3, 4, 4)]]), C("ReflectionPad3d", 1), C("ReplicationPad1d", (1, 2)),
    C("ReplicationPad2d", 1, forward=[[T(1, 3, 4, 4)]]), C("ReplicationPad3d", (1, 1, 1, 1, 1, 1)),
    C("CosineSimilarity", forward=[[T(2, 5), T(2, 5)]]), C("CosineSimilarity", dim=0, eps=1e-6),
    C("PairwiseDistance", forward=[[T(2, 5), T(2, 5)]]), C("PairwiseDistance", p=1, keepdim=True),
    C("Fold", output_size=(4, 5), kernel_size=(2, 2)), C("Unfold", kernel_size=(2, 3), forward=[[T(1, 3, 4, 5)]]),
    # losses
    C("L1Loss", forward=[[T(3, 5), T(3, 5)]]), C("L1Loss", reduction="sum", forward=[[T(3, 5), T(3, 5)]]), C("L1Loss", size_average=False),
    C("L1Loss", reduce=False, forward=[[T(3, 5), T(3, 5)]]), C("MSELoss", forward=[[T(3, 5), T(3, 5)]]),
    C("CrossEntropyLoss", forward=[[T(3, 5), T(3, dtype="int64")], [T(3, 5), T(3, 5)], [T(3, 5, 4), T(3, 4, dtype="int64")]]),
    C("CrossEntropyLoss", weight=T(5), ignore_index=0, label_smoothing=0.1, reduction="none"),
    C("NLLLoss", forward=[[T(3, 5), T(3, dtype="int64")]]), C("NLLLoss", weight=T(5)), C("NLLLoss2d"),
    C("BCELoss", forward=[[T(3, 5), T(3, 5)]]), C("BCEWithLogitsLoss", pos_weight=T(5), forward=[[T(3, 5), T(3, 5)]]),
    C("BCEWithLogitsLoss"), C("SmoothL1Loss", beta=0.5), C("HuberLoss", delta=2.0), C("KLDivLoss", reduction="batchmean", log_target=True),
    C("SoftMarginLoss"), C("MultiLabelSoftMarginLoss"), C("CosineEmbeddingLoss", margin=0.5), C("MarginRankingLoss"),
    C("HingeEmbeddingLoss"), C("MultiMarginLoss", p=2), C("MultiMarginLoss", p=3), C("TripletMarginLoss", margin=2.0),
    C("TripletMarginWithDistanceLoss"), C("PoissonNLLLoss"), C("GaussianNLLLoss"), C("CTCLoss", blank=1), C("MultiLabelMarginLoss"),
    C("GaussianNLLLoss", 1),
]


# ----------------------------------------------------------------------------- scenarios
def scenario_reassign():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Parameter(torch.zeros(2))
            self.b = nn.Linear(2, 2)
            self.register_buffer("c", torch.zeros(3))
            self.g = 7
            self.g = nn.Linear(3, 3)        # plain attribute replaced by a module: leaves __dict__
            self.b = nn.Parameter(torch.zeros(5))  # module replaced by a parameter: moves to _parameters (end)
            self.h = nn.ReLU()
            self.h = None                   # module set to None: stays registered as None
            self.d = nn.Parameter(torch.zeros(1))
            self.c = torch.ones(4)          # buffer reassigned in place
            self.e = 5
            self.register_buffer("f", torch.zeros(1), persistent=False)
    return Net()


def scenario_shared():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.first = nn.Linear(4, 4)
            self.second = self.first
            self.head = nn.Linear(4, 2)
            self.head.weight = nn.Parameter(torch.zeros(2, 4))
            self.tied = nn.Linear(4, 2, bias=False)
            self.tied.weight = self.head.weight
    return Net()


SCENARIOS = {"reassign": scenario_reassign, "shared": scenario_shared}


def scenario_record(m):
    info = module_info(m)
    info["named_modules"] = [n for n, _ in m.named_modules()]
    info["children"] = [n for n, _ in m.named_children()]
    info["parameters_no_recurse"] = [n for n, _ in m.named_parameters(recurse=False)]
    return info


def apply_order():
    order = []
    m = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Tanh()), nn.Sigmoid())
    m.apply(lambda x: order.append(type(x).__name__))
    return order


def errors_of_module_semantics():
    out = {}

    class NoSuper(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(2, 2)

    class NoSuperParam(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(torch.zeros(1))

    for name, make in [("no_super_module", NoSuper), ("no_super_param", NoSuperParam)]:
        try:
            make()
        except Exception as e:  # noqa: BLE001
            out[name] = error_info(e)
    m = nn.Linear(2, 2)
    for name, fn in [
        ("assign_tensor_to_param", lambda: setattr(m, "weight", torch.zeros(2))),
        ("assign_int_to_param", lambda: setattr(m, "weight", 3)),
        ("assign_module_to_param", lambda: setattr(m, "weight", nn.ReLU())),
        ("assign_int_to_module", lambda: setattr(nn.Sequential(nn.ReLU()), "0", 3)),
        ("assign_double_tensor_to_param", lambda: setattr(m, "weight", torch.zeros(2, dtype=torch.float64))),
        ("register_buffer_dot", lambda: m.register_buffer("a.b", torch.zeros(1))),
        ("register_buffer_exists", lambda: m.register_buffer("in_features", torch.zeros(1))),
        ("register_buffer_int", lambda: m.register_buffer("z", 3)),
        ("register_parameter_tensor", lambda: m.register_parameter("z", torch.zeros(1))),
        ("add_module_int", lambda: m.add_module("z", 3)),
        ("add_module_empty", lambda: m.add_module("", nn.ReLU())),
        ("getattr_missing", lambda: m.nope),
        ("get_submodule_missing", lambda: nn.Sequential(nn.ReLU()).get_submodule("0.x")),
        ("get_submodule_not_module", lambda: m.get_submodule("weight")),
        ("get_parameter_not_param", lambda: m.get_parameter("in_features")),
        ("train_non_bool", lambda: m.train(1)),
        ("to_int_dtype", lambda: m.to(torch.int64)),
        ("seq_index", lambda: nn.Sequential(nn.ReLU())[3]),
        ("modulelist_index", lambda: nn.ModuleList([nn.ReLU()])[-2]),
        ("modulelist_str_index", lambda: nn.ModuleList([nn.ReLU()])["a"]),
        ("moduledict_missing", lambda: nn.ModuleDict({"a": nn.ReLU()})["b"]),
        ("module_forward_missing", lambda: nn.Module()(torch.zeros(1))),
        ("modulelist_call", lambda: nn.ModuleList([nn.ReLU()])(torch.zeros(1))),
        ("parameterlist_call", lambda: nn.ParameterList()(torch.zeros(1))),
        ("seq_insert_range", lambda: nn.Sequential(nn.ReLU()).insert(5, nn.ReLU())),
        ("linear_forward_extra", lambda: nn.Linear(2, 2)(torch.zeros(2), torch.zeros(2))),
        ("linear_forward_missing", lambda: nn.Linear(2, 2)()),
        ("seq_add_int", lambda: nn.Sequential() + 3),
    ]:
        try:
            fn()
            out[name] = None
        except Exception as e:  # noqa: BLE001
            out[name] = error_info(e)
    return out


def container_ops():
    res = {}
    s = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 3), nn.Tanh())
    res["seq_slice"] = repr(s[1:3])
    res["seq_slice_keys"] = list(s[1:3]._modules.keys())
    res["seq_neg"] = repr(s[-1])
    del s[1]
    res["seq_after_del"] = repr(s)
    s.insert(1, nn.Sigmoid())
    res["seq_after_insert"] = repr(s)
    s.append(nn.Softmax(dim=1))
    s.extend([nn.ReLU()])
    res["seq_after_append"] = repr(s)
    s[0] = nn.Linear(1, 5)
    res["seq_after_setitem"] = repr(s)
    res["seq_len"] = len(s)
    res["seq_pop"] = repr(s.pop(2))
    res["seq_after_pop"] = repr(s)
    res["seq_add"] = repr(nn.Sequential(nn.ReLU()) + nn.Sequential(nn.Tanh()))
    res["seq_mul"] = repr(nn.Sequential(nn.ReLU(), nn.Tanh()) * 2)
    del s[0:2]
    res["seq_after_del_slice"] = repr(s)
    ml = nn.ModuleList([nn.Linear(1, 1), nn.ReLU(), nn.Tanh()])
    res["ml_slice"] = repr(ml[::2])
    ml += [nn.Sigmoid()]
    ml.insert(0, nn.Identity())
    res["ml_after_ops"] = repr(ml)
    del ml[1]
    res["ml_after_del"] = repr(ml)
    ml[-1] = nn.GELU()
    res["ml_after_set"] = repr(ml)
    res["ml_add"] = repr(ml[0:1] + ml[1:2])
    res["ml_pop"] = repr(ml.pop(0))
    res["ml_after_pop"] = repr(ml)
    md = nn.ModuleDict({"a": nn.ReLU()})
    md["b"] = nn.Tanh()
    md.update([("c", nn.Sigmoid())])
    md.update({"d": nn.GELU()})
    res["md_keys"] = list(md.keys())
    res["md_pop"] = repr(md.pop("a"))
    res["md_contains"] = ["b" in md, "a" in md]
    res["md_after"] = repr(md)
    del md["b"]
    res["md_after_del"] = repr(md)
    res["md_len"] = len(md)
    pl = nn.ParameterList([nn.Parameter(torch.zeros(2))])
    pl.append(nn.Parameter(torch.zeros(3, 4)))
    pl.extend([torch.zeros(5)])
    res["pl_repr"] = repr(pl)
    res["pl_names"] = [n for n, _ in pl.named_parameters()]
    res["pl_len"] = len(pl)
    pd = nn.ParameterDict()
    pd["x"] = nn.Parameter(torch.zeros(2))
    pd.update({"b": torch.zeros(1), "a": torch.zeros(3)})
    res["pd_repr"] = repr(pd)
    res["pd_keys"] = list(pd.keys())
    return res


def train_eval():
    m = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.Dropout(), nn.BatchNorm1d(1)))
    a = [x.training for x in m.modules()]
    r = m.eval()
    b = [x.training for x in m.modules()]
    m[1].train()
    c = [x.training for x in m.modules()]
    return {"initial": a, "eval": b, "sub_train": c, "eval_returns_self": r is m}


def to_dtype():
    m = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    m.double()
    a = [[n, str(t.dtype)[6:]] for n, t in m.state_dict().items()]
    m.half()
    b = [[n, str(t.dtype)[6:]] for n, t in m.state_dict().items()]
    m.to(torch.float32)
    c = [[n, str(t.dtype)[6:]] for n, t in m.state_dict().items()]
    return {"double": a, "half": b, "to_float": c}


# ----------------------------------------------------------------------------- nn.init and nn.Parameter
INIT_CASES = [
    ("uniform_", [T(3, 4), 1, 0]), ("uniform_", [T(3, 4, dtype="int64")]), ("uniform_", [T(3, 4), "a"]), ("uniform_", []),
    ("uniform_", [T(3, 4)], {"b": 2.5}), ("normal_", [T(3, 4), 0, -1]), ("normal_", [T(3, 4), 0, -1.5]), ("normal_", [T(3, dtype="int64")]),
    ("normal_", [T(3, 4)], {"std": 0.02}), ("uniform_", [None]), ("normal_", [None]), ("zeros_", [None]), ("ones_", [None]),
    ("constant_", [None, 0]), ("constant_", [T(3)]), ("constant_", [T(3), 0.5]), ("zeros_", [T(2, 2)]), ("ones_", [T(2)]),
    ("xavier_uniform_", [None]), ("xavier_uniform_", [T(3)]), ("xavier_normal_", [T(3, 4)]), ("xavier_uniform_", [T(0, 0)]),
    ("xavier_uniform_", [T(3, 4, 5)], {"gain": 2.0}), ("kaiming_normal_", [None]), ("kaiming_normal_", [T(3)]),
    ("kaiming_normal_", [T(3, 4)], {"mode": "fan_avg"}), ("kaiming_normal_", [T(3, 4)], {"nonlinearity": "foo"}),
    ("kaiming_normal_", [T(3, 4)], {"a": "x"}), ("kaiming_normal_", [T(0, 3)]), ("kaiming_normal_", [T(3, 4)], {"mode": "FAN_OUT", "nonlinearity": "relu"}),
    ("kaiming_uniform_", [T(4, 3)], {"a": math.sqrt(5)}), ("kaiming_uniform_", [T(3, 4)], {"mode": 3}), ("kaiming_uniform_", [T(3)]),
    ("eye_", [T(3)]), ("eye_", [None]), ("eye_", [T(3, 4)]), ("dirac_", [T(3, 4)]), ("dirac_", [T(3, 4, 3), 2]), ("dirac_", [T(4, 4, 3), 2]),
    ("orthogonal_", [T(3)]), ("orthogonal_", [T(3, 4)]), ("orthogonal_", [T(0, 4)]), ("sparse_", [T(3)]), ("sparse_", [T(3), 0.5]),
    ("sparse_", [T(3, 4), 0.5]), ("trunc_normal_", [None]), ("trunc_normal_", [T(3, 4)], {"std": 0.02}),
    ("calculate_gain", ["relu"]), ("calculate_gain", ["leaky_relu", True]), ("calculate_gain", ["leaky_relu", 0]),
    ("calculate_gain", ["leaky_relu"]), ("calculate_gain", ["leaky_relu", 0.2]), ("calculate_gain", ["tanh"]),
    ("calculate_gain", ["conv2d"]), ("calculate_gain", ["sigmoid"]), ("calculate_gain", ["selu"]), ("calculate_gain", ["foo"]),
    ("calculate_gain", [3]), ("_calculate_fan_in_and_fan_out", [T(3, 4, 5)]), ("_calculate_fan_in_and_fan_out", [T(3)]),
    ("_calculate_fan_in_and_fan_out", [None]), ("xavier_uniform", [T(3, 4)]), ("kaiming_normal_", [T(3, 4)], {"foo": 1}),
]

PARAMETER_CASES = [
    ([], {}), ([None, False], {}), ([T(2, 3)], {}), ([T(2, dtype="int64")], {}), ([T(2, dtype="int64"), False], {}),
    ([3], {}), ([[1.0]], {}), ([], {"data": T(2), "requires_grad": False}), ([T(2)], {"foo": 1}), ([T(2), True, 3], {}),
    ([T(2, dtype="float64")], {}),
]


def run_call(fn, args, kwargs):
    entry = {"args": [spec_arg(a) for a in args], "kwargs": {k: spec_arg(v) for k, v in kwargs.items()}}
    dargs = [dec(a) for a in entry["args"]]
    try:
        r = fn(*dargs, **{k: dec(v) for k, v in entry["kwargs"].items()})
        entry["result"] = {"returns_first_arg": True} if dargs and r is dargs[0] else enc(r)
    except Exception as e:  # noqa: BLE001
        entry["error"] = error_info(e)
    return entry


def init_cases():
    out = []
    for case in INIT_CASES:
        name, args = case[0], case[1]
        kwargs = case[2] if len(case) > 2 else {}
        out.append({"fn": name, **run_call(getattr(nn.init, name), args, kwargs)})
    return out


def parameter_cases():
    out = []
    for args, kwargs in PARAMETER_CASES:
        entry = run_call(nn.Parameter, args, kwargs)
        if "result" in entry and "param" in entry["result"]:
            p = nn.Parameter(*[dec(spec_arg(a)) for a in args], **{k: dec(spec_arg(v)) for k, v in kwargs.items()})
            entry["result"]["requires_grad"] = p.requires_grad
        out.append(entry)
    return out


# ----------------------------------------------------------------------------- random fills, in order
DRAW_CASES = [
    ("Linear", [4, 3], {}), ("Linear", [4, 3], {"bias": False}), ("Linear", [0, 3], {}), ("Bilinear", [3, 4, 5], {}),
    ("Conv2d", [1, 6, 5], {}), ("Conv1d", [4, 8, 3], {"groups": 2}), ("ConvTranspose2d", [4, 6, 3], {"groups": 2}),
    ("Embedding", [10, 4], {"padding_idx": 2}), ("EmbeddingBag", [10, 4], {}), ("LSTM", [3, 4], {"num_layers": 2}),
    ("GRU", [3, 4], {"bidirectional": True}), ("RNN", [3, 4], {"bias": False}), ("LSTM", [3, 6], {"proj_size": 2}),
    ("LSTMCell", [3, 4], {}), ("MultiheadAttention", [8, 2], {}), ("MultiheadAttention", [8, 2], {"kdim": 4, "vdim": 6, "add_bias_kv": True}),
    ("MultiheadAttention", [8, 2], {"bias": False}), ("TransformerEncoderLayer", [8, 2, 16], {}), ("TransformerDecoderLayer", [8, 2, 16], {}),
    ("TransformerEncoder", [M("TransformerEncoderLayer", 8, 2, 16), 2], {}),
    ("Transformer", [], {"d_model": 8, "nhead": 2, "num_encoder_layers": 1, "num_decoder_layers": 1, "dim_feedforward": 16}),
    ("BatchNorm2d", [3], {}), ("LayerNorm", [3], {}), ("PReLU", [], {}), ("GroupNorm", [2, 4], {}),
]


def draw_cases():
    out = []
    log = []
    originals = {name: getattr(torch.Tensor, name) for name in ("uniform_", "normal_")}

    def recorder(name):
        def fn(self, *args, **kwargs):
            log.append([name, list(self.shape)] + [float(a) for a in args] + [float(v) for v in kwargs.values()])
            return originals[name](self, *args, **kwargs)
        return fn

    for cls, args, kwargs in DRAW_CASES:
        spec = {"cls": cls, "args": [spec_arg(a) for a in args], "kwargs": {k: spec_arg(v) for k, v in kwargs.items()}}
        dargs = [dec(a) for a in spec["args"]]  # modules given as arguments draw before the recording starts
        log.clear()
        for name in originals:
            setattr(torch.Tensor, name, recorder(name))
        try:
            getattr(nn, cls)(*dargs, **{k: dec(v) for k, v in spec["kwargs"].items()})
        finally:
            for name, f in originals.items():
                setattr(torch.Tensor, name, f)
        spec["draws"] = [list(x) for x in log]
        out.append(spec)
    return out


def namespace_names():
    """What `torch.nn` and `torch.nn.modules.<file>` export, and each class's `__module__`."""
    import torch.nn.modules as mods
    files = {}
    for name in sorted(dir(mods)):
        sub = getattr(mods, name)
        if type(sub).__name__ == "module" and hasattr(sub, "__all__"):
            files[name] = sorted(sub.__all__)
    classes = {n: getattr(nn, n).__module__ for n in nn.modules.__all__}
    return {"nn": sorted(nn.modules.__all__), "files": files, "class_modules": classes}


# ----------------------------------------------------------------------------- which submodules a forward calls
CALL_CASES = [
    # (name, module spec, inputs, eval, no_grad)
    ("encoder_layer_train", M("TransformerEncoderLayer", 16, 2, 32, batch_first=True), [T(2, 5, 16)], False, False),
    ("encoder_layer_eval_grad", M("TransformerEncoderLayer", 16, 2, 32, batch_first=True), [T(2, 5, 16)], True, False),
    ("encoder_layer_eval_no_grad", M("TransformerEncoderLayer", 16, 2, 32, batch_first=True), [T(2, 5, 16)], True, True),
    ("encoder_layer_not_batch_first", M("TransformerEncoderLayer", 16, 2, 32), [T(5, 2, 16)], True, True),
    ("encoder_layer_norm_first", M("TransformerEncoderLayer", 16, 2, 32, batch_first=True, norm_first=True), [T(2, 5, 16)], True, True),
    ("encoder_layer_odd_heads", M("TransformerEncoderLayer", 15, 3, 32, batch_first=True), [T(2, 5, 15)], True, True),
    ("encoder_eval_no_grad", M("TransformerEncoder", M("TransformerEncoderLayer", 16, 2, 32, batch_first=True), 2), [T(2, 5, 16)], True, True),
    ("decoder_layer", M("TransformerDecoderLayer", 16, 2, 32), [T(5, 2, 16), T(7, 2, 16)], True, True),
    ("sequential", M("Sequential", M("Linear", 4, 4), M("ReLU"), M("Sequential", M("Linear", 4, 2), M("Tanh"))), [T(3, 4)], False, False),
]


def call_cases():
    out = {}
    for name, spec, inputs, evaluate, no_grad in CALL_CASES:
        torch.manual_seed(0)
        m = dec(spec)
        if evaluate:
            m.eval()
        calls = []
        for path, sub in m.named_modules():
            sub.register_forward_pre_hook(lambda mod, args, path=path: calls.append([path, type(mod).__name__]))
        with torch.set_grad_enabled(not no_grad):
            res = m(*[dec(a) for a in inputs])
        out[name] = {"module": spec, "inputs": inputs, "eval": evaluate, "no_grad": no_grad, "calls": calls, "output": shape_struct(res)}
    return out


def load_state_dict_cases():
    m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    sd = m.state_dict()
    broken = dict(sd)
    broken.pop("0.bias")
    broken["extra"] = torch.zeros(1)
    broken["1.weight"] = torch.zeros(4)
    out = {}
    for name, fn in [
        ("ok", lambda: m.load_state_dict(sd)),
        ("strict", lambda: m.load_state_dict(broken)),
        ("not_strict", lambda: m.load_state_dict({**broken, "1.weight": torch.zeros(3)}, strict=False)),
        ("not_dict", lambda: m.load_state_dict(3)),
        ("not_tensor", lambda: m.load_state_dict({**sd, "0.weight": 3})),
    ]:
        try:
            out[name] = {"repr": repr(fn())}
        except Exception as e:  # noqa: BLE001
            out[name] = {"error": error_info(e)}
    return out


def main():
    cases = [run_case(cls, args, kwargs, forward) for cls, args, kwargs, forward in CASES]
    scen = {name: scenario_record(make()) for name, make in SCENARIOS.items()}
    out = {
        "torch": torch.__version__,
        "cases": cases,
        "scenarios": scen,
        "apply_order": apply_order(),
        "errors": errors_of_module_semantics(),
        "containers": container_ops(),
        "train_eval": train_eval(),
        "to_dtype": to_dtype(),
        "init": init_cases(),
        "parameter": parameter_cases(),
        "draws": draw_cases(),
        "namespace": namespace_names(),
        "calls": call_cases(),
        "load_state_dict": load_state_dict_cases(),
    }
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"{len(cases)} cases written")


if __name__ == "__main__":
    main()
