#include "util/FfmpegError.h"

extern "C" {
#include <libavutil/error.h>
}

namespace hlsforge::av {

QString errorString(int averror) {
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(averror, buffer, sizeof buffer);
    return QString::fromUtf8(buffer);
}

} // namespace hlsforge::av
