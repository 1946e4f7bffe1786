#!/usr/bin/env bash
# Runs every check and test of Clausewise, after installing what a fresh Debian/Ubuntu machine
# lacks: formatting, lints and type checks; the core's and the app crate's tests (cargo test);
# the UI's unit tests; the check that the generated TypeScript bindings are committed and
# current; and the end-to-end tests that drive the real app window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --test
export PATH="${CLAUSEWISE_TOOLS:-$HOME/.cache/clausewise/tools}/bin:$PATH"
step() { printf '\n==> %s\n' "$*"; }

step "formatting"
cargo fmt --all -- --check

step "UI build (the app embeds it)"
(cd ui && npm run build)

step "the core crate does not depend on Tauri"
if cargo tree --locked -p clausewise -e normal,build --prefix none | grep -i '^tauri'; then
  echo "the core crate clausewise must not depend on Tauri (see ARCHITECTURE.md)"
  exit 1
fi

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "build the core, the app and every test once (one set of features for all of them)"
# Building the members one by one would resolve their dependencies' features differently and
# compile the PDF typesetter three times.
cargo build --workspace --all-targets --locked

step "tests: the core, the app crate and the real window under Xvfb (regenerates the TypeScript bindings)"
rm -rf ui/src/lib/bindings
xvfb-run -a -s "-screen 0 1280x800x24" cargo test --workspace --locked

step "generated bindings are committed and current"
if git rev-parse --git-dir >/dev/null 2>&1; then
  stale=$(git status --porcelain -- ui/src/lib/bindings)
  if [ -n "$stale" ]; then
    echo "ui/src/lib/bindings differs from what the Rust types generate; commit the regenerated files:"
    echo "$stale"
    exit 1
  fi
fi

step "UI checks and tests"
(cd ui && npm run check && npm run lint && npm test)

printf '\nAll checks and tests passed.\n'
