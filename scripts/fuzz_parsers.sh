#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser of outside bytes with libFuzzer (the targets of
# Sources/KouziParserFuzzing: csv idx zip wav image safetensors modelJSON inferRequest inferBinary), each with
# the token dictionary of Tests/Fuzz/dictionaries/<target>.dict (keys, magic numbers, edge values).
#
#   bash scripts/fuzz_parsers.sh                 # every target, 1,000,000 executions each
#   FUZZ_RUNS=20000 bash scripts/fuzz_parsers.sh csv zip
#   FUZZ_MERGE=1 bash scripts/fuzz_parsers.sh    # then add the inputs that found new coverage to the corpus
#
# The fuzz build lives in .build-fuzz (release, instrumented with -sanitize=fuzzer). Each target runs alone
# (one process, one core), seeded from Tests/Fuzz/corpus/<target>; new inputs go to .build-fuzz/corpus/<target>,
# and crash, timeout and out-of-memory inputs to .build-fuzz/artifacts/<target>. An input running longer than
# FUZZ_TIMEOUT seconds (default 10) is a hang. The script prints one line of figures per target, writes them to
# .build-fuzz/results.tsv and exits non-zero if any target crashed or hung.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${FUZZ_RUNS:-1000000}
timeout=${FUZZ_TIMEOUT:-10}
rss=${FUZZ_RSS_MB:-2048}
scratch=.build-fuzz
all_targets=(csv idx zip wav image safetensors modelJSON inferRequest inferBinary)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# The longest input per target: room for several records, entries or chunks, yet short enough for a
# million executions in minutes.
max_len() {
    case "$1" in
        zip|safetensors|inferRequest|inferBinary) echo 8192 ;;
        *) echo 4096 ;;
    esac
}

# A trap ends the run at once, without the Swift runtime's symbolicated backtrace (libFuzzer prints its own).
export SWIFT_BACKTRACE=enable=no
# The library-only package graph: the fuzz executable needs none of the server's packages.
export KOUZI_LIBRARY_ONLY=1
swift build --scratch-path "$scratch" -c release --product kouzi-parser-fuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -DPARSER_FUZZING
fuzzer="$scratch/release/kouzi-parser-fuzz"

results="$scratch/results.tsv"
printf "target\texecutions\texec_per_s\tseconds\tcov\tft\tcorpus_units\tcorpus_bytes\tnew_units\tcrashes\thangs\n" > "$results"
failed=0
for target in "${targets[@]}"; do
    seeds="Tests/Fuzz/corpus/$target"
    work="$scratch/corpus/$target"
    artifacts="$scratch/artifacts/$target"
    log="$scratch/logs/$target.log"
    [ -d "$seeds" ] || { echo "fuzz: no corpus folder $seeds" >&2; exit 2; }
    mkdir -p "$work" "$artifacts" "$(dirname "$log")"
    before=$(find "$work" -type f | wc -l)
    start=$(date +%s.%N)
    status=0
    dict=()
    [ -f "Tests/Fuzz/dictionaries/$target.dict" ] && dict=(-dict="Tests/Fuzz/dictionaries/$target.dict")
    KOUZI_FUZZ_TARGET="$target" "$fuzzer" "$work" "$seeds" "${dict[@]}" -runs="$runs" -max_len="$(max_len "$target")" \
        -use_value_profile=1 -timeout="$timeout" -rss_limit_mb="$rss" -print_final_stats=1 -artifact_prefix="$artifacts/" \
        > "$log" 2>&1 || status=$?
    end=$(date +%s.%N)
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
    executions=$( (grep -oE "stat::number_of_executed_units: +[0-9]+" "$log" || echo ": 0") | awk '{ print $2 }' | tail -1)
    rate=$( (grep -oE "stat::average_exec_per_sec: +[0-9]+" "$log" || echo ": 0") | awk '{ print $2 }' | tail -1)
    last=$(grep -E "^#[0-9]+" "$log" | tail -1)
    cov=$(echo "$last" | grep -oE "cov: [0-9]+" | awk '{ print $2 }')
    ft=$(echo "$last" | grep -oE "ft: [0-9]+" | awk '{ print $2 }')
    corp=$(echo "$last" | grep -oE "corp: [0-9]+/[0-9]+[a-zA-Z]*" | awk '{ print $2 }')
    units=${corp%%/*}
    bytes=${corp#*/}
    after=$(find "$work" -type f | wc -l)
    crashes=$(find "$artifacts" -type f \( -name "crash-*" -o -name "oom-*" -o -name "leak-*" \) | wc -l)
    hangs=$(find "$artifacts" -type f \( -name "timeout-*" -o -name "slow-unit-*" \) | wc -l)
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ] && [ "$hangs" -eq 0 ]; then crashes=1; fi
    printf "fuzz %-12s %9s execs %6s exec/s %5ss cov %5s ft %6s corpus %4s units (%s) new %4s crashes %s hangs %s\n" \
        "$target" "$executions" "$rate" "$seconds" "${cov:-?}" "${ft:-?}" "${units:-?}" "${bytes:-?}" "$((after - before))" \
        "$crashes" "$hangs"
    printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$target" "$executions" "$rate" "$seconds" "${cov:-}" "${ft:-}" \
        "${units:-}" "${bytes:-}" "$((after - before))" "$crashes" "$hangs" >> "$results"
    if [ "$crashes" -ne 0 ] || [ "$hangs" -ne 0 ]; then
        failed=1
        echo "fuzz: $target failed; inputs in $artifacts, log in $log" >&2
        grep -E "ERROR|Fatal error|SUMMARY|deadly signal|timeout" "$log" | head -5 >&2 || true
        continue
    fi
    if [ "${FUZZ_MERGE:-}" = "1" ]; then
        # Adds to the committed corpus only the new inputs that reach coverage it does not.
        KOUZI_FUZZ_TARGET="$target" "$fuzzer" -merge=1 -max_len="$(max_len "$target")" -timeout="$timeout" \
            -rss_limit_mb="$rss" "$seeds" "$work" > "$scratch/logs/$target.merge.log" 2>&1
        echo "fuzz $target: corpus now $(find "$seeds" -type f | wc -l) files, $(du -cb "$seeds"/* | tail -1 | cut -f1) bytes"
    fi
done
echo "fuzz: figures in $results"
exit "$failed"
