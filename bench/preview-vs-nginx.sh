#!/usr/bin/env bash
# Benchmark: the preview server (hlsforge-cli serve, unlimited profile) against nginx
# (Debian package) serving the same folder on loopback, both driven by wrk in one run:
# requests/s and MB/s for a 1 MB segment and a small playlist, at 1 and 32 connections,
# and the ratio ours/nginx (target >= 0.5x). Timing is reported, never asserted.
#
# Usage: bench/preview-vs-nginx.sh [--cli build/app/cli/hlsforge-cli] [--seconds 5]
# Needs: nginx (or nginx-light) and wrk, e.g. `apt-get install nginx-light wrk`.
set -euo pipefail
cd "$(dirname "$0")/.."

CLI=build/app/cli/hlsforge-cli
SECONDS_EACH=5
while [ $# -gt 0 ]; do
  case "$1" in
    --cli) CLI=$2; shift 2 ;;
    --seconds) SECONDS_EACH=$2; shift 2 ;;
    *) echo "usage: $0 [--cli PATH] [--seconds N]" >&2; exit 2 ;;
  esac
done
for tool in nginx wrk; do
  command -v "$tool" >/dev/null || { echo "$0: $tool not found (apt-get install nginx-light wrk)" >&2; exit 2; }
done
[ -x "$CLI" ] || { echo "$0: $CLI not built" >&2; exit 2; }

WORK=$(mktemp -d)
OUR_PID=""
NGINX_PID=""
cleanup() {
  [ -n "$OUR_PID" ] && kill "$OUR_PID" 2>/dev/null && wait "$OUR_PID" 2>/dev/null
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# The folder: one 1 MB segment and a ~400 byte media playlist.
mkdir -p "$WORK/site/720p"
head -c 1048576 /dev/urandom > "$WORK/site/720p/seg_00001.ts"
{
  printf '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n'
  for i in 1 2 3 4 5 6 7 8 9 10; do printf '#EXTINF:6.000,\nseg_%05d.ts\n' "$i"; done
  printf '#EXT-X-ENDLIST\n'
} > "$WORK/site/720p/index.m3u8"
chmod -R a+rX "$WORK"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }

# nginx: tuned the way a static file server usually is (sendfile, no access log, keep-alive).
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
USER_LINE=""
[ "$(id -u)" = 0 ] && USER_LINE="user root;"
cat > "$WORK/nginx/nginx.conf" <<CONF
$USER_LINE
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000;
  client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp; uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/site; }
}
CONF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!

OUR_PORT=$(free_port)
# The JSON request log goes to /dev/null but is still produced: it is part of the cost.
"$CLI" serve "$WORK/site" --port "$OUR_PORT" > /dev/null 2> "$WORK/serve.err" &
OUR_PID=$!
wait_port "$NGINX_PORT" || { echo "nginx did not start"; cat "$WORK/nginx/logs/error.log"; exit 1; }
wait_port "$OUR_PORT" || { echo "hlsforge-cli serve did not start"; cat "$WORK/serve.err"; exit 1; }

# Same bytes from both, or the comparison means nothing.
for path in 720p/seg_00001.ts 720p/index.m3u8; do
  cmp <(curl -s "http://127.0.0.1:$NGINX_PORT/$path") <(curl -s "http://127.0.0.1:$OUR_PORT/$path") \
    || { echo "the two servers differ on $path"; exit 1; }
done

# wrk prints "Requests/sec: N" and "Transfer/sec: N.NNMB" (or KB/GB).
run_wrk() { # port path connections -> "req/s MB/s"
  local threads=$(( $3 < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$3" -d"${SECONDS_EACH}s" "http://127.0.0.1:$1/$2" 2>&1 | awk '
    /^Requests\/sec:/ { rps = $2 }
    /^Transfer\/sec:/ { v = $2; unit = substr(v, length(v) - 1); n = substr(v, 1, length(v) - 2) + 0;
                        if (unit == "GB") n *= 1024; else if (unit == "KB") n /= 1024; else if (unit != "MB") n /= 1048576;
                        mbps = n }
    END { printf "%.0f %.1f\n", rps, mbps }'
}

echo "preview server vs nginx $(nginx -v 2>&1 | sed 's/.*\///'), wrk ${SECONDS_EACH} s per cell, $(nproc) cores, loopback"
printf '%-22s %5s | %10s %9s | %10s %9s | %7s %7s\n' "file" "conns" "nginx r/s" "MB/s" "ours r/s" "MB/s" "r/s x" "MB/s x"
for spec in "1 MB segment:720p/seg_00001.ts" "playlist (~0.4 KB):720p/index.m3u8"; do
  label=${spec%%:*}; path=${spec#*:}
  for conns in 1 32; do
    read -r n_rps n_mb <<< "$(run_wrk "$NGINX_PORT" "$path" "$conns")"
    read -r o_rps o_mb <<< "$(run_wrk "$OUR_PORT" "$path" "$conns")"
    printf '%-22s %5s | %10s %9s | %10s %9s | %7s %7s\n' "$label" "$conns" "$n_rps" "$n_mb" "$o_rps" "$o_mb" \
      "$(awk -v a="$o_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" \
      "$(awk -v a="$o_mb" -v b="$n_mb" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
  done
done
