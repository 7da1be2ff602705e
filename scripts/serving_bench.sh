#!/usr/bin/env bash
# Serving benchmark on loopback: Kouzi's Open Inference Protocol endpoint against Seldon's MLServer serving
# scikit-learn's MLPClassifier over the same protocol, under the same closed-loop load (kouzi-load, a separate
# process). Trains the MLP (784-128-64-10) and the CNN (Conv2D 32 - pool - Conv2D 64 - pool - Dense 128 - 10)
# with `kouzi train`, registers and deploys them on a fresh `kouzi serve`, trains the scikit-learn MLP and
# starts `mlserver start` (its defaults: one inference worker; the model once as it is, without adaptive
# batching, and once with adaptive batching of 64 requests / 2 ms like Kouzi's), then for each server
# measures batch-1 latency at one connection and throughput at each concurrency level; prints a table with
# the ratios Kouzi / MLServer. Both servers are stopped at exit.
#   bash scripts/serving_bench.sh [--seconds N] [--warmup N] [--levels "1 8 32 64"] [--epochs N]
#        [--sklearn-iterations N] [--mnist DIR] [--results FILE] [--scratch-path DIR] [--jobs N] [--kouzi BINARY]
# --kouzi runs another build of the server (to compare two versions) instead of the release build.
# MLServer goes into a virtual environment ($KOUZI_MLSERVER_VENV, default /tmp/kouzi-mlserver-venv) so its
# pinned dependencies leave the system's Python alone.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10 warmup=2 levels="1 8 32 64" epochs=1 iterations=10 mnist=../shared/datasets/mnist results="" scratch=.build jobs="" kouzi=""
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --levels) levels=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --sklearn-iterations) iterations=$2; shift 2 ;;
    --mnist) mnist=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --scratch-path) scratch=$2; shift 2 ;;
    --jobs) jobs="-j $2"; shift 2 ;;
    --kouzi) kouzi=$2; shift 2 ;;
    *) sed -n 2,14p "$0" >&2; exit 2 ;;
    esac
done
[ -f "$mnist/t10k-images-idx3-ubyte.gz" ] || { echo "serving_bench: no MNIST IDX files in $mnist (give --mnist DIR)" >&2; exit 1; }
mnist=$(cd "$mnist" && pwd)

# shellcheck disable=SC2086
[ -n "$kouzi" ] || swift build -c release $jobs --scratch-path "$scratch" --product kouzi >/dev/null
# shellcheck disable=SC2086
swift build -c release $jobs --scratch-path "$scratch" --product kouzi-load >/dev/null
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)
kouzi_bin=${kouzi:-$bin/kouzi}
venv=${KOUZI_MLSERVER_VENV:-/tmp/kouzi-mlserver-venv}
# uvloop 0.22 breaks MLServer 1.7.1's inference workers ("There is no current event loop", SeldonIO/MLServer#2286).
if ! "$venv/bin/python" -c "import mlserver, mlserver_sklearn, uvloop; assert uvloop.__version__ < '0.22'" >/dev/null 2>&1; then
    echo "serving_bench: installing mlserver and mlserver-sklearn into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q mlserver mlserver-sklearn "uvloop<0.22"
fi

work=$(mktemp -d /tmp/kouzi-serving-bench.XXXXXX)
kouzi_pid="" mlserver_pid=""
stop() {
    # Both servers run in process groups of their own (setsid): the group takes MLServer's workers with it.
    for pid in $kouzi_pid $mlserver_pid; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for pid in $kouzi_pid $mlserver_pid; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap stop EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_ok() {  # URL [curl options]: waits up to 120 s for a 200
    local url=$1; shift
    for _ in $(seq 1200); do curl -fs -o /dev/null "$@" "$url" && return 0; sleep 0.1; done
    echo "serving_bench: $url never answered 200" >&2; return 1
}

# The models: Kouzi's from specs, scikit-learn's MLP, and the request bodies for one real test image.
cat >"$work/mlp.json" <<'EOF'
{"name": "mnist-mlp", "input_shape": [784],
 "layers": [{"type": "Dense", "units": 128, "activation": "relu"}, {"type": "Dense", "units": 64, "activation": "relu"},
            {"type": "Dense", "units": 10, "activation": "softmax"}],
 "optimizer": {"name": "adam", "learning_rate": 0.001}, "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}
EOF
cat >"$work/cnn.json" <<'EOF'
{"name": "mnist-cnn", "input_shape": [28, 28, 1],
 "layers": [{"type": "Conv2D", "filters": 32, "kernel_size": 3, "activation": "relu"}, {"type": "MaxPool2D", "pool_size": 2},
            {"type": "Conv2D", "filters": 64, "kernel_size": 3, "activation": "relu"}, {"type": "MaxPool2D", "pool_size": 2},
            {"type": "Flatten"}, {"type": "Dense", "units": 128, "activation": "relu"},
            {"type": "Dense", "units": 10, "activation": "softmax"}],
 "optimizer": {"name": "adam", "learning_rate": 0.001}, "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}
EOF
for net in mlp cnn; do
    "$kouzi_bin" train --spec "$work/$net.json" --data "$mnist" --epochs "$epochs" --batch-size 64 --seed 1 \
        --output "$work/$net.kouzi" --quiet >/dev/null
    accuracy=$("$kouzi_bin" evaluate --model "$work/$net.kouzi" --data "$mnist" --json \
        | python3 -c 'import json, sys; print(round(json.load(sys.stdin)["metrics"]["accuracy"], 4))')
    echo "serving_bench: Kouzi $net trained for $epochs epoch(s), test accuracy $accuracy"
done
"$venv/bin/python" scripts/serving_bench.py prepare "$mnist" "$work" "$iterations" | sed 's/^/serving_bench: /'

# Kouzi: a fresh server, both models registered and deployed.
source scripts/lib/kouzi-serve.sh
start_kouzi_serve "$kouzi_bin" "$work/kouzi-data" "$work/kouzi.log"
kouzi_pid=$KOUZI_SERVE_PID url=$KOUZI_SERVER token=$KOUZI_TOKEN
for net in mlp cnn; do
    id=$("$kouzi_bin" models create "mnist-$net" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
    "$kouzi_bin" models register "$id" "$work/$net.kouzi" >/dev/null
    "$kouzi_bin" deployments create "mnist-$net" --model "$id" --version 1 >/dev/null
    wait_ok "$url/v2/models/mnist-$net/ready" -H "Authorization: Bearer $token"
done

# MLServer with its defaults, on free ports.
http_port=$(free_port) grpc_port=$(free_port) metrics_port=$(free_port)
echo "{\"http_port\": $http_port, \"grpc_port\": $grpc_port, \"metrics_port\": $metrics_port}" >"$work/mlserver/settings.json"
(cd "$work" && exec setsid "$venv/bin/mlserver" start "$work/mlserver" >"$work/mlserver.log" 2>&1) &
mlserver_pid=$!
mlserver=http://127.0.0.1:$http_port
for model in mnist-mlp mnist-mlp-batched; do
    wait_ok "$mlserver/v2/models/$model/ready" || { tail -20 "$work/mlserver.log" >&2; exit 1; }
done

# One answer each, to see that both classify the image.
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
for net in mlp cnn; do
    curl -fs "${auth[@]}" --data-binary @"$work/kouzi-$net.json" "$url/v2/models/mnist-$net/infer" \
        | python3 -c "import json, sys; o = {t['name']: t['data'] for t in json.load(sys.stdin)['outputs']}; print('serving_bench: Kouzi $net answers label', o['label'][0])"
done
curl -fs -H "Content-Type: application/json" --data-binary @"$work/mlserver-mlp.json" "$mlserver/v2/models/mnist-mlp/infer" \
    | python3 -c "import json, sys; print('serving_bench: MLServer answers', json.load(sys.stdin)['outputs'][0]['data'][0])"

# CPU seconds (user + system) of every process in a process group.
group_cpu() {
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v group="$1" '{ sub(/^.*\) /, ""); if ($3 == group) ticks += $12 + $13 } END { print ticks + 0 }'
}
out=${results:-$work/results.jsonl}
: >"$out"
measure() {  # NAME GROUP URL BODY [curl-style header]
    local name=$1 group=$2 target=$3 request=$4 header=${5:-}
    for c in $levels; do
        local before after line
        before=$(group_cpu "$group")
        line=$("$bin/kouzi-load" --url "$target" --body "$request" --connections "$c" --duration "$seconds" --warmup "$warmup" \
            ${header:+--header "$header"} 2>/dev/null) || true
        after=$(group_cpu "$group")
        [ -n "$line" ] || { echo "serving_bench: $name c=$c: no answer" >&2; continue; }
        # The server's CPU over warm-up and measurement, per request measured (ticks of 1/CLK_TCK s).
        echo "$line" | python3 -c "
import json, os, sys
r = json.load(sys.stdin); r['server'] = '$name'
total = ($after - $before) / os.sysconf('SC_CLK_TCK')
r['server_cpu_ms_per_request'] = 1000 * total * $seconds / ($seconds + $warmup) / max(r['requests'], 1)
print(json.dumps(r))" >>"$out"
        tail -1 "$out" | python3 -c "
import json, sys
r = json.load(sys.stdin); l = r['latency_ms']
print(f\"  {r['server']:<20} c={r['connections']:<3} {r['throughput_rps']:8.0f} req/s  p50 {l['p50']:.3f} ms  p99 {l['p99']:.3f} ms  errors {r['http_errors']}+{r['socket_errors']}\")"
    done
}
echo "serving_bench: kouzi-load, closed loop, ${warmup} s warm-up + ${seconds} s per point, connections $levels;" \
    "servers and load generator share $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
measure kouzi-mlp "$kouzi_pid" "$url/v2/models/mnist-mlp/infer" "$work/kouzi-mlp.json" "Authorization: Bearer $token"
measure kouzi-cnn "$kouzi_pid" "$url/v2/models/mnist-cnn/infer" "$work/kouzi-cnn.json" "Authorization: Bearer $token"
measure mlserver-mlp "$mlserver_pid" "$mlserver/v2/models/mnist-mlp/infer" "$work/mlserver-mlp.json"
measure mlserver-mlp-batched "$mlserver_pid" "$mlserver/v2/models/mnist-mlp-batched/infer" "$work/mlserver-mlp.json"
echo
python3 scripts/serving_bench.py table "$out"
