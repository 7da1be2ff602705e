#!/usr/bin/env python3
"""The Python twins of kouzi-bench's workloads; prints
{"torch": version or null, "numpy": version, "times": {name: median seconds}, "references": {name: library}}.

Run by kouzi-bench in the same run; by hand: python3 scripts/bench_torch.py --threads 2 [--filter NAME]
Each module in scripts/bench/ contributes a WORKLOADS dict with the same names as the Swift side. The model
workloads need PyTorch and are left out when `import torch` fails; the FFT workloads need only NumPy, the explanation workload the shap package
(left out when it is missing).
"""
import argparse
import importlib
import json
import os
import sys

import numpy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

TORCH_MODULES = ["mlp", "convolution", "recurrent", "transformer"]
NUMPY_MODULES = ["fft", "explain"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--filter", default=None)
    args = ap.parse_args()
    try:
        import torch
        torch.set_num_threads(args.threads)
        names = TORCH_MODULES + NUMPY_MODULES
    except ImportError:
        torch = None
        names = NUMPY_MODULES
    times, references = {}, {}
    for name in names:
        try:
            module = importlib.import_module("bench." + name)
        except ImportError:
            continue
        for workload, fn in module.WORKLOADS.items():
            if args.filter and args.filter not in workload:
                continue
            times[workload] = fn()
            references[workload] = getattr(module, "REFERENCE", "PyTorch")
    print(json.dumps({"torch": torch.__version__ if torch else None, "numpy": numpy.__version__,
                      "times": times, "references": references}))


if __name__ == "__main__":
    main()
