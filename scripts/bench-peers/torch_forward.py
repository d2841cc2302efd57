"""Peer: PyTorch (CPU) forward latency of the corpus models, and matmul GFLOP/s.

Run by scripts/bench-values.ts with Debian's /usr/bin/python3 (apt python3-torch, PyTorch 1.13):

    /usr/bin/python3 torch_forward.py JOB.json

JOB.json: {"models": [{"id", "file", "class", "spec"}], "matmul": [256, 1024], "matmul_budget_ms": 20000,
"policy": {...}} (the policy of scripts/bench-values.ts).
Prints one JSON object on stdout. Each model is built as the oracle builds it
(torch.manual_seed(0); m = Cls(*args, **kwargs).eval(); torch.manual_seed(1); inputs), then only
`with torch.no_grad(): m(*inputs)` is timed: one warm-up run, then as many runs as the policy's
time budget allows (median reported). Measured with torch.set_num_threads(1) and with the default
thread count.
"""
import importlib.util
import json
import os
import sys
import time

import torch


def make_input(spec):
    kind = spec["kind"]
    if kind == "randn":
        return torch.randn(*spec["shape"])
    if kind == "randint":
        return torch.randint(spec.get("low", 0), spec.get("high", 2), spec["shape"])
    if kind == "zeros":
        return torch.zeros(*spec["shape"])
    if kind == "none":
        return None
    if kind == "tuple":
        return tuple(make_input(s) for s in spec.get("items", []))
    raise ValueError("input kind %r" % kind)


def load(entry, modules):
    path = entry["file"]
    if path not in modules:
        spec = importlib.util.spec_from_file_location("bench_" + path.rsplit("/", 1)[-1][:-3], path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        modules[path] = mod
    s = entry["spec"]
    torch.manual_seed(0)
    model = getattr(modules[path], entry["class"])(*s.get("args", []), **s.get("kwargs", {})).eval()
    torch.manual_seed(1)
    inputs = [make_input(i) for i in s.get("inputs", [])]
    return model, inputs, s.get("forward_kwargs", {})


def timed(fn, policy, warmup=True):
    """One warm-up run, then runs until the budget is spent (within [min_runs, max_runs]).

    warmup=False (a matmul size too big for two runs in its budget) times the first run alone.
    """
    t = time.perf_counter()
    fn()
    first = (time.perf_counter() - t) * 1000
    if not warmup:
        return {"median_ms": first, "runs": 1, "first_ms": first}
    min_runs = policy["min_runs_big"] if first > policy["big_ms"] else policy["min_runs"]
    runs = int(max(min_runs, min(policy["max_runs"], policy["budget_ms"] // max(first, 1e-3))))
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    mid = len(times) // 2
    median = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
    return {"median_ms": median, "runs": runs, "first_ms": first}


def matmul_rates(sizes, budget_ms, policy):
    """torch.mm GFLOP/s per size; a size whose estimate (from the last rate) exceeds the budget is skipped."""
    out, rate = {}, 0.0
    for size in sizes:
        estimate_ms = 2 * size ** 3 / (rate * 1e6) if rate else 0
        if estimate_ms > budget_ms:
            out[str(size)] = {"skipped": "about %.0f s per product at %.1f GFLOP/s, over the %.0f s budget for one size" % (estimate_ms / 1000, rate, budget_ms / 1000)}
            continue
        a, b = torch.randn(size, size), torch.randn(size, size)
        p = dict(policy, budget_ms=min(policy["budget_ms"], budget_ms / 4), min_runs=3, min_runs_big=1)
        r = timed(lambda: torch.mm(a, b), p, warmup=estimate_ms <= budget_ms / 4)
        rate = r["gflops"] = 2 * size ** 3 / (r["median_ms"] * 1e6)
        out[str(size)] = r
    return out


def main():
    job = json.load(open(sys.argv[1]))
    policy = job["policy"]
    default_threads = torch.get_num_threads()
    settings = [("1", 1), ("default", default_threads)]
    out = {"torch": torch.__version__, "default_threads": default_threads, "cpu_count": os.cpu_count(), "models": {}, "matmul": {}}
    modules = {}
    loaded = {}
    for entry in job["models"]:
        try:
            loaded[entry["id"]] = load(entry, modules)
        except Exception as e:  # reported per model, the rest still runs
            out["models"][entry["id"]] = {"error": "%s: %s" % (type(e).__name__, e)}
    for label, n in settings:
        if label == "default" and n == 1:  # the same configuration as the 1-thread pass: not run twice
            for r in list(out["models"].values()) + list(out["matmul"].values()):
                if "1" in r:
                    r["default"] = r["1"]
            break
        torch.set_num_threads(n)
        for entry in job["models"]:
            if entry["id"] not in loaded:
                continue
            model, inputs, kwargs = loaded[entry["id"]]

            def run():
                with torch.no_grad():
                    model(*inputs, **kwargs)

            try:
                out["models"].setdefault(entry["id"], {})[label] = timed(run, policy)
            except Exception as e:
                out["models"].setdefault(entry["id"], {})["error"] = "%s: %s" % (type(e).__name__, e)
        for size, r in matmul_rates(job.get("matmul", []), job.get("matmul_budget_ms", 20000), policy).items():
            out["matmul"].setdefault(size, {})[label] = r
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
