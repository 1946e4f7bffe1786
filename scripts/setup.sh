#!/usr/bin/env bash
# Installs what Clausewise needs on a Debian/Ubuntu machine; safe to run again (it skips what is
# there). `scripts/setup.sh` for building and running the app; `scripts/setup.sh --test` adds the
# tools of the window tests (Xvfb, WebKitWebDriver, tauri-driver).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
tools=${CLAUSEWISE_TOOLS:-$HOME/.cache/clausewise/tools}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo

packages=(libwebkit2gtk-4.1-dev build-essential pkg-config file libssl-dev librsvg2-dev)
if [ "$mode" = "--test" ]; then
  packages+=(xvfb xauth webkit2gtk-driver sqlite3 poppler-utils)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing system packages: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The UI's packages, exactly as locked.
if [ ! -f ui/node_modules/.package-lock.json ] || ! cmp -s ui/package-lock.json ui/node_modules/.clausewise-lock; then
  echo "==> installing UI packages"
  (cd ui && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.clausewise-lock)
fi

if [ "$mode" = "--test" ] && [ ! -x "$tools/bin/tauri-driver" ]; then
  echo "==> installing tauri-driver into $tools"
  cargo install tauri-driver --version '^2' --locked --root "$tools"
fi
