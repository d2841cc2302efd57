#!/usr/bin/python3
"""repr() of tensors as torch 1.13 prints them, for test/runtime/format/format.test.ts.

    /usr/bin/python3 test/runtime/format/make-cases.py    # writes cases.json next to this file

Each case records the tensor (dtype, shape, values as bit patterns), whether it is a Parameter,
requires_grad, grad_fn's name and device 'meta', plus repr(t). The TS test rebuilds the tensor
and compares the text byte for byte.
"""
import json
import math
import os
import numpy as np
import torch

torch.set_num_threads(1)
cases = []


def encode(t):
    t = t.detach()
    if t.is_meta:
        return None
    t = t.contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        return t.float().numpy().view(np.uint32).reshape(-1).tolist()
    if t.dtype == torch.float32:
        return t.numpy().view(np.uint32).reshape(-1).tolist()
    if t.dtype == torch.float64:
        return [v.hex() for v in t.numpy().reshape(-1).tolist()]
    if t.dtype == torch.complex64:
        return torch.view_as_real(t).numpy().view(np.uint32).reshape(-1).tolist()
    if t.dtype == torch.complex128:
        return [v.hex() for v in torch.view_as_real(t).numpy().reshape(-1).tolist()]
    if t.dtype == torch.bool:
        return [int(v) for v in t.reshape(-1).tolist()]
    return [str(v) for v in t.reshape(-1).tolist()]


def add(name, t):
    grad_fn = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    cases.append({
        "name": name, "dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
        "parameter": isinstance(t, torch.nn.Parameter), "requires_grad": t.requires_grad,
        "grad_fn": grad_fn, "meta": t.is_meta, "values": encode(t), "repr": repr(t),
    })


torch.manual_seed(0)
nan, inf = float("nan"), float("inf")
T = torch.tensor
add("randn(2,3)", torch.randn(2, 3))
add("randn(5)*1000", torch.randn(5) * 1000)
add("randn(4)*1e-5 (tiny -> sci)", torch.randn(4) * 1e-5)
add("mixed magnitude 1e-3..10", T([1e-3, 0.5, 10.0, -2.25]))
add("ratio just over 1000", T([0.01, 10.5]))
add("max over 1e8", T([1.5, 2e8]))
add("ints", T([1, 2, 3]))
add("negative ints", T([-100, 2, 30000]))
add("integral floats", T([1.0, 2.0, -3.0]))
add("integral floats large ratio", T([1.0, 2000.0]))
add("integral floats over 1e8", T([1.0, 3e8]))
add("nan inf", T([nan, 1.5, inf, -inf]))
add("int mode with nan", T([nan, 1.0, 2.0]))
add("int mode with inf", T([inf, -1.0, 20.0]))
add("all nan", T([nan, nan]))
add("all zeros", T([0.0, 0.0]))
add("negative zero", T([-0.0, 1.5]))
add("negative zero int mode", T([-0.0, 1.0]))
add("0-d float", T(3.5))
add("0-d int-valued float", T(3.0))
add("0-d tiny", T(1e-5))
add("0-d negative zero", T(-0.0))
add("0-d nan", T(nan))
add("0-d int", T(7))
add("0-d bool", T(True))
add("0-d float64", T(2.5, dtype=torch.float64))
add("empty", torch.empty(0))
add("empty 0x3", torch.empty(0, 3))
add("empty int64 2x0", torch.empty(2, 0, dtype=torch.int64))
add("empty float64", torch.empty(0, dtype=torch.float64))
add("bool", T([True, False, True]))
add("bool 2d", T([[True, False], [False, False]]))
add("float64", T([1.25, -2.5], dtype=torch.float64))
add("float64 randn(3,4)", torch.randn(3, 4, dtype=torch.float64))
add("int32", T([1, -2], dtype=torch.int32))
add("int8", T([1, -2, 127], dtype=torch.int8))
add("uint8", T([1, 2, 255], dtype=torch.uint8))
add("int16", T([300, -2], dtype=torch.int16))
add("float16", T([0.1, 2.5, -3.0], dtype=torch.float16))
add("bfloat16", T([0.1, 2.5, -3.0], dtype=torch.bfloat16))
add("requires_grad", torch.randn(3, requires_grad=True))
add("grad_fn", torch.randn(2, 2, requires_grad=True) * 2)
add("parameter", torch.nn.Parameter(torch.randn(2, 3)))
add("parameter no grad", torch.nn.Parameter(torch.randn(2), requires_grad=False))
add("parameter float64", torch.nn.Parameter(torch.randn(2, dtype=torch.float64)))
add("nested 3d", torch.randn(2, 3, 4))
add("nested 4d", torch.randn(2, 2, 2, 3))
add("wide rows wrap", torch.randn(3, 20))
add("long vector wrap", torch.randn(30) * 100)
add("summarized 1d", torch.randn(1001))
add("summarized 2d", torch.randn(40, 40))
add("summarized 3d", torch.randn(2, 3, 200))
add("summarized tall", torch.randn(1000, 2))
add("summarized 3d cube", torch.randn(10, 10, 11))
add("summarized int64", torch.arange(1200))
add("summarized int64 2d", torch.arange(2400).reshape(40, 60))
add("summarized bool", torch.rand(1100) > 0.5)
add("arange float", torch.arange(0, 1, 0.1))
add("tie in fixed", T([0.03125, 0.5]))
add("tie in exponent", T([1.03125, 1e5]))
add("tie 2", T([0.00015625 * 2, 0.25]))
add("sci with negatives", T([-1.5e-7, 3.25e3, -2.0]))
add("large values", T([123456.789, -0.5]))
add("huge sci", T([1e30, -1e-30, 5.0]))
add("denormal", T([1e-40, 1.0]))
add("complex", T([1 + 2j, -3.5 - 0.25j]))
add("complex neg zero imag", T([1 - 0j, 2 + 0j]))
add("complex128", T([1.5 + 2j, 0.1 - 1e-5j], dtype=torch.complex128))
add("complex int mode", T([1 + 2j, 3 - 4j]))
add("long suffix wrap", torch.randn(1, 9, dtype=torch.float64, requires_grad=True))
add("long suffix wrap 2", (torch.randn(7, dtype=torch.float64, requires_grad=True) * 3))
add("ones 2x2", torch.ones(2, 2))
add("zeros int", torch.zeros(3, dtype=torch.int64))
add("meta", torch.empty(2, 3, device="meta"))
add("meta int64", torch.empty(4, dtype=torch.int64, device="meta"))
add("meta 1d requires_grad", torch.empty(5, device="meta", requires_grad=True))
add("meta 0-d", torch.empty((), device="meta"))
add("meta parameter", torch.nn.Parameter(torch.empty(3, 2, device="meta")))
add("column vector", torch.randn(5, 1))
add("randn(1,1,4,4)", torch.randn(1, 1, 4, 4))
add("big ints", T([10 ** 12, -5]))
add("small normal", torch.randn(3) * 0.01)
add("1e-4 boundary", T([1e-4, 0.5]))
add("0.0001 below", T([0.99e-4, 0.5]))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json")
json.dump({"torch": torch.__version__, "cases": cases}, open(out, "w"), indent=0)
print("wrote", out, len(cases), "cases")
