#!/usr/bin/env bash
# Start the reference @automerge/automerge-repo-sync-server (0.2.8) for benchmarks.
#
# stdout: exactly one line, `ws://127.0.0.1:PORT`, printed once the server
#         accepts connections AND answers a WebSocket `join` with `peer`.
# stderr: npm output, server logs, `reference server pid: N`, peerId.
# Runs in the foreground until killed (SIGTERM/SIGINT); then stops the node
# process and deletes its temporary DATA_DIR (set KEEP_DATA=1 to keep it).
#
# Env: READY_TIMEOUT_MS (default 30000), KEEP_DATA, NODE (default node),
#      DEBUG (passed to the server, e.g. DEBUG='automerge-repo:*').
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NODE="${NODE:-node}"
READY_TIMEOUT_MS="${READY_TIMEOUT_MS:-30000}"
ENTRY="$HERE/node_modules/@automerge/automerge-repo-sync-server/src/index.js"

if [[ ! -f "$ENTRY" ]]; then
  echo "installing node_modules (npm ci)..." >&2
  if ! (cd "$HERE" && npm ci --no-audit --no-fund >&2); then
    echo "npm ci failed; falling back to npm install --no-save" >&2
    (cd "$HERE" && npm install --no-save --no-audit --no-fund >&2)
  fi
fi

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/amrg-ref.XXXXXX")"
SERVER_PID=""
PROBE_PID=""

cleanup() {
  trap - EXIT INT TERM
  [[ -n "$PROBE_PID" ]] && kill "$PROBE_PID" 2>/dev/null || true
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ "${KEEP_DATA:-0}" != 1 ]]; then rm -rf "$DATA_DIR"; else echo "kept DATA_DIR=$DATA_DIR" >&2; fi
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

free_port() {
  "$NODE" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# The server cannot report a port chosen by the OS (it logs PORT verbatim), so
# pick a free port and retry if we lose the race (server exits early, e.g. EADDRINUSE).
for attempt in 1 2 3 4 5; do
  PORT="$(free_port)"
  # cwd = DATA_DIR so the server's express.static("public") / defaults never touch the repo.
  ( cd "$DATA_DIR" && exec env PORT="$PORT" DATA_DIR="$DATA_DIR" "$NODE" "$ENTRY" ) >&2 &
  SERVER_PID=$!
  echo "reference server pid: $SERVER_PID (port $PORT, DATA_DIR $DATA_DIR)" >&2
  # Probe runs in the background so a SIGTERM to this script is handled at once.
  "$NODE" "$HERE/probe.mjs" "$PORT" "$READY_TIMEOUT_MS" & PROBE_PID=$!
  probe_rc=0; wait "$PROBE_PID" || probe_rc=$?; PROBE_PID=""
  if [[ $probe_rc -eq 0 ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "ws://127.0.0.1:$PORT"
    # Foreground until the server dies or we are killed (trap runs cleanup).
    set +e
    wait "$SERVER_PID"; rc=$?
    SERVER_PID=""
    echo "reference server exited with status $rc" >&2
    exit "$rc"
  fi
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "server did not become ready within ${READY_TIMEOUT_MS}ms" >&2
    exit 1
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  echo "server exited before becoming ready (attempt $attempt); retrying on a new port" >&2
done
echo "giving up after 5 attempts" >&2
exit 1
