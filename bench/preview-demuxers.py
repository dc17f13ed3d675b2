#!/usr/bin/env python3
"""GStreamer's two HLS demuxers side by side through the preview server, in one run.

classic `hlsdemux` (what `playbin` and Qt 6.4's QMediaPlayer, which builds its pipeline on
uridecodebin, end up using) against `hlsdemux2` (adaptivedemux2, used by `playbin3`), each
played in real time (sync sinks, no sound card) from `hlsforge-cli serve --profile P` on the
same small 3-rung ladder. From the server's own request log and the wall clock it prints, per
profile and demuxer: seconds from start to EOS beyond the clip's length (start-up + stalls),
first downswitch time, segments fetched per rung, abandoned (incomplete) fetches, megabytes
fetched. Measures and prints; asserts nothing.

Usage: bench/preview-demuxers.py [--cli build/app/cli/hlsforge-cli] [--seconds 32]
                                 [--profile "Step down"] [--profile 3G] ...
Needs: ffmpeg, gst-launch-1.0 (gstreamer1.0-tools), gstreamer1.0-plugins-good/bad/ugly/libav.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def make_ladder(cli, work, seconds):
    src = os.path.join(work, "input.mp4")
    run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
         "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
         "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", src])
    ladder = os.path.join(work, "ladder.json")
    with open(ladder, "w") as f:
        json.dump({"segmentSeconds": 2, "x264Preset": "ultrafast", "audioKbps": 64,
                   "renditions": [{"name": "360p", "height": 360, "videoKbps": 1500},
                                  {"name": "240p", "height": 240, "videoKbps": 500},
                                  {"name": "144p", "height": 144, "videoKbps": 150}]}, f)
    out = os.path.join(work, "ladder")
    run([cli, "transcode", src, "--out", out, "--ladder", ladder, "--progress", "none"])
    return out


def play(cli, ladder, profile, element, clip_seconds):
    serve = subprocess.Popen([cli, "serve", ladder, "--profile", profile],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = serve.stdout.readline().strip()
    events = []

    def collect():
        for line in serve.stdout:
            try:
                events.append(json.loads(line))
            except ValueError:
                pass

    reader = threading.Thread(target=collect, daemon=True)
    reader.start()
    # The profile's clock started when the server did; playback starts now, so the step of
    # "Step down" lands a moment earlier in the clip than in `hlsforge-cli qoe`. Same for both.
    started = time.monotonic()
    server_t0 = None
    gst = subprocess.run(["gst-launch-1.0", "-q", element, "uri=" + url,
                          "video-sink=\"fakesink sync=true\"", "audio-sink=\"fakesink sync=true\""],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=clip_seconds * 4 + 60)
    wall = time.monotonic() - started
    time.sleep(0.5)
    serve.terminate()
    serve.wait(10)
    reader.join(5)
    segments = [e for e in events if e.get("kind") == "segment" and e.get("rendition", -1) >= 0]
    if segments:
        server_t0 = min(e["t"] for e in events)
    first_down = None
    previous = None
    for e in segments:
        if previous is not None and e["rendition"] > previous and first_down is None:
            first_down = e["t"] - server_t0
        previous = e["rendition"]
    per_rung = {}
    for e in segments:
        per_rung[e["rendition"]] = per_rung.get(e["rendition"], 0) + 1
    return {
        "ok": gst.returncode == 0,
        "extra": wall - clip_seconds,
        "first_down": first_down,
        "per_rung": per_rung,
        "abandoned": sum(1 for e in segments if not e.get("complete", True)),
        "mb": sum(e.get("bytes", 0) for e in segments) / 1e6,
        "segments": len(segments),
        "error": "" if gst.returncode == 0 else gst.stdout.strip().splitlines()[-1:],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/app/cli/hlsforge-cli")
    ap.add_argument("--seconds", type=float, default=32)
    ap.add_argument("--profile", action="append")
    args = ap.parse_args()
    profiles = args.profile or ["Step down", "3G", "Sawtooth"]
    with tempfile.TemporaryDirectory() as work:
        ladder = make_ladder(args.cli, work, args.seconds)
        print(f"clip {args.seconds:.0f} s, rungs 360p/240p/144p (1500/500/150 kb/s + 64 kb/s audio)")
        print(f"{'profile':10} {'demuxer':22} {'EOS-clip s':>10} {'1st down s':>10} "
              f"{'segs 360/240/144':>17} {'abandoned':>9} {'MB':>6}")
        for profile in profiles:
            rows = {}
            for element, name in (("playbin", "hlsdemux (playbin)"), ("playbin3", "hlsdemux2 (playbin3)")):
                r = play(args.cli, ladder, profile, element, args.seconds)
                rows[name] = r
                segs = "/".join(str(r["per_rung"].get(i, 0)) for i in range(3))
                down = "-" if r["first_down"] is None else f"{r['first_down']:.1f}"
                status = "" if r["ok"] else f"  FAILED {r['error']}"
                print(f"{profile:10} {name:22} {r['extra']:10.1f} {down:>10} {segs:>17} "
                      f"{r['abandoned']:9d} {r['mb']:6.2f}{status}", flush=True)
            a, b = rows["hlsdemux (playbin)"], rows["hlsdemux2 (playbin3)"]
            if a["extra"] > 0 and b["extra"] > 0:
                print(f"{'':10} ratio start-up+stalls hlsdemux2/hlsdemux: {b['extra'] / a['extra']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
