#!/usr/bin/env bash
# Load benchmark: `fieldcase-sim` (the sim/ crate) against the fieldcase hub on SQLite and on
# PostgreSQL, and against the reference JavaScript sync server
# (@automerge/automerge-repo-sync-server 0.2.8, bench/reference/), one after the
# other on this machine, same workload. Never run in CI.
#
# Usage: bench/sim.sh [ADVISERS ...]            (default: 200 1000)
# Env:   SIM_SERVERS   which servers (default: "sqlite postgres reference")
#        SIM_DURATION  seconds of load per run (default 60)
#        SIM_INTERVAL  seconds between one writer's changes (default 10)
#        FIELDCASE_BENCH_PG  PostgreSQL server URL without a database
#                      (default postgres://postgres@127.0.0.1:5432)
# Output: a readable block and a JSON line per run; the JSON lines are appended to
#         $CARGO_TARGET_DIR/sim-results.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
# The same target folder as a plain `cargo run` (the README's other command), so a
# newcomer compiles once; CI points CARGO_TARGET_DIR at a cache outside the clone.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
SERVERS="${SIM_SERVERS:-sqlite postgres reference}"
DURATION="${SIM_DURATION:-60}"
INTERVAL="${SIM_INTERVAL:-10}"
PG="${FIELDCASE_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(200 1000)

cargo build --release --locked -p fieldcase-server -p fieldcase-sim
BIN="$CARGO_TARGET_DIR/release/fieldcase"
SIM="$CARGO_TARGET_DIR/release/fieldcase-sim"
RESULTS="$CARGO_TARGET_DIR/sim-results.jsonl"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/fieldcase-bench.XXXXXX")"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# Waits until the file holds a line matching the pattern; prints that match.
wait_for() {
  local file=$1 pattern=$2 deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do
    if grep -qo "$pattern" "$file" 2>/dev/null; then
      grep -o "$pattern" "$file" | head -1
      return 0
    fi
    if [ -n "$SERVER_PID" ] && ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.2
  done
  echo "server did not start; its output:" >&2
  cat "$file" >&2
  return 1
}

for n in "${SIZES[@]}"; do
  for server in $SERVERS; do
    run="$WORK/$server-$n"
    mkdir -p "$run"
    db_args=()
    case "$server" in
      sqlite)
        db_args=(--data-dir "$run/hub")
        ;;
      postgres)
        db="fieldcase_bench_$$_$n"
        psql "$PG/test" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
        db_args=(--database-url "$PG/$db")
        ;;
    esac
    echo "== $server, $n advisers, ${DURATION}s at one change per ${INTERVAL}s per writer"
    if [ "$server" = reference ]; then
      bash bench/reference/start.sh >"$run/out" 2>"$run/err" &
      SERVER_PID=$!
      url=$(wait_for "$run/out" 'ws://[0-9.:]*')
      pid=$(wait_for "$run/err" 'reference server pid: [0-9]*' | grep -o '[0-9]*$')
      sim_args=(--reference --hub "$url" --hub-pid "$pid")
    else
      RUST_LOG=warn "$BIN" "${db_args[@]}" --listen 127.0.0.1:0 serve >"$run/out" 2>"$run/err" &
      SERVER_PID=$!
      url=$(wait_for "$run/out" 'http://[0-9.:]*')
      sim_args=("${db_args[@]}" --hub "$url" --hub-pid "$SERVER_PID")
    fi
    RUST_LOG=warn "$SIM" "${sim_args[@]}" --advisers "$n" --interval "$INTERVAL" \
      --duration "$DURATION" --dir "$run/phones" | tee "$run/report"
    tail -1 "$run/report" | sed "s/^{/{\"date\":\"$(date -u +%FT%TZ)\",\"backend\":\"$server\",/" >>"$RESULTS"
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    if [ "$server" = postgres ]; then
      psql "$PG/test" -qc "DROP DATABASE IF EXISTS $db" >/dev/null
    fi
    rm -rf "$run"
  done
done
echo "results appended to $RESULTS"
