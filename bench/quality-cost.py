#!/usr/bin/env python3
"""Benchmark: what measuring quality (ladder "measureQuality", CLI --quality) costs.

The 4-rung ladder of bench/ladder-vs-ffmpeg.py (1080p 5000k, 720p 3000k, 480p 1200k, 360p
600k; x264 veryfast; 6 s segments) from the same kind of source (1080p30 testsrc2 + temporal
noise, AAC), made by hlsforge-cli without and with --quality, alternately (A B A B ...) so
that drift in the machine's load falls on both. Prints wall time, CPU time and peak RSS of each
run, the median ratios (issue 15: wall at most 1.25x), and the 720p rung's PSNR from
quality.json beside FFmpeg's own psnr filter on the same files. Timing is never asserted: read it.

Usage: bench/quality-cost.py [--cli build/app/cli/hlsforge-cli] [--seconds 30] [--pairs 2] [--work DIR]
"""
import argparse
import json
import os
import shutil
import statistics
import tempfile

from benchlib import make_noisy_source, psnr, run_measured

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
    src = make_noisy_source(os.path.join(work, f"source-1080p-{args.seconds}s-bt709.mp4"), args.seconds,
                            extra=["-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709"])

    ladder = {"segmentSeconds": 6, "segmentFormat": "ts", "x264Preset": "veryfast", "audioKbps": 128,
              "renditions": [{"height": h, "videoKbps": k, "maxKbps": int(k * 1.1)} for (_, h, k) in RUNGS]}
    ladder_path = os.path.join(work, "bench-ladder.json")
    with open(ladder_path, "w") as f:
        json.dump(ladder, f)

    runs = {"off": [], "on": []}
    for i in range(args.pairs):
        for mode in ("off", "on"):
            out = os.path.join(work, f"hlsforge-quality-{mode}")
            shutil.rmtree(out, ignore_errors=True)
            cmd = [cli, "transcode", src, "--out", out, "--ladder", ladder_path, "--progress", "none",
                   "--no-check"] + (["--quality"] if mode == "on" else [])
            runs[mode].append(run_measured(cmd))
            w, c, r = runs[mode][-1]
            print(f"run {i + 1} quality {mode:3}: wall {w:6.1f} s  CPU {c:6.1f} s  peak RSS {r:5.0f} MiB",
                  flush=True)

    def median(mode, k):
        return statistics.median(run[k] for run in runs[mode])

    print(f"\nsource: {args.seconds} s 1080p30, 4 rungs, x264 veryfast, {os.cpu_count()} cores, "
          f"{args.pairs} runs each (median)\n")
    print("| quality | wall s | CPU s | peak RSS MiB |")
    print("|---|---:|---:|---:|")
    for mode in ("off", "on"):
        print(f"| {mode} | {median(mode, 0):.1f} | {median(mode, 1):.1f} | {median(mode, 2):.0f} |")
    print(f"\nmeasuring quality: wall {median('on', 0) / median('off', 0):.3f}x (target <= 1.25), "
          f"CPU {median('on', 1) / median('off', 1):.3f}x, "
          f"peak RSS {median('on', 2) / median('off', 2):.2f}x")

    with open(os.path.join(work, "hlsforge-quality-on", "quality.json")) as f:
        report = json.load(f)
    ours = next(r for r in report["renditions"] if r["name"] == "720p")
    theirs = psnr(os.path.join(work, "hlsforge-quality-on", "720p", "index.m3u8"), src, 1280, 720)
    print(f"720p PSNR average: quality.json {ours['psnr']['average']:.3f} dB, "
          f"ffmpeg psnr filter {theirs:.3f} dB; SSIM All {ours['ssim']['all']:.4f}; "
          f"{len(ours['segments'])} segments")


if __name__ == "__main__":
    main()
