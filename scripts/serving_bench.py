"""Helpers of scripts/serving_bench.sh.

  python serving_bench.py prepare MNIST_DIR OUT_DIR ITERATIONS
      trains scikit-learn's MLPClassifier(hidden_layer_sizes=(128, 64)) on MNIST (pixels / 255), writes
      OUT_DIR/mlserver/mnist-mlp/{model.joblib,model-settings.json}, and writes the request bodies for one real
      test image (index 0) as Open Inference Protocol JSON: kouzi-mlp.json ([1, 784]), kouzi-cnn.json
      ([1, 28, 28, 1]) and mlserver-mlp.json ([1, 784]); prints the test accuracy and the image's label.
  python serving_bench.py table RESULTS.jsonl
      prints the summary table (one line per server) from the load generator's JSON lines and the ratios.
"""
import gzip
import json
import os
import sys
import time


def idx(path):
    import numpy as np
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def body(name, shape, values):
    return json.dumps({"inputs": [{"name": name, "shape": shape, "datatype": "FP32",
                                   "data": [round(float(v), 6) for v in values]}]})


def prepare(mnist, out, iterations):
    import joblib
    import numpy as np
    from sklearn.neural_network import MLPClassifier
    x = idx(os.path.join(mnist, "train-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255
    y = idx(os.path.join(mnist, "train-labels-idx1-ubyte.gz"))
    tx = idx(os.path.join(mnist, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float32) / 255
    ty = idx(os.path.join(mnist, "t10k-labels-idx1-ubyte.gz"))
    started = time.time()
    model = MLPClassifier(hidden_layer_sizes=(128, 64), max_iter=iterations, random_state=0)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # stopping after a few epochs is wanted: ConvergenceWarning
        model.fit(x, y)
    accuracy = float((model.predict(tx) == ty).mean())
    # The same model twice: with MLServer's defaults (no adaptive batching), and with adaptive batching set like
    # Kouzi's dynamic batching (64 requests, 2 ms).
    for name, extra in [("mnist-mlp", {}), ("mnist-mlp-batched", {"max_batch_size": 64, "max_batch_time": 0.002})]:
        folder = os.path.join(out, "mlserver", name)
        os.makedirs(folder, exist_ok=True)
        joblib.dump(model, os.path.join(folder, "model.joblib"))
        with open(os.path.join(folder, "model-settings.json"), "w") as f:
            json.dump({"name": name, "implementation": "mlserver_sklearn.SKLearnModel",
                       "parameters": {"uri": "./model.joblib", "version": "v1"}, **extra}, f)
    image = tx[0]
    with open(os.path.join(out, "kouzi-mlp.json"), "w") as f:
        f.write(body("input", [1, 784], image))
    with open(os.path.join(out, "kouzi-cnn.json"), "w") as f:
        f.write(body("input", [1, 28, 28, 1], image))
    with open(os.path.join(out, "mlserver-mlp.json"), "w") as f:
        f.write(body("input-0", [1, 784], image))
    print(f"sklearn MLPClassifier(128, 64): {iterations} epochs in {time.time() - started:.0f} s, "
          f"test accuracy {accuracy:.4f}; request image label {int(ty[0])}")


def table(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    servers = []
    for row in rows:
        if row["server"] not in servers:
            servers.append(row["server"])
    summary = {}
    print(f"{'server':<22} {'c=1 p50 ms':>10} {'c=1 p99 ms':>10} {'max req/s':>10} {'at c':>5} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'errors':>7} {'CPU ms/req':>10}")
    for server in servers:
        runs = [r for r in rows if r["server"] == server]
        single = next(r for r in runs if r["connections"] == 1)
        best = max(runs, key=lambda r: r["throughput_rps"])
        errors = sum(r["http_errors"] + r["socket_errors"] for r in runs)
        cpu = best.get("server_cpu_ms_per_request")
        summary[server] = (single, best)
        print(f"{server:<22} {single['latency_ms']['p50']:>10.3f} {single['latency_ms']['p99']:>10.3f} "
              f"{best['throughput_rps']:>10.0f} {best['connections']:>5} {best['latency_ms']['p50']:>8.3f} "
              f"{best['latency_ms']['p99']:>8.3f} {errors:>7} {cpu if cpu is not None else float('nan'):>10.3f}")
    print()
    print("every run:")
    for r in rows:
        print(f"  {r['server']:<22} c={r['connections']:<3} {r['throughput_rps']:>8.0f} req/s  p50 {r['latency_ms']['p50']:.3f}  "
              f"p90 {r['latency_ms']['p90']:.3f}  p99 {r['latency_ms']['p99']:.3f}  max {r['latency_ms']['max']:.3f} ms  "
              f"errors {r['http_errors']}+{r['socket_errors']}  server CPU {r.get('server_cpu_ms_per_request', float('nan')):.3f} ms/req")
    print()
    for baseline in [s for s in servers if s.startswith("mlserver")]:
        base_single, base_best = summary[baseline]
        for server in [s for s in servers if s.startswith("kouzi") and s.endswith("mlp")]:
            single, best = summary[server]
            throughput = best["throughput_rps"] / base_best["throughput_rps"]
            p50 = single["latency_ms"]["p50"] / base_single["latency_ms"]["p50"]
            print(f"{server} / {baseline}: throughput {throughput:.2f}x (target >= 5x: {'met' if throughput >= 5 else 'MISSED'}), "
                  f"batch-1 p50 {p50:.3f}x (target <= 0.2x: {'met' if p50 <= 0.2 else 'MISSED'})")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "prepare":
        prepare(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        table(sys.argv[2])
    else:
        sys.exit(__doc__)
