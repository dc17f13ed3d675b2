#include "playlist/MasterPlaylist.h"

#include "playlist/AttributeList.h"

#include <QFile>
#include <QList>
#include <QSaveFile>

#include <algorithm>

namespace hlsforge {

namespace {

void parseResolution(const QString& value, int* w, int* h) {
    const QStringList parts = value.split(QLatin1Char('x'));
    if (parts.size() == 2) {
        *w = parts[0].toInt();
        *h = parts[1].toInt();
    }
}

} // namespace

double variantScore(const VariantStream& variant) {
    double score = std::min(variant.width, variant.height);
    if (variant.codecs.startsWith(QLatin1String("av01")))
        score += 0.2;
    else if (variant.codecs.startsWith(QLatin1String("hvc1")) ||
             variant.codecs.startsWith(QLatin1String("hev1")))
        score += 0.1;
    if (variant.videoRange == QLatin1String("PQ") || variant.videoRange == QLatin1String("HLG"))
        score += 0.05;
    return score;
}

QByteArray MasterPlaylist::toText() const {
    QByteArray out = "#EXTM3U\n";
    out += "#EXT-X-VERSION:" + QByteArray::number(version) + "\n";
    if (independentSegments)
        out += "#EXT-X-INDEPENDENT-SEGMENTS\n";
    if (!media.isEmpty())
        out += "\n";
    for (const MediaRendition& m : media) {
        out += "#EXT-X-MEDIA:TYPE=" + m.type.toUtf8() + ",GROUP-ID=\"" + m.groupId.toUtf8() +
               "\",NAME=\"" + m.name.toUtf8() + "\"";
        if (!m.language.isEmpty())
            out += ",LANGUAGE=\"" + m.language.toUtf8() + "\"";
        out += QByteArray(",DEFAULT=") + (m.isDefault ? "YES" : "NO");
        out += QByteArray(",AUTOSELECT=") + (m.autoselect || m.isDefault ? "YES" : "NO");
        if (m.type == QLatin1String("SUBTITLES"))
            out += QByteArray(",FORCED=") + (m.forced ? "YES" : "NO");
        if (!m.channels.isEmpty())
            out += ",CHANNELS=\"" + m.channels.toUtf8() + "\"";
        if (!m.uri.isEmpty())
            out += ",URI=\"" + m.uri.toUtf8() + "\"";
        out += "\n";
    }
    for (const VariantStream& v : variants) {
        out += "\n#EXT-X-STREAM-INF:BANDWIDTH=" + QByteArray::number(v.bandwidth);
        if (v.averageBandwidth > 0)
            out += ",AVERAGE-BANDWIDTH=" + QByteArray::number(v.averageBandwidth);
        if (!v.codecs.isEmpty())
            out += ",CODECS=\"" + v.codecs.toUtf8() + "\"";
        if (v.width > 0 && v.height > 0)
            out +=
                ",RESOLUTION=" + QByteArray::number(v.width) + "x" + QByteArray::number(v.height);
        if (v.frameRate > 0)
            out += ",FRAME-RATE=" + QByteArray::number(v.frameRate, 'f', 3);
        if (!v.videoRange.isEmpty())
            out += ",VIDEO-RANGE=" + v.videoRange.toUtf8();
        if (v.score > 0)
            out += ",SCORE=" + QByteArray::number(v.score, 'f', 2);
        if (!v.audioGroup.isEmpty())
            out += ",AUDIO=\"" + v.audioGroup.toUtf8() + "\"";
        if (!v.subtitlesGroup.isEmpty())
            out += ",SUBTITLES=\"" + v.subtitlesGroup.toUtf8() + "\"";
        out += "\n" + v.uri.toUtf8() + "\n";
    }
    if (!iframeStreams.isEmpty())
        out += "\n";
    for (const IFrameStream& s : iframeStreams) {
        out += "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=" + QByteArray::number(s.bandwidth);
        if (!s.codecs.isEmpty())
            out += ",CODECS=\"" + s.codecs.toUtf8() + "\"";
        if (s.width > 0 && s.height > 0)
            out +=
                ",RESOLUTION=" + QByteArray::number(s.width) + "x" + QByteArray::number(s.height);
        out += ",URI=\"" + s.uri.toUtf8() + "\"\n";
    }
    if (!imageStreams.isEmpty())
        out += "\n";
    for (const ImageStream& s : imageStreams) {
        out += "#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=" + QByteArray::number(s.bandwidth);
        if (s.width > 0 && s.height > 0)
            out +=
                ",RESOLUTION=" + QByteArray::number(s.width) + "x" + QByteArray::number(s.height);
        out += ",CODECS=\"" + s.codecs.toUtf8() + "\",URI=\"" + s.uri.toUtf8() + "\"\n";
    }
    return out;
}

Status MasterPlaylist::write(const QString& path) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toText()) < 0 || !file.commit())
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot write master playlist (%2)").arg(path, file.errorString()));
    return Status::ok();
}

namespace {

// The attributes an I-frame stream and an image stream share (BANDWIDTH, CODECS,
// RESOLUTION, URI): one reader for both tags.
template <typename Stream> Stream parseUriStream(const QString& attributes) {
    Stream s;
    for (const auto& [key, value] : parseAttributeList(attributes)) {
        if (key == QLatin1String("BANDWIDTH"))
            s.bandwidth = value.toLongLong();
        else if (key == QLatin1String("CODECS"))
            s.codecs = value;
        else if (key == QLatin1String("RESOLUTION"))
            parseResolution(value, &s.width, &s.height);
        else if (key == QLatin1String("URI"))
            s.uri = value;
    }
    return s;
}

} // namespace

StatusOr<MasterPlaylist> MasterPlaylist::parse(const QByteArray& text, const QString& sourceName) {
    const QList<QByteArray> lines = text.split('\n');
    if (lines.isEmpty() || !lines[0].trimmed().startsWith("#EXTM3U"))
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1: not an M3U8 playlist (no #EXTM3U)").arg(sourceName));
    MasterPlaylist master;
    master.independentSegments = false;
    bool pendingVariant = false;
    VariantStream variant;
    for (int n = 1; n < lines.size(); ++n) {
        const QString line = QString::fromUtf8(lines[n]).trimmed();
        if (line.isEmpty())
            continue;
        if (line.startsWith(QLatin1String("#EXT-X-VERSION:"))) {
            master.version = line.mid(15).toInt();
        } else if (line == QLatin1String("#EXT-X-INDEPENDENT-SEGMENTS")) {
            master.independentSegments = true;
        } else if (line.startsWith(QLatin1String("#EXT-X-STREAM-INF:"))) {
            variant = VariantStream();
            for (const auto& [key, value] : parseAttributeList(line.mid(18))) {
                if (key == QLatin1String("BANDWIDTH"))
                    variant.bandwidth = value.toLongLong();
                else if (key == QLatin1String("AVERAGE-BANDWIDTH"))
                    variant.averageBandwidth = value.toLongLong();
                else if (key == QLatin1String("CODECS"))
                    variant.codecs = value;
                else if (key == QLatin1String("RESOLUTION"))
                    parseResolution(value, &variant.width, &variant.height);
                else if (key == QLatin1String("FRAME-RATE"))
                    variant.frameRate = value.toDouble();
                else if (key == QLatin1String("VIDEO-RANGE"))
                    variant.videoRange = value;
                else if (key == QLatin1String("SCORE"))
                    variant.score = value.toDouble();
                else if (key == QLatin1String("SUBTITLES"))
                    variant.subtitlesGroup = value;
                else if (key == QLatin1String("AUDIO"))
                    variant.audioGroup = value;
            }
            pendingVariant = true;
        } else if (line.startsWith(QLatin1String("#EXT-X-I-FRAME-STREAM-INF:"))) {
            master.iframeStreams.append(parseUriStream<IFrameStream>(line.mid(26)));
        } else if (line.startsWith(QLatin1String("#EXT-X-MEDIA:"))) {
            MediaRendition m;
            m.autoselect = false;
            for (const auto& [key, value] : parseAttributeList(line.mid(13))) {
                if (key == QLatin1String("TYPE"))
                    m.type = value;
                else if (key == QLatin1String("GROUP-ID"))
                    m.groupId = value;
                else if (key == QLatin1String("NAME"))
                    m.name = value;
                else if (key == QLatin1String("LANGUAGE"))
                    m.language = value;
                else if (key == QLatin1String("DEFAULT"))
                    m.isDefault = value == QLatin1String("YES");
                else if (key == QLatin1String("AUTOSELECT"))
                    m.autoselect = value == QLatin1String("YES");
                else if (key == QLatin1String("FORCED"))
                    m.forced = value == QLatin1String("YES");
                else if (key == QLatin1String("CHANNELS"))
                    m.channels = value;
                else if (key == QLatin1String("URI"))
                    m.uri = value;
            }
            master.media.append(m);
        } else if (line.startsWith(QLatin1String("#EXT-X-IMAGE-STREAM-INF:"))) {
            master.imageStreams.append(parseUriStream<ImageStream>(line.mid(24)));
        } else if (!line.startsWith(QLatin1Char('#')) && pendingVariant) {
            variant.uri = line;
            master.variants.append(variant);
            pendingVariant = false;
        }
    }
    if (master.variants.isEmpty())
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1: master playlist lists no variant streams").arg(sourceName));
    return master;
}

StatusOr<MasterPlaylist> MasterPlaylist::load(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot read playlist (%2)").arg(path, file.errorString()));
    return parse(file.readAll(), path);
}

} // namespace hlsforge
