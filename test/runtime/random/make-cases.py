#!/usr/bin/python3
"""Random-kernel cases beyond ../shared/rng-vectors: float64/float16/bfloat16 paths, randint,
random_, randperm, bernoulli_, arange/linspace values, and the approximate inits
(trunc_normal_, orthogonal_) plus sparse_. Run with torch 1.13 (Debian python3-torch):

    /usr/bin/python3 test/runtime/random/make-cases.py   # writes test/runtime/random/cases.json

Each case: {name, seed, ops: [[op, args...], ...], dtype, shape, hex} where `hex` is the result's
little-endian bytes. `ops` is what the TS test replays on its own generator; `exact: false` marks
results that are only compared within a tolerance.
"""
import json
import os
import torch

torch.set_num_threads(1)
cases = []


def add(name, seed, ops, fn, exact=True):
    torch.manual_seed(seed)
    t = fn().contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        raw = t.view(torch.int16).numpy().tobytes()
    elif t.dtype == torch.bool:
        raw = t.to(torch.uint8).numpy().tobytes()
    else:
        raw = t.numpy().tobytes()
    state = torch.get_rng_state()
    cases.append({"name": name, "seed": seed, "ops": ops, "dtype": str(t.dtype).replace("torch.", ""),
                  "shape": list(t.shape), "hex": raw.hex(), "exact": exact})


E = torch.empty
f64, f16, bf16 = torch.float64, torch.float16, torch.bfloat16

add("float64 normal_(0.3,0.7) x10 (scalar path)", 0, [["normal", "float64", 10, 0.3, 0.7]], lambda: E(10, dtype=f64).normal_(0.3, 0.7))
add("float32 normal_(0.3,0.7) x10 (scalar path)", 0, [["normal", "float32", 10, 0.3, 0.7]], lambda: E(10).normal_(0.3, 0.7))
add("float32 normal_(-1.7,3.3) x15 (scalar path)", 5, [["normal", "float32", 15, -1.7, 3.3]], lambda: E(15).normal_(-1.7, 3.3))
# float64 with >= 16 elements uses glibc's double log/sin/cos; V8's Math.log/sin/cos differ from
# them in the last bit for a few percent of values, so these two are compared within a tolerance.
add("float64 normal_(0.3,0.7) x1000 (vector path)", 0, [["normal", "float64", 1000, 0.3, 0.7]], lambda: E(1000, dtype=f64).normal_(0.3, 0.7), exact=False)
add("float64 randn(1003) (tail)", 2, [["normal", "float64", 1003, 0, 1]], lambda: torch.randn(1003, dtype=f64), exact=False)
add("float64 randn(7)", 0, [["normal", "float64", 7, 0, 1]], lambda: torch.randn(7, dtype=f64))
add("float64 uniform_(-0.3,0.7) x1000", 0, [["uniform", "float64", 1000, -0.3, 0.7]], lambda: E(1000, dtype=f64).uniform_(-0.3, 0.7))
add("float64 rand(33)", 3, [["uniform", "float64", 33, 0, 1]], lambda: torch.rand(33, dtype=f64))
add("float16 uniform_(-2,3) x100", 0, [["uniform", "float16", 100, -2, 3]], lambda: E(100, dtype=f16).uniform_(-2, 3))
add("bfloat16 uniform_(-2,3) x100", 0, [["uniform", "bfloat16", 100, -2, 3]], lambda: E(100, dtype=bf16).uniform_(-2, 3))
add("float16 normal_ x10 (scalar path)", 0, [["normal", "float16", 10, 0, 1]], lambda: E(10, dtype=f16).normal_())
add("randn(3) then float64 randn(5) (shared cache)", 0, [["normal", "float32", 3, 0, 1], ["normal", "float64", 5, 0, 1]],
    lambda: (torch.randn(3), torch.randn(5, dtype=f64))[1])
add("randint(-5,5,(10,)) float32", 0, [["randint", "float32", 10, -5, 5]], lambda: torch.randint(-5, 5, (10,), dtype=torch.float32))
add("randint(0,2**40,(6,)) float64", 0, [["randint", "float64", 6, 0, 2 ** 40]], lambda: torch.randint(0, 2 ** 40, (6,), dtype=f64))
add("randint(0,2**31-1,(6,)) int32", 0, [["randint", "int32", 6, 0, 2 ** 31 - 1]], lambda: torch.randint(0, 2 ** 31 - 1, (6,), dtype=torch.int32))
add("randint(-3,100,(20,)) int64", 7, [["randint", "int64", 20, -3, 100]], lambda: torch.randint(-3, 100, (20,)))
add("randint(0,10,(5,)) uint8", 0, [["randint", "uint8", 5, 0, 10]], lambda: torch.randint(0, 10, (5,), dtype=torch.uint8))
for dt in ["int64", "int32", "int16", "int8", "uint8", "bool", "float32", "float64"]:
    add(f"random_() {dt}", 0, [["random", dt, 12]], lambda dt=dt: E(12, dtype=getattr(torch, dt)).random_())
add("random_(3,17) int64", 0, [["randint", "int64", 9, 3, 17]], lambda: E(9, dtype=torch.int64).random_(3, 17))
add("randperm(10)", 0, [["randperm", "int64", 10]], lambda: torch.randperm(10))
add("randperm(1000)", 1, [["randperm", "int64", 1000]], lambda: torch.randperm(1000))
add("bernoulli_(0.3) x40", 0, [["bernoulli", "float32", 40, 0.3]], lambda: E(40).bernoulli_(0.3))
add("sparse_(10x6, 0.3, std 0.5)", 0, [["sparse", "float32", [10, 6], 0.3, 0.5]], lambda: torch.nn.init.sparse_(E(10, 6), 0.3, std=0.5))
add("trunc_normal_ x1000", 0, [["trunc_normal", "float32", [1000], 0.0, 1.0, -2.0, 2.0]], lambda: torch.nn.init.trunc_normal_(E(1000)), exact=False)
add("trunc_normal_(std=0.02) 64x64", 1, [["trunc_normal", "float32", [64, 64], 0.0, 0.02, -2.0, 2.0]],
    lambda: torch.nn.init.trunc_normal_(E(64, 64), std=0.02), exact=False)
add("orthogonal_ 8x12", 0, [["orthogonal", "float32", [8, 12], 1.0]], lambda: torch.nn.init.orthogonal_(E(8, 12)), exact=False)
add("orthogonal_ 12x8 gain 2", 0, [["orthogonal", "float32", [12, 8], 2.0]], lambda: torch.nn.init.orthogonal_(E(12, 8), gain=2.0), exact=False)
add("orthogonal_ 16x4x3", 0, [["orthogonal", "float32", [16, 4, 3], 1.0]], lambda: torch.nn.init.orthogonal_(E(16, 4, 3)), exact=False)

# Deterministic ranges (no draws; their kernels live with the creation ops).
add("arange(0,1,0.1)", 0, [["arange", "float32", 0, 1, 0.1]], lambda: torch.arange(0, 1, 0.1))
add("arange(0.5,37.3,0.7)", 0, [["arange", "float32", 0.5, 37.3, 0.7]], lambda: torch.arange(0.5, 37.3, 0.7))
add("arange(-3.1,100,0.3) float64", 0, [["arange", "float64", -3.1, 100, 0.3]], lambda: torch.arange(-3.1, 100, 0.3, dtype=f64))
add("arange(1,1000,7) float32", 0, [["arange", "float32", 1, 1000, 7]], lambda: torch.arange(1, 1000, 7, dtype=torch.float32))
add("linspace(0,1,37)", 0, [["linspace", "float32", 0, 1, 37]], lambda: torch.linspace(0, 1, 37))
add("linspace(-3.3,7.1,101)", 0, [["linspace", "float32", -3.3, 7.1, 101]], lambda: torch.linspace(-3.3, 7.1, 101))
add("linspace(0,10,17) float64", 0, [["linspace", "float64", 0, 10, 17]], lambda: torch.linspace(0, 10, 17, dtype=f64))
add("linspace(0.1,9.7,53) float64", 0, [["linspace", "float64", 0.1, 9.7, 53]], lambda: torch.linspace(0.1, 9.7, 53, dtype=f64))
add("linspace(0,10,7) int64", 0, [["linspace", "int64", 0, 10, 7]], lambda: torch.linspace(0, 10, 7, dtype=torch.int64))
add("linspace(-1,1,5)", 0, [["linspace", "float32", -1, 1, 5]], lambda: torch.linspace(-1, 1, 5))
import random
random.seed(3)
for k in range(8):
    s0, s1, n = round(random.uniform(-10, 10), 3), round(random.uniform(-10, 10), 3), random.randint(2, 300)
    dt = "float32" if k % 2 == 0 else "float64"
    add(f"linspace({s0},{s1},{n}) {dt}", 0, [["linspace", dt, s0, s1, n]], lambda: torch.linspace(s0, s1, n, dtype=getattr(torch, dt)))
    st = round(random.uniform(0.01, 1), 4)
    e = s0 + st * random.randint(2, 300) + 0.001
    add(f"arange({s0},{e},{st}) {dt}", 0, [["arange", dt, s0, e, st]], lambda: torch.arange(s0, e, st, dtype=getattr(torch, dt)))
add("logspace(0,2,11)", 0, [["logspace", "float32", 0, 2, 11, 10.0]], lambda: torch.logspace(0, 2, 11), exact=False)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json")
json.dump({"torch": torch.__version__, "mkl": torch.backends.mkl.is_available(), "cases": cases}, open(out, "w"), indent=0)
print("wrote", out, len(cases), "cases; mkl", torch.backends.mkl.is_available())
