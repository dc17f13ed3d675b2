#!/usr/bin/env python3
"""Benchmark: the same 4-rung ladder made three ways, side by side in one run.

  1. hlsforge-cli transcode                       (decode once, rungs in parallel, in-process)
     ... and again with --progressive (the extra MP4 muxed from the 720p rung's packets)
  2. one ffmpeg process: split + -var_stream_map  (the best-known single command)
  3. one ffmpeg run per rung                      (the common tutorial way)

Source: 1080p30, 30 s, testsrc2 plus temporal noise (real detail for the encoder), AAC.
Ladder: 1080p 5000k, 720p 3000k, 480p 1200k, 360p 600k; x264 veryfast; 6 s segments; AAC 128k.
Prints wall time, CPU time and peak RSS of each, the ratios, and PSNR of the 720p rung
against the scaled source for hlsforge and for ffmpeg. Timing is never asserted: read it.

Usage: bench/ladder-vs-ffmpeg.py [--cli build/app/cli/hlsforge-cli] [--seconds 30] [--work DIR]
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile

from benchlib import ffmpeg_single_ladder, psnr, run_measured

RUNGS = [(1920, 1080, 5000), (1280, 720, 3000), (854, 480, 1200), (640, 360, 600)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/app/cli/hlsforge-cli")
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    cli = os.path.abspath(args.cli)
    work = args.work or tempfile.mkdtemp(prefix="hlsforge-bench-")
    os.makedirs(work, exist_ok=True)
    src = os.path.join(work, "source-1080p.mp4")
    if not os.path.exists(src):
        print(f"generating {args.seconds} s 1080p30 source ...", flush=True)
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                        "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30,noise=alls=10:allf=t",
                        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                        "-t", str(args.seconds), "-c:v", "libx264", "-preset", "veryfast", "-crf", "16",
                        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", src], check=True)

    ladder = {"segmentSeconds": 6, "segmentFormat": "ts", "x264Preset": "veryfast", "audioKbps": 128,
              "renditions": [{"height": h, "videoKbps": k, "maxKbps": int(k * 1.1)} for (_, h, k) in RUNGS]}
    ladder_path = os.path.join(work, "bench-ladder.json")
    with open(ladder_path, "w") as f:
        json.dump(ladder, f)

    common_x264 = ["-preset", "veryfast", "-force_key_frames", "expr:gte(t,n_forced*2)",
                   "-sc_threshold", "0", "-pix_fmt", "yuv420p"]
    results = {}

    # 1. hlsforge
    out1 = os.path.join(work, "hlsforge")
    shutil.rmtree(out1, ignore_errors=True)
    results["hlsforge-cli"] = run_measured([cli, "transcode", src, "--out", out1, "--ladder", ladder_path,
                                             "--progress", "none"])

    # 1b. hlsforge with the progressive MP4 as well (issue: at most +5 % wall time)
    out1p = os.path.join(work, "hlsforge-progressive")
    shutil.rmtree(out1p, ignore_errors=True)
    results["hlsforge-cli --progressive"] = run_measured([cli, "transcode", src, "--out", out1p, "--ladder",
                                                          ladder_path, "--progressive", "--progress", "none"])

    # 2. one ffmpeg process with split and -var_stream_map
    out2 = os.path.join(work, "ffmpeg-single")
    results["ffmpeg split + var_stream_map"] = ffmpeg_single_ladder(src, out2, RUNGS, ["-c:v", "libx264"] + common_x264)

    # 3. one ffmpeg run per rung
    out3 = os.path.join(work, "ffmpeg-per-rung")
    shutil.rmtree(out3, ignore_errors=True)
    wall = cpu = rss = 0.0
    for (w, h, k) in RUNGS:
        d = os.path.join(out3, f"{h}p")
        os.makedirs(d)
        cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", src, "-vf", f"scale={w}:{h}:flags=bicubic",
               "-c:v", "libx264"] + common_x264 + ["-b:v", f"{k}k", "-maxrate", f"{int(k*1.1)}k", "-bufsize", f"{int(k*2.2)}k",
               "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000", "-f", "hls", "-hls_time", "6",
               "-hls_playlist_type", "vod", "-hls_segment_filename", os.path.join(d, "seg_%05d.ts"),
               os.path.join(d, "index.m3u8")]
        a, b, c = run_measured(cmd)
        wall += a
        cpu += b
        rss = max(rss, c)
    results["ffmpeg one run per rung"] = (wall, cpu, rss)

    psnr_hls = psnr(os.path.join(out1, "720p", "index.m3u8"), src, 1280, 720)
    psnr_ff = psnr(os.path.join(out2, "v1", "index.m3u8"), src, 1280, 720)

    base = results["ffmpeg split + var_stream_map"]
    hls = results["hlsforge-cli"]
    print(f"\nsource: {args.seconds} s 1080p30, 4 rungs, x264 veryfast, {os.cpu_count()} cores\n")
    print("| method | wall s | CPU s | peak RSS MiB | wall vs hlsforge |")
    print("|---|---:|---:|---:|---:|")
    for name, (w, c, r) in results.items():
        print(f"| {name} | {w:.1f} | {c:.1f} | {r:.0f} | {w / hls[0]:.2f}x |")
    print(f"\nhlsforge wall / single ffmpeg wall: {hls[0] / base[0]:.2f} (target <= 1.00)")
    print(f"per-rung ffmpeg wall / hlsforge wall: {results['ffmpeg one run per rung'][0] / hls[0]:.2f} (target >= 2.00)")
    print(f"hlsforge peak RSS / single ffmpeg peak RSS: {hls[2] / base[2]:.2f} (target <= 1.00)")
    prog = results["hlsforge-cli --progressive"]
    print(f"progressive MP4 cost: wall {prog[0] / hls[0]:.3f}x, CPU {prog[1] / hls[1]:.3f}x (target wall <= 1.05)")
    print(f"PSNR 720p vs scaled source: hlsforge {psnr_hls:.2f} dB, ffmpeg {psnr_ff:.2f} dB")


if __name__ == "__main__":
    main()
