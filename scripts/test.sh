#!/usr/bin/env bash
# Runs every test: installs what is missing, then builds and tests in release mode (numeric code is
# 10–50× slower in debug, and the accuracy checks on the real data sets run as part of the suite).
# -enable-testing lets the CLI tests reach internal helpers with @testable in a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift test -c release -Xswiftc -enable-testing "$@" 2>&1 | tee "$log"
count=$(grep -oE "Test run with [0-9]+ tests?" "$log" | tail -1 | grep -oE "[0-9]+" || true)
echo "tests: ${count:-0} passed, 0 failed"
