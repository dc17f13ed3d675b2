#!/usr/bin/env bash
# Regenerates docs/preview-switch.png: the real app under Xvfb, a clip encoded with the
# `preview` preset, its Preview window opened with Ctrl+P, the network switched to 3G mid-play
# through the dropdown (keyboard, as a user would), and the whole screen grabbed once the
# player has switched down. Also grabs the open dropdown (popups must not be black).
# Usage: scripts/preview-screenshot.sh [path/to/hlsforge] [OUT.png]
#        SCALE=1.5 for QT_SCALE_FACTOR=1.5; SCREEN=1280x760 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${1:-${BUILD_DIR:-build}/app/gui/hlsforge}
OUT=${2:-docs/preview-switch.png}
SCREEN=${SCREEN:-1280x760}
[ -x "$APP" ] || { echo "preview-screenshot: $APP not built" >&2; exit 1; }
for tool in xvfb-run import xdotool ffmpeg; do
  command -v $tool >/dev/null || { echo "preview-screenshot: needs $tool (scripts/install-deps.sh)" >&2; exit 1; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/in" "$WORK/out" "$WORK/config"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=30" \
  -f lavfi -i "sine=frequency=330:sample_rate=48000" -t 30 \
  -c:v libx264 -preset ultrafast -g 60 -pix_fmt yuv420p -c:a aac -shortest "$WORK/in/city-walk.mp4"

export XDG_CONFIG_HOME="$WORK/config"
export QT_QPA_PLATFORMTHEME=""
[ -n "${SCALE:-}" ] && export QT_SCALE_FACTOR=$SCALE
xvfb-run -a -s "-screen 0 ${SCREEN}x24" bash -c '
  set -e
  "$1" --output "$2/out" --ladder preview --start --select 0 "$2/in/city-walk.mp4" &
  app=$!
  for i in $(seq 1 120); do [ -f "$2/out/city-walk/master.m3u8" ] && break; sleep 1; done
  sleep 3
  main=$(xdotool search --sync --onlyvisible --name "HLS Forge" | head -1)
  xdotool windowactivate --sync "$main" 2>/dev/null || xdotool windowfocus --sync "$main"
  xdotool key --window "$main" ctrl+p
  preview=$(xdotool search --sync --onlyvisible --name "Preview" | head -1)
  xdotool windowactivate --sync "$preview" 2>/dev/null || xdotool windowfocus --sync "$preview"
  sleep 6                                   # playing on Unlimited
  # Tab to the Network dropdown and open it (the popup must be drawn, not black).
  for n in 1 2 3; do xdotool key --window "$preview" Tab; done
  xdotool key --window "$preview" alt+Down
  sleep 1
  import -window root "$3.dropdown.png"
  xdotool key --window "$preview" Down Return   # 3G
  sleep 16                                  # switches down on 3G and keeps playing
  import -window root "$3"
  kill $app; wait $app || true
' _ "$APP" "$WORK" "$WORK/shot.png"
cp "$WORK/shot.png" "$OUT"
cp "$WORK/shot.png.dropdown.png" "${OUT%.png}-dropdown.png"
echo "wrote $OUT and ${OUT%.png}-dropdown.png"
