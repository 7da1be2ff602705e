#!/usr/bin/env bash
# The main job: trains the source documents' MLP (784-128-64-10, ReLU, softmax, Adam, batch 64)
# on real images and prints its test accuracy. Uses MNIST from ../shared/datasets when present,
# otherwise Fashion-MNIST from Debian's dataset-fashion-mnist package (installed by setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product kouzi
.build/release/kouzi demo "$@"
