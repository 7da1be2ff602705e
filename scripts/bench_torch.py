#!/usr/bin/env python3
"""The PyTorch twins of kouzi-bench's workloads; prints {"torch": version, "times": {name: median seconds}}.

Run by kouzi-bench in the same run; by hand: python3 scripts/bench_torch.py --threads 2 [--filter NAME]
Each module in scripts/bench/ contributes a WORKLOADS dict with the same names as the Swift side.
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import convolution, mlp, recurrent, transformer  # noqa: E402

MODULES = [mlp, convolution, recurrent, transformer]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--filter", default=None)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    times = {}
    for module in MODULES:
        for name, fn in module.WORKLOADS.items():
            if args.filter and args.filter not in name:
                continue
            times[name] = fn()
    print(json.dumps({"torch": torch.__version__, "times": times}))


if __name__ == "__main__":
    main()
