#pragma once
// The master (multivariant) playlist: written by our code from measured values, and
// parsed back (for the preview player's rung mapping, the publisher and the tests).

#include "util/Status.h"

#include <QString>
#include <QVector>

namespace hlsforge {

struct VariantStream {
    QString uri; // relative media playlist, e.g. "720p/index.m3u8"
    qint64 bandwidth = 0;
    qint64 averageBandwidth = 0;
    QString codecs;
    int width = 0;
    int height = 0;
    double frameRate = 0;
    QString videoRange; // "SDR", "PQ" or "HLG"; empty: not written
};

struct IFrameStream {
    QString uri;
    qint64 bandwidth = 0;
    QString codecs;
    int width = 0;
    int height = 0;
};

struct MasterPlaylist {
    int version = 4;
    bool independentSegments = true;
    QVector<VariantStream> variants; // highest first
    QVector<IFrameStream> iframeStreams;

    QByteArray toText() const;
    Status write(const QString& path) const;
    static StatusOr<MasterPlaylist> parse(const QByteArray& text, const QString& sourceName);
    static StatusOr<MasterPlaylist> load(const QString& path);
};

} // namespace hlsforge
