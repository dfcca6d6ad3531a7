#!/usr/bin/env bash
# Runs the browser end-to-end tests (office pages, and the adviser app's preview next to
# the hub binary as fieldcase-mobile), installing what is missing:
# Debian's Chromium and the pinned playwright-core. Works from any directory.
#   FIELDCASE_BIN  the hub binary (default: target/debug/fieldcase, or $CARGO_TARGET_DIR/debug/fieldcase)
#   CHROMIUM       the browser (default: /usr/bin/chromium)
# Screenshots land in <repo>/target/e2e-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ ! -x /usr/bin/chromium ]; then
  echo "e2e: installing chromium" >&2
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "e2e: installing node packages" >&2
  (cd "$here" && npm ci --no-audit --no-fund)
fi

# The API's document is checked by openapi-spec-validator and fuzzed by
# schemathesis (api.test.mjs): both from PyPI, in a venv beside the build.
tools_dir="${CARGO_TARGET_DIR:-$here/../../target}/api-tools"
if [ ! -x "$tools_dir/bin/schemathesis" ] || [ ! -x "$tools_dir/bin/openapi-spec-validator" ]; then
  echo "e2e: installing schemathesis and openapi-spec-validator into $tools_dir" >&2
  python3 -m venv "$tools_dir"
  "$tools_dir/bin/pip" install --quiet --disable-pip-version-check \
    'schemathesis==4.32.5' 'openapi-spec-validator==0.9.0'
fi
export API_TOOLS="$tools_dir/bin"

cd "$here"
exec npm test
