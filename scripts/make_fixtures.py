#!/usr/bin/env python3
"""Writes the PyTorch reference numbers that the Swift tests compare against.

Run from the repository root:  python3 scripts/make_fixtures.py [MODULE ...]   (needs `pip install torch`)
Each module in scripts/fixtures/ writes Tests/KouziNNTests/Fixtures/<NAME>.json (committed).
"""
import importlib
import json
import os
import pkgutil
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
OUT = os.path.join(HERE, "..", "Tests", "KouziNNTests", "Fixtures")


def main():
    import fixtures
    wanted = set(sys.argv[1:])
    os.makedirs(OUT, exist_ok=True)
    for info in pkgutil.iter_modules(fixtures.__path__):
        if info.name == "common" or (wanted and info.name not in wanted):
            continue
        module = importlib.import_module("fixtures." + info.name)
        torch.manual_seed(0)
        data = module.build()
        data.setdefault("torch_version", torch.__version__)
        path = os.path.join(OUT, module.NAME + ".json")
        with open(path, "w") as f:
            json.dump(data, f, indent=None, separators=(",", ":"))
        print("wrote", os.path.relpath(path), f"({os.path.getsize(path) // 1024} KiB)")


if __name__ == "__main__":
    main()
