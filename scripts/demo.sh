#!/usr/bin/env bash
# The main job: the whole flow on a local server (kouzi demo): Fashion-MNIST from Debian's
# dataset-fashion-mnist package (installed by `setup.sh demo`, with only what the build needs) uploaded, two versions trained as jobs,
# deployed under an A/B split, traffic with feedback, live accuracy and a drift alert; the server
# keeps running. Arguments go to kouzi demo (--exit, --port, --requests, --local, …).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh demo
swift build -c release --product kouzi
.build/release/kouzi demo "$@"
