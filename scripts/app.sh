#!/usr/bin/env bash
# Builds Clausewise and starts the app on the embedded demo audit, after installing what a fresh
# Debian/Ubuntu machine lacks. Extra arguments go to the app instead (an audit file to open).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
(cd ui && npm run build)
if [ $# -eq 0 ]; then set -- --demo; fi
exec cargo run --locked -p clausewise-app -- "$@"
