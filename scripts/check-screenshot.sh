#!/usr/bin/env bash
# Regenerates docs/check-window.png: the real app under Xvfb (no window manager), a ladder
# made by ffmpeg's hls muxer with its defaults (one segment deleted), checked from
# File > Check a ladder or URL… (Ctrl+Shift+H, path typed, Return), the screen grabbed.
# Usage: scripts/check-screenshot.sh [path/to/hlsforge] [OUT.png]   SCALE=1.5 for 1.5x.
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${1:-${BUILD_DIR:-build}/app/gui/hlsforge}
OUT=${2:-docs/check-window.png}
[ -x "$APP" ] || { echo "check-screenshot: $APP not built" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/ladder" "$WORK/config"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=30" \
  -f lavfi -i "sine=frequency=330:sample_rate=48000" -t 12 -map 0:v -map 1:a -map 0:v -map 1:a \
  -c:v libx264 -preset ultrafast -g 60 -b:v:0 2000k -s:v:1 640x360 -b:v:1 700k -c:a aac -b:a 96k \
  -f hls -hls_playlist_type vod -var_stream_map "v:0,a:0 v:1,a:1" -master_pl_name master.m3u8 \
  "$WORK/ladder/%v/index.m3u8"
rm "$WORK/ladder/1/index3.ts"
export XDG_CONFIG_HOME="$WORK/config" QT_QPA_PLATFORMTHEME=""
[ -n "${SCALE:-}" ] && export QT_SCALE_FACTOR=$SCALE
xvfb-run -a -s "-screen 0 1280x760x24" bash -c '
  "$1" &
  app=$!
  main=$(xdotool search --sync --onlyvisible --name "HLS Forge" | head -1)
  xdotool windowfocus --sync "$main"
  xdotool key ctrl+shift+h
  check=$(xdotool search --sync --onlyvisible --name "^Check a ladder" | head -1)
  xdotool windowfocus --sync "$check"
  xdotool type --delay 5 "$2/ladder"
  xdotool key Return
  sleep 6
  import -window root "$3"
  kill $app; wait $app || true
' _ "$APP" "$WORK" "$WORK/shot.png"
cp "$WORK/shot.png" "$OUT"
echo "wrote $OUT"
