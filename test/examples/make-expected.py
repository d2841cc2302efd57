#!/usr/bin/python3
"""Records what real PyTorch does with each examples/*.py, for test/golden/examples.test.ts.

    apt-get install -y python3-torch         # Debian's PyTorch 1.13; only /usr/bin/python3 has it
    /usr/bin/python3 test/examples/make-expected.py [examples/NAME.py ...]

For every nn.Module class defined in the file (sorted by line) it writes, to
test/examples/expected/NAME.json, the subset of the corpus truth schema (test/corpus/README.md)
that the golden test compares: name, line, and, when the class can be built (no required
constructor arguments, or args/kwargs in test/examples/inputs.json): status, repr (= print(model)),
repr_torch2, parameters [[name, shape]], buffers, num_params, and, when inputs.json gives inputs,
the forward pass: status, output_shape or error {type, message, line}, and the module call trace.
Seeds follow the corpus oracle: torch.manual_seed(0) before construction, manual_seed(1) before inputs.
"""
import glob
import hashlib
import importlib.util
import inspect
import json
import os
import platform
import sys
import traceback

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
torch.set_num_threads(1)


def shape_struct(o):
    if isinstance(o, torch.Tensor):
        return list(o.shape)
    if isinstance(o, tuple):
        return {"tuple": [shape_struct(x) for x in o]}
    if isinstance(o, list):
        return {"list": [shape_struct(x) for x in o]}
    if isinstance(o, dict):
        return {"dict": {str(k): shape_struct(v) for k, v in o.items()}}
    if o is None:
        return None
    return {"value": repr(o)}


def dumps(obj, level=0):
    """json.dumps(indent=1), but short flat lists (shapes, [name, shape], calls) stay on one line."""
    pad, end = " " * (level + 1), " " * level
    if isinstance(obj, dict) and obj:
        return "{\n" + ",\n".join(f"{pad}{json.dumps(k)}: {dumps(v, level + 1)}" for k, v in obj.items()) + "\n" + end + "}"
    if isinstance(obj, list) and obj:
        flat = json.dumps(obj)
        if len(flat) <= 100 and "{" not in flat:
            return flat
        return "[\n" + ",\n".join(pad + dumps(v, level + 1) for v in obj) + "\n" + end + "]"
    return json.dumps(obj)


def error_info(exc, src_path):
    if isinstance(exc, SyntaxError) and os.path.abspath(exc.filename or "") == src_path:
        return {"type": "SyntaxError", "message": exc.msg, "line": exc.lineno}
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) == src_path]
    return {"type": type(exc).__name__, "message": str(exc), "line": frames[-1].lineno if frames else None}


# torch 2.x collapses repeated ModuleList children in repr; emulated as in the corpus oracle.
def _addindent(s_, num_spaces):
    s = s_.split("\n")
    if len(s) == 1:
        return s_
    first = s.pop(0)
    return first + "\n" + "\n".join((num_spaces * " ") + line for line in s)


def _modulelist_repr_v2(self):
    reprs = [repr(item) for item in self]
    if not reprs:
        return self._get_name() + "()"
    spans, blocks = [[0, 0]], [reprs[0]]
    for i, r in enumerate(reprs[1:], 1):
        if r == blocks[-1]:
            spans[-1][1] += 1
            continue
        spans.append([i, i])
        blocks.append(r)
    lines = []
    for (start, end), b in zip(spans, blocks):
        local = f"({start}): {b}" if start == end else f"({start}-{end}): {end - start + 1} x {b}"
        lines.append(_addindent(local, 2))
    return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


def repr_torch2(m):
    saved = nn.ModuleList.__repr__
    nn.ModuleList.__repr__ = _modulelist_repr_v2
    try:
        return repr(m)
    finally:
        nn.ModuleList.__repr__ = saved


def make_input(spec):
    if spec["kind"] == "randn":
        return torch.randn(*spec["shape"])
    if spec["kind"] == "randint":
        return torch.randint(spec["low"], spec["high"], tuple(spec["shape"]))
    raise ValueError("unknown input kind " + spec["kind"])


def run_forward(m, spec, src_path):
    torch.manual_seed(1)
    fwd = {"inputs": spec["inputs"]}
    inputs = [make_input(s) for s in spec["inputs"]]
    calls, open_calls, handles = [], [], []
    for name, mod in m.named_modules():
        def pre(module, args, _name=name):
            calls.append([_name, type(module).__name__, None])
            open_calls.append(len(calls) - 1)

        def post(module, args, output):
            calls[open_calls.pop()][2] = shape_struct(output)

        handles += [mod.register_forward_pre_hook(pre), mod.register_forward_hook(post)]
    try:
        out = m(*inputs)
        fwd["status"] = "ok"
        fwd["output_shape"] = shape_struct(out)
    except Exception as exc:  # noqa: BLE001 - whatever PyTorch raises is the expected result
        fwd["status"] = "error"
        fwd["error"] = error_info(exc, src_path)
    finally:
        for h in handles:
            h.remove()
    fwd["calls"] = calls
    return fwd


def required_args(cls):
    params = inspect.signature(cls).parameters.values()
    return [p.name for p in params
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.default is inspect.Parameter.empty]


def run_instance(cls, spec, src_path):
    args, kwargs = spec.get("args", []), spec.get("kwargs", {})
    inst = {"ctor_args": args, "ctor_kwargs": kwargs} if args or kwargs else {}
    torch.manual_seed(0)
    try:
        m = cls(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001
        inst.update(status="construct_error", error=error_info(exc, src_path))
        return inst
    m.eval()
    r1, r2 = repr(m), repr_torch2(m)
    inst.update(
        status="ok",
        repr=r1,
        repr_torch2=r2 if r2 != r1 else None,
        parameters=[[n, list(p.shape)] for n, p in m.named_parameters()],
        buffers=[[n, list(b.shape)] for n, b in m.named_buffers()],
        num_params=int(sum(p.numel() for p in m.parameters())),
        forward=run_forward(m, spec, src_path) if "inputs" in spec else None,
    )
    return inst


def process_file(path, specs):
    path = os.path.abspath(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    out = {
        "source": os.path.relpath(path, ROOT),
        "source_sha256": hashlib.sha256(open(path, "rb").read()).hexdigest(),
        "environment": {"torch": torch.__version__, "python": platform.python_version()},
        "import": {"status": "ok"},
        "classes": [],
    }
    modname = "example_" + stem
    mspec = importlib.util.spec_from_file_location(modname, path)
    mod = importlib.util.module_from_spec(mspec)
    sys.modules[modname] = mod
    try:
        mspec.loader.exec_module(mod)
    except Exception as exc:  # noqa: BLE001
        out["import"] = {"status": "error", "error": error_info(exc, path)}
        return out
    classes = [c for c in vars(mod).values()
               if isinstance(c, type) and issubclass(c, nn.Module) and c.__module__ == modname]
    classes.sort(key=lambda c: inspect.getsourcelines(c)[1])
    file_specs = specs.get(stem, {})
    for cls in classes:
        lines, start = inspect.getsourcelines(cls)
        spec = file_specs.get(cls.__name__, {})
        req = required_args(cls)
        instance = None if req and not ("args" in spec or "kwargs" in spec) else run_instance(cls, spec, path)
        out["classes"].append({"name": cls.__name__, "line": start, "end_line": start + len(lines) - 1,
                               "required_args": req, "instance": instance})
    unknown = set(file_specs) - {c["name"] for c in out["classes"]}
    if unknown:
        raise SystemExit(f"{stem}: inputs.json names unknown classes {sorted(unknown)}")
    return out


def main():
    specs = json.load(open(os.path.join(HERE, "inputs.json")))
    specs.pop("_comment", None)
    files = sys.argv[1:] or sorted(glob.glob(os.path.join(ROOT, "examples", "*.py")))
    for f in files:
        result = process_file(f, specs)
        stem = os.path.splitext(os.path.basename(f))[0]
        with open(os.path.join(HERE, "expected", stem + ".json"), "w") as fh:
            fh.write(dumps(result) + "\n")
        summary = []
        for c in result["classes"]:
            inst = c["instance"]
            fwd = inst and inst.get("forward")
            if inst is None:
                summary.append(f"{c['name']}:not-instantiated")
            elif inst["status"] != "ok":
                summary.append(f"{c['name']}:{inst['status']}")
            elif fwd is None:
                summary.append(f"{c['name']}:init-only")
            elif fwd["status"] == "ok":
                summary.append(f"{c['name']}:{json.dumps(fwd['output_shape'])}")
            else:
                summary.append(f"{c['name']}:{fwd['error']['type']}@{fwd['error']['line']}")
        print(f"{os.path.basename(f):22s} {result['import']['status']} {' '.join(summary)}")


if __name__ == "__main__":
    main()
