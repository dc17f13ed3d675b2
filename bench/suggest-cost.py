#!/usr/bin/env python3
"""Benchmark: what suggesting a ladder costs next to encoding it (issue 15 part 2: analysis at
most 30 % of the suggested ladder's own encode, on a 60 s 1080p source).

Runs `hlsforge-cli suggest` on the benchmarks' shared source (1080p30 testsrc2 + temporal noise,
AAC; benchlib.make_noisy_source), then `hlsforge-cli transcode --ladder` with the suggested
ladder, and prints wall and CPU time of both and their ratios, plus the suggested rungs.
Timing is never asserted: read it.

Usage: bench/suggest-cost.py [--cli build/app/cli/hlsforge-cli] [--seconds 60] [--work DIR]
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time

from benchlib import make_noisy_source, run_measured


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/app/cli/hlsforge-cli")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    cli = os.path.abspath(args.cli)
    work = args.work or tempfile.mkdtemp(prefix="hlsforge-bench-")
    os.makedirs(work, exist_ok=True)
    src = make_noisy_source(os.path.join(work, f"source-1080p-{args.seconds}s.mp4"), args.seconds)

    # The analysis, timed like the encode (wall and CPU of the process); its stdout is the ladder.
    ladder_path = os.path.join(work, "suggested.json")
    start = time.monotonic()
    before = os.times()
    with open(ladder_path, "w") as out:
        proc = subprocess.run([cli, "suggest", src, "--progress", "none"], stdout=out,
                              stderr=subprocess.PIPE, text=True)
    after = os.times()
    suggest_wall = time.monotonic() - start
    suggest_cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if proc.returncode != 0:
        raise SystemExit(f"suggest failed:\n{proc.stderr[-3000:]}")
    print(proc.stderr)

    out_dir = os.path.join(work, "suggested-ladder")
    shutil.rmtree(out_dir, ignore_errors=True)
    enc_wall, enc_cpu, enc_rss = run_measured([cli, "transcode", src, "--out", out_dir, "--ladder", ladder_path,
                                               "--progress", "none"])
    with open(ladder_path) as f:
        rungs = json.load(f)["renditions"]
    print("suggested ladder: " + ", ".join(f"{r['height']}p {r['videoKbps']} kb/s" for r in rungs))
    print(f"suggest:   wall {suggest_wall:7.1f} s  CPU {suggest_cpu:7.1f} s")
    print(f"transcode: wall {enc_wall:7.1f} s  CPU {enc_cpu:7.1f} s  peak RSS {enc_rss:.0f} MiB")
    print(f"analysis / encode: wall {suggest_wall / enc_wall:.2f}  CPU {suggest_cpu / enc_cpu:.2f}  (target <= 0.30)")


if __name__ == "__main__":
    main()
