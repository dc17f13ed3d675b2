#!/usr/bin/env python3
"""How fast `hlsforge-cli check` reads a ladder, side by side with the independent reader
everyone has: ffprobe listing every packet (-show_packets, flags and timestamps, no decoding)
of every variant — the least work any IDR/alignment check needs. Target (issue 15): a 3-rung
10-minute ladder from a folder in under 20 s.

Usage: bench/check-speed.py [--minutes M] [--cli build/app/cli/hlsforge-cli]"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from benchlib import run_measured  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--cli", default="build/app/cli/hlsforge-cli")
    args = ap.parse_args()
    seconds = int(args.minutes * 60)
    with tempfile.TemporaryDirectory() as work:
        src = os.path.join(work, "source.mp4")
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i",
                        "sine=frequency=440:sample_rate=48000", "-t", str(seconds), "-c:v",
                        "libx264", "-preset", "ultrafast", "-c:a", "aac", src], check=True)
        ladder_json = os.path.join(work, "ladder.json")
        with open(ladder_json, "w") as f:
            json.dump({"segmentSeconds": 6, "x264Preset": "ultrafast", "renditions": [
                {"name": "360p", "height": 360, "videoKbps": 800},
                {"name": "240p", "height": 240, "videoKbps": 400},
                {"name": "144p", "height": 144, "videoKbps": 150}]}, f)
        ladder = os.path.join(work, "ladder")
        subprocess.run([args.cli, "transcode", src, "--out", ladder, "--ladder", ladder_json,
                        "--progress", "none"], check=True)
        # Warm the page cache the same way for both readers.
        for root, _, files in os.walk(ladder):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    f.read()
        check_wall, check_cpu, _ = run_measured([args.cli, "check", ladder, "--json"])
        variants = sorted(d for d in os.listdir(ladder)
                          if os.path.isfile(os.path.join(ladder, d, "index.m3u8")))

        probe_wall, probe_cpu, _ = run_measured([sys.executable, "-c", (
            "import subprocess,sys\n"
            f"for p in {[os.path.join(ladder, v, 'index.m3u8') for v in variants]!r}:\n"
            "    subprocess.run(['ffprobe','-v','error','-show_packets','-show_entries',"
            "'packet=pts,flags',p],stdout=subprocess.DEVNULL,check=True)\n")])
        print(f"{len(variants)} variants, {seconds} s of media")
        print(f"hlsforge-cli check         {check_wall:6.2f} s wall {check_cpu:6.2f} s CPU "
              f"(target < 20 s)")
        print(f"ffprobe -show_packets x{len(variants)}  {probe_wall:6.2f} s wall {probe_cpu:6.2f} s CPU")
        print(f"ratio check / ffprobe: {check_wall / probe_wall:.2f}x wall, "
              f"{check_cpu / probe_cpu:.2f}x CPU")


if __name__ == "__main__":
    main()
