#!/usr/bin/env bash
# Runs the benchmarks (release build), side by side with PyTorch when `import torch` works.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product kouzi-bench
.build/release/kouzi-bench "$@"
