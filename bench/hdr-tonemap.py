#!/usr/bin/env python3
"""Benchmark: what the HDR-to-SDR conversion costs, side by side in one run.

The same 4-rung ladder as bench/ladder-vs-ffmpeg.py (1080p 5000k, 720p 3000k, 480p 1200k,
360p 600k; x264 veryfast; 6 s segments; AAC 128k) made from:

  1. the SDR original as 8-bit BT.709 HEVC (the same encoder and settings as the HDR
     versions, so decoding cost and picture detail match)          -> the baseline
  2. the same picture as an iPhone writes it: HLG BT.2020 10-bit HEVC in MOV
  3. the same picture as HDR10: PQ BT.2020 10-bit HEVC in MOV
each by hlsforge-cli (colour converted once, before the fan-out) and by one ffmpeg process
doing the equivalent conversion (the same filter chain hlsforge uses) then split +
-var_stream_map. Prints wall/CPU per run, HDR cost vs SDR and hlsforge vs ffmpeg, and the
top rung's saturation/luma (signalstats) against the SDR original's. Never asserts timing.

Targets (issue 11): HLG adds <= 15 % wall to the ladder; PQ: reported; hlsforge <= 1.0x ffmpeg.

Usage: bench/hdr-tonemap.py [--cli build/app/cli/hlsforge-cli] [--seconds 20] [--work DIR]
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile

from benchlib import ffmpeg_single_ladder, run_measured

RUNGS = [(1920, 1080, 5000), (1280, 720, 3000), (854, 480, 1200), (640, 360, 600)]

# What hlsforge's ColourPipeline picks for these sources with "toneMap": "auto" (see
# core/transcode/ColourPipeline.cpp; the job's "conversions" say the same).
TAGS = "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv"
COLOUR = {
    "sdr": None,
    "hlg": "zscale=tin=arib-std-b67:min=bt2020nc:pin=bt2020:rin=limited:t=bt709:m=bt709:p=bt709:"
           "r=limited:npl=203,format=yuv420p," + TAGS,
    "pq": "zscale=tin=smpte2084:min=bt2020nc:pin=bt2020:rin=limited:t=linear:npl=203,format=gbrpf32le,"
          "zscale=p=bt709,tonemap=mobius:param=0.5:desat=0:peak=4.926,zscale=t=bt709:m=bt709:r=limited,"
          "format=yuv420p," + TAGS,
}


def stats(path):
    out = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", path, "-vf",
                          "signalstats,metadata=print:file=-", "-f", "null", "-"],
                         capture_output=True, text=True).stdout
    sat = [float(l.split("=")[1]) for l in out.splitlines() if l.startswith("lavfi.signalstats.SATAVG=")]
    y = [float(l.split("=")[1]) for l in out.splitlines() if l.startswith("lavfi.signalstats.YAVG=")]
    return (sum(sat) / len(sat), sum(y) / len(y)) if sat and y else (float("nan"), float("nan"))


def make_sources(work, seconds):
    sdr = os.path.join(work, "sdr-1080p.mp4")
    if not os.path.exists(sdr):
        print(f"generating {seconds} s 1080p30 SDR source ...", flush=True)
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                        "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30,noise=alls=10:allf=t",
                        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", str(seconds),
                        "-c:v", "libx264", "-preset", "veryfast", "-crf", "16", "-pix_fmt", "yuv420p",
                        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
                        "-color_range", "tv", "-c:a", "aac", "-b:a", "192k", sdr], check=True)
    paths = {}
    for kind, trc in (("sdr", "bt709"), ("hlg", "arib-std-b67"), ("pq", "smpte2084")):
        out = os.path.join(work, f"{kind}-1080p.mov")
        paths[kind] = out
        if os.path.exists(out):
            continue
        print(f"generating the {kind.upper()} version (HEVC) ...", flush=True)
        hdr = kind != "sdr"
        vf = (f"zscale=tin=bt709:min=bt709:pin=bt709:rin=limited:t={trc}:m=bt2020nc:p=bt2020:"
              "r=limited:npl=203,format=yuv420p10le") if hdr else "format=yuv420p"
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", sdr, "-vf", vf,
                        # ultrafast: generating the sources on 2 cores stays bearable; decoding
                        # it is a little cheaper than a phone's HEVC.
                        "-c:v", "libx265", "-preset", "ultrafast", "-crf", "18",
                        "-x265-params", "log-level=error:max-cll=1000,400", "-tag:v", "hvc1",
                        "-color_primaries", "bt2020" if hdr else "bt709", "-color_trc", trc,
                        "-colorspace", "bt2020nc" if hdr else "bt709",
                        "-color_range", "tv", "-c:a", "copy", out], check=True)
    return paths


def ffmpeg_ladder(src, colour, out):
    x264 = ["-c:v", "libx264", "-preset", "veryfast", "-force_key_frames", "expr:gte(t,n_forced*2)",
            "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-colorspace", "bt709", "-color_primaries", "bt709",
            "-color_trc", "bt709", "-color_range", "tv"]
    return ffmpeg_single_ladder(src, out, RUNGS, x264, pre_filter=colour)[:2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/app/cli/hlsforge-cli")
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    cli = os.path.abspath(args.cli)
    work = args.work or tempfile.mkdtemp(prefix="hlsforge-hdr-bench-")
    os.makedirs(work, exist_ok=True)
    sources = make_sources(work, args.seconds)
    ladder = {"segmentSeconds": 6, "segmentFormat": "ts", "x264Preset": "veryfast", "audioKbps": 128,
              "playerPage": False,
              "renditions": [{"height": h, "videoKbps": k, "maxKbps": int(k * 1.1)} for (_, h, k) in RUNGS]}
    ladder_path = os.path.join(work, "ladder.json")
    with open(ladder_path, "w") as f:
        json.dump(ladder, f)

    res = {}
    for kind in ("sdr", "hlg", "pq"):
        out = os.path.join(work, f"hlsforge-{kind}")
        shutil.rmtree(out, ignore_errors=True)
        print(f"hlsforge {kind} ...", flush=True)
        res[("hlsforge", kind)] = run_measured([cli, "transcode", sources[kind], "--out", out, "--ladder",
                                                ladder_path, "--progress", "none"])[:2]
        print(f"ffmpeg {kind} ...", flush=True)
        res[("ffmpeg", kind)] = ffmpeg_ladder(sources[kind], COLOUR[kind], os.path.join(work, f"ffmpeg-{kind}"))

    ref = stats(os.path.join(work, "hlsforge-sdr", "1080p", "index.m3u8"))
    print("\nThe machine's load average while this ran (other work skews wall time):",
          open("/proc/loadavg").read().split()[:3])
    print(f"\nsource: {args.seconds} s 1080p30, 4 rungs, x264 veryfast, {os.cpu_count()} cores\n")
    print("| source | hlsforge wall s | CPU s | ffmpeg wall s | CPU s | hlsforge / ffmpeg wall "
          "| wall vs SDR (hlsforge) | wall vs SDR (ffmpeg) | 1080p SATAVG / YAVG |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind in ("sdr", "hlg", "pq"):
        hw, hc = res[("hlsforge", kind)]
        fw, fc = res[("ffmpeg", kind)]
        sat, y = stats(os.path.join(work, f"hlsforge-{kind}", "1080p", "index.m3u8")) if kind != "sdr" else ref
        print(f"| {kind.upper()} | {hw:.1f} | {hc:.1f} | {fw:.1f} | {fc:.1f} | {hw / fw:.2f}x "
              f"| {hw / res[('hlsforge', 'sdr')][0]:.3f}x | {fw / res[('ffmpeg', 'sdr')][0]:.3f}x "
              f"| {sat:.1f} / {y:.1f} |")
    for kind, target in (("hlg", "target <= +15 %"), ("pq", "reported")):
        wall = res[("hlsforge", kind)][0] / res[("hlsforge", "sdr")][0]
        cpu = res[("hlsforge", kind)][1] / res[("hlsforge", "sdr")][1]
        print(f"\n{kind.upper()} vs SDR (hlsforge): {(wall - 1) * 100:+.1f} % wall, "
              f"{(cpu - 1) * 100:+.1f} % CPU ({target})")
    print(f"SDR version's 1080p rung: SATAVG {ref[0]:.1f}, YAVG {ref[1]:.1f}")


if __name__ == "__main__":
    main()
