#include "playlist/CodecString.h"

namespace hlsforge {

namespace {
QString format(uint8_t profile, uint8_t constraints, uint8_t level) {
    return QStringLiteral("avc1.%1%2%3")
        .arg(profile, 2, 16, QLatin1Char('0'))
        .arg(constraints, 2, 16, QLatin1Char('0'))
        .arg(level, 2, 16, QLatin1Char('0'));
}
} // namespace

QString h264CodecString(const uint8_t* data, int size) {
    if (!data || size < 4)
        return {};
    // avcC: configurationVersion 1, then profile, compatibility (constraint flags), level.
    if (data[0] == 1)
        return format(data[1], data[2], data[3]);
    // Annex B: find the first SPS NAL (type 7); the three bytes after its header.
    for (int i = 0; i + 3 < size; ++i) {
        if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
            const int nal = i + 3;
            if (nal + 3 < size && (data[nal] & 0x1f) == 7)
                return format(data[nal + 1], data[nal + 2], data[nal + 3]);
        }
    }
    return {};
}

} // namespace hlsforge
