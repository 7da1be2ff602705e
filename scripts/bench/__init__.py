"""Benchmark twins: each module defines WORKLOADS = {name: zero-argument function returning median seconds}
and, when the reference library is not PyTorch, REFERENCE = its name (e.g. "numpy")."""
