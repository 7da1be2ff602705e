#!/usr/bin/env bash
# Trains the functional ResNet of examples/specs/resnet-fashion.json on Fashion-MNIST's 60,000 training images with
# `kouzi train`, then scores it on the 10,000 test images with `kouzi evaluate` and prints the test accuracy.
# Long (about 1.5–2 hours on 2 cores): not part of the test command; docs/benchmarks.md records its result.
#
#   bash scripts/experiments/resnet-fashion.sh [--epochs N] [--kouzi BINARY] [--output DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
epochs=12
kouzi=""
output=$(mktemp -d /tmp/kouzi-resnet.XXXXXX)
while [ $# -gt 0 ]; do
    case "$1" in
        --epochs) epochs="$2"; shift 2 ;;
        --kouzi) kouzi="$2"; shift 2 ;;
        --output) output="$2"; shift 2 ;;
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
start=$(date +%s)
"$kouzi" train --spec examples/specs/resnet-fashion.json --data "$data" --epochs "$epochs" --batch-size 64 --seed 1 \
    --output "$output/resnet-fashion.kouzi" 2>&1 | tee "$output/train.log"
trained=$(date +%s)
"$kouzi" evaluate --model "$output/resnet-fashion.kouzi" --data "$data" --json > "$output/evaluation.json"
accuracy=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['metrics']['accuracy'])" "$output/evaluation.json")
echo "resnet-fashion: test accuracy $accuracy after $epochs epochs ($(( (trained - start) / 60 )) min of training); model in $output"
