"""What the benchmark scripts share: running a command with its wall/CPU/memory measured, the
one-ffmpeg-process ladder they compare against, and PSNR against the scaled source."""
import json
import os
import re
import shutil
import subprocess
import sys
import time


def run_measured(cmd):
    """Runs cmd; returns (wall s, CPU s, peak RSS MiB) of the process (CPU includes children)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def write_x264_ladder(path, rungs):
    """The benchmarks' ladder JSON: rungs [(width, height, kbps)], VBV max 110 %, x264
    veryfast, 6 s TS segments, AAC 128k. Returns path."""
    ladder = {"segmentSeconds": 6, "segmentFormat": "ts", "x264Preset": "veryfast", "audioKbps": 128,
              "renditions": [{"height": h, "videoKbps": k, "maxKbps": int(k * 1.1)} for (_, h, k) in rungs]}
    with open(path, "w") as f:
        json.dump(ladder, f)
    return path


def make_noisy_source(path, seconds, size="1920x1080", rate=30, extra=()):
    """testsrc2 plus temporal noise (real detail for the encoder) and a sine, x264 CRF 16 + AAC:
    the source the ladder benchmarks share (extra: more output options, e.g. colour tags).
    Kept when it already exists (same arguments)."""
    if os.path.exists(path):
        return path
    print(f"generating {seconds} s {size}@{rate} source ...", flush=True)
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate},noise=alls=10:allf=t",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                    "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-crf", "16",
                    "-pix_fmt", "yuv420p", *extra, "-c:a", "aac", "-b:a", "192k", path], check=True)
    return path


def psnr(rendition, source, width, height):
    """FFmpeg's psnr `average` of rendition against source scaled to its size (bicubic)."""
    out = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", rendition, "-i", source, "-lavfi",
         f"[1:v]scale={width}:{height}:flags=bicubic[ref];[0:v][ref]psnr", "-f", "null", "-"],
        capture_output=True, text=True)
    m = re.search(r"average:([0-9.]+|inf)", out.stderr)
    return float(m.group(1)) if m else float("nan")


def ffmpeg_single_ladder(src, out, rungs, video_args, pre_filter="", fmp4=False, wrapper=()):
    """The best-known single ffmpeg command for a ladder: decode once, (pre_filter,) split, one
    scale and encoder per rung (video_args, VBV 110 %/220 %), AAC once per variant, HLS with
    -var_stream_map. rungs: [(width, height, kbps)]. wrapper: a command to run it under (e.g.
    perf record ... --). Returns run_measured's tuple."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    n = len(rungs)
    head = f"[0:v]{pre_filter}," if pre_filter else "[0:v]"
    fc = head + f"split={n}" + "".join(f"[s{i}]" for i in range(n)) + ";" + ";".join(
        f"[s{i}]scale={w}:{h}:flags=bicubic[v{i}]" for i, (w, h, _) in enumerate(rungs))
    cmd = [*wrapper, "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", src, "-filter_complex", fc]
    for i in range(n):
        cmd += ["-map", f"[v{i}]", "-map", "0:a"]
    cmd += video_args + ["-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000"]
    for i, (_, _, k) in enumerate(rungs):
        cmd += [f"-b:v:{i}", f"{k}k", f"-maxrate:v:{i}", f"{int(k * 1.1)}k", f"-bufsize:v:{i}", f"{int(k * 2.2)}k"]
    segment = "seg_%05d.m4s" if fmp4 else "seg_%05d.ts"
    cmd += ["-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod"]
    if fmp4:
        cmd += ["-hls_segment_type", "fmp4"]
    cmd += ["-hls_flags", "independent_segments", "-master_pl_name", "master.m3u8",
            "-var_stream_map", " ".join(f"v:{i},a:{i}" for i in range(n)),
            "-hls_segment_filename", os.path.join(out, "v%v", segment), os.path.join(out, "v%v/index.m3u8")]
    return run_measured(cmd)
