#include "util/LibraryVersions.h"

#include <QStringList>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

namespace hlsforge {

namespace {
QString version(const char* name, unsigned v) {
    return QStringLiteral("%1 %2.%3.%4")
        .arg(QLatin1String(name))
        .arg(AV_VERSION_MAJOR(v))
        .arg(AV_VERSION_MINOR(v))
        .arg(AV_VERSION_MICRO(v));
}
} // namespace

QString ffmpegLibraryVersions() {
    QStringList parts;
    parts << version("libavformat", avformat_version()) << version("libavcodec", avcodec_version())
          << version("libavfilter", avfilter_version()) << version("libavutil", avutil_version())
          << version("libswscale", swscale_version())
          << version("libswresample", swresample_version());
    return parts.join(QStringLiteral(", "));
}

} // namespace hlsforge
