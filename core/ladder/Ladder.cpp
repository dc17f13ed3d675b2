#include "ladder/Ladder.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

#include <algorithm>
#include <array>
#include <cmath>

namespace hlsforge {

namespace {

constexpr int kMaxRenditions = 24;

Status fieldError(const QString& field, const QString& problem) {
    return Status::error(Status::Code::InvalidArgument,
                         QStringLiteral("%1: %2").arg(field, problem));
}

// JSON numbers must be whole where the field is whole: "height": 720.5 is a typo, not 720.
bool readInt(const QJsonValue& value, int* out) {
    if (!value.isDouble())
        return false;
    const double d = value.toDouble();
    if (d != std::floor(d) || std::fabs(d) > 1e9)
        return false;
    *out = static_cast<int>(d);
    return true;
}

} // namespace

QString segmentFormatName(SegmentFormat format) {
    switch (format) {
    case SegmentFormat::Ts:
        return QStringLiteral("ts");
    case SegmentFormat::Fmp4:
        return QStringLiteral("fmp4");
    case SegmentFormat::TsByteRange:
        return QStringLiteral("ts-byterange");
    case SegmentFormat::Fmp4ByteRange:
        return QStringLiteral("fmp4-byterange");
    }
    return {};
}

bool parseSegmentFormat(const QString& name, SegmentFormat* out) {
    for (auto f : {SegmentFormat::Ts, SegmentFormat::Fmp4, SegmentFormat::TsByteRange,
                   SegmentFormat::Fmp4ByteRange}) {
        if (segmentFormatName(f) == name) {
            *out = f;
            return true;
        }
    }
    return false;
}

QString videoCodecName(VideoCodec codec) {
    switch (codec) {
    case VideoCodec::H264:
        return QStringLiteral("h264");
    case VideoCodec::Hevc:
        return QStringLiteral("hevc");
    case VideoCodec::Av1:
        return QStringLiteral("av1");
    }
    return {};
}

QString videoCodecDisplayName(VideoCodec codec) {
    switch (codec) {
    case VideoCodec::H264:
        return QStringLiteral("H.264");
    case VideoCodec::Hevc:
        return QStringLiteral("HEVC");
    case VideoCodec::Av1:
        return QStringLiteral("AV1");
    }
    return {};
}

bool parseVideoCodec(const QString& name, VideoCodec* out) {
    for (VideoCodec c : {VideoCodec::H264, VideoCodec::Hevc, VideoCodec::Av1}) {
        if (videoCodecName(c) == name) {
            *out = c;
            return true;
        }
    }
    return false;
}

QStringList videoCodecNames() {
    return {QStringLiteral("h264"), QStringLiteral("hevc"), QStringLiteral("av1")};
}

QString Rendition::effectiveName() const {
    if (!name.isEmpty())
        return name;
    QString base = QStringLiteral("%1p").arg(height);
    if (codec != VideoCodec::H264)
        base += QLatin1Char('-') + videoCodecName(codec);
    return hdr ? base + QStringLiteral("-hdr") : base;
}

bool Ladder::hasCodec(VideoCodec codec) const {
    return std::any_of(renditions.begin(), renditions.end(),
                       [codec](const Rendition& r) { return r.codec == codec; });
}

bool Ladder::hasHdrRungs() const {
    return std::any_of(renditions.begin(), renditions.end(),
                       [](const Rendition& r) { return r.hdr; });
}

QStringList x264PresetNames() {
    return {QStringLiteral("ultrafast"), QStringLiteral("superfast"), QStringLiteral("veryfast"),
            QStringLiteral("faster"),    QStringLiteral("fast"),      QStringLiteral("medium"),
            QStringLiteral("slow"),      QStringLiteral("slower"),    QStringLiteral("veryslow"),
            QStringLiteral("placebo")};
}

QStringList toneMapNames() {
    return {QStringLiteral("auto"), QStringLiteral("fast"), QStringLiteral("mobius"),
            QStringLiteral("hable")};
}

double Ladder::gopSeconds() const {
    const double groups = std::ceil(segmentSeconds / 2.0 - 1e-9);
    return segmentSeconds / std::max(1.0, groups);
}

Status Ladder::validate() const {
    if (!(segmentSeconds >= 1 && segmentSeconds <= 30))
        return fieldError(QStringLiteral("segmentSeconds"),
                          QStringLiteral("must be between 1 and 30"));
    if (!x264PresetNames().contains(x264Preset))
        return fieldError(QStringLiteral("x264Preset"),
                          QStringLiteral("unknown preset \"%1\" (one of %2)")
                              .arg(x264Preset, x264PresetNames().join(QStringLiteral(", "))));
    if (!x264PresetNames().contains(x265Preset))
        return fieldError(QStringLiteral("x265Preset"),
                          QStringLiteral("unknown preset \"%1\" (one of %2)")
                              .arg(x265Preset, x264PresetNames().join(QStringLiteral(", "))));
    if (svtAv1Preset < 0 || svtAv1Preset > 13)
        return fieldError(QStringLiteral("svtAv1Preset"),
                          QStringLiteral("must be between 0 (slowest) and 13 (fastest) (got %1)")
                              .arg(svtAv1Preset));
    if (audioKbps < 32 || audioKbps > 320)
        return fieldError(QStringLiteral("audioKbps"),
                          QStringLiteral("must be between 32 and 320"));
    if (renditions.isEmpty())
        return fieldError(QStringLiteral("renditions"),
                          QStringLiteral("needs at least one rendition"));
    // Every rung is an encoder thread with its own frame queue. Apple's HEVC ladder with its
    // H.264 fallback is 21 rungs (fewer once those above the source are dropped).
    if (renditions.size() > kMaxRenditions)
        return fieldError(QStringLiteral("renditions"),
                          QStringLiteral("at most %1 renditions").arg(kMaxRenditions));
    QSet<QString> names;
    for (int i = 0; i < renditions.size(); ++i) {
        const Rendition& r = renditions[i];
        const QString prefix = QStringLiteral("renditions[%1].").arg(i);
        if (r.height < 64 || r.height > 4320)
            return fieldError(prefix + QStringLiteral("height"),
                              QStringLiteral("must be between 64 and 4320 (got %1)").arg(r.height));
        if (r.height % 2 != 0)
            return fieldError(
                prefix + QStringLiteral("height"),
                QStringLiteral("must be even for 4:2:0 video (got %1)").arg(r.height));
        if (r.videoKbps < 50 || r.videoKbps > 100000)
            return fieldError(
                prefix + QStringLiteral("videoKbps"),
                QStringLiteral("must be between 50 and 100000 (got %1)").arg(r.videoKbps));
        if (r.maxKbps != 0 && r.maxKbps < r.videoKbps)
            return fieldError(prefix + QStringLiteral("maxKbps"),
                              QStringLiteral("must not be below videoKbps (%1 < %2)")
                                  .arg(r.maxKbps)
                                  .arg(r.videoKbps));
        if (r.codec != VideoCodec::H264 && !isFmp4(segmentFormat))
            return fieldError(
                prefix + QStringLiteral("codec"),
                QStringLiteral("%1 needs fMP4 segments: set segmentFormat to "
                               "\"fmp4\" or \"fmp4-byterange\" (it is \"%2\")")
                    .arg(videoCodecDisplayName(r.codec), segmentFormatName(segmentFormat)));
        if (r.hdr && r.codec == VideoCodec::H264)
            return fieldError(prefix + QStringLiteral("hdr"),
                              QStringLiteral("HDR rungs must be HEVC or AV1 (this rung is H.264, "
                                             "which stays SDR): set \"codec\" to \"hevc\" or "
                                             "\"av1\""));
        const QString name = r.effectiveName();
        static const QRegularExpression safeName(
            QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"));
        if (!safeName.match(name).hasMatch())
            return fieldError(
                prefix + QStringLiteral("name"),
                QStringLiteral("\"%1\" must be 1-40 letters, digits, '-', '_' or '.'").arg(name));
        if (names.contains(name))
            return fieldError(
                prefix + QStringLiteral("name"),
                QStringLiteral("\"%1\" is used twice; give each rung its own name").arg(name));
        names.insert(name);
    }
    // Apple's HLS authoring spec: a ladder that offers HDR variants also offers SDR ones,
    // for the devices and displays without HDR.
    if (hasHdrRungs() &&
        std::all_of(renditions.begin(), renditions.end(), [](const Rendition& r) { return r.hdr; }))
        return fieldError(QStringLiteral("renditions"),
                          QStringLiteral("every rung has \"hdr\": true; add at least one SDR rung "
                                         "(players without HDR need an SDR variant)"));
    if (progressive && !progressiveRung.isEmpty() && !names.contains(progressiveRung))
        return fieldError(
            QStringLiteral("progressive"),
            QStringLiteral("no rendition is named \"%1\" (rungs: %2)")
                .arg(progressiveRung, QStringList(names.values()).join(QStringLiteral(", "))));
    if (playerScripts != QLatin1String("cdn") && playerScripts != QLatin1String("self-contained"))
        return fieldError(QStringLiteral("playerScripts"),
                          QStringLiteral("must be \"cdn\" or \"self-contained\""));
    if (!toneMapNames().contains(toneMap))
        return fieldError(QStringLiteral("toneMap"),
                          QStringLiteral("unknown tone map \"%1\" (one of %2)")
                              .arg(toneMap, toneMapNames().join(QStringLiteral(", "))));
    return Status::ok();
}

QJsonObject Ladder::toJson() const {
    QJsonObject root;
    root[QStringLiteral("segmentSeconds")] = segmentSeconds;
    root[QStringLiteral("segmentFormat")] = segmentFormatName(segmentFormat);
    root[QStringLiteral("x264Preset")] = x264Preset;
    if (hasCodec(VideoCodec::Hevc))
        root[QStringLiteral("x265Preset")] = x265Preset;
    if (hasCodec(VideoCodec::Av1))
        root[QStringLiteral("svtAv1Preset")] = svtAv1Preset;
    root[QStringLiteral("audioKbps")] = audioKbps;
    QJsonArray rungs;
    for (const Rendition& r : renditions) {
        QJsonObject rung;
        if (!r.name.isEmpty())
            rung[QStringLiteral("name")] = r.name;
        rung[QStringLiteral("height")] = r.height;
        rung[QStringLiteral("videoKbps")] = r.videoKbps;
        if (r.maxKbps > 0)
            rung[QStringLiteral("maxKbps")] = r.maxKbps;
        if (r.codec != VideoCodec::H264)
            rung[QStringLiteral("codec")] = videoCodecName(r.codec);
        if (r.hdr)
            rung[QStringLiteral("hdr")] = true;
        rungs.append(rung);
    }
    root[QStringLiteral("renditions")] = rungs;
    if (progressive)
        root[QStringLiteral("progressive")] =
            progressiveRung.isEmpty() ? QJsonValue(true) : QJsonValue(progressiveRung);
    if (!playerPage)
        root[QStringLiteral("playerPage")] = false;
    if (playerScripts != QLatin1String("cdn"))
        root[QStringLiteral("playerScripts")] = playerScripts;
    if (toneMap != QLatin1String("auto"))
        root[QStringLiteral("toneMap")] = toneMap;
    if (measureQuality)
        root[QStringLiteral("measureQuality")] = true;
    if (!thumbnails)
        root[QStringLiteral("thumbnails")] = false;
    if (audioOnlyVariant)
        root[QStringLiteral("audioOnlyVariant")] = true;
    return root;
}

StatusOr<Ladder> Ladder::fromJson(const QJsonObject& json) {
    static const QSet<QString> knownTop = {
        QStringLiteral("segmentSeconds"), QStringLiteral("segmentFormat"),
        QStringLiteral("x264Preset"),     QStringLiteral("audioKbps"),
        QStringLiteral("renditions"),     QStringLiteral("name"),
        QStringLiteral("description"),    QStringLiteral("progressive"),
        QStringLiteral("playerPage"),     QStringLiteral("playerScripts"),
        QStringLiteral("toneMap"),        QStringLiteral("x265Preset"),
        QStringLiteral("svtAv1Preset"),   QStringLiteral("measureQuality"),
        QStringLiteral("thumbnails"),     QStringLiteral("audioOnlyVariant")};
    static const QSet<QString> knownRung = {QStringLiteral("name"),      QStringLiteral("height"),
                                            QStringLiteral("videoKbps"), QStringLiteral("maxKbps"),
                                            QStringLiteral("codec"),     QStringLiteral("hdr")};
    Ladder ladder;
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!knownTop.contains(it.key()))
            return fieldError(it.key(), QStringLiteral("unknown field"));
    }
    if (json.contains(QStringLiteral("segmentSeconds"))) {
        const QJsonValue v = json.value(QStringLiteral("segmentSeconds"));
        if (!v.isDouble())
            return fieldError(QStringLiteral("segmentSeconds"), QStringLiteral("must be a number"));
        ladder.segmentSeconds = v.toDouble();
    }
    if (json.contains(QStringLiteral("segmentFormat"))) {
        const QString name = json.value(QStringLiteral("segmentFormat")).toString();
        if (!parseSegmentFormat(name, &ladder.segmentFormat))
            return fieldError(QStringLiteral("segmentFormat"),
                              QStringLiteral("must be ts, fmp4, ts-byterange or fmp4-byterange"));
    }
    if (json.contains(QStringLiteral("x264Preset"))) {
        const QJsonValue v = json.value(QStringLiteral("x264Preset"));
        if (!v.isString())
            return fieldError(QStringLiteral("x264Preset"), QStringLiteral("must be a string"));
        ladder.x264Preset = v.toString();
    }
    if (json.contains(QStringLiteral("x265Preset"))) {
        const QJsonValue v = json.value(QStringLiteral("x265Preset"));
        if (!v.isString())
            return fieldError(QStringLiteral("x265Preset"), QStringLiteral("must be a string"));
        ladder.x265Preset = v.toString();
    }
    if (json.contains(QStringLiteral("svtAv1Preset")) &&
        !readInt(json.value(QStringLiteral("svtAv1Preset")), &ladder.svtAv1Preset))
        return fieldError(QStringLiteral("svtAv1Preset"),
                          QStringLiteral("must be a whole number from 0 to 13"));
    if (json.contains(QStringLiteral("audioKbps")) &&
        !readInt(json.value(QStringLiteral("audioKbps")), &ladder.audioKbps))
        return fieldError(QStringLiteral("audioKbps"), QStringLiteral("must be a whole number"));

    if (json.contains(QStringLiteral("progressive"))) {
        // true / false, or the name of the rung to use.
        const QJsonValue v = json.value(QStringLiteral("progressive"));
        if (v.isBool()) {
            ladder.progressive = v.toBool();
        } else if (v.isString() && !v.toString().isEmpty()) {
            ladder.progressive = true;
            ladder.progressiveRung = v.toString();
        } else {
            return fieldError(QStringLiteral("progressive"),
                              QStringLiteral("must be true, false or the name of a rendition"));
        }
    }
    if (json.contains(QStringLiteral("playerPage"))) {
        if (!json.value(QStringLiteral("playerPage")).isBool())
            return fieldError(QStringLiteral("playerPage"),
                              QStringLiteral("must be true or false"));
        ladder.playerPage = json.value(QStringLiteral("playerPage")).toBool();
    }
    if (json.contains(QStringLiteral("playerScripts")))
        ladder.playerScripts = json.value(QStringLiteral("playerScripts")).toString();
    if (json.contains(QStringLiteral("toneMap"))) {
        if (!json.value(QStringLiteral("toneMap")).isString())
            return fieldError(QStringLiteral("toneMap"), QStringLiteral("must be a string"));
        ladder.toneMap = json.value(QStringLiteral("toneMap")).toString();
    }

    if (json.contains(QStringLiteral("measureQuality"))) {
        if (!json.value(QStringLiteral("measureQuality")).isBool())
            return fieldError(QStringLiteral("measureQuality"),
                              QStringLiteral("must be true or false"));
        ladder.measureQuality = json.value(QStringLiteral("measureQuality")).toBool();
    }
    if (json.contains(QStringLiteral("thumbnails"))) {
        if (!json.value(QStringLiteral("thumbnails")).isBool())
            return fieldError(QStringLiteral("thumbnails"),
                              QStringLiteral("must be true or false"));
        ladder.thumbnails = json.value(QStringLiteral("thumbnails")).toBool();
    }
    if (json.contains(QStringLiteral("audioOnlyVariant"))) {
        if (!json.value(QStringLiteral("audioOnlyVariant")).isBool())
            return fieldError(QStringLiteral("audioOnlyVariant"),
                              QStringLiteral("must be true or false"));
        ladder.audioOnlyVariant = json.value(QStringLiteral("audioOnlyVariant")).toBool();
    }

    const QJsonValue rungsValue = json.value(QStringLiteral("renditions"));
    if (!rungsValue.isArray())
        return fieldError(QStringLiteral("renditions"),
                          QStringLiteral("must be a list of renditions"));
    const QJsonArray rungs = rungsValue.toArray();
    for (int i = 0; i < rungs.size(); ++i) {
        const QString prefix = QStringLiteral("renditions[%1]").arg(i);
        if (!rungs[i].isObject())
            return fieldError(prefix, QStringLiteral("must be an object"));
        const QJsonObject rung = rungs[i].toObject();
        for (auto it = rung.begin(); it != rung.end(); ++it) {
            if (!knownRung.contains(it.key()))
                return fieldError(prefix + QLatin1Char('.') + it.key(),
                                  QStringLiteral("unknown field"));
        }
        Rendition r;
        if (!rung.contains(QStringLiteral("height")) ||
            !readInt(rung.value(QStringLiteral("height")), &r.height))
            return fieldError(prefix + QStringLiteral(".height"),
                              QStringLiteral("must be a whole number"));
        if (!rung.contains(QStringLiteral("videoKbps")) ||
            !readInt(rung.value(QStringLiteral("videoKbps")), &r.videoKbps))
            return fieldError(prefix + QStringLiteral(".videoKbps"),
                              QStringLiteral("must be a whole number"));
        if (rung.contains(QStringLiteral("maxKbps")) &&
            !readInt(rung.value(QStringLiteral("maxKbps")), &r.maxKbps))
            return fieldError(prefix + QStringLiteral(".maxKbps"),
                              QStringLiteral("must be a whole number"));
        if (rung.contains(QStringLiteral("name"))) {
            if (!rung.value(QStringLiteral("name")).isString())
                return fieldError(prefix + QStringLiteral(".name"),
                                  QStringLiteral("must be a string"));
            r.name = rung.value(QStringLiteral("name")).toString();
        }
        if (rung.contains(QStringLiteral("codec")) &&
            !parseVideoCodec(rung.value(QStringLiteral("codec")).toString(), &r.codec))
            return fieldError(prefix + QStringLiteral(".codec"),
                              QStringLiteral("unknown codec \"%1\" (one of %2)")
                                  .arg(rung.value(QStringLiteral("codec")).toVariant().toString(),
                                       videoCodecNames().join(QStringLiteral(", "))));
        if (rung.contains(QStringLiteral("hdr"))) {
            if (!rung.value(QStringLiteral("hdr")).isBool())
                return fieldError(prefix + QStringLiteral(".hdr"),
                                  QStringLiteral("must be true or false"));
            r.hdr = rung.value(QStringLiteral("hdr")).toBool();
        }
        ladder.renditions.append(r);
    }
    Status valid = ladder.validate();
    if (!valid.isOk())
        return valid;
    return ladder;
}

StatusOr<Ladder> Ladder::fromJsonBytes(const QByteArray& bytes, const QString& sourceName) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("%1: not valid JSON at offset %2 (%3)")
                                 .arg(sourceName)
                                 .arg(error.offset)
                                 .arg(error.errorString()));
    if (!doc.isObject())
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("%1: a ladder must be a JSON object").arg(sourceName));
    StatusOr<Ladder> ladder = fromJson(doc.object());
    if (!ladder.isOk())
        return Status::error(ladder.status().code(),
                             QStringLiteral("%1: %2").arg(sourceName, ladder.status().message()));
    return ladder;
}

StatusOr<Ladder> Ladder::load(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("%1: cannot read ladder file (%2)").arg(path, file.errorString()));
    return fromJsonBytes(file.readAll(), path);
}

Status Ladder::save(const QString& path) const {
    Status valid = validate();
    if (!valid.isOk())
        return valid;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot write ladder file (%2)").arg(path, file.errorString()));
    file.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot write ladder file (%2)").arg(path, file.errorString()));
    return Status::ok();
}

QVector<ResolvedRendition> resolveRenditions(const Ladder& ladder, int sourceDisplayWidth,
                                             int sourceDisplayHeight) {
    QVector<ResolvedRendition> out;
    if (sourceDisplayWidth <= 0 || sourceDisplayHeight <= 0 || ladder.renditions.isEmpty())
        return out;
    const bool portrait = sourceDisplayHeight > sourceDisplayWidth;
    const int sourceShort = portrait ? sourceDisplayWidth : sourceDisplayHeight;
    const double longPerShort = portrait ? double(sourceDisplayHeight) / sourceDisplayWidth
                                         : double(sourceDisplayWidth) / sourceDisplayHeight;

    auto make = [&](const Rendition& r, int shortSide) {
        ResolvedRendition rr;
        rr.name = r.effectiveName();
        rr.codec = r.codec;
        rr.hdr = r.hdr;
        shortSide = std::max(2, shortSide & ~1);
        const int longSide = std::max(2, int(std::lround(shortSide * longPerShort / 2.0)) * 2);
        rr.width = portrait ? shortSide : longSide;
        rr.height = portrait ? longSide : shortSide;
        rr.videoKbps = r.videoKbps;
        rr.maxKbps = r.effectiveMaxKbps();
        rr.bufferKbits = rr.maxKbps * 2;
        return rr;
    };

    // Per codec and dynamic range: a group whose rungs are all larger than the source keeps
    // its smallest, at the source's size, so a mixed ladder never loses a codec (or its HDR or
    // SDR variants) on a small source.
    for (int group = 0; group < 6; ++group) {
        const VideoCodec codec =
            std::array{VideoCodec::H264, VideoCodec::Hevc, VideoCodec::Av1}[group % 3];
        const bool hdr = group >= 3;
        const Rendition* smallest = nullptr;
        bool anyFits = false;
        for (const Rendition& r : ladder.renditions) {
            if (r.codec != codec || r.hdr != hdr)
                continue;
            if (r.height <= sourceShort) {
                out.append(make(r, r.height));
                anyFits = true;
            }
            if (!smallest || r.height < smallest->height)
                smallest = &r;
        }
        if (smallest && !anyFits)
            out.append(make(*smallest, sourceShort));
    }
    // Highest first: the master playlist lists variants in this order.
    std::stable_sort(out.begin(), out.end(),
                     [](const ResolvedRendition& a, const ResolvedRendition& b) {
                         return a.height * a.width != b.height * b.width
                                    ? a.height * a.width > b.height * b.width
                                    : a.videoKbps > b.videoKbps;
                     });
    return out;
}

} // namespace hlsforge
