#!/usr/bin/env bash
# The adviser's app in a real desktop window (Dioxus desktop on webkit2gtk) under
# Xvfb, with screenshots of the enrolment screen and of a seeded phone's client
# list: target/e2e-artifacts/desktop-{enrol,clients}.png.
#
# Installs the Debian packages it needs when missing and builds into its own folder
# ($FIELDCASE_DESKTOP_TARGET, default ~/.cache/fieldcase/target-desktop); see
# scripts/desktop-build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
DESKTOP_PACKAGES="imagemagick xdotool"
# shellcheck source=desktop-build.sh
source scripts/desktop-build.sh
mkdir -p "$root/target/e2e-artifacts"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$phone_bench" seed "$work/seeded"

# Runs the window on a private X display, waits until it has drawn its content
# (the screenshot has more than a handful of colours), saves it, closes it.
shoot() { # name, app arguments…
  local name="$1"; shift
  xvfb-run -a -s '-screen 0 1280x900x24' bash -c '
    set -euo pipefail
    out="$1"; shift
    "$@" & pid=$!
    for _ in $(seq 1 200); do
      win="$(xdotool search --name "^fieldcase$" 2>/dev/null | head -1 || true)"
      if [ -n "$win" ]; then
        import -window "$win" "$out" 2>/dev/null || true
        colours="$(convert "$out" -format %k info: 2>/dev/null || echo 0)"
        if [ "${colours:-0}" -gt 40 ]; then kill "$pid"; wait "$pid" 2>/dev/null || true; exit 0; fi
      fi
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    echo "the window did not draw within 20 s" >&2
    exit 1
  ' _ "$root/target/e2e-artifacts/desktop-$name.png" "$@"
  echo "saved target/e2e-artifacts/desktop-$name.png"
}

shoot enrol "$app" window --dir "$work/fresh"
shoot clients "$app" window --dir "$work/seeded" --clients
