#!/usr/bin/env python3
"""Writes the reference numbers that the Swift tests compare against.

Run from the repository root:  python3 scripts/make_fixtures.py [MODULE ...]
Each module in scripts/fixtures/ writes Tests/<FOLDER>/Fixtures/<NAME>.json (committed), FOLDER being the
module's FOLDER (default KouziNNTests). Modules with NEEDS_TORCH = False use NumPy only; the others need
`pip install torch` and are skipped, with a message, when it is missing.
"""
import importlib
import json
import os
import pkgutil
import sys

try:
    import torch
except ImportError:
    torch = None

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
TESTS = os.path.join(HERE, "..", "Tests")
HELPERS = {"common", "seeded"}


def main():
    import fixtures
    wanted = set(sys.argv[1:])
    for info in pkgutil.iter_modules(fixtures.__path__):
        if info.name in HELPERS or (wanted and info.name not in wanted):
            continue
        try:
            module = importlib.import_module("fixtures." + info.name)
        except ImportError as error:
            print(f"skipped {info.name}: {error} (pip install torch)")
            continue
        if torch is not None:
            torch.manual_seed(0)
        data = module.build()
        if getattr(module, "NEEDS_TORCH", True):
            data.setdefault("torch_version", torch.__version__)
        out = os.path.join(TESTS, getattr(module, "FOLDER", "KouziNNTests"), "Fixtures")
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, module.NAME + ".json")
        with open(path, "w") as f:
            json.dump(data, f, indent=None, separators=(",", ":"))
        print("wrote", os.path.relpath(path), f"({os.path.getsize(path) // 1024} KiB)")


if __name__ == "__main__":
    main()
