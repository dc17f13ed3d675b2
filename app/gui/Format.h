#pragma once
// Short human-readable renderings of times, sizes and rates for the queue and details pane.

#include <QString>

namespace hlsforge::gui {

QString formatDuration(double seconds);   // "0:07", "12:03", "1:02:03"; "" when unknown
QString formatBytes(qint64 bytes);        // "812 KB", "1.4 GB"
QString formatBitsPerSecond(qint64 bits); // "1.2 Mb/s", "640 kb/s"

} // namespace hlsforge::gui
