#!/usr/bin/env python3
"""Benchmark: a chunked encode (plan / encode per index / assemble) against the one-process
transcode of the same ladder, on this machine.

Source: 60 s 1080p30 (testsrc2 + temporal noise, AAC; benchlib.make_noisy_source), written as a
camera writes it (`--source camera`, the default: a keyframe every second, 20 Mb/s) or as the
other benches' CRF 16 source (`--source noisy`: 150 Mb/s, 8 s GOPs, the worst case).
Ladder: 1080p 5000k, 720p 3000k, 480p 1200k, 360p 600k; x264 veryfast; 6 s TS segments.
Chunked: `plan --chunk-seconds 30` (2 video chunks + the audio index: the product's default ~60 s
chunk would leave a 60 s source whole; 30 s gives a join and one chunk per worker), then every
index as its own `encode --index I` process, 2 at a time (what `encode --all --parallel 2` does,
run here so each index's wall and CPU time is measured by wait4), then `assemble`. Shorter
chunks cost more: every process starts its encoders again (about 4 CPU-s for this ladder here)
and decodes from the source keyframe before its chunk (`--chunk-seconds 12` measured 1.135x CPU
with the camera source).

Prints: total CPU of all processes (getrusage(RUSAGE_CHILDREN) deltas) and its ratio to the
one-process transcode (target <= 1.10), the wall ratio, PSNR of the 720p rung of both against the
scaled source (target: within 0.1 dB), and from the measured per-index times the projected wall
time with 10 and 100 workers (plan + slowest index + assemble) for this source and for a 2-hour
film, and the speed-up that implies. Timing is never asserted: read it.

Usage: bench/cluster-vs-single.py [--cli build/app/cli/hlsforge-cli] [--seconds 60]
       [--chunk-seconds 30] [--workers 2] [--work DIR] [--source camera|noisy]
"""
import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from benchlib import make_noisy_source, psnr, write_x264_ladder

RUNGS = [(1920, 1080, 5000), (1280, 720, 3000), (854, 480, 1200), (640, 360, 600)]


def children_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def run(cmd):
    """Runs cmd to the end; returns (wall s, CPU s) of it (getrusage deltas)."""
    cpu0, t0 = children_cpu(), time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr[-3000:]}")
    return time.monotonic() - t0, children_cpu() - cpu0, r.stdout


def run_indices(cli, plan, indices, workers):
    """Every index as its own process, `workers` at a time; {index: (wall s, CPU s)}."""
    pending, running, times = list(range(indices)), {}, {}
    while pending or running:
        while pending and len(running) < workers:
            i = pending.pop(0)
            log = open(f"{plan}.index-{i}.log", "w+")  # a file: a full pipe would stall the child
            p = subprocess.Popen([cli, "encode", "--plan", plan, "--index", str(i), "--progress", "none"],
                                 stdout=subprocess.DEVNULL, stderr=log)
            running[p.pid] = (i, log, time.monotonic())
        pid, status, usage = os.wait4(-1, 0)
        if pid not in running:
            continue
        i, log, started = running.pop(pid)
        if os.waitstatus_to_exitcode(status) != 0:
            log.seek(0)
            sys.exit(f"index {i} failed: {log.read()[-3000:]}")
        log.close()
        times[i] = (time.monotonic() - started, usage.ru_utime + usage.ru_stime)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/app/cli/hlsforge-cli")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--chunk-seconds", type=float, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--work", default=None)
    ap.add_argument("--source", choices=["camera", "noisy"], default="camera")
    args = ap.parse_args()
    cli = os.path.abspath(args.cli)
    work = args.work or tempfile.mkdtemp(prefix="cluster-bench-")
    os.makedirs(work, exist_ok=True)
    # A chunk decodes from the source keyframe before it, so the source's GOP and bitrate set
    # the chunked overhead. "camera": what phones and cameras write for 1080p30 (a keyframe
    # every second, about 20 Mb/s). "noisy": the other benches' source (CRF 16 noise, 150 Mb/s,
    # x264's 250-frame GOP), a worst case where decoding is 40 % of the one-process CPU.
    extra = ["-maxrate", "20M", "-bufsize", "20M", "-g", "30"] if args.source == "camera" else []
    src = make_noisy_source(os.path.join(work, f"source-{args.seconds}s-1080p-{args.source}.mp4"),
                            args.seconds, extra=extra)
    rate = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=bit_rate", "-of",
                           "csv=p=0", src], capture_output=True, text=True).stdout.strip()
    print(f"source ({args.source}): {int(rate or 0) / 1e6:.1f} Mb/s, {src}", flush=True)
    ladder = write_x264_ladder(os.path.join(work, "ladder.json"), RUNGS)
    single, chunked = os.path.join(work, "single"), os.path.join(work, "chunked")
    for d in (single, chunked):
        shutil.rmtree(d, ignore_errors=True)

    print("one process: transcode ...", flush=True)
    single_wall, single_cpu, _ = run([cli, "transcode", src, "--out", single, "--ladder", ladder,
                                      "--progress", "none", "--no-check"])

    print(f"chunked: plan, every index ({args.workers} at a time), assemble ...", flush=True)
    cpu_before = children_cpu()
    t0 = time.monotonic()
    plan_wall, plan_cpu, plan_json = run([cli, "plan", src, "--ladder", ladder, "--out", chunked,
                                          "--chunk-seconds", str(args.chunk_seconds), "--json"])
    plan = json.loads(plan_json)
    plan_path = os.path.join(chunked, "plan.json")
    times = run_indices(cli, plan_path, plan["indices"], args.workers)
    assemble_wall, assemble_cpu, _ = run([cli, "assemble", "--plan", plan_path])
    chunked_wall = time.monotonic() - t0
    chunked_cpu = children_cpu() - cpu_before

    audio = plan["audioIndex"]
    video = {i: t for i, t in times.items() if i != audio}
    print(f"\n{'':28}{'wall s':>9}{'CPU s':>9}")
    print(f"{'one process (transcode)':28}{single_wall:9.1f}{single_cpu:9.1f}")
    print(f"{'chunked, all processes':28}{chunked_wall:9.1f}{chunked_cpu:9.1f}")
    print(f"{'  plan':28}{plan_wall:9.1f}{plan_cpu:9.1f}")
    for i in sorted(times):
        what = "audio" if i == audio else f"{plan['chunks'][i]['segmentCount']} segments"
        print(f"{'  index ' + str(i) + ' (' + what + ')':28}{times[i][0]:9.1f}{times[i][1]:9.1f}")
    print(f"{'  assemble':28}{assemble_wall:9.1f}{assemble_cpu:9.1f}")
    print(f"\nCPU ratio chunked / one process: {chunked_cpu / single_cpu:.3f}  (target <= 1.10)")
    print(f"wall ratio chunked / one process: {chunked_wall / single_wall:.3f}  "
          f"({args.workers} workers on {os.cpu_count()} cores)")

    p_single = psnr(os.path.join(single, "720p", "index.m3u8"), src, 1280, 720)
    p_chunked = psnr(os.path.join(chunked, "720p", "index.m3u8"), src, 1280, 720)
    print(f"PSNR 720p vs scaled source: one process {p_single:.3f} dB, chunked {p_chunked:.3f} dB, "
          f"difference {p_chunked - p_single:+.3f} dB  (target within 0.1)")

    # Projections from the measured times: a worker is one of the processes measured here.
    slowest_video = max(t[0] for t in video.values())
    audio_wall = times[audio][0] if audio in times else 0.0
    chunk_count = len(video)
    print(f"\nProjected wall time (plan + slowest index + assemble; a worker = one process as "
          f"measured here):")
    for workers in (10, 100):
        rounds = math.ceil(chunk_count / workers)
        wall = plan_wall + max(rounds * slowest_video, audio_wall) + assemble_wall
        print(f"  {args.seconds} s source, {workers:3} workers: {wall:7.1f} s "
              f"(one process {single_wall:.1f} s: {single_wall / wall:.1f}x)")
    film_seconds = 2 * 3600
    scale = film_seconds / args.seconds
    film_chunks = math.ceil(film_seconds / args.chunk_seconds)
    film_single = single_wall * scale
    for workers in (10, 100):
        rounds = math.ceil(film_chunks / workers)
        # The audio index and assemble grow with the film (one whole-track encode; assemble
        # reads every segment); plan is a probe.
        wall = plan_wall + max(rounds * slowest_video, audio_wall * scale) + assemble_wall * scale
        print(f"  2-hour film ({film_chunks} chunks), {workers:3} workers: {wall / 60:7.1f} min "
              f"(one process {film_single / 60:.1f} min: speed-up {film_single / wall:.1f}x)")
    print(f"\nwork folder: {work}")


if __name__ == "__main__":
    main()
