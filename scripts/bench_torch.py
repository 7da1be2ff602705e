#!/usr/bin/env python3
"""The PyTorch twins of kouzi-bench's workloads; prints {"torch": version, "times": {name: median seconds}}.

Run by kouzi-bench in the same run; by hand: python3 scripts/bench_torch.py --threads 2
"""
import argparse
import json
import time

import torch


def median_time(fn, warmup=5, min_runs=20, min_time=1.0):
    for _ in range(warmup):
        fn()
    samples = []
    start = time.perf_counter()
    while len(samples) < min_runs or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return samples[len(samples) // 2]


def mlp():
    torch.manual_seed(1)
    return torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10))


def gemm(n):
    a, b = torch.randn(n, n), torch.randn(n, n)
    return median_time(lambda: torch.mm(a, b), warmup=3, min_runs=10)


def mlp_train_step(batch):
    model = mlp()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, 784)
    y = torch.arange(batch) % 10
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return median_time(step, warmup=20, min_runs=200)


def mlp_infer(batch):
    model = mlp().eval()
    x = torch.rand(batch, 784)

    def infer():
        with torch.inference_mode():
            torch.softmax(model(x), dim=1)
    return median_time(infer, warmup=50, min_runs=2000 if batch == 1 else 200)


WORKLOADS = {
    "gemm_tensor_1024": lambda: gemm(1024),
    "mlp_train_step_b64": lambda: mlp_train_step(64),
    "mlp_infer_b1": lambda: mlp_infer(1),
    "mlp_infer_b256": lambda: mlp_infer(256),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--filter", default=None)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    times = {}
    for name, fn in WORKLOADS.items():
        if args.filter and args.filter not in name:
            continue
        times[name] = fn()
    print(json.dumps({"torch": torch.__version__, "times": times}))


if __name__ == "__main__":
    main()
