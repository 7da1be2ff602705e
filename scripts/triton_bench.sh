#!/usr/bin/env bash
# tritonclient with JSON tensors against its default binary tensors on one Kouzi deployment: trains the MNIST MLP
# (784-128-64-10, one epoch) with `kouzi train`, registers and deploys it on a fresh `kouzi serve`, and runs
# scripts/triton_bench.py (both modes alternating per batch size, the same answers checked). The server is
# stopped at exit.
#   bash scripts/triton_bench.sh [--mnist DIR] [--batches 1,32,256] [--repeats N] [--kouzi BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
mnist=../shared/datasets/mnist batches=1,32,256 repeats=200 kouzi=""
while [ $# -gt 0 ]; do
    case "$1" in
    --mnist) mnist=$2; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --kouzi) kouzi=$2; shift 2 ;;
    *) sed -n 2,6p "$0" >&2; exit 2 ;;
    esac
done
[ -f "$mnist/t10k-images-idx3-ubyte.gz" ] || { echo "triton_bench: no MNIST IDX files in $mnist (give --mnist DIR)" >&2; exit 1; }
[ -n "$kouzi" ] || { swift build -c release --product kouzi >/dev/null; kouzi=$(swift build -c release --show-bin-path)/kouzi; }
work=$(mktemp -d /tmp/kouzi-triton-bench.XXXXXX)
KOUZI_SERVE_PID=""
trap '[ -z "$KOUZI_SERVE_PID" ] || kill -TERM -- "-$KOUZI_SERVE_PID" 2>/dev/null || true; rm -rf "$work"' EXIT

cat >"$work/mlp.json" <<'SPEC'
{"name": "mnist-mlp", "input_shape": [784],
 "layers": [{"type": "Dense", "units": 128, "activation": "relu"}, {"type": "Dense", "units": 64, "activation": "relu"},
            {"type": "Dense", "units": 10, "activation": "softmax"}],
 "optimizer": {"name": "adam", "learning_rate": 0.001}, "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}
SPEC
"$kouzi" train --spec "$work/mlp.json" --data "$mnist" --epochs 1 --batch-size 64 --seed 1 --output "$work/mlp.kouzi" --quiet >/dev/null
python3 - "$mnist" "$work/images.npy" <<'PY'
import gzip, sys
import numpy as np
with gzip.open(sys.argv[1] + "/t10k-images-idx3-ubyte.gz", "rb") as f:
    data = f.read()
np.save(sys.argv[2], np.frombuffer(data, dtype=np.uint8, offset=16).reshape(-1, 784)[:256].astype(np.float32) / 255)
PY
source scripts/lib/kouzi-serve.sh
start_kouzi_serve "$kouzi" "$work/data" "$work/kouzi.log"
id=$("$kouzi" models create mnist-mlp --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
"$kouzi" models register "$id" "$work/mlp.kouzi" >/dev/null
"$kouzi" deployments create mnist-mlp --model "$id" --version 1 >/dev/null
for _ in $(seq 300); do
    curl -fs -o /dev/null -H "Authorization: Bearer $KOUZI_TOKEN" "$KOUZI_SERVER/v2/models/mnist-mlp/ready" && break
    sleep 0.1
done
echo "triton_bench: tritonclient $(python3 -c 'import importlib.metadata as m; print(m.version("tritonclient"))'),"\
    "$repeats calls per mode and batch, client and server on the same $(nproc) cores"
python3 scripts/triton_bench.py "${KOUZI_SERVER#http://}" "$KOUZI_TOKEN" mnist-mlp "$work/images.npy" --batches "$batches" --repeats "$repeats"
