#!/usr/bin/env bash
# Runs the wire-compatibility tests (a JavaScript automerge-repo client against the
# hub), installing the pinned node packages when missing. Works from any directory.
#   FIELDCASE_BIN  the hub binary (default: ~/.cache/fieldcase/target/debug/fieldcase)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ ! -d "$here/node_modules/@automerge/automerge-repo" ]; then
  echo "interop: installing node packages" >&2
  (cd "$here" && npm ci --no-audit --no-fund)
fi

cd "$here"
exec npm test
