#!/usr/bin/env bash
# Trains the functional ResNet of examples/specs/resnet-fashion.json on Fashion-MNIST's 60,000 training images with
# `kouzi train`, scores it on the 10,000 test images with `kouzi evaluate`, then serves it through the platform:
# a fresh `kouzi serve` registers and deploys it, all 10,000 test images go to its Open Inference Protocol
# endpoint, and the served accuracy is printed beside the evaluated one. Long (about 2 hours on 2 cores): not part
# of the test command; docs/benchmarks.md records its result. `--model DIR` serves an already trained model.
#
#   bash scripts/experiments/resnet-fashion.sh [--epochs N] [--kouzi BINARY] [--output DIR] [--model DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
epochs=12
kouzi=""
model=""
output=$(mktemp -d /tmp/kouzi-resnet.XXXXXX)
while [ $# -gt 0 ]; do
    case "$1" in
        --epochs) epochs="$2"; shift 2 ;;
        --kouzi) kouzi="$2"; shift 2 ;;
        --output) output="$2"; shift 2 ;;
        --model) model="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
data="${KOUZI_DATASETS:-../shared/datasets}/fashion-mnist"
[ -f "$data/train-images-idx3-ubyte.gz" ] || { echo "Fashion-MNIST not found in $data" >&2; exit 1; }
if [ -z "$kouzi" ]; then
    swift build -c release --product kouzi >/dev/null
    kouzi=.build/release/kouzi
fi
mkdir -p "$output"
if [ -z "$model" ]; then
    model="$output/resnet-fashion.kouzi"
    start=$(date +%s)
    "$kouzi" train --spec examples/specs/resnet-fashion.json --data "$data" --epochs "$epochs" --batch-size 64 --seed 1 \
        --output "$model" 2>&1 | tee "$output/train.log"
    echo "resnet-fashion: trained $epochs epochs in $(( ($(date +%s) - start) / 60 )) min"
fi
"$kouzi" evaluate --model "$model" --data "$data" --json > "$output/evaluation.json"
accuracy=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['metrics']['accuracy'])" "$output/evaluation.json")
echo "resnet-fashion: test accuracy $accuracy (kouzi evaluate)"

# The platform: a fresh server, the model registered and deployed, the test images sent as V2 requests.
source scripts/lib/kouzi-serve.sh
trap '[ -n "${KOUZI_SERVE_PID:-}" ] && kill -- "-$KOUZI_SERVE_PID" 2>/dev/null || true' EXIT
start_kouzi_serve "$kouzi" "$output/kouzi-data" "$output/serve.log"
id=$("$kouzi" models create resnet-fashion --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
"$kouzi" models register "$id" "$model" >/dev/null
"$kouzi" deployments create resnet-fashion --model "$id" --version 1 >/dev/null
python3 - "$KOUZI_SERVER" "$KOUZI_TOKEN" "$data" <<'PY'
import gzip, json, sys, time, urllib.request
url, token, data = sys.argv[1:]
images = gzip.open(data + "/t10k-images-idx3-ubyte.gz").read()[16:]
labels = gzip.open(data + "/t10k-labels-idx1-ubyte.gz").read()[8:]
def call(path, body=None):
    request = urllib.request.Request(url + path, data=body and json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))
for _ in range(600):
    try:
        call("/v2/models/resnet-fashion/ready"); break
    except Exception:
        time.sleep(0.5)
correct, started = 0, time.time()
for start in range(0, 10000, 500):
    pixels = list(images[start * 784:(start + 500) * 784])
    answer = call("/v2/models/resnet-fashion/infer", {"inputs": [
        {"name": "input", "shape": [500, 28, 28, 1], "datatype": "UINT8", "data": pixels}], "outputs": [{"name": "class_id"}]})
    ids = answer["outputs"][0]["data"]
    correct += sum(int(p == t) for p, t in zip(ids, labels[start:start + 500]))
print(f"resnet-fashion: served accuracy {correct / 10000:.4f} over the platform's V2 endpoint "
      f"(10,000 test images in requests of 500, {time.time() - started:.1f} s)")
PY
