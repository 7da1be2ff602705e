# Sourced by scripts that need a fresh platform server.
#
# start_kouzi_serve BINARY DATA_DIR LOG [ARGS…]: starts `BINARY serve` on a free loopback port in a process group of
# its own, with DATA_DIR as its data directory and LOG as its output, waits until it listens, and sets
# KOUZI_SERVE_PID, KOUZI_SERVER and KOUZI_TOKEN (the admin token printed on first start; both exported for the
# client commands). Fails with the log when the server does not start.
start_kouzi_serve() {
    local binary=$1 data=$2 log=$3
    shift 3
    setsid "$binary" serve --port 0 --data "$data" --log-level warning "$@" >"$log" 2>&1 &
    KOUZI_SERVE_PID=$!
    for _ in $(seq 300); do grep -q "listening on" "$log" && break; sleep 0.1; done
    KOUZI_SERVER=$(grep -o "http://127.0.0.1:[0-9]*" "$log" | head -1)
    KOUZI_TOKEN=$(grep -o "kz_[0-9a-f]*" "$log" | head -1)
    if [ -z "$KOUZI_SERVER" ] || [ -z "$KOUZI_TOKEN" ]; then
        echo "kouzi serve did not start:" >&2
        cat "$log" >&2
        return 1
    fi
    export KOUZI_SERVER KOUZI_TOKEN
}
