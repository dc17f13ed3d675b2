#pragma once
// Short human-readable renderings of times, sizes and rates: one set for the CLI and the GUI,
// so both say "1.4 GB" and "1:02:03" for the same thing. SI units (1 KB = 1000 bytes), as
// file managers and network tools show them.

#include <QString>

namespace hlsforge {

// "0:07", "12:03", "1:02:03"; `whenUnknown` for a negative, NaN or infinite value.
QString formatDuration(double seconds, const QString& whenUnknown = {});
// "812 B", "812 KB", "1.4 GB", "120 MB"; empty when negative.
QString formatBytes(qint64 bytes);
// "640 kb/s", "1.20 Mb/s", "24.2 Mb/s", "2.42 Gb/s": three significant digits (whole kb/s
// below 1 Mb/s); "?" when not positive (an unknown bitrate).
QString formatBitsPerSecond(qint64 bits);
QString formatKbps(double kbps);
// "3.4 MB/s" (formatBytes of one second's worth).
QString formatBytesPerSecond(double bytesPerSecond);

} // namespace hlsforge
