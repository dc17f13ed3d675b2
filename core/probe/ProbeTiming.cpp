#include "probe/ProbeTiming.h"

#include "av/Decoder.h"
#include "av/FilterGraph.h"
#include "av/InputFile.h"

#include <QJsonObject>

extern "C" {
#include <libavutil/dict.h>
#include <libavutil/imgutils.h>
#include <libavutil/mastering_display_metadata.h>
}

#include <cstdlib>
#include <string>
#include <vector>

namespace hlsforge {

namespace {

QString fieldOrderName(AVFieldOrder order) {
    switch (order) {
    case AV_FIELD_PROGRESSIVE:
        return QStringLiteral("progressive");
    case AV_FIELD_TT: // top coded and displayed first
    case AV_FIELD_BT: // bottom coded first, top displayed first
        return QStringLiteral("tff");
    case AV_FIELD_BB:
    case AV_FIELD_TB:
        return QStringLiteral("bff");
    default:
        return QStringLiteral("unknown");
    }
}

// idet runs twice over the same frames. At its defaults it tells the field order well and
// is what `ffmpeg -vf idet` prints; but its interlace threshold (1.04) also calls sharp
// progressive graphics combed (lavfi's testsrc2 at 320x180: 58 of 60 frames "TFF"). At 1.5
// those frames come out undetermined while woven fields with clear motion still classify as
// interlaced (57-60 of 60 at 320x180 and 720x480). The strict run alone decides that an
// unflagged source is interlaced: a wrong "interlaced" would cost vertical detail on every
// frame of a progressive source.
constexpr const char* kIdetStrictOptions = "intl_thres=1.5";

int metadataInt(const AVFrame* frame, const char* key) {
    const AVDictionaryEntry* e = av_dict_get(frame->metadata, key, nullptr, 0);
    return e ? std::atoi(e->value) : 0;
}

// The most the scanned frames may hold when they are kept for the transcode. Held all at
// once, they add to the transcode's peak memory: with 60 frames of 1080p (192 MB allowed)
// the benchmark's peak RSS went from 527 to 657 MB to save 4 % of its CPU time, so only
// small pictures (60 frames up to about 960x540 8-bit) are kept whole; of larger ones the
// first frames are kept up to the budget, and decoded again only when the scan goes on.
constexpr int64_t kKeptFramesBudgetBytes = 48 << 20;

// A larger picture's scan stops where the budget is full (16 frames of 1080p 8-bit) when those
// frames already say "progressive" beyond doubt (see below): the transcode then decodes every
// frame once. The full 60 frames stay for anything less clear, and for `probe`.
constexpr int kEarlyProgressiveFrames = 10;

int64_t frameBytes(const AVFrame* f) {
    const int bytes = av_image_get_buffer_size(AVPixelFormat(f->format), f->width, f->height, 1);
    return bytes > 0 ? bytes : 0;
}

// idet over frames decoded from the start of the stream. Returns false when the scan could
// not run (no decoder, unsupported pixel format): the stream's flag then stands alone.
// With `keep`, the decoded frames and the decoder are handed over there (when they fit the
// budget and the decoder can go on); the decoder is then opened as the transcode opens it.
bool runIdet(av::InputFile& input, int streamIndex, int maxFrames, VideoInfo* v,
             av::DecodedPrefix* keep) {
    AVStream* stream = input.stream(streamIndex);
    av::Decoder decoder;
    if (!decoder.open(stream, input.path(), keep ? 0 : 2).isOk())
        return false;
    std::vector<av::FramePtr> kept;
    int64_t keptBytes = 0;
    // No seek: avformat_find_stream_info kept the packets it read, so reading on starts at
    // the first frame even on inputs that cannot seek.

    // One source, idet at its defaults and idet strict side by side.
    const std::string filters =
        std::string("[in]split=2[a][b];[a]idet[out0];[b]idet=") + kIdetStrictOptions + "[out1]";
    av::FilterGraph graph;
    av::FramePtr frame = av::makeFrame();
    av::FramePtr detected = av::makeFrame();
    int decoded = 0, flaggedInterlaced = 0, flaggedTff = 0;
    bool graphFailed = false;

    // idet's counts are cumulative: the latest frame carries the totals.
    auto drainGraph = [&]() {
        int* counts[2][3] = {
            {&v->detectedTffFrames, &v->detectedBffFrames, &v->detectedProgressiveFrames},
            {&v->strictTffFrames, &v->strictBffFrames, &v->strictProgressiveFrames}};
        for (int sink = 0; sink < 2; ++sink) {
            graph.pullEach(
                detected.get(),
                [&](AVFrame* f) {
                    *counts[sink][0] = metadataInt(f, "lavfi.idet.multiple.tff");
                    *counts[sink][1] = metadataInt(f, "lavfi.idet.multiple.bff");
                    *counts[sink][2] = metadataInt(f, "lavfi.idet.multiple.progressive");
                    return Status::ok();
                },
                sink);
        }
    };
    auto feed = [&](AVFrame* f) {
        if (!graph.isReady() && !graphFailed)
            graphFailed =
                !graph.initVideo(f, stream->time_base, AVRational{0, 1}, filters, 0, 2).isOk();
        if (graphFailed)
            return;
        if (!graph.push(f).isOk()) {
            graphFailed = true; // e.g. a mid-stream size change: what was seen so far stands
            return;
        }
        drainGraph();
    };
    // A bounded read: a long audio-only prefix or a broken file must not turn probing into a
    // full decode.
    int packetBudget = 40 * maxFrames;
    while (decoded < maxFrames && decoder.nextFrame(input, frame.get(), &packetBudget) >= 0) {
        ++decoded;
        // HDR10 metadata that only the bitstream carries (SEI) comes with the frames.
        const AVFrameSideData* mastering =
            av_frame_get_side_data(frame.get(), AV_FRAME_DATA_MASTERING_DISPLAY_METADATA);
        const AVFrameSideData* light =
            av_frame_get_side_data(frame.get(), AV_FRAME_DATA_CONTENT_LIGHT_LEVEL);
        if (mastering || light)
            takeHdrMetadata(
                mastering ? reinterpret_cast<const AVMasteringDisplayMetadata*>(mastering->data)
                          : nullptr,
                light ? reinterpret_cast<const AVContentLightMetadata*>(light->data) : nullptr, v);
        if (frame->interlaced_frame) {
            ++flaggedInterlaced;
            flaggedTff += frame->top_field_first ? 1 : 0;
        }
        const int64_t bytes = frameBytes(frame.get());
        if (keep) {
            keptBytes += bytes;
            if (keptBytes <= kKeptFramesBudgetBytes)
                kept.push_back(av::refFrame(frame.get())); // before pts is touched
            else
                keep = nullptr, kept.clear();
        }
        frame->pts = frame->best_effort_timestamp;
        feed(frame.get());
        av_frame_unref(frame.get());
        // The held frames fill the budget: stop if they decide the scan already. "Beyond doubt"
        // is what the full scan of a progressive camera file says: nothing flagged interlaced
        // (container or frames), no frame combed by either idet run, and enough classified
        // progressive. An interlaced or undecided picture scans on (its frames decoded twice).
        const bool budgetFull = keep && keptBytes + bytes > kKeptFramesBudgetBytes;
        const bool flaggedFields =
            v->fieldOrder == QLatin1String("tff") || v->fieldOrder == QLatin1String("bff");
        if (budgetFull && decoded < maxFrames && !flaggedFields && flaggedInterlaced == 0 &&
            !graphFailed && v->detectedTffFrames + v->detectedBffFrames == 0 &&
            v->strictTffFrames + v->strictBffFrames == 0 &&
            v->detectedProgressiveFrames >= kEarlyProgressiveFrames)
            break;
    }
    if (graph.isReady() && !graphFailed && graph.push(nullptr).isOk())
        drainGraph();
    v->scannedFrames = decoded;
    if (keep && !decoder.draining()) {
        keep->decoder = std::move(decoder);
        keep->streamIndex = streamIndex;
        keep->frames = std::move(kept);
    }
    // Decoders flag interlaced pictures per frame (H.264 PAFF/MBAFF, MPEG-2) even where the
    // container says nothing or "progressive" (Matroska from libx264 does): that is the
    // stream's flag too. The container's order, when it gives one, is kept: H.264 frames
    // coded as one MBAFF picture carry no reliable field order of their own.
    const bool containerGivesOrder =
        v->fieldOrder == QLatin1String("tff") || v->fieldOrder == QLatin1String("bff");
    if (!containerGivesOrder && decoded > 0) {
        if (flaggedInterlaced * 2 > decoded)
            v->fieldOrder =
                flaggedTff * 2 >= flaggedInterlaced ? QStringLiteral("tff") : QStringLiteral("bff");
        else
            v->fieldOrder = QStringLiteral("progressive");
    }
    return decoded > 0 && graph.isReady() && !graphFailed;
}

} // namespace

int mainAudioStreamIndex(const AVFormatContext* format) {
    int first = -1;
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        const AVStream* st = format->streams[i];
        if (st->codecpar->codec_type != AVMEDIA_TYPE_AUDIO ||
            (st->disposition & AV_DISPOSITION_ATTACHED_PIC))
            continue;
        if (st->disposition & AV_DISPOSITION_DEFAULT)
            return int(i);
        if (first < 0)
            first = int(i);
    }
    return first;
}

void describeAudioTrack(const AVFormatContext* format, int streamIndex, AudioInfo* audio) {
    audio->trackCount = 0;
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        const AVStream* st = format->streams[i];
        if (st->codecpar->codec_type != AVMEDIA_TYPE_AUDIO ||
            (st->disposition & AV_DISPOSITION_ATTACHED_PIC))
            continue;
        ++audio->trackCount;
        if (int(i) == streamIndex)
            audio->trackNumber = audio->trackCount;
    }
    const AVStream* stream = format->streams[streamIndex];
    audio->defaultTrack = stream->disposition & AV_DISPOSITION_DEFAULT;
    if (const AVDictionaryEntry* lang = av_dict_get(stream->metadata, "language", nullptr, 0);
        lang && QByteArray(lang->value) != "und")
        audio->language = QString::fromUtf8(lang->value);
    if (stream->start_time != AV_NOPTS_VALUE && format->start_time != AV_NOPTS_VALUE)
        audio->startSeconds = stream->start_time * av_q2d(stream->time_base) -
                              format->start_time / double(AV_TIME_BASE);
}

QString rationalText(int num, int den) {
    if (num <= 0 || den <= 0)
        return {};
    if (den == 1)
        return QString::number(num);
    return QStringLiteral("%1/%2").arg(num).arg(den);
}

void timingToJson(const VideoInfo& v, QJsonObject* out) {
    QJsonObject& o = *out;
    o[QStringLiteral("frameRateExact")] = rationalText(v.frameRateNum, v.frameRateDen);
    o[QStringLiteral("maxFrameRateExact")] = rationalText(v.baseFrameRateNum, v.baseFrameRateDen);
    o[QStringLiteral("frameRateText")] =
        v.frameRateNum > 0 && v.frameRateDen > 0
            ? QString::number(double(v.frameRateNum) / v.frameRateDen, 'f', 3)
            : QString();
    QJsonObject scan;
    scan[QStringLiteral("flagged")] = v.fieldOrder;
    scan[QStringLiteral("detected")] = v.detectedScan;
    scan[QStringLiteral("scannedFrames")] = v.scannedFrames;
    scan[QStringLiteral("tffFrames")] = v.detectedTffFrames;
    scan[QStringLiteral("bffFrames")] = v.detectedBffFrames;
    scan[QStringLiteral("progressiveFrames")] = v.detectedProgressiveFrames;
    scan[QStringLiteral("strictInterlacedFrames")] = v.strictTffFrames + v.strictBffFrames;
    scan[QStringLiteral("interlaced")] = v.interlaced;
    if (v.interlaced)
        scan[QStringLiteral("fieldOrder")] = v.interlacedFieldOrder;
    o[QStringLiteral("interlacing")] = scan;
}

void audioTrackToJson(const AudioInfo& a, QJsonObject* out) {
    QJsonObject& o = *out;
    o[QStringLiteral("trackCount")] = a.trackCount;
    o[QStringLiteral("trackNumber")] = a.trackNumber;
    o[QStringLiteral("defaultTrack")] = a.defaultTrack;
    if (!a.language.isEmpty())
        o[QStringLiteral("language")] = a.language;
    o[QStringLiteral("startSeconds")] = a.startSeconds;
}

QString interlaceVerdict(int tffFrames, int bffFrames, int progressiveFrames) {
    const int interlaced = tffFrames + bffFrames;
    const int classified = interlaced + progressiveFrames;
    if (classified < 8)
        return QStringLiteral("undetermined");
    if (interlaced > 2 * progressiveFrames)
        return tffFrames >= bffFrames ? QStringLiteral("tff") : QStringLiteral("bff");
    if (progressiveFrames > 2 * interlaced)
        return QStringLiteral("progressive");
    return QStringLiteral("undetermined");
}

Status scanVideoTiming(av::InputFile& input, int streamIndex, VideoInfo* v, int maxFrames,
                       av::DecodedPrefix* keep) {
    const AVStream* stream = input.stream(streamIndex);
    AVRational avg = stream->avg_frame_rate;
    AVRational base = stream->r_frame_rate;
    if (avg.num > 0 && avg.den > 0)
        av_reduce(&v->frameRateNum, &v->frameRateDen, avg.num, avg.den, 1 << 30);
    if (base.num > 0 && base.den > 0)
        av_reduce(&v->baseFrameRateNum, &v->baseFrameRateDen, base.num, base.den, 1 << 30);
    v->fieldOrder = fieldOrderName(stream->codecpar->field_order);

    QString strict = QStringLiteral("undetermined");
    input.mark();
    const bool scanned = runIdet(input, streamIndex, maxFrames, v, keep);
    const Status rewound = input.rewind();
    if (scanned) {
        v->detectedScan = interlaceVerdict(v->detectedTffFrames, v->detectedBffFrames,
                                           v->detectedProgressiveFrames);
        strict =
            interlaceVerdict(v->strictTffFrames, v->strictBffFrames, v->strictProgressiveFrames);
    } else {
        v->detectedScan = QStringLiteral("undetermined");
    }
    auto isField = [](const QString& order) {
        return order == QLatin1String("tff") || order == QLatin1String("bff");
    };
    v->interlaced = false;
    v->interlacedFieldOrder.clear();
    if (isField(v->fieldOrder)) {
        // Flagged interlaced: deinterlaced unless the picture is clearly progressive
        // (progressive segmented frames, as broadcast 25p in 1080i50 is). The picture's field
        // order wins over the flag's: H.264 MBAFF frames often read as bottom first.
        if (v->detectedScan != QLatin1String("progressive")) {
            v->interlaced = true;
            v->interlacedFieldOrder = isField(v->detectedScan) ? v->detectedScan : v->fieldOrder;
        }
    } else if (isField(strict)) {
        // Not flagged, yet clearly combed: the missing-flag case.
        v->interlaced = true;
        v->interlacedFieldOrder = isField(v->detectedScan) ? v->detectedScan : strict;
    }
    return rewound;
}

} // namespace hlsforge
