#!/usr/bin/env python3
"""Benchmark: HEVC and AV1 ladders, and a mixed H.264 + HEVC ladder, side by side in one run.

  1. HEVC, 4 rungs: hlsforge-cli  vs  one ffmpeg process (split + -var_stream_map, libx265 with
     the same preset, forced IDR keyframes every 2 s, closed GOP, no scene cuts, hvc1, fMP4)
  2. AV1, 3 rungs:  hlsforge-cli  vs  one ffmpeg process (libsvtav1, same preset, 60-frame GOP,
     irefresh-type=2, scd=0, fMP4)
  3. H.264 4 rungs + HEVC 4 rungs in one hlsforge run  vs  the two ladders as two hlsforge runs
     (the mixed ladder decodes the source once instead of twice)

Source: 1080p30 testsrc2 plus temporal noise, AAC. Prints wall time, CPU time and the ratios,
and PSNR of the 720p rung of each codec against the scaled source for both tools. Timing is
never asserted: read it.

Usage: bench/codecs-vs-ffmpeg.py [--cli build/app/cli/hlsforge-cli] [--seconds 10] [--only hevc|av1]
                                 [--x265-preset veryfast] [--svt-preset 10] [--work DIR]
"""
import argparse
import json
import os
import shutil
import tempfile

from benchlib import ffmpeg_single_ladder, make_noisy_source, psnr, run_measured

HEVC_RUNGS = [(1920, 1080, 3000), (1280, 720, 1800), (854, 480, 800), (640, 360, 400)]
AV1_RUNGS = [(1920, 1080, 2500), (1280, 720, 1500), (640, 360, 350)]
H264_RUNGS = [(1920, 1080, 5000), (1280, 720, 3000), (854, 480, 1200), (640, 360, 600)]


def hlsforge(cli, src, out, rungs_by_codec, x265, svt):
    ladder = {"segmentSeconds": 6, "segmentFormat": "fmp4", "x264Preset": "veryfast",
              "x265Preset": x265, "svtAv1Preset": svt, "audioKbps": 128, "renditions": []}
    for codec, rungs in rungs_by_codec:
        for (_, h, k) in rungs:
            ladder["renditions"].append({"height": h, "videoKbps": k, "maxKbps": int(k * 1.1), "codec": codec})
    path = out + ".json"
    with open(path, "w") as f:
        json.dump(ladder, f)
    shutil.rmtree(out, ignore_errors=True)
    return run_measured([cli, "transcode", src, "--out", out, "--ladder", path, "--progress", "none"])[:2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/app/cli/hlsforge-cli")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--x265-preset", default="veryfast")
    ap.add_argument("--svt-preset", type=int, default=10)
    ap.add_argument("--work", default=None)
    ap.add_argument("--only", choices=["hevc", "av1"], default=None,
                    help="run one codec's row against ffmpeg (no mixed-ladder row)")
    args = ap.parse_args()
    cli = os.path.abspath(args.cli)
    work = args.work or tempfile.mkdtemp(prefix="hlsforge-codecs-bench-")
    os.makedirs(work, exist_ok=True)
    src = make_noisy_source(os.path.join(work, f"source-1080p-{args.seconds}s.mp4"), args.seconds)
    os.environ["SVT_LOG"] = "1"
    rows = []

    def row(name, ours, theirs, label):
        rows.append((name, ours, theirs, label))
        print(f"{name}: hlsforge {ours[0]:.1f} s wall / {ours[1]:.1f} CPU-s, {label} {theirs[0]:.1f} s / "
              f"{theirs[1]:.1f} CPU-s", flush=True)

    x265 = ["-c:v", "libx265", "-preset", args.x265_preset, "-tag:v", "hvc1",
            "-force_key_frames", "expr:gte(t,n_forced*2)", "-forced-idr", "1",
            "-x265-params", "scenecut=0:open-gop=0:log-level=error"]
    if args.only in (None, "hevc"):
        hevc_ours = hlsforge(cli, src, os.path.join(work, "hevc"), [("hevc", HEVC_RUNGS)], args.x265_preset, args.svt_preset)
        hevc_ff = ffmpeg_single_ladder(src, os.path.join(work, "hevc-ffmpeg"), HEVC_RUNGS, x265 + ["-pix_fmt", "yuv420p"],
                                       fmp4=True)[:2]
        row("HEVC 4 rungs", hevc_ours, hevc_ff, "ffmpeg")

    svt = ["-c:v", "libsvtav1", "-preset", str(args.svt_preset), "-g", "60",
           "-svtav1-params", "irefresh-type=2:scd=0"]
    if args.only in (None, "av1"):
        av1_ours = hlsforge(cli, src, os.path.join(work, "av1"), [("av1", AV1_RUNGS)], args.x265_preset, args.svt_preset)
        av1_ff = ffmpeg_single_ladder(src, os.path.join(work, "av1-ffmpeg"), AV1_RUNGS, svt + ["-pix_fmt", "yuv420p"],
                                      fmp4=True)[:2]
        row("AV1 3 rungs", av1_ours, av1_ff, "ffmpeg")

    if args.only is None:
        h264_alone = hlsforge(cli, src, os.path.join(work, "h264"), [("h264", H264_RUNGS)], args.x265_preset,
                              args.svt_preset)
        mixed = hlsforge(cli, src, os.path.join(work, "mixed"), [("h264", H264_RUNGS), ("hevc", HEVC_RUNGS)],
                         args.x265_preset, args.svt_preset)
        two_runs = (h264_alone[0] + hevc_ours[0], h264_alone[1] + hevc_ours[1])
        row("H.264 4 + HEVC 4", mixed, two_runs, "two hlsforge runs")

    print(f"\nsource: {args.seconds} s 1080p30; x265 {args.x265_preset}, SVT-AV1 preset {args.svt_preset}; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}\n")
    print("| ladder | hlsforge wall s | CPU s | compared with | wall s | CPU s | wall ratio | CPU ratio |")
    print("|---|---:|---:|---|---:|---:|---:|---:|")
    for name, ours, theirs, label in rows:
        print(f"| {name} | {ours[0]:.1f} | {ours[1]:.1f} | {label} | {theirs[0]:.1f} | {theirs[1]:.1f} | "
              f"{ours[0] / theirs[0]:.2f}x | {ours[1] / theirs[1]:.2f}x |")
    if args.only is None:
        print(f"\nmixed ladder saves {100 * (1 - mixed[0] / two_runs[0]):+.1f} % wall, "
              f"{100 * (1 - mixed[1] / two_runs[1]):+.1f} % CPU against two runs (target: mixed <= 1.00x)")
    print("\nPSNR of the 720p rung against the scaled source:")
    if args.only in (None, "hevc"):
        print(f"  HEVC: hlsforge {psnr(os.path.join(work, 'hevc', '720p-hevc', 'index.m3u8'), src, 1280, 720):.2f} dB, "
              f"ffmpeg {psnr(os.path.join(work, 'hevc-ffmpeg', 'v1', 'index.m3u8'), src, 1280, 720):.2f} dB")
    if args.only in (None, "av1"):
        print(f"  AV1:  hlsforge {psnr(os.path.join(work, 'av1', '720p-av1', 'index.m3u8'), src, 1280, 720):.2f} dB, "
              f"ffmpeg {psnr(os.path.join(work, 'av1-ffmpeg', 'v1', 'index.m3u8'), src, 1280, 720):.2f} dB")


if __name__ == "__main__":
    main()
