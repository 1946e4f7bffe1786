#!/usr/bin/env bash
# Builds the Debian package of the Clausewise desktop app (release build, UI embedded) with the
# Tauri bundler, after installing what a fresh Debian/Ubuntu machine lacks. The Tauri CLI (pinned
# below, the version of the tauri crate) is installed from npm into the tools cache, apart from
# the UI's packages: its lock would have to name the CLI's builds for every platform, and `npm ci`
# refuses a lock without them. Needs no network beyond apt, crates.io and npm.
#
#   scripts/package.sh        # prints the path of the .deb at the end
#
# The package lands in "${CARGO_TARGET_DIR:-target}/release/bundle/deb/".
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
step() { printf '\n==> %s\n' "$*"; }

tauri_cli_version=2.12.5
tools="${XDG_CACHE_HOME:-$HOME/.cache}/clausewise/tools/tauri-cli-$tauri_cli_version"
if [ ! -x "$tools/node_modules/.bin/tauri" ]; then
  step "Tauri CLI $tauri_cli_version"
  npm install --prefix "$tools" --no-save --no-audit --no-fund "@tauri-apps/cli@$tauri_cli_version"
fi

step "release build and Debian package (the UI is built first by beforeBuildCommand)"
# The CLI finds src-tauri/tauri.conf.json from the repository root; `--locked` goes to cargo.
"$tools/node_modules/.bin/tauri" build --ci --bundles deb -- --locked

target_dir=${CARGO_TARGET_DIR:-target}
version=$(cargo metadata --locked --no-deps --format-version 1 |
  python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "clausewise-app"))')
deb="$target_dir/release/bundle/deb/Clausewise_${version}_$(dpkg --print-architecture).deb"
if [ ! -f "$deb" ]; then
  echo "the bundler did not write $deb" >&2
  exit 1
fi
deb=$(realpath "$deb")

step "package"
dpkg-deb --field "$deb" Package Version Architecture Depends Installed-Size
echo
echo "$deb"
