#!/usr/bin/env bash
# Benchmark: the same ladder-shaped tree published to s3rver (loopback) by hlsforge-cli
# and by `rclone copy`, one after the other in one run, with the same parallelism (8) and
# part size (8 MiB). Both talk to s3rver directly (rclone sends unsigned payloads, which the
# verifying proxy of the tests would refuse), with s3rver's own default keys.
#
# Tree: 4 renditions × 120 segments of 150–450 KB (random bytes), their playlists, a
# master, and one 100 MB file. Prints wall time of each and the ratio; asserts nothing.
#
# (AWS_CA_BUNDLE is unset for rclone: its SDK refuses a custom bundle on an http endpoint.)
#
# Usage: bench/publish-vs-rclone.sh [path/to/hlsforge-cli]   (needs node_modules in tests/node
#        and the rclone Debian package; scripts/install-deps.sh installs it)
set -euo pipefail
cd "$(dirname "$0")/.."
CLI=${1:-build/app/cli/hlsforge-cli}
[ -x "$CLI" ] || { echo "no hlsforge-cli at $CLI (give its path)"; exit 2; }
command -v rclone >/dev/null || { echo "rclone is missing: apt-get install rclone"; exit 2; }
[ -d tests/node/node_modules/s3rver ] || (cd tests/node && npm install --no-audit --no-fund --loglevel=error)

WORK=$(mktemp -d)
HARNESS_PID=
cleanup() {
  [ -n "$HARNESS_PID" ] && kill "$HARNESS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "bench: building the tree in $WORK/tree"
TREE=$WORK/tree
for r in 0 1 2 3; do
  mkdir -p "$TREE/v$r"
  {
    echo "#EXTM3U"; echo "#EXT-X-VERSION:3"; echo "#EXT-X-TARGETDURATION:6"; echo "#EXT-X-PLAYLIST-TYPE:VOD"
    for s in $(seq -w 0 119); do
      size=$(( (150 + (10#$s * 7 + r * 31) % 300) * 1024 ))
      head -c "$size" /dev/urandom > "$TREE/v$r/seg_$s.ts"
      echo "#EXTINF:6.0,"; echo "seg_$s.ts"
    done
    echo "#EXT-X-ENDLIST"
  } > "$TREE/v$r/index.m3u8"
done
{
  echo "#EXTM3U"
  for r in 0 1 2 3; do echo "#EXT-X-STREAM-INF:BANDWIDTH=$(( (r + 1) * 800000 ))"; echo "v$r/index.m3u8"; done
} > "$TREE/master.m3u8"
mkdir -p "$TREE/download" && head -c 100000000 /dev/urandom > "$TREE/download/source.mp4"
FILES=$(find "$TREE" -type f | wc -l)
BYTES=$(du -sb "$TREE" | cut -f1)

# s3rver (through the harness, which also starts the proxy we do not use here).
mkfifo "$WORK/stdin"
node tests/node/s3-harness.js --bucket bench --access-key S3RVER --secret S3RVER --dir "$WORK/s3" \
  < "$WORK/stdin" > "$WORK/ports" 2> "$WORK/harness.err" &
HARNESS_PID=$!
exec 3> "$WORK/stdin" # keep the harness's stdin open until we exit
for _ in $(seq 100); do [ -s "$WORK/ports" ] && break; sleep 0.1; done
S3_PORT=$(sed -E 's/.*"s3Port":([0-9]+).*/\1/' "$WORK/ports")
ENDPOINT=http://127.0.0.1:$S3_PORT
echo "bench: s3rver at $ENDPOINT; $FILES files, $((BYTES / 1000000)) MB"

now() { date +%s.%N; }
hlsforge_publish() {
  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER \
    "$CLI" publish "$TREE" --to "s3://bench/$1" --endpoint "$ENDPOINT" --parallel 8 --progress none > /dev/null 2>&1
}
export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other
export RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=S3RVER RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=S3RVER
export RCLONE_CONFIG_BENCH_ENDPOINT=$ENDPOINT RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true
rclone_copy() {
  env -u AWS_CA_BUNDLE rclone copy "$TREE" "bench:bench/$1" --config /dev/null --transfers 8 --checkers 8 \
    --s3-upload-cutoff 8M --s3-chunk-size 8M --s3-upload-concurrency 8
}
timed() { local t0 t1; t0=$(now); "$@"; t1=$(now); awk "BEGIN { printf \"%.3f\", $t1 - $t0 }"; }

# Rounds alternate which tool goes first (the machine may be shared: take medians).
ROUNDS=${ROUNDS:-3}
H=() R=() H2=() R2=()
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then
    H+=("$(timed hlsforge_publish "h$round")"); R+=("$(timed rclone_copy "r$round")")
  else
    R+=("$(timed rclone_copy "r$round")"); H+=("$(timed hlsforge_publish "h$round")")
  fi
  # A re-run with nothing to do: list, compare, upload nothing.
  H2+=("$(timed hlsforge_publish "h$round")"); R2+=("$(timed rclone_copy "r$round")")
  echo "bench: round $round: hlsforge ${H[-1]} s, rclone ${R[-1]} s; re-run ${H2[-1]} s / ${R2[-1]} s"
done

# Same objects on both sides?
count() { curl -s "$ENDPOINT/bench?list-type=2&prefix=$1/&max-keys=1000" | grep -o '<Key>' | wc -l; }
python3 - "$FILES" "$BYTES" "$(count h1)" "$(count r1)" "${H[*]}" "${R[*]}" "${H2[*]}" "${R2[*]}" <<'PY'
import statistics, sys
files, size, nh, nr = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
h, r, h2, r2 = (statistics.median(map(float, a.split())) for a in sys.argv[5:9])
print(f"\n{files} files, {size / 1e6:.0f} MB, parallel 8, 8 MiB parts, s3rver on loopback, median of {len(sys.argv[5].split())} rounds")
print("| run | hlsforge-cli publish | rclone copy | hlsforge / rclone |")
print("|---|---|---|---|")
print(f"| first upload | {h:.2f} s ({size / h / 1e6:.0f} MB/s) | {r:.2f} s ({size / r / 1e6:.0f} MB/s) | {h / r:.2f} |")
print(f"| re-run, nothing to do | {h2:.2f} s | {r2:.2f} s | {h2 / r2:.2f} |")
print(f"objects listed: hlsforge {nh}, rclone {nr} (of {files})")
PY
