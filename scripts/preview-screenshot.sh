#!/usr/bin/env bash
# Regenerates docs/preview-switch.png and docs/preview-switch-dropdown.png: the real app under
# Xvfb (1280x760, no window manager), a 40 s 720p clip encoded with the `preview` preset, its
# Preview window opened with Ctrl+P, the network switched to 3G a few seconds into playback
# with the keyboard (Alt+N, Alt+Down, Down, Return), and the screen grabbed with the dropdown
# open (popups must be drawn, not black) and ~30 s later, after the switch down.
# Usage: scripts/preview-screenshot.sh [path/to/hlsforge] [OUT.png]
#        SCALE=1.5 for QT_SCALE_FACTOR=1.5; LADDER=preset-or-json for another ladder than
#        `preview` (e.g. a mixed H.264 + HEVC ladder, to see the codec readout and labels).
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${1:-${BUILD_DIR:-build}/app/gui/hlsforge}
OUT=${2:-docs/preview-switch.png}
[ -x "$APP" ] || { echo "preview-screenshot: $APP not built" >&2; exit 1; }
for tool in xvfb-run import xdotool ffmpeg; do
  command -v $tool >/dev/null || { echo "preview-screenshot: needs $tool (scripts/install-deps.sh)" >&2; exit 1; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/in" "$WORK/out" "$WORK/config"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=30" \
  -f lavfi -i "sine=frequency=330:sample_rate=48000" -t 40 \
  -c:v libx264 -preset ultrafast -g 60 -pix_fmt yuv420p -c:a aac -shortest "$WORK/in/city-walk.mp4"

export XDG_CONFIG_HOME="$WORK/config"
export QT_QPA_PLATFORMTHEME=""
[ -n "${SCALE:-}" ] && export QT_SCALE_FACTOR=$SCALE
export LADDER=${LADDER:-preview}
xvfb-run -a -s "-screen 0 1280x760x24" bash -c '
  "$1" --output "$2/out" --ladder "${LADDER:-preview}" --start --select 0 "$2/in/city-walk.mp4" &
  app=$!
  for i in $(seq 1 180); do [ -f "$2/out/city-walk/master.m3u8" ] && break; sleep 1; done
  sleep 4
  row_y=$(awk -v s="${QT_SCALE_FACTOR:-1}" "BEGIN { print int(143 * s) }")
  xdotool mousemove 300 "$row_y" click 1  # the queue row (a plain click, no window manager)
  xdotool key ctrl+p                    # Preview
  preview=$(xdotool search --sync --onlyvisible --name "^Preview" | head -1)
  xdotool windowfocus --sync "$preview"  # no window manager: give it the keyboard
  sleep 3
  xdotool key alt+n alt+Down            # the Network dropdown, open
  sleep 1
  import -window root "$3.dropdown.png"
  xdotool key Down Return               # 3G
  sleep 30
  import -window root "$3"
  kill $app; wait $app || true
' _ "$APP" "$WORK" "$WORK/shot.png"
cp "$WORK/shot.png" "$OUT"
cp "$WORK/shot.png.dropdown.png" "${OUT%.png}-dropdown.png"
echo "wrote $OUT and ${OUT%.png}-dropdown.png"
