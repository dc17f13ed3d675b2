#!/usr/bin/env bash
# Builds the .deb with CPack from a finished build folder, installs it with apt (which pulls
# in its dependencies), and checks the installed programs: `hlsforge-cli --version` and the
# GUI's `--self-test-quit` on the offscreen platform. Removes the package again unless it
# was installed before. Usage: tests/installer/test-deb.sh BUILD_DIR
set -euo pipefail
BUILD_DIR=$(cd "${1:?usage: test-deb.sh BUILD_DIR}" && pwd)

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "test-deb: needs root or passwordless sudo to install a package; skipped"
    exit 77
  fi
fi

WORK=$(mktemp -d)
was_installed=0
dpkg-query -W -f='${Status}' hlsforge 2>/dev/null | grep -q "install ok installed" && was_installed=1
cleanup() {
  if [ "$was_installed" = 0 ] && dpkg-query -W -f='${Status}' hlsforge 2>/dev/null | grep -q "install ok installed"; then
    $SUDO dpkg -r hlsforge >/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }

echo "test-deb: packaging $BUILD_DIR"
(cd "$WORK" && cpack --config "$BUILD_DIR/CPackConfig.cmake" -G DEB -B "$WORK" >"$WORK/cpack.log" 2>&1) ||
  { cat "$WORK/cpack.log"; fail "cpack"; }
deb=$(ls "$WORK"/hlsforge_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no .deb written"
echo "test-deb: built $(basename "$deb") ($(du -k "$deb" | cut -f1) KB)"

# What the package declares and holds.
depends=$(dpkg-deb --field "$deb" Depends)
echo "test-deb: Depends: $depends"
for dep in libqt6widgets6 libqt6core6 libavformat libavcodec gstreamer1.0-plugins-good gstreamer1.0-libav libqt6svg6; do
  grep -q "$dep" <<<"$depends" || fail "Depends lacks $dep"
done
contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/hlsforge ./usr/bin/hlsforge-cli \
            ./usr/share/applications/io.github.hlsforge.HlsForge.desktop \
            ./usr/share/icons/hicolor/scalable/apps/io.github.hlsforge.HlsForge.svg \
            ./usr/share/metainfo/io.github.hlsforge.HlsForge.metainfo.xml; do
  grep -q " $path\$" <<<"$contents" || fail "package lacks $path"
done
if command -v desktop-file-validate >/dev/null; then
  dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/applications/io.github.hlsforge.HlsForge.desktop >"$WORK/app.desktop"
  desktop-file-validate "$WORK/app.desktop" || fail "desktop entry does not validate"
fi

if command -v appstreamcli >/dev/null; then
  dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/metainfo/io.github.hlsforge.HlsForge.metainfo.xml >"$WORK/app.metainfo.xml"
  appstreamcli validate --no-net "$WORK/app.metainfo.xml" >"$WORK/appstream.log" 2>&1 ||
    { cat "$WORK/appstream.log"; fail "AppStream metainfo does not validate"; }
fi

echo "test-deb: installing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >"$WORK/apt.log" 2>&1 ||
  { cat "$WORK/apt.log"; fail "apt-get install"; }

# The installed programs, from /usr/bin, not from the build folder.
cli_version=$(/usr/bin/hlsforge-cli --version) || fail "hlsforge-cli --version"
echo "test-deb: $cli_version"
gui_out=$(cd "$WORK" && env -u DISPLAY QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$WORK/config" \
          XDG_RUNTIME_DIR="$WORK" timeout 60 /usr/bin/hlsforge --self-test-quit 2>"$WORK/gui.err") ||
  { cat "$WORK/gui.err"; fail "hlsforge --self-test-quit"; }
echo "test-deb: $gui_out"
grep -q "icons ok" <<<"$gui_out" || fail "the installed GUI cannot load its SVG icons"
echo "test-deb: PASS"
