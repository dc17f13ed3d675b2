#include "playlist/IFrameIndex.h"

#include <QFile>

#include <cmath>

namespace hlsforge {

namespace {

constexpr int kTsPacketBytes = 188;

quint32 be32(const uchar* p) {
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | p[3];
}
quint16 be16(const uchar* p) {
    return quint16((p[0] << 8) | p[1]);
}

Status readRange(const QString& path, qint64 offset, qint64 length, QByteArray* out) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot read segment (%2)").arg(path, file.errorString()));
    if (length < 0)
        length = file.size() - offset;
    if (!file.seek(offset))
        return Status::error(Status::Code::IoError, QStringLiteral("%1: cannot seek").arg(path));
    *out = file.read(length);
    if (out->size() != length)
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: segment is truncated").arg(path));
    return Status::ok();
}

// A keyframe found in a TS segment: byte range relative to the segment start, and its PTS.
struct TsKeyframe {
    qint64 start = 0;
    qint64 end = 0;
    qint64 pts = -1;
};

// Scans MPEG-TS packets: PAT -> PMT -> the H.264 PID; a video packet that starts a PES and
// carries the random access indicator starts a keyframe. The PAT/PMT run the muxer writes
// right before each keyframe is included so the range decodes on its own.
Status scanTsSegment(const QByteArray& data, const QString& name, QVector<TsKeyframe>* out) {
    if (data.size() % kTsPacketBytes != 0 && data.size() > 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: not a whole number of TS packets").arg(name));
    const auto* bytes = reinterpret_cast<const uchar*>(data.constData());
    int pmtPid = -1;
    int videoPid = -1;
    qint64 siRunStart = -1; // first packet of the PSI run just before the current packet
    bool keyframeOpen = false;
    TsKeyframe current;
    for (qint64 off = 0; off + kTsPacketBytes <= data.size(); off += kTsPacketBytes) {
        const uchar* p = bytes + off;
        if (p[0] != 0x47)
            return Status::error(Status::Code::InvalidInput,
                                 QStringLiteral("%1: lost TS sync at byte %2").arg(name).arg(off));
        const bool unitStart = p[1] & 0x40;
        const int pid = ((p[1] & 0x1f) << 8) | p[2];
        const int afc = (p[3] >> 4) & 3;
        int payload = 4;
        bool randomAccess = false;
        if (afc & 2) {
            const int afLength = p[4];
            if (afLength > 0)
                randomAccess = p[5] & 0x40;
            payload = 5 + afLength;
        }
        const bool hasPayload = (afc & 1) && payload < kTsPacketBytes;
        const bool isSi = pid == 0 || pid == pmtPid || pid == 0x11;
        if (isSi) {
            if (siRunStart < 0)
                siRunStart = off;
            if (hasPayload && unitStart) {
                const uchar* section = p + payload + 1 + p[payload]; // skip pointer_field
                const uchar* end = p + kTsPacketBytes;
                if (pid == 0 && section + 12 <= end && section[0] == 0x00) {
                    for (const uchar* prog = section + 8; prog + 4 <= end - 4; prog += 4) {
                        if (be16(prog) != 0) {
                            pmtPid = be16(prog + 2) & 0x1fff;
                            break;
                        }
                    }
                } else if (pid == pmtPid && section + 12 <= end && section[0] == 0x02) {
                    const int sectionLength = be16(section + 1) & 0x0fff;
                    const int programInfo = be16(section + 10) & 0x0fff;
                    const uchar* es = section + 12 + programInfo;
                    const uchar* esEnd = std::min(end, section + 3 + sectionLength - 4);
                    while (es + 5 <= esEnd) {
                        const int type = es[0];
                        const int esPid = be16(es + 1) & 0x1fff;
                        if (type == 0x1b && videoPid < 0)
                            videoPid = esPid;
                        es += 5 + (be16(es + 3) & 0x0fff);
                    }
                }
            }
            continue;
        }
        if (pid == videoPid && unitStart) {
            if (keyframeOpen) {
                current.end = off;
                out->append(current);
                keyframeOpen = false;
            }
            if (randomAccess) {
                current = TsKeyframe();
                current.start = siRunStart >= 0 ? siRunStart : off;
                const uchar* pes = p + payload;
                if (payload + 14 <= kTsPacketBytes && pes[0] == 0 && pes[1] == 0 && pes[2] == 1 &&
                    (pes[7] & 0x80)) {
                    const uchar* t = pes + 9;
                    current.pts = (qint64(t[0] & 0x0e) << 29) | (qint64(t[1]) << 22) |
                                  (qint64(t[2] & 0xfe) << 14) | (qint64(t[3]) << 7) | (t[4] >> 1);
                }
                keyframeOpen = true;
            }
        }
        siRunStart = -1;
    }
    if (keyframeOpen) {
        current.end = data.size();
        out->append(current);
    }
    return Status::ok();
}

// fMP4: the first video sample of the fragment, with its moof, as [moof start, sample end).
Status scanFmp4Segment(const QByteArray& data, const QString& name, qint64* start, qint64* end) {
    const auto* b = reinterpret_cast<const uchar*>(data.constData());
    const qint64 size = data.size();
    for (qint64 off = 0; off + 8 <= size;) {
        qint64 boxSize = be32(b + off);
        if (boxSize == 1 && off + 16 <= size)
            boxSize = (qint64(be32(b + off + 8)) << 32) | be32(b + off + 12);
        if (boxSize < 8 || off + boxSize > size)
            break;
        if (memcmp(b + off + 4, "moof", 4) == 0) {
            // First traf is the video track (the muxer adds video first).
            for (qint64 t = off + 8; t + 8 <= off + boxSize;) {
                const qint64 trafSize = be32(b + t);
                if (trafSize < 8)
                    break;
                if (memcmp(b + t + 4, "traf", 4) == 0) {
                    qint64 base = off; // default-base-is-moof
                    qint64 defaultSize = -1;
                    for (qint64 c = t + 8; c + 8 <= t + trafSize;) {
                        const qint64 childSize = be32(b + c);
                        if (childSize < 8)
                            break;
                        const uchar* body = b + c + 8;
                        const quint32 flags = be32(body) & 0xffffff;
                        if (memcmp(b + c + 4, "tfhd", 4) == 0) {
                            const uchar* f = body + 8;
                            if (flags & 0x1) {
                                base = (qint64(be32(f)) << 32) | be32(f + 4);
                                f += 8;
                            }
                            if (flags & 0x2)
                                f += 4;
                            if (flags & 0x8)
                                f += 4;
                            if (flags & 0x10)
                                defaultSize = be32(f);
                        } else if (memcmp(b + c + 4, "trun", 4) == 0) {
                            const uchar* f = body + 8;
                            qint64 dataOffset = 0;
                            if (flags & 0x1) {
                                dataOffset = qint32(be32(f));
                                f += 4;
                            }
                            if (flags & 0x4)
                                f += 4;
                            if (flags & 0x100)
                                f += 4;
                            const qint64 sampleSize = (flags & 0x200) ? be32(f) : defaultSize;
                            if (sampleSize <= 0)
                                break;
                            *start = off;
                            *end = base + dataOffset + sampleSize;
                            if (*end > size || *end <= *start)
                                return Status::error(
                                    Status::Code::InvalidInput,
                                    QStringLiteral("%1: bad fragment layout").arg(name));
                            return Status::ok();
                        }
                        c += childSize;
                    }
                }
                t += trafSize;
            }
        }
        off += boxSize;
    }
    return Status::error(Status::Code::InvalidInput,
                         QStringLiteral("%1: no video fragment found").arg(name));
}

} // namespace

QByteArray IFrameIndex::toPlaylistText(const MediaPlaylist& source) const {
    double maxDuration = 0;
    for (const IFrameEntry& e : entries)
        maxDuration = std::max(maxDuration, e.durationSeconds);
    const bool hasMap = !source.mapUri.isEmpty();
    QByteArray out = "#EXTM3U\n#EXT-X-VERSION:" + QByteArray(hasMap ? "6" : "4") + "\n";
    out += "#EXT-X-TARGETDURATION:" + QByteArray::number(int(std::ceil(maxDuration - 1e-6))) + "\n";
    out += "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-I-FRAMES-ONLY\n";
    if (hasMap) {
        out += "#EXT-X-MAP:URI=\"" + source.mapUri.toUtf8() + "\"";
        if (source.mapByteRangeLength >= 0)
            out += ",BYTERANGE=\"" + QByteArray::number(source.mapByteRangeLength) + "@" +
                   QByteArray::number(source.mapByteRangeOffset) + "\"";
        out += "\n";
    }
    for (const IFrameEntry& e : entries) {
        out += "#EXTINF:" + QByteArray::number(e.durationSeconds, 'f', 6) + ",\n";
        out += "#EXT-X-BYTERANGE:" + QByteArray::number(e.length) + "@" +
               QByteArray::number(e.offset) + "\n";
        out += e.uri.toUtf8() + "\n";
    }
    out += "#EXT-X-ENDLIST\n";
    return out;
}

StatusOr<IFrameIndex> buildIFrameIndex(const MediaPlaylist& playlist, const QString& playlistDir,
                                       bool fmp4) {
    IFrameIndex index;
    for (const MediaSegment& segment : playlist.segments) {
        const QString path = playlistDir + QLatin1Char('/') + segment.uri;
        const qint64 base = segment.byteRangeLength >= 0 ? segment.byteRangeOffset : 0;
        QByteArray data;
        Status read = readRange(path, base, segment.byteRangeLength, &data);
        if (!read.isOk())
            return read;
        if (fmp4) {
            qint64 start = 0, end = 0;
            Status scanned = scanFmp4Segment(data, path, &start, &end);
            if (!scanned.isOk())
                return scanned;
            index.entries.append({segment.uri, base + start, end - start, segment.startSeconds, 0});
            continue;
        }
        QVector<TsKeyframe> keyframes;
        Status scanned = scanTsSegment(data, path, &keyframes);
        if (!scanned.isOk())
            return scanned;
        const qint64 firstPts = keyframes.isEmpty() ? -1 : keyframes.first().pts;
        for (const TsKeyframe& k : keyframes) {
            double offsetSeconds = 0;
            if (firstPts >= 0 && k.pts >= 0)
                offsetSeconds = double((k.pts - firstPts) & ((qint64(1) << 33) - 1)) / 90000.0;
            index.entries.append({segment.uri, base + k.start, k.end - k.start,
                                  segment.startSeconds + offsetSeconds, 0});
        }
    }
    const double total = playlist.totalSeconds();
    for (int i = 0; i < index.entries.size(); ++i) {
        IFrameEntry& e = index.entries[i];
        const double next =
            i + 1 < index.entries.size() ? index.entries[i + 1].startSeconds : total;
        e.durationSeconds = std::max(0.0, next - e.startSeconds);
        if (e.durationSeconds > 0.1)
            index.peakBitsPerSecond = std::max(
                index.peakBitsPerSecond, qint64(std::ceil(e.length * 8.0 / e.durationSeconds)));
    }
    if (index.entries.isEmpty())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("no keyframes found in %1").arg(playlistDir));
    return index;
}

} // namespace hlsforge
