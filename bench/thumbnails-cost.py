#!/usr/bin/env python3
"""Benchmark: what the seek thumbnails (ladder "thumbnails", on by default) cost.

The 4-rung ladder of bench/ladder-vs-ffmpeg.py (1080p 5000k, 720p 3000k, 480p 1200k, 360p
600k; x264 veryfast; 6 s TS segments) from the benchmarks' 1080p30 noisy source, made by
hlsforge-cli with --no-thumbnails and with thumbnails, alternately (A B A B ...) so that drift
in the machine's load falls on both. Prints wall time, CPU time and peak RSS of each run and
the median ratios side by side (issue 14: thumbnails add at most 3 % wall time), plus what was
written in thumbs/. Timing is never asserted: read it.

Usage: bench/thumbnails-cost.py [--cli build/app/cli/hlsforge-cli] [--seconds 30] [--pairs 2] [--work DIR]
"""
import argparse
import json
import os
import shutil
import statistics
import tempfile

from benchlib import make_noisy_source, run_measured, write_x264_ladder

RUNGS = [(1920, 1080, 5000), (1280, 720, 3000), (854, 480, 1200), (640, 360, 600)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/app/cli/hlsforge-cli")
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--pairs", type=int, default=2, help="runs of each, interleaved")
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    cli = os.path.abspath(args.cli)
    work = args.work or tempfile.mkdtemp(prefix="hlsforge-bench-")
    os.makedirs(work, exist_ok=True)
    src = make_noisy_source(os.path.join(work, f"source-1080p-{args.seconds}s.mp4"), args.seconds)
    ladder_path = write_x264_ladder(os.path.join(work, "bench-ladder.json"), RUNGS)

    runs = {"off": [], "on": []}
    for i in range(args.pairs):
        for mode in ("off", "on"):
            out = os.path.join(work, f"hlsforge-thumbs-{mode}")
            shutil.rmtree(out, ignore_errors=True)
            cmd = [cli, "transcode", src, "--out", out, "--ladder", ladder_path, "--progress", "none",
                   "--no-check", "--no-player"] + (["--no-thumbnails"] if mode == "off" else [])
            runs[mode].append(run_measured(cmd))
            w, c, r = runs[mode][-1]
            print(f"run {i + 1} thumbnails {mode:3}: wall {w:6.1f} s  CPU {c:6.1f} s  peak RSS {r:5.0f} MiB",
                  flush=True)

    def median(mode, k):
        return statistics.median(run[k] for run in runs[mode])

    print(f"\nsource: {args.seconds} s 1080p30, 4 rungs, x264 veryfast, {os.cpu_count()} cores, "
          f"{args.pairs} runs each (median)\n")
    print("| thumbnails | wall s | CPU s | peak RSS MiB |")
    print("|---|---:|---:|---:|")
    for mode in ("off", "on"):
        print(f"| {mode} | {median(mode, 0):.1f} | {median(mode, 1):.1f} | {median(mode, 2):.0f} |")
    print(f"\nthumbnails: wall {median('on', 0) / median('off', 0):.3f}x (target <= 1.03), "
          f"CPU {median('on', 1) / median('off', 1):.3f}x, "
          f"peak RSS {median('on', 2) / median('off', 2):.2f}x")
    thumbs = os.path.join(work, "hlsforge-thumbs-on", "thumbs")
    sheets = sorted(f for f in os.listdir(thumbs) if f.endswith(".jpg"))
    size = sum(os.path.getsize(os.path.join(thumbs, f)) for f in sheets)
    with open(os.path.join(thumbs, "thumbnails.vtt")) as f:
        tiles = f.read().count("#xywh=")
    print(f"written: {tiles} tiles in {len(sheets)} sheets, {size / 1024:.0f} KiB in all")


if __name__ == "__main__":
    main()
