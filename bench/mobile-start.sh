#!/usr/bin/env bash
# Cold start of the adviser's app (desktop build, release) to the client list, with
# a phone holding 500 clients, 500 prescriptions and 2,000 orders; and the client
# search per keystroke on the same phone. Target (issue 5): < 1 s and < 16 ms.
#
#   bench/mobile-start.sh [RUNS]      (default 10 runs)
#
# Seeds the phone with `phone-bench seed` (a real hub in-process, everything
# synced), starts a private Xvfb display, and times with hyperfine the whole
# process: start, open the local database, open the window, and exit once the
# client list is mounted in the page (`window --exit-on-client-list`).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"
DESKTOP_PACKAGES=hyperfine
# shellcheck source=../scripts/desktop-build.sh
source scripts/desktop-build.sh

work="$(mktemp -d)"
exec 3>"$work/display"
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
"$phone_bench" seed "$work/phone"
for _ in $(seq 1 100); do [ -s "$work/display" ] && break; sleep 0.05; done
export DISPLAY=":$(head -1 "$work/display")"

echo "== one run, as the app measures itself"
"$app" window --dir "$work/phone" --exit-on-client-list
echo "== hyperfine: process start to client list, $runs runs"
hyperfine --warmup 1 --runs "$runs" --style basic \
  "$app window --dir $work/phone --exit-on-client-list"
echo "== client search per keystroke"
"$phone_bench" search "$work/phone"
