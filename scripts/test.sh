#!/usr/bin/env bash
# The whole test suite: Rust unit, property, store-conformance (SQLite, and
# PostgreSQL when FIELDCASE_TEST_PG is set), HTTP, CLI and sync tests, then the
# browser scenarios in Chromium and the JavaScript automerge-repo interop test.
# Installs Chromium and the npm packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# The same target folder as a plain `cargo run` (the README's other command), so a
# newcomer compiles once; CI points CARGO_TARGET_DIR at a cache outside the clone.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

echo "== disk where the build goes: $(df -h "$(dirname "$CARGO_TARGET_DIR")" 2>/dev/null | tail -1)"
if [ -n "${FIELDCASE_TEST_PG:-}" ]; then
  echo "== store tests will also run on PostgreSQL: ${FIELDCASE_TEST_PG%%@*}@…"
  # A failed (or killed) test keeps its schema to look at; the next run drops them,
  # so they never pile up on the server.
  if command -v psql >/dev/null; then
    psql "$FIELDCASE_TEST_PG" -q -v ON_ERROR_STOP=1 -c "DO \$\$ DECLARE s text; BEGIN
      FOR s IN SELECT nspname FROM pg_namespace WHERE nspname ~ '^t_[0-9a-f]{32}\$' LOOP
        EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END \$\$;" \
      || echo "(the test schemas of earlier runs could not be dropped; going on)"
  fi
else
  echo "== FIELDCASE_TEST_PG not set: PostgreSQL cases will say so and not run"
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
if ! command -v ruby >/dev/null; then
  echo "== installing Debian's ruby (syntax check of fastlane/)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y ruby
fi

if ! command -v pdftotext >/dev/null; then
  echo "== installing Debian's poppler-utils (tests read the job sheet and the GDPR export PDFs back)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils
fi

# A real SMTP server on loopback for the notification tests (aiosmtpd from PyPI),
# in a venv beside the build.
mail_tools="$CARGO_TARGET_DIR/mail-tools"
if ! "$mail_tools/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
  echo "== installing aiosmtpd into $mail_tools"
  python3 -m venv "$mail_tools"
  "$mail_tools/bin/pip" install --quiet --disable-pip-version-check aiosmtpd==1.4.6
fi
export FIELDCASE_TEST_PYTHON="$mail_tools/bin/python"

echo "== cargo test (workspace)"
cargo test --workspace --locked --all-targets

if [ -n "${FIELDCASE_TEST_PG:-}" ]; then
  echo "== sync, device and simulator tests again, with the hub on PostgreSQL"
  FIELDCASE_TEST_SYNC_ON_PG=1 cargo test --locked -p fieldcase-tests \
    --test sync --test device --test field_records --test client_edit --test simulator --test reconnect \
    --test hardening --test projector_queries --test durability --test repricing \
    --test api_orders --test api_customers --test stock --test reminders \
    --test gdpr_erasure --test custom_fields --test bank_download
fi

echo "== the phone build compiles: fieldcase-mobile, feature mobile, for Android"
# A compile gate only: the Android NDK cannot be installed here, so the C parts of
# dependencies (SQLite, aws-lc) are compiled by Debian's aarch64 cross gcc just to
# satisfy their build scripts; nothing is linked. fastlane builds the real APK.
if ! rustup target list --installed | grep -qx aarch64-linux-android; then
  rustup target add aarch64-linux-android
fi
if ! command -v aarch64-linux-gnu-gcc >/dev/null; then
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y gcc-aarch64-linux-gnu
fi
CFLAGS_aarch64_linux_android=-D_GNU_SOURCE \
  CC_aarch64_linux_android=aarch64-linux-gnu-gcc \
  AR_aarch64_linux_android=aarch64-linux-gnu-ar \
  cargo check --locked -p fieldcase-mobile --features mobile --target aarch64-linux-android

echo "== browser scenarios (Playwright + Chromium)"
# Same feature set as the test build above (whole workspace), so nothing recompiles.
cargo build --workspace --locked --bins
FIELDCASE_BIN="$CARGO_TARGET_DIR/debug/fieldcase" bash tests/e2e/run.sh

echo "== wire compatibility: JavaScript automerge-repo client against the hub"
FIELDCASE_BIN="$CARGO_TARGET_DIR/debug/fieldcase" bash tests/interop/run.sh
echo "== all tests passed"
