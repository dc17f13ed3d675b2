#!/usr/bin/env python3
"""Where the CPU goes: the 4-rung ladder of ladder-vs-ffmpeg.py made by hlsforge-cli and by one
ffmpeg process, each under `perf record`, side by side per shared object (CPU seconds) and the
top symbols outside the encoder. x264's own work is the same on both sides, so what differs is
the pipeline around it: decode, scaling, copies, threads waking each other.

Needs `perf` (Debian: linux-perf) and kernel.perf_event_paranoid <= 1 (or root).
Usage: bench/profile-ladder.py [--cli build/app/cli/hlsforge-cli] [--seconds 12] [--work DIR]
"""
import argparse
import os
import re
import subprocess
import tempfile

from benchlib import ffmpeg_single_ladder, make_noisy_source, write_x264_ladder, run_measured

RUNGS = [(1920, 1080, 5000), (1280, 720, 3000), (854, 480, 1200), (640, 360, 600)]
COMMON_X264 = ["-c:v", "libx264", "-preset", "veryfast", "-force_key_frames", "expr:gte(t,n_forced*2)",
               "-sc_threshold", "0", "-pix_fmt", "yuv420p"]


def report(data, key):
    out = subprocess.run(["perf", "report", "-i", data, "--stdio", "-q", "--sort", key,
                          "--percent-limit", "0.5"], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*([0-9.]+)%\s+(.*\S)", line)
        if m:
            rows.append((float(m.group(1)), m.group(2)))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/app/cli/hlsforge-cli")
    ap.add_argument("--seconds", type=int, default=12)
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    cli = os.path.abspath(args.cli)
    work = args.work or tempfile.mkdtemp(prefix="hlsforge-profile-")
    os.makedirs(work, exist_ok=True)
    src = make_noisy_source(os.path.join(work, f"source-1080p-{args.seconds}s.mp4"), args.seconds)
    ladder_path = write_x264_ladder(os.path.join(work, "bench-ladder.json"), RUNGS)

    perf = ["perf", "record", "-q", "-F", "997", "-o"]
    sides = {}
    data = os.path.join(work, "hlsforge.perf")
    out = os.path.join(work, "hlsforge")
    subprocess.run(["rm", "-rf", out])
    sides["hlsforge"] = (data, run_measured(perf + [data, "--", cli, "transcode", src, "--out", out,
                                                    "--ladder", ladder_path, "--progress", "none"]))
    data = os.path.join(work, "ffmpeg.perf")
    sides["ffmpeg"] = (data, ffmpeg_single_ladder(src, os.path.join(work, "ffmpeg"), RUNGS, COMMON_X264,
                                                  wrapper=perf + [data, "--"]))

    print(f"\nsource: {args.seconds} s 1080p30, 4 rungs x264 veryfast, {os.cpu_count()} cores, "
          f"perf at 997 Hz (the perf process itself included in CPU s)\n")
    dsos = {}
    for name, (data, (wall, cpu, _)) in sides.items():
        print(f"{name}: wall {wall:.1f} s, CPU {cpu:.1f} s")
        for pct, dso in report(data, "dso"):
            dsos.setdefault(dso, {})[name] = pct * cpu / 100
    print("\n| shared object | hlsforge CPU s | ffmpeg CPU s |")
    print("|---|---:|---:|")
    for dso, v in sorted(dsos.items(), key=lambda kv: -max(kv[1].values())):
        print(f"| {dso} | {v.get('hlsforge', 0):.2f} | {v.get('ffmpeg', 0):.2f} |")
    for name, (data, (wall, cpu, _)) in sides.items():
        print(f"\n{name}: top symbols outside libx264 (CPU s)")
        for pct, sym in report(data, "dso,sym")[:40]:
            if "libx264" in sym:
                continue
            print(f"  {pct * cpu / 100:6.2f}  {sym}")


if __name__ == "__main__":
    main()
