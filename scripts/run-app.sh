#!/usr/bin/env bash
# Installs what is missing, builds, and starts HLS Forge (the desktop app when built,
# otherwise the command line's help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
if [ -x "$BUILD_DIR/app/gui/hlsforge" ]; then
  exec "$BUILD_DIR/app/gui/hlsforge" "$@"
fi
exec "$BUILD_DIR/app/cli/hlsforge-cli" --help
