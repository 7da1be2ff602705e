"""Times the stock tritonclient HTTP client against a Kouzi deployment with JSON tensors and with its default
binary tensors (the binary tensor data extension), side by side in one run.

Usage: python3 scripts/triton_bench.py HOST:PORT TOKEN MODEL IMAGES.npy [--batches 1,32,256] [--repeats N]
The model takes FP32 rows of 784 pixels (MNIST / 255) and answers probabilities, label and class id. For each
batch size both modes alternate, N calls each after a warm-up; prints the median and quartiles of the client's
wall time per call, and checks that both modes answer the same.
"""
import argparse
import statistics
import time

import numpy as np
import tritonclient.http as httpclient


def call(client, model, headers, rows, binary):
    pixels = httpclient.InferInput("input", list(rows.shape), "FP32")
    pixels.set_data_from_numpy(rows, binary_data=binary)
    outputs = [httpclient.InferRequestedOutput(name, binary_data=binary) for name in ("probabilities", "label", "class_id")]
    # A fresh dict each call: the client adds Inference-Header-Content-Length to the one it is given.
    return client.infer(model, [pixels], outputs=outputs, headers=dict(headers))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("token")
    parser.add_argument("model")
    parser.add_argument("images")
    parser.add_argument("--batches", default="1,32,256")
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    headers = {"Authorization": f"Bearer {args.token}"}
    client = httpclient.InferenceServerClient(url=args.url)
    images = np.load(args.images).astype(np.float32)
    print(f"{'batch':>5} {'JSON ms (p25-p75)':>22} {'binary ms (p25-p75)':>22} {'binary / JSON':>14}")
    for batch in [int(b) for b in args.batches.split(",")]:
        rows = images[:batch]
        json_answer, binary_answer = call(client, args.model, headers, rows, False), call(client, args.model, headers, rows, True)
        assert np.array_equal(json_answer.as_numpy("class_id"), binary_answer.as_numpy("class_id"))
        assert np.allclose(json_answer.as_numpy("probabilities"), binary_answer.as_numpy("probabilities"), rtol=1e-6, atol=1e-7)
        times = {False: [], True: []}
        for _ in range(args.repeats // 10):
            call(client, args.model, headers, rows, False), call(client, args.model, headers, rows, True)
        for _ in range(args.repeats):
            for binary in (False, True):
                started = time.perf_counter()
                call(client, args.model, headers, rows, binary)
                times[binary].append(1000 * (time.perf_counter() - started))

        def spread(values):
            q = statistics.quantiles(values, n=4)
            return statistics.median(values), f"{statistics.median(values):7.3f} ({q[0]:.3f}-{q[2]:.3f})"

        (json_median, json_text), (binary_median, binary_text) = spread(times[False]), spread(times[True])
        print(f"{batch:>5} {json_text:>22} {binary_text:>22} {binary_median / json_median:>13.2f}x")


if __name__ == "__main__":
    main()
