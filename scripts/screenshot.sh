#!/usr/bin/env bash
# Regenerates docs/screenshot.png: the real window with a queue in progress, under Xvfb.
# Generates a few clips with ffmpeg's lavfi sources (plus one broken file), starts the app
# with them queued and encoding, waits, and grabs the whole virtual screen with ImageMagick.
# Usage: scripts/screenshot.sh [path/to/hlsforge]   (default: build/app/gui/hlsforge)
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${1:-${BUILD_DIR:-build}/app/gui/hlsforge}
OUT=${SCREENSHOT_OUT:-docs/screenshot.png}
WAIT_SECONDS=${WAIT_SECONDS:-14}
[ -x "$APP" ] || { echo "screenshot: $APP not built (cmake --build build --target hlsforge)" >&2; exit 1; }
command -v xvfb-run >/dev/null && command -v import >/dev/null || bash scripts/install-deps.sh

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/in" "$WORK/out" "$WORK/config"
clip() { # name seconds size video-source
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$4=size=$3:rate=30" \
    -f lavfi -i "sine=frequency=330:sample_rate=48000" -t "$2" \
    -c:v libx264 -preset ultrafast -g 60 -pix_fmt yuv420p -c:a aac -shortest "$WORK/in/$1"
}
clip "city-walk.mp4" 40 1920x1080 testsrc2
clip "interview.mov" 30 1280x720 smptehdbars
clip "drone-shot.mkv" 25 1920x1080 mandelbrot
clip "phone-clip.mp4" 12 720x1280 testsrc
clip "teaser.m4v" 8 1280x720 rgbtestsrc
echo "not a video" > "$WORK/in/notes-final.mp4"

# A private settings folder: the screenshot never depends on (or changes) the user's.
export XDG_CONFIG_HOME="$WORK/config"
export QT_QPA_PLATFORMTHEME=""
xvfb-run -a -s "-screen 0 1280x760x24" bash -c '
  "$1" -geometry 1280x760+0+0 --output "$2/out" --ladder web --concurrency 2 --start --select 0 \
       "$3/in/city-walk.mp4" "$3/in/interview.mov" "$3/in/drone-shot.mkv" "$3/in/phone-clip.mp4" \
       "$3/in/teaser.m4v" "$3/in/notes-final.mp4" &
  app=$!
  sleep "$4"
  import -window root "$5"
  kill $app; wait $app || true
' _ "$APP" "$WORK" "$WORK" "$WAIT_SECONDS" "$WORK/shot.png"
# Keep the PNG small for git: 8-bit palette, strip metadata.
convert "$WORK/shot.png" -strip -colors 256 PNG8:"$OUT"
echo "screenshot: wrote $OUT ($(du -k "$OUT" | cut -f1) KB)"
