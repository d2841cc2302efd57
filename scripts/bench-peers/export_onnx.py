"""Exports corpus models to ONNX with torch.onnx.export, for the onnxruntime-node peer.

Run by scripts/bench-values.ts at bench time with Debian's /usr/bin/python3 (PyTorch 1.13):

    /usr/bin/python3 export_onnx.py JOB.json OUT_DIR

JOB.json: {"models": [{"id", "file", "class", "spec"}]}. Each model is built as the oracle builds it
(torch.manual_seed(0); Cls(*args, **kwargs).eval(); inputs after torch.manual_seed(1)) and written
to OUT_DIR/<id>.onnx (opset 17). OUT_DIR/manifest.json lists, per id, the file, the input names,
shapes, dtypes and value ranges (for onnxruntime to make inputs of the same kind), or why the export
failed. An export whose model source, spec, this script and torch version are unchanged is reused.
Prints the manifest on stdout.
"""
import hashlib
import importlib.util
import json
import os
import sys
import time
import warnings

import torch

OPSET = 17


def make_input(spec):
    kind = spec["kind"]
    if kind == "randn":
        return torch.randn(*spec["shape"])
    if kind == "randint":
        return torch.randint(spec.get("low", 0), spec.get("high", 2), spec["shape"])
    if kind == "zeros":
        return torch.zeros(*spec["shape"])
    raise ValueError("input kind %r has no ONNX input form" % kind)


def input_info(spec, name):
    info = {"name": name, "shape": spec["shape"], "kind": spec["kind"]}
    info["dtype"] = "int64" if spec["kind"] == "randint" else "float32"
    if spec["kind"] == "randint":
        info["low"], info["high"] = spec.get("low", 0), spec.get("high", 2)
    return info


def cache_key(entry):
    h = hashlib.sha256()
    h.update(open(entry["file"], "rb").read())
    h.update(json.dumps(entry["spec"], sort_keys=True).encode())
    h.update(open(__file__, "rb").read())
    h.update(torch.__version__.encode())
    return h.hexdigest()


def main():
    job = json.load(open(sys.argv[1]))
    out_dir = sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    manifest_path = os.path.join(out_dir, "manifest.json")
    try:
        old = json.load(open(manifest_path))["models"]
    except Exception:
        old = {}
    # Entries of models this job does not list stay (an `--only` run keeps the others' exports).
    manifest = {"torch": torch.__version__, "opset": OPSET, "models": {k: v for k, v in old.items() if k not in {e["id"] for e in job["models"]}}}
    modules = {}
    warnings.simplefilter("ignore")
    for entry in job["models"]:
        key = cache_key(entry)
        prev = old.get(entry["id"])
        if prev and prev.get("key") == key and (prev.get("error") or os.path.exists(prev.get("file", ""))):
            manifest["models"][entry["id"]] = dict(prev, cached=True)
            continue
        t0 = time.perf_counter()
        rec = {"key": key}
        try:
            path = entry["file"]
            if path not in modules:
                spec = importlib.util.spec_from_file_location("export_" + os.path.basename(path)[:-3], path)
                mod = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(mod)
                modules[path] = mod
            s = entry["spec"]
            torch.manual_seed(0)
            model = getattr(modules[path], entry["class"])(*s.get("args", []), **s.get("kwargs", {})).eval()
            torch.manual_seed(1)
            specs = s.get("inputs", [])
            inputs = tuple(make_input(i) for i in specs)
            names = ["input%d" % i for i in range(len(inputs))]
            args = inputs + ((s["forward_kwargs"],) if s.get("forward_kwargs") else ())
            f = os.path.join(out_dir, entry["id"] + ".onnx")
            with torch.no_grad():
                torch.onnx.export(model, args, f, opset_version=OPSET, input_names=names, do_constant_folding=True)
            rec.update(file=f, inputs=[input_info(sp, n) for sp, n in zip(specs, names)])
        except Exception as e:  # one line per model in the bench's report
            msg = str(e).strip().splitlines()
            rec["error"] = "%s: %s" % (type(e).__name__, msg[0] if msg else "")
        rec["export_s"] = time.perf_counter() - t0
        manifest["models"][entry["id"]] = rec
    with open(manifest_path, "w") as fh:
        json.dump(manifest, fh, indent=1)
    ids = {e["id"] for e in job["models"]}
    json.dump(dict(manifest, models={k: v for k, v in manifest["models"].items() if k in ids}), sys.stdout)


if __name__ == "__main__":
    main()
