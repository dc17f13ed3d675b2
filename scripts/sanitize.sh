#!/usr/bin/env bash
# Checked memory and threads, the CI step after the README's test command (.ci/run runs it
# after scripts/test.sh; it is not part of that command):
#   asan: the test suite built with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
#   tsan: the core threading tests built with ThreadSanitizer (build-tsan/): transcode
#         progress + cancel, publishing (PublishJob and its upload threads), the preview server.
# Any report fails the step. (die_after_fork=0: the tests start ffmpeg and hlsforge-cli with
# QProcess, which forks a multi-threaded process and execs at once.) Usage: scripts/sanitize.sh [asan] [tsan]   (default: both)
# Expects the dependencies scripts/test.sh installs (Debian packages, npm test packages).
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
configure() { # build-dir sanitizer-flags
  cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHLSFORGE_WERROR=OFF "${launcher[@]}" \
    -DCMAKE_C_FLAGS="$2" -DCMAKE_CXX_FLAGS="$2" \
    -DCMAKE_EXE_LINKER_FLAGS="$2" -DCMAKE_SHARED_LINKER_FLAGS="$2" > /dev/null
}

# Timing assertions (tests labelled `timing`) keep their meaning under the slower sanitizer
# builds: each bound is multiplied by this (see tests/common/TestMedia.h).
export QT_QPA_PLATFORM=offscreen

run_asan() {
  local flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
  configure build-asan "$flags"
  cmake --build build-asan --parallel "$jobs"
  # Leak checking is off: Debian's Qt, fontconfig and GStreamer keep process-lifetime
  # allocations that LeakSanitizer reports at exit; every owner in our code is RAII.
  export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  # Left out here, run by scripts/test.sh: `browser` (the time is Chromium's, which is not
  # instrumented; our server and transcoder under it are exercised by the e2e and preview
  # tests) and `installer` (it would install these instrumented binaries as the system's
  # hlsforge package).
  (cd build-asan && HLSFORGE_TIMING_SCALE=3 ctest --output-on-failure --timeout 1800 -LE 'browser|installer')
}

run_tsan() {
  # Only our code is instrumented (Debian's Qt, GStreamer and FFmpeg are not); tests/tsan.supp
  # names the few reports that come from inside those libraries, each with the reason.
  local flags="-fsanitize=thread -fno-omit-frame-pointer"
  configure build-tsan "$flags"
  local tests=(tst_transcode s3publishtest folderpublishtest tst_shapedfileserver)
  cmake --build build-tsan --parallel "$jobs" --target hlsforge-cli "${tests[@]}"
  export TSAN_OPTIONS="suppressions=$ROOT/tests/tsan.supp:halt_on_error=0:exitcode=66:second_deadlock_stack=1:history_size=4:die_after_fork=0"
  local bin=build-tsan/tests
  export HLSFORGE_CLI=$ROOT/build-tsan/app/cli/hlsforge-cli HLSFORGE_SOURCE_DIR=$ROOT HLSFORGE_TIMING_SCALE=10
  local failed=0
  # The transcode test: only the threading case (progress from the pipeline's threads,
  # cancel from the caller's); the rest is media checking that TSan would only slow down.
  "$bin/transcode/tst_transcode" progressIsFrequentAndCancelIsPrompt || failed=1
  "$bin/publish/folderpublishtest" || failed=1
  "$bin/publish/s3publishtest" || failed=1
  "$bin/preview/tst_shapedfileserver" || failed=1
  return $failed
}

for step in "${steps[@]}"; do
  start=$(date +%s)
  case "$step" in
    asan) run_asan ;;
    tsan) run_tsan ;;
    *) echo "usage: $0 [asan] [tsan]" >&2; exit 2 ;;
  esac
  echo "sanitize: $step passed in $(( $(date +%s) - start )) s"
done
