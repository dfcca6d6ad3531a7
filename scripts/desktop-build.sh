# Sourced by scripts/desktop-screenshot.sh and bench/mobile-start.sh: installs the
# Debian packages named in $DESKTOP_PACKAGES (plus webkit2gtk and Xvfb) when
# missing, builds the desktop app (release) into its own folder and the phone
# bench, and sets $app (the desktop binary) and $phone_bench.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
need=()
for p in libwebkit2gtk-4.1-dev libxdo-dev xvfb xauth ${DESKTOP_PACKAGES:-}; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}"
fi
# Its own build folder, so the workspace build is not rebuilt with the feature.
desktop_target="${FIELDCASE_DESKTOP_TARGET:-$HOME/.cache/fieldcase/target-desktop}"
CARGO_TARGET_DIR="$desktop_target" cargo build --locked --release -p fieldcase-mobile --features desktop
app="$desktop_target/release/fieldcase-mobile"
# The same target folder as a plain `cargo run` (the README's other command), so a
# newcomer compiles once; CI points CARGO_TARGET_DIR at a cache outside the clone.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --locked --release -p fieldcase-bench --bin phone-bench
phone_bench="$CARGO_TARGET_DIR/release/phone-bench"
