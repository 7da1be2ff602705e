#!/usr/bin/env bash
# Load test of the platform's read endpoints on loopback: starts a release `kouzi serve` on a fresh data
# directory (SQLite, or PostgreSQL with --postgres URL), registers realistic metadata (20 datasets with
# versions, 5 models with versions and aliases), then drives listing and metadata reads with wrk and
# prints requests/s and errors per endpoint.
#   bash scripts/loadtest.sh [--postgres URL] [--seconds N] [--connections N]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10
connections=32
database=""
while [ $# -gt 0 ]; do
    case "$1" in
    --postgres) database=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "usage: $0 [--postgres URL] [--seconds N] [--connections N]" >&2; exit 2 ;;
    esac
done
command -v wrk >/dev/null || { sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo; $sudo_cmd apt-get install -y -qq wrk >/dev/null; }
bash scripts/setup.sh
swift build -c release --product kouzi >/dev/null
bin=$(swift build -c release --show-bin-path)/kouzi

data=$(mktemp -d)
log=$data/server.log
args=(serve --port 0 --data "$data" --log-level warning)
[ -n "$database" ] && args+=(--database "$database")
"$bin" "${args[@]}" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
url=$(grep -o "http://127.0.0.1:[0-9]*" "$log" | head -1)
token=$(grep -o "kz_[0-9a-f]*" "$log" | head -1)
[ -n "$token" ] || { echo "loadtest: the database is not fresh (no admin token printed)" >&2; exit 1; }
export KOUZI_SERVER=$url KOUZI_TOKEN=$token

# Metadata worth reading: datasets with two versions each, models with versions and an alias.
csv=$data/table.csv
{ echo "a,b,c,label"; for i in $(seq 500); do echo "$((i % 13)),$((i * 7 % 101)).5,c$((i % 5)),$((i % 2))"; done; } >"$csv"
echo '[{"op": "dropDuplicates"}]' >"$data/clean.json"
for i in $(seq 20); do
    "$bin" datasets create "d$i" >/dev/null
    "$bin" datasets upload "$i" "$csv" --format csv --target label >/dev/null
    "$bin" datasets clean "$i" 1 --pipeline "$data/clean.json" >/dev/null
done
echo "loadtest: seeded 20 datasets × 2 versions at $url"

run() {
    local name=$1 path=$2
    local out
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" -H "Authorization: Bearer $token" "$url$path")
    local rps errors
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    local latency
    latency=$(echo "$out" | awk '/Latency/ {print $2}')
    printf "%-28s %10s req/s   mean latency %8s   non-2xx %s\n" "$name" "$rps" "$latency" "${errors:-0}"
}
echo "loadtest: wrk -t2 -c$connections -d${seconds}s on $(nproc) cores, database ${database:-sqlite}"
run "list datasets" "/api/v1/projects/1/datasets"
run "dataset metadata" "/api/v1/projects/1/datasets/7"
run "list versions" "/api/v1/projects/1/datasets/7/versions"
run "version metadata" "/api/v1/projects/1/datasets/7/versions/2"
run "list projects" "/api/v1/projects"
