#include "cluster/ClusterPlan.h"

#include "subtitles/Language.h"
#include "transcode/FrameTiming.h"

#include <QJsonArray>

extern "C" {
#include <libavutil/mathematics.h>
}

#include <algorithm>
#include <cmath>

namespace hlsforge::cluster {

KeyframeRule KeyframeRule::forLadder(const Ladder& ladder, AVRational frameRate) {
    KeyframeRule rule;
    rule.frameRate = frameRate;
    rule.segmentSeconds = ladder.segmentSeconds;
    rule.gopSeconds = ladder.gopSeconds();
    // As Transcoder::openRungs: AV1's encoder keeps a fixed frame interval, so with AV1 rungs
    // every rung counts frames.
    rule.byFrameCount = ladder.hasCodec(VideoCodec::Av1);
    const double gopFramesExact = rule.gopSeconds * av_q2d(frameRate);
    rule.gopFrames = rule.byFrameCount ? std::max(1, int(std::lround(gopFramesExact)))
                                       : int(std::ceil(gopFramesExact));
    return rule;
}

bool KeyframeRule::isKeyframe(int64_t frame) const {
    if (frame <= 0)
        return frame == 0;
    if (byFrameCount)
        return frame / gopFrames != (frame - 1) / gopFrames;
    // RenditionEncoder::encode: the GOP index of a frame is floor(seconds / gop + 1e-6).
    const auto gopIndex = [this](int64_t n) {
        return int64_t(std::floor(double(n) * av_q2d(av_inv_q(frameRate)) / gopSeconds + 1e-6));
    };
    return gopIndex(frame) > gopIndex(frame - 1);
}

QVector<int64_t> KeyframeRule::segmentStarts(int64_t frameCount) const {
    QVector<int64_t> starts;
    if (frameCount <= 0)
        return starts;
    starts.append(0);
    // hlsenc compares the keyframe's time with number x hls_time exactly (av_compare_ts).
    const AVRational frameSeconds = av_inv_q(frameRate);
    const int64_t segmentUs = std::llround(segmentSeconds * 1e6);
    for (int64_t n = 1; n < frameCount; ++n) {
        if (!isKeyframe(n))
            continue;
        const int64_t number = starts.size();
        if (av_compare_ts(n, frameSeconds, segmentUs * number, AVRational{1, 1000000}) >= 0)
            starts.append(n);
    }
    return starts;
}

StatusOr<ClusterPlan> planChunks(const MediaInfo& source, const QString& output,
                                 const Ladder& ladder, double chunkSeconds) {
    if (!source.hasVideo)
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("%1: no video stream").arg(source.path));
    const Status valid = ladder.validate();
    if (!valid.isOk())
        return Status::error(valid.code(), QStringLiteral("ladder: %1").arg(valid.message()));
    if (!(chunkSeconds > 0))
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("chunk length must be above 0 seconds"));

    const VideoInfo& v = source.video;
    // The engine's own decisions (InputStage::decideTiming): the source rate, then one frame
    // per field when it deinterlaces.
    const FrameRateChoice rate =
        chooseFrameRate(AVRational{v.frameRateNum, v.frameRateDen},
                        AVRational{v.baseFrameRateNum, v.baseFrameRateDen});
    const DeinterlacePlan scan = planDeinterlace(v, rate.rate);

    ClusterPlan plan;
    plan.source = source.path;
    plan.output = output;
    plan.ladder = ladder;
    plan.rungs = resolveRenditions(ladder, v.displayWidth, v.displayHeight);
    plan.keyframes = KeyframeRule::forLadder(ladder, scan.outputRate);
    plan.durationSeconds = source.durationSeconds;
    plan.frameCount = std::max<int64_t>(
        1, std::llround(source.durationSeconds * av_q2d(plan.keyframes.frameRate)));
    plan.hasAudio = source.hasAudio;
    if (source.hasAudio && !source.audio.language.isEmpty()) {
        const subtitles::LanguageTag tag = subtitles::toBcp47(source.audio.language, source.path);
        if (tag.warning.isEmpty())
            plan.audioLanguage = tag.bcp47;
    }

    const QVector<int64_t> starts = plan.keyframes.segmentStarts(plan.frameCount);
    plan.segmentCount = int(starts.size());
    const int perChunk =
        std::max(1, int(std::lround(chunkSeconds / std::max(1e-3, ladder.segmentSeconds))));
    const double frameSeconds = av_q2d(av_inv_q(plan.keyframes.frameRate));
    for (int first = 0; first < starts.size(); first += perChunk) {
        Chunk c;
        c.index = int(plan.chunks.size());
        c.firstSegment = first;
        c.segmentCount = std::min(perChunk, int(starts.size()) - first);
        c.firstFrame = starts[first];
        const int next = first + c.segmentCount;
        c.endFrame = next < starts.size() ? starts[next] : -1;
        c.startSeconds = double(c.firstFrame) * frameSeconds;
        plan.chunks.append(c);
    }
    return plan;
}

namespace {

QString rateString(AVRational r) {
    return QStringLiteral("%1/%2").arg(r.num).arg(r.den);
}

bool parseRate(const QString& text, AVRational* rate) {
    const QStringList parts = text.split(QLatin1Char('/'));
    bool okNum = false, okDen = false;
    if (parts.size() != 2)
        return false;
    rate->num = parts[0].toInt(&okNum);
    rate->den = parts[1].toInt(&okDen);
    return okNum && okDen && rate->num > 0 && rate->den > 0;
}

Status planError(const QString& what) {
    return Status::error(Status::Code::InvalidArgument, QStringLiteral("plan.json: %1").arg(what));
}

} // namespace

QJsonObject ClusterPlan::toJson() const {
    QJsonArray chunkArray;
    for (const Chunk& c : chunks)
        chunkArray.append(QJsonObject{{QStringLiteral("index"), c.index},
                                      {QStringLiteral("firstSegment"), c.firstSegment},
                                      {QStringLiteral("segmentCount"), c.segmentCount},
                                      {QStringLiteral("firstFrame"), qint64(c.firstFrame)},
                                      {QStringLiteral("endFrame"), qint64(c.endFrame)},
                                      {QStringLiteral("startSeconds"), c.startSeconds}});
    QJsonArray subtitleArray;
    for (const subtitles::SubtitleInput& in : subtitleFiles)
        subtitleArray.append(QJsonObject{{QStringLiteral("file"), in.path},
                                         {QStringLiteral("language"), in.languageCode},
                                         {QStringLiteral("name"), in.name},
                                         {QStringLiteral("forced"), in.forced}});
    QJsonArray rungArray;
    for (const ResolvedRendition& r : rungs)
        rungArray.append(QJsonObject{{QStringLiteral("name"), r.name},
                                     {QStringLiteral("width"), r.width},
                                     {QStringLiteral("height"), r.height},
                                     {QStringLiteral("videoKbps"), r.videoKbps}});
    return QJsonObject{{QStringLiteral("version"), kVersion},
                       {QStringLiteral("source"), source},
                       {QStringLiteral("output"), output},
                       {QStringLiteral("ladder"), ladder.toJson()},
                       {QStringLiteral("rungs"), rungArray},
                       {QStringLiteral("frameRate"), rateString(keyframes.frameRate)},
                       {QStringLiteral("segmentSeconds"), keyframes.segmentSeconds},
                       {QStringLiteral("keyframes"),
                        QJsonObject{{QStringLiteral("gopSeconds"), keyframes.gopSeconds},
                                    {QStringLiteral("byFrameCount"), keyframes.byFrameCount},
                                    {QStringLiteral("gopFrames"), keyframes.gopFrames}}},
                       {QStringLiteral("durationSeconds"), durationSeconds},
                       {QStringLiteral("frameCount"), qint64(frameCount)},
                       {QStringLiteral("segmentCount"), segmentCount},
                       {QStringLiteral("chunks"), chunkArray},
                       {QStringLiteral("hasAudio"), hasAudio},
                       {QStringLiteral("audioLanguage"), audioLanguage},
                       {QStringLiteral("audioIndex"), audioIndex()},
                       {QStringLiteral("indices"), indexCount()},
                       {QStringLiteral("subtitleFiles"), subtitleArray}};
}

StatusOr<ClusterPlan> ClusterPlan::fromJson(const QJsonObject& json) {
    if (json.value(QStringLiteral("version")).toInt() != kVersion)
        return planError(QStringLiteral("version %1 is not %2")
                             .arg(json.value(QStringLiteral("version")).toInt())
                             .arg(kVersion));
    ClusterPlan plan;
    plan.source = json.value(QStringLiteral("source")).toString();
    plan.output = json.value(QStringLiteral("output")).toString();
    if (plan.source.isEmpty() || plan.output.isEmpty())
        return planError(QStringLiteral("source and output are required"));
    StatusOr<Ladder> ladder = Ladder::fromJson(json.value(QStringLiteral("ladder")).toObject());
    if (!ladder.isOk())
        return planError(ladder.status().message());
    plan.ladder = ladder.value();
    AVRational rate{};
    if (!parseRate(json.value(QStringLiteral("frameRate")).toString(), &rate))
        return planError(QStringLiteral("frameRate must read like \"30000/1001\""));
    plan.keyframes = KeyframeRule::forLadder(plan.ladder, rate);
    for (const QJsonValue& value : json.value(QStringLiteral("rungs")).toArray()) {
        const QJsonObject o = value.toObject();
        ResolvedRendition r;
        r.name = o.value(QStringLiteral("name")).toString();
        r.width = o.value(QStringLiteral("width")).toInt();
        r.height = o.value(QStringLiteral("height")).toInt();
        r.videoKbps = o.value(QStringLiteral("videoKbps")).toInt();
        plan.rungs.append(r);
    }
    plan.durationSeconds = json.value(QStringLiteral("durationSeconds")).toDouble();
    plan.frameCount = json.value(QStringLiteral("frameCount")).toInteger();
    plan.segmentCount = json.value(QStringLiteral("segmentCount")).toInt();
    plan.hasAudio = json.value(QStringLiteral("hasAudio")).toBool();
    plan.audioLanguage = json.value(QStringLiteral("audioLanguage")).toString();
    for (const QJsonValue& value : json.value(QStringLiteral("subtitleFiles")).toArray()) {
        const QJsonObject o = value.toObject();
        subtitles::SubtitleInput in;
        in.path = o.value(QStringLiteral("file")).toString();
        in.languageCode = o.value(QStringLiteral("language")).toString();
        in.name = o.value(QStringLiteral("name")).toString();
        in.forced = o.value(QStringLiteral("forced")).toBool();
        if (in.path.isEmpty())
            return planError(QStringLiteral("subtitleFiles: an entry has no \"file\""));
        plan.subtitleFiles.append(in);
    }
    int expectedSegment = 0;
    for (const QJsonValue& value : json.value(QStringLiteral("chunks")).toArray()) {
        const QJsonObject o = value.toObject();
        Chunk c;
        c.index = o.value(QStringLiteral("index")).toInt(-1);
        c.firstSegment = o.value(QStringLiteral("firstSegment")).toInt(-1);
        c.segmentCount = o.value(QStringLiteral("segmentCount")).toInt();
        c.firstFrame = o.value(QStringLiteral("firstFrame")).toInteger(-1);
        c.endFrame = o.value(QStringLiteral("endFrame")).toInteger(-1);
        c.startSeconds = o.value(QStringLiteral("startSeconds")).toDouble();
        // Chunks follow each other without gap or overlap.
        if (c.index != plan.chunks.size() || c.firstSegment != expectedSegment ||
            c.segmentCount < 1 || c.firstFrame < 0 ||
            (!plan.chunks.isEmpty() && plan.chunks.constLast().endFrame != c.firstFrame))
            return planError(QStringLiteral("chunk %1 does not follow the one before it")
                                 .arg(plan.chunks.size()));
        expectedSegment += c.segmentCount;
        plan.chunks.append(c);
    }
    if (plan.chunks.isEmpty() || expectedSegment != plan.segmentCount ||
        plan.chunks.constLast().endFrame != -1)
        return planError(
            QStringLiteral("the chunks do not cover the %1 segments").arg(plan.segmentCount));
    if (json.value(QStringLiteral("indices")).toInt() != plan.indexCount())
        return planError(QStringLiteral("indices is not the chunks plus the audio index"));
    return plan;
}

} // namespace hlsforge::cluster
