#!/usr/bin/env bash
# Runs every test: installs what is missing, then builds and tests in release mode (numeric code is
# 10–50× slower in debug, and the accuracy checks on the real data sets run as part of the suite).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift test -c release -Xswiftc -enable-testing "$@"
