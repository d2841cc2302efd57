# The values the weights panel end-to-end test (test/e2e/weights-panel.test.ts) reads off the panel,
# made by real PyTorch: `torch.manual_seed(0); Model()` as the extension initialises models, and the
# forward input drawn after `torch.manual_seed(1)` (the corpus oracle's seeds, test/corpus/README.md).
# Floats are the exact float32 values written with 9 significant digits (round-trips float32).
#
#   /usr/bin/python3 test/e2e/truth/make_truth.py     # writes test/e2e/truth/weights-panel.truth.json
import hashlib
import importlib.util
import json
import os
import re

import torch

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))
torch.set_num_threads(1)


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(root, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def values(t):
    return [float("%.9g" % x) for x in t.detach().flatten().tolist()]


def stats(t):
    t = t.detach()
    # torch.std is the unbiased estimate, as the panel's statistics are.
    return {"mean": t.mean().item(), "std": t.std().item(), "min": t.min().item(), "max": t.max().item()}


def tensor(t):
    return {"shape": list(t.shape), "stats": stats(t), "values": values(t)}


def sha256(t):
    return hashlib.sha256(t.detach().contiguous().numpy().tobytes()).hexdigest()


tutorial = load("examples/tutorial_network.py", "tutorial_network")
torch.manual_seed(0)
network = tutorial.Network().eval()
# The same class and seed as the corpus's network_full.py: the corpus hash must agree.
corpus = json.load(open(os.path.join(root, "test/corpus/models/network_full.truth.json")))
expected = corpus["classes"][0]["instance"]["parameter_details"]["conv1.weight"]["sha256"]
assert sha256(network.conv1.weight) == expected, "conv1.weight differs from the corpus truth"
torch.manual_seed(1)
x = torch.randn(1, 1, 28, 28)
outputs = {}
network.conv1.register_forward_hook(lambda m, i, o: outputs.__setitem__("conv1", o))
network(x)

twins = load("test/e2e/fixtures/twin_linear.py", "twin_linear")
torch.manual_seed(0)
pair = twins.Twins().eval()

truth = {
    "torch": torch.__version__,
    "tutorial_network": {
        "class": "Network",
        "parameters": {"conv1.weight": tensor(network.conv1.weight)},
        "activations": {"conv1": tensor(outputs["conv1"])},
    },
    "twin_linear": {
        "class": "Twins",
        "parameters": {"a.weight": tensor(pair.a.weight), "b.weight": tensor(pair.b.weight)},
        "differences": {"a.weight - b.weight": tensor(pair.a.weight - pair.b.weight)},
    },
}
# Indented, with each list of numbers on one line.
text = re.sub(r"\[[-0-9.e,\s]*\]", lambda m: re.sub(r"\s+", "", m.group(0)), json.dumps(truth, indent=1))
with open(os.path.join(here, "weights-panel.truth.json"), "w") as f:
    f.write(text + "\n")
