"""PyTorch benchmark modules: each defines WORKLOADS = {name: zero-argument function returning median seconds}."""
