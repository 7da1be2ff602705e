#!/usr/bin/env bash
# Runs every test: installs what is missing, then builds and tests in release mode (numeric code is
# 10–50× slower in debug, and the accuracy checks on the real data sets run as part of the suite).
# -enable-testing lets the CLI tests reach internal helpers with @testable in a release build.
# The platform's end-to-end tests run against SQLite and against a real PostgreSQL server that this
# script starts on loopback (set KOUZI_TEST_POSTGRES to use another one, or to "" to skip PostgreSQL).
# Without arguments the platform's cancel-within-a-second suite then runs alone, a third phase walks the web console
# in headless Chromium against the release binary (Tests/Console/console_test.py; screenshots in
# .build/console-screenshots; KOUZI_SKIP_CONSOLE=1 skips it), and a fourth fuzzes every operation of the API
# description with Schemathesis against a seeded server (Tests/Fuzz/api_fuzz.py; KOUZI_SKIP_FUZZ=1 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
log=$(mktemp)
pgdir=""
cleanup() {
    rm -f "$log"
    if [ -n "$pgdir" ]; then bash scripts/postgres.sh stop "$pgdir"; rm -rf "$pgdir"; fi
}
trap cleanup EXIT
if [ -z "${KOUZI_TEST_POSTGRES+set}" ]; then
    pgdir=$(mktemp -d /tmp/kouzi-pg.XXXXXX)
    export KOUZI_TEST_POSTGRES=$(bash scripts/postgres.sh start "$pgdir" 55433 | tail -1)
    echo "test: PostgreSQL for the platform tests at $KOUZI_TEST_POSTGRES"
elif [ -z "$KOUZI_TEST_POSTGRES" ]; then
    unset KOUZI_TEST_POSTGRES
fi
flags=(-c release -Xswiftc -enable-testing)
if [ $# -gt 0 ]; then
    swift test "${flags[@]}" "$@" 2>&1 | tee "$log"
else
    # Two phases in one build: the library suites (long, CPU-bound accuracy runs among them), then the platform's
    # suites (its own logic in-process, then end to end), whose servers, batchers and workers need the machine's
    # cores to answer on time.
    swift test "${flags[@]}" --skip KouziServerTests --skip KouziPlatformTests 2>&1 | tee "$log"
    swift test "${flags[@]}" --skip-build --filter "KouziPlatformTests|KouziServerTests" --skip StopLatencyTests 2>&1 \
        | tee -a "$log"
    # The cancel-within-a-second checks, on a machine no other suite loads.
    swift test "${flags[@]}" --skip-build --filter StopLatencyTests 2>&1 | tee -a "$log"
    # Third phase: the web console in a browser, against the kouzi binary the test build made (the platform's
    # end-to-end tests above ran the same one); built here only if it is missing.
    if [ "${KOUZI_SKIP_CONSOLE:-}" != "1" ]; then
        [ -x .build/release/kouzi ] || swift build "${flags[@]}" --product kouzi
        python3 Tests/Console/console_test.py --kouzi .build/release/kouzi --screenshots .build/console-screenshots 2>&1 \
            | tee -a "$log"
    fi
    if [ "${KOUZI_SKIP_FUZZ:-}" != "1" ]; then
        [ -x .build/release/kouzi ] || swift build "${flags[@]}" --product kouzi
        python3 Tests/Fuzz/api_fuzz.py --kouzi .build/release/kouzi 2>&1 | tee -a "$log"
    fi
fi
count=$(grep -oE "Test run with [0-9]+ tests?" "$log" | awk '{ total += $4 } END { print total + 0 }')
echo "tests: ${count:-0} passed, 0 failed"
browser=$(grep -oE "^console: [0-9]+ browser checks passed$" "$log" | awk '{ print $2 }' | tail -1)
if [ -n "$browser" ]; then echo "browser checks: $browser passed, 0 failed"; fi
fuzzed=$( (grep -oE "^api fuzz: [0-9]+ requests" "$log" || true) | awk '{ print $3 }' | tail -1)
if [ -n "$fuzzed" ]; then echo "API fuzzing: $fuzzed requests, 0 failures"; fi
