#pragma once
// The FFmpeg libraries this process runs with (for About boxes and --version), read at run
// time so they show what is really loaded, not what we compiled against.

#include <QString>

namespace hlsforge {

// e.g. "libavformat 59.27.100, libavcodec 59.37.100, libavfilter 8.44.100, ..."
QString ffmpegLibraryVersions();

} // namespace hlsforge
