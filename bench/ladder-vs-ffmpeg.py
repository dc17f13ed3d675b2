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
       [--runs 3] [--quick]   (best of three, alternating; --quick: only the two main contenders)
Profile of where the CPU goes: bench/profile-ladder.py.
"""
import argparse
import os
import shutil
import tempfile

from benchlib import ffmpeg_single_ladder, make_noisy_source, write_x264_ladder, psnr, run_measured

RUNGS = [(1920, 1080, 5000), (1280, 720, 3000), (854, 480, 1200), (640, 360, 600)]


def hlsforge_cmd(cli, src, out, ladder_path, extra=()):
    shutil.rmtree(out, ignore_errors=True)
    return [cli, "transcode", src, "--out", out, "--ladder", ladder_path, "--progress", "none", *extra]


def per_rung_ffmpeg(src, out, common_x264):
    """One ffmpeg process per rung, one after the other; summed wall/CPU, max RSS."""
    shutil.rmtree(out, ignore_errors=True)
    wall = cpu = rss = 0.0
    for (w, h, k) in RUNGS:
        d = os.path.join(out, f"{h}p")
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
    return wall, cpu, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/app/cli/hlsforge-cli")
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--work", default=None)
    ap.add_argument("--runs", type=int, default=1,
                    help="repeat hlsforge and the single ffmpeg alternately; report the best of each")
    ap.add_argument("--quick", action="store_true",
                    help="only hlsforge and the single ffmpeg (no --progressive, no per-rung runs)")
    args = ap.parse_args()
    cli = os.path.abspath(args.cli)
    work = args.work or tempfile.mkdtemp(prefix="hlsforge-bench-")
    os.makedirs(work, exist_ok=True)
    src = make_noisy_source(os.path.join(work, f"source-1080p-{args.seconds}s.mp4"), args.seconds)

    ladder_path = write_x264_ladder(os.path.join(work, "bench-ladder.json"), RUNGS)

    common_x264 = ["-preset", "veryfast", "-force_key_frames", "expr:gte(t,n_forced*2)",
                   "-sc_threshold", "0", "-pix_fmt", "yuv420p"]
    out1 = os.path.join(work, "hlsforge")
    out2 = os.path.join(work, "ffmpeg-single")
    runs = {"hlsforge-cli": [], "ffmpeg split + var_stream_map": []}
    # Alternate the two so a change in machine load hits both alike; best of N for each.
    for i in range(max(1, args.runs)):
        runs["hlsforge-cli"].append(run_measured(hlsforge_cmd(cli, src, out1, ladder_path)))
        runs["ffmpeg split + var_stream_map"].append(
            ffmpeg_single_ladder(src, out2, RUNGS, ["-c:v", "libx264"] + common_x264))
        if args.runs > 1:
            print(f"run {i + 1}: hlsforge {runs['hlsforge-cli'][-1][0]:.1f} s / "
                  f"{runs['hlsforge-cli'][-1][1]:.1f} CPU-s, ffmpeg "
                  f"{runs['ffmpeg split + var_stream_map'][-1][0]:.1f} s / "
                  f"{runs['ffmpeg split + var_stream_map'][-1][1]:.1f} CPU-s", flush=True)
    results = {name: (min(r[0] for r in rs), min(r[1] for r in rs), min(r[2] for r in rs))
               for name, rs in runs.items()}
    if not args.quick:
        # The progressive MP4 as well (issue: at most +5 % wall time), and one ffmpeg per rung.
        results["hlsforge-cli --progressive"] = run_measured(
            hlsforge_cmd(cli, src, os.path.join(work, "hlsforge-progressive"), ladder_path, ["--progressive"]))
        results["ffmpeg one run per rung"] = per_rung_ffmpeg(src, os.path.join(work, "ffmpeg-per-rung"), common_x264)

    base = results["ffmpeg split + var_stream_map"]
    hls = results["hlsforge-cli"]
    best = f", best of {args.runs}" if args.runs > 1 else ""
    print(f"\nsource: {args.seconds} s 1080p30, 4 rungs, x264 veryfast, {os.cpu_count()} cores{best}\n")
    print("| method | wall s | CPU s | peak RSS MiB | wall vs hlsforge |")
    print("|---|---:|---:|---:|---:|")
    for name, (w, c, r) in results.items():
        print(f"| {name} | {w:.1f} | {c:.1f} | {r:.0f} | {w / hls[0]:.2f}x |")
    print(f"\nhlsforge / single ffmpeg: wall {hls[0] / base[0]:.2f}, CPU {hls[1] / base[1]:.2f} (target <= 0.95)")
    print(f"hlsforge peak RSS / single ffmpeg peak RSS: {hls[2] / base[2]:.2f} (target <= 1.00)")
    if not args.quick:
        print(f"per-rung ffmpeg wall / hlsforge wall: "
              f"{results['ffmpeg one run per rung'][0] / hls[0]:.2f} (target >= 2.00)")
        prog = results["hlsforge-cli --progressive"]
        print(f"progressive MP4 cost: wall {prog[0] / hls[0]:.3f}x, CPU {prog[1] / hls[1]:.3f}x (target wall <= 1.05)")
    # Equal quality: every rung against the source scaled to its size (the last run's output).
    print("\n| rung | PSNR hlsforge dB | PSNR ffmpeg dB |")
    print("|---|---:|---:|")
    for i, (w, h, _) in enumerate(RUNGS):
        print(f"| {h}p | {psnr(os.path.join(out1, f'{h}p', 'index.m3u8'), src, w, h):.2f} | "
              f"{psnr(os.path.join(out2, f'v{i}', 'index.m3u8'), src, w, h):.2f} |")


if __name__ == "__main__":
    main()
