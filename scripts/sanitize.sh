#!/usr/bin/env bash
# Checked memory and threads, the CI step after the README's test command (.ci/run runs it
# after scripts/test.sh; it is not part of that command):
#   asan: the test suite built with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/),
#         minus the labels in ASAN_EXCLUDE_LABELS (below, with the reason)
#   tsan: the core threading tests built with ThreadSanitizer (build-tsan/): transcode
#         progress + cancel (TranscodeJob), publishing (PublishJob and its upload threads),
#         the preview server.
# Any report fails the step (a non-zero exit). Each step prints its build and test seconds,
# wall clock and CPU.
#
# Budget: CI is one fresh 2-core Debian 12 machine without ccache, ~35 min for everything,
# of which scripts/test.sh takes ~15 min; this step gets the rest, ~15 min, builds included.
# Hence: own build dirs (nothing reused from build/, whose flags differ), -O1 -g1 (the
# sanitizers' usual choice: cheaper to compile than -O2 -g, reports keep file:line), and
# only the targets the chosen tests need (no GUI, no installer).
# Measured 2026-12-02 on a shared 2-core machine (load 3-12, no ccache), so CPU seconds are
# the figure to go by: a quiet 2-core machine builds in about CPU/2 wall; the tests run one
# at a time and mostly wait (sockets, s3rver, real-time shaping), wall about as measured.
#   asan build  186 steps, -O1 -g1:      760 s CPU  -> ~380 s wall quiet
#   asan tests  22 tests:                166 s wall (161 s CPU; +~45 s now that the three
#               tests the first run stopped early pass)                 -> ~210 s
#   tsan build  114 steps, at -O2 -g:    500 s CPU  -> ~250 s wall quiet (-O1 -g1: less)
#   tsan tests  as below:                 98 s wall (69 s CPU)          -> ~100 s
#   clean clone of this branch, machine mostly quiet (load < 1 at the end), no ccache,
#   both steps at -O1 -g1, 23 ASan tests (tst_codecs added): tsan 155 s build (264 s CPU)
#   + 48 s tests; asan 301 s build (578 s CPU) + 279 s tests; the step 798 s (13.3 min).
#   step total on a quiet 2-core CI machine: ~15 min; with the ~15 min of apt, build and
#   scripts/test.sh before it, CI ~30 min of its 35.
#
# (die_after_fork=0: the tests start ffmpeg and hlsforge-cli with QProcess, which forks a
# multi-threaded process and execs at once.)
# Usage: scripts/sanitize.sh [asan] [tsan]   (default: both)
# Expects the dependencies scripts/test.sh installs (Debian packages, npm test packages);
# the sanitizer runtimes (libasan, libubsan, libtsan) come with Debian's gcc.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(asan tsan)
jobs=$(nproc)

launcher=()
if command -v ccache > /dev/null; then # a developer machine; CI has no ccache
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

# Warnings are gated by the normal build (-Werror in CI); GCC warns differently with
# sanitizers on (e.g. -Wmaybe-uninitialized), so these builds do not add -Werror.
# NDEBUG stays defined (as in the shipped build): we check the code users run.
configure() { # build-dir sanitizer-flags
  cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHLSFORGE_WERROR=OFF "${launcher[@]}" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DCMAKE_C_FLAGS="$2" -DCMAKE_CXX_FLAGS="$2" \
    -DCMAKE_EXE_LINKER_FLAGS="$2" -DCMAKE_SHARED_LINKER_FLAGS="$2" > /dev/null
}

# `time` prints wall and CPU seconds of the build or the tests (children included).
timed() { # label command...
  local TIMEFORMAT="sanitize: $1: %0R s wall, %0U s user + %0S s sys CPU"
  shift
  time "$@"
}

# Timing assertions (tests labelled `timing`) keep their meaning under the slower sanitizer
# builds: each bound is multiplied by HLSFORGE_TIMING_SCALE (see tests/common/TestMedia.h).
export QT_QPA_PLATFORM=offscreen

# Left out of the ASan run (all of them run un-instrumented in scripts/test.sh):
#   browser   the time is Chromium's, which is not instrumented; our server and transcoder
#             under it are exercised by the e2e and preview tests
#   installer it would install these instrumented binaries as the system's hlsforge package
#   gui       app/gui is thin wiring over core (style.md); its build (Widgets, Multimedia) is
#             about a third of the whole, and its tests' time is Qt's, not ours
#   playback  real-time playback in GStreamer (minutes of wall clock in uninstrumented code);
#             our server under a player is covered by tst_previewplayback and the preview tests
ASAN_EXCLUDE_LABELS='browser|installer|gui|playback'

# The targets the tests selected by ctest's arguments need: each test's executable (named like
# the test) plus hlsforge-cli, which the e2e tests run.
targets_for() { # build-dir ctest-args...
  local dir=$1
  shift
  local names
  names=$(cd "$dir" && ctest -N "$@" | sed -n 's/^ *Test *#[0-9]*: *//p')
  local all
  all=$(ninja -C "$dir" -t targets all | sed -n 's/^\([A-Za-z0-9_.-]*\): .*/\1/p')
  echo hlsforge-cli
  for n in $names; do
    grep -qx -- "$n" <<< "$all" && echo "$n"
  done
  return 0
}

run_asan() {
  local flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
  configure build-asan "$flags"
  local targets
  mapfile -t targets < <(targets_for build-asan -LE "$ASAN_EXCLUDE_LABELS")
  timed "asan build" cmake --build build-asan --parallel "$jobs" --target "${targets[@]}"
  # Leak checking is off: Debian's Qt, fontconfig and GStreamer keep process-lifetime
  # allocations that LeakSanitizer reports at exit; every owner in our code is RAII.
  export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  (cd build-asan && HLSFORGE_TIMING_SCALE=3 timed "asan tests" \
    ctest --output-on-failure --timeout 1800 -LE "$ASAN_EXCLUDE_LABELS")
}

run_tsan() {
  # Only our code is instrumented (Debian's Qt, GStreamer and FFmpeg are not); tests/tsan.supp
  # names the few reports that come from inside those libraries, each with the reason.
  local flags="-fsanitize=thread -fno-omit-frame-pointer"
  configure build-tsan "$flags"
  local tests=(tst_job tst_transcode s3publishtest folderpublishtest tst_shapedfileserver)
  timed "tsan build" cmake --build build-tsan --parallel "$jobs" --target hlsforge-cli "${tests[@]}"
  # ignore_noninstrumented_modules=1: allocations, copies and frees that Qt, GLib and FFmpeg
  # make inside their own (uninstrumented) code are not recorded, so their internal threads
  # (QtNetwork's HTTP thread under S3Client: hundreds of reports per S3 test, and a timeout)
  # are not mistaken for ours; every access our code makes is still checked.
  export TSAN_OPTIONS="suppressions=$ROOT/tests/tsan.supp:ignore_noninstrumented_modules=1:halt_on_error=0:exitcode=66:second_deadlock_stack=1:history_size=4:die_after_fork=0"
  local bin=build-tsan/tests
  export HLSFORGE_CLI=$ROOT/build-tsan/app/cli/hlsforge-cli HLSFORGE_SOURCE_DIR=$ROOT HLSFORGE_TIMING_SCALE=10
  timed "tsan tests" run_tsan_tests "$bin"
}

run_tsan_tests() { # bin-dir
  local bin=$1 failed=0
  # The transcode test: only the threading case (progress from the pipeline's threads,
  # cancel from the caller's); the rest is media checking that TSan would only slow down.
  # Caveat: a test process that has started a child with QProcess (tst_transcode makes its
  # media with ffmpeg first) is no longer checked: TSan prints "starting new threads after
  # multi-threaded fork is not supported" and a deliberate race there goes unreported. So
  # the transcode threads are also checked in fresh hlsforge-cli processes (below), as are
  # publishing (folderpublishtest and s3publishtest run the CLI) and the preview server
  # (tst_shapedfileserver starts no process).
  # The job contract itself: the progress snapshot read from another thread while the worker
  # writes it, cancel from any thread, finished handed to the owner (tst_job starts no process).
  "$bin/job/tst_job" || failed=1
  "$bin/transcode/tst_transcode" progressIsFrequentAndCancelIsPrompt || failed=1
  local media=build-tsan/tsan-media rc=0
  rm -rf "$media" && mkdir -p "$media"
  for seconds in 6 30; do # made by ffmpeg from this script, not from a checked process
    ffmpeg -nostdin -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=25:duration=$seconds \
      -f lavfi -i sine=duration=$seconds -c:v libx264 -preset ultrafast -c:a aac -shortest \
      "$media/in$seconds.mp4"
  done
  # A whole 4-rung transcode: decode, the shared stage, a thread per rung, bounded queues.
  "$HLSFORGE_CLI" transcode "$media/in6.mp4" --out "$media/ladder" --ladder mobile \
    --x264-preset ultrafast --progress none || failed=1
  # Ctrl-C three seconds into a long one: cancel from the signal path while rungs run. Only
  # TSan's exit code (66) counts; the cancelled run's own status is the tests' business.
  "$HLSFORGE_CLI" transcode "$media/in30.mp4" --out "$media/cancelled" --ladder mobile \
    --progress none &
  local pid=$!
  sleep 3
  kill -INT "$pid" 2> /dev/null || true
  wait "$pid" || rc=$?
  [ "$rc" -ne 66 ] || failed=1
  "$bin/publish/folderpublishtest" || failed=1
  "$bin/publish/s3publishtest" || failed=1
  "$bin/preview/tst_shapedfileserver" || failed=1
  return $failed
}

# Each step runs to its end (a failing ASan test does not hide a TSan report); the script
# fails if any did.
status=0
for step in "${steps[@]}"; do
  start=$(date +%s)
  case "$step" in
    asan | tsan) ;;
    *) echo "usage: $0 [asan] [tsan]" >&2; exit 2 ;;
  esac
  # Not `if (run_...)`: bash ignores set -e inside a condition, so a failed build would go on.
  set +e
  (
    set -e
    run_"$step"
  )
  rc=$?
  set -e
  if [ $rc -eq 0 ]; then
    echo "sanitize: $step passed in $(( $(date +%s) - start )) s"
  else
    echo "sanitize: $step FAILED after $(( $(date +%s) - start )) s" >&2
    status=1
  fi
done
exit $status
