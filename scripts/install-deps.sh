#!/usr/bin/env bash
# Installs every Debian package HLS Forge needs to build, run and test.
# Idempotent: packages already present are skipped by apt.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

BUILD_PACKAGES=(
  build-essential cmake ninja-build pkg-config clang-format
  qt6-base-dev qt6-base-dev-tools qt6-multimedia-dev qt6-charts-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-svg-dev qt6-image-formats-plugins
  libqt6svg6 qtkeychain-qt6-dev
  libavformat-dev libavcodec-dev libavfilter-dev libavutil-dev
  libswscale-dev libswresample-dev libx264-dev
  libcpp-httplib-dev libqt6opengl6-dev libssl-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
)
RUNTIME_PACKAGES=(
  ffmpeg
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-libav gstreamer1.0-tools
  qt6-gtk-platformtheme qt6-qpa-plugins libqt6multimedia6
)
TEST_PACKAGES=(xvfb xauth imagemagick xdotool chromium rclone desktop-file-utils appstream dbus-daemon
  python3-yaml python3-botocore)
# nodejs/npm: the machine image ships Node.js from its own repo; Debian's npm conflicts
# with it, so only install Debian's when no npm is on PATH.
command -v npm >/dev/null 2>&1 || TEST_PACKAGES+=(nodejs npm)

missing=()
for p in "${BUILD_PACKAGES[@]}" "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: all packages present"
