#include "probe/ProbeTiming.h"

#include "util/FfmpegPtr.h"

#include <QJsonObject>

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/dict.h>
}

#include <cstdlib>

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

// idet's default interlace threshold (1.04) calls sharp progressive graphics combed (lavfi's
// testsrc2 at 320x180 came out 58 of 60 frames "TFF"); at 1.5 those frames are undetermined
// while woven fields with motion still classify as interlaced (57-60 of 60 in our samples).
// A wrong "interlaced" costs vertical detail on every frame, a missed one is left to the flag.
constexpr const char* kIdetOptions = "intl_thres=1.5";

int metadataInt(const AVFrame* frame, const char* key) {
    const AVDictionaryEntry* e = av_dict_get(frame->metadata, key, nullptr, 0);
    return e ? std::atoi(e->value) : 0;
}

// idet over frames decoded from the start of the stream. Returns false when the scan could
// not run (no decoder, unsupported pixel format): the stream's flag then stands alone.
bool runIdet(AVFormatContext* format, int streamIndex, int maxFrames, VideoInfo* v) {
    AVStream* stream = format->streams[streamIndex];
    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec)
        return false;
    av::CodecContextPtr decoder(avcodec_alloc_context3(codec));
    if (!decoder || avcodec_parameters_to_context(decoder.get(), stream->codecpar) < 0)
        return false;
    decoder->pkt_timebase = stream->time_base;
    decoder->thread_count = 2;
    if (avcodec_open2(decoder.get(), codec, nullptr) < 0)
        return false;
    // No seek: avformat_find_stream_info kept the packets it read, so reading on starts at
    // the first frame even on inputs that cannot seek.

    av::FilterGraphPtr graph;
    AVFilterContext* source = nullptr;
    AVFilterContext* sink = nullptr;
    av::PacketPtr packet = av::makePacket();
    av::FramePtr frame = av::makeFrame();
    av::FramePtr detected = av::makeFrame();
    int decoded = 0, flaggedInterlaced = 0, flaggedTff = 0;
    bool graphFailed = false;

    auto drainGraph = [&]() {
        while (av_buffersink_get_frame(sink, detected.get()) >= 0) {
            // idet's counts are cumulative: the latest frame carries the totals.
            v->detectedTffFrames = metadataInt(detected.get(), "lavfi.idet.multiple.tff");
            v->detectedBffFrames = metadataInt(detected.get(), "lavfi.idet.multiple.bff");
            v->detectedProgressiveFrames =
                metadataInt(detected.get(), "lavfi.idet.multiple.progressive");
            av_frame_unref(detected.get());
        }
    };
    auto feed = [&](AVFrame* f) {
        if (!graph && !graphFailed) {
            graph.reset(avfilter_graph_alloc());
            char args[256];
            const AVRational tb = stream->time_base;
            snprintf(args, sizeof args, "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d", f->width,
                     f->height, f->format, tb.num, tb.den);
            AVFilterContext* idet = nullptr;
            graphFailed = avfilter_graph_create_filter(&source, avfilter_get_by_name("buffer"),
                                                       "in", args, nullptr, graph.get()) < 0 ||
                          avfilter_graph_create_filter(&idet, avfilter_get_by_name("idet"), "idet",
                                                       kIdetOptions, nullptr, graph.get()) < 0 ||
                          avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"),
                                                       "out", nullptr, nullptr, graph.get()) < 0 ||
                          avfilter_link(source, 0, idet, 0) < 0 ||
                          avfilter_link(idet, 0, sink, 0) < 0 ||
                          avfilter_graph_config(graph.get(), nullptr) < 0;
        }
        if (graphFailed)
            return;
        if (av_buffersrc_add_frame_flags(source, f, AV_BUFFERSRC_FLAG_KEEP_REF) < 0) {
            graphFailed = true; // e.g. a mid-stream size change: what was seen so far stands
            return;
        }
        drainGraph();
    };
    auto receive = [&]() {
        while (decoded < maxFrames && avcodec_receive_frame(decoder.get(), frame.get()) >= 0) {
            ++decoded;
            if (frame->interlaced_frame) {
                ++flaggedInterlaced;
                flaggedTff += frame->top_field_first ? 1 : 0;
            }
            frame->pts = frame->best_effort_timestamp;
            feed(frame.get());
            av_frame_unref(frame.get());
        }
    };
    // A bounded read: a long audio-only prefix or a broken file must not turn probing into a
    // full decode.
    for (int packets = 0; decoded < maxFrames && packets < 40 * maxFrames; ++packets) {
        if (av_read_frame(format, packet.get()) < 0)
            break;
        if (packet->stream_index == streamIndex)
            avcodec_send_packet(decoder.get(), packet.get());
        av_packet_unref(packet.get());
        receive();
    }
    if (decoded < maxFrames) {
        avcodec_send_packet(decoder.get(), nullptr);
        receive();
    }
    if (graph && !graphFailed && av_buffersrc_add_frame_flags(source, nullptr, 0) >= 0)
        drainGraph();
    v->scannedFrames = decoded;
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
    return decoded > 0 && graph && !graphFailed;
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

void scanVideoTiming(AVFormatContext* format, int streamIndex, VideoInfo* v, int maxFrames) {
    const AVStream* stream = format->streams[streamIndex];
    AVRational avg = stream->avg_frame_rate;
    AVRational base = stream->r_frame_rate;
    if (avg.num > 0 && avg.den > 0)
        av_reduce(&v->frameRateNum, &v->frameRateDen, avg.num, avg.den, 1 << 30);
    if (base.num > 0 && base.den > 0)
        av_reduce(&v->baseFrameRateNum, &v->baseFrameRateDen, base.num, base.den, 1 << 30);
    v->fieldOrder = fieldOrderName(stream->codecpar->field_order);

    if (runIdet(format, streamIndex, maxFrames, v))
        v->detectedScan = interlaceVerdict(v->detectedTffFrames, v->detectedBffFrames,
                                           v->detectedProgressiveFrames);
    else
        v->detectedScan = QStringLiteral("undetermined");

    const bool flaggedInterlaced =
        v->fieldOrder == QLatin1String("tff") || v->fieldOrder == QLatin1String("bff");
    const bool detectedInterlaced =
        v->detectedScan == QLatin1String("tff") || v->detectedScan == QLatin1String("bff");
    if (detectedInterlaced) {
        // The picture wins over the flag: a wrong or missing flag is the common failure.
        v->interlaced = true;
        v->interlacedFieldOrder = v->detectedScan;
    } else if (flaggedInterlaced && v->detectedScan != QLatin1String("progressive")) {
        v->interlaced = true;
        v->interlacedFieldOrder = v->fieldOrder;
    } else {
        // Progressive, or flagged interlaced while the picture is clearly progressive
        // (progressive segmented frames, as broadcast 25p in 1080i50 is): left as is.
        v->interlaced = false;
        v->interlacedFieldOrder.clear();
    }
}

} // namespace hlsforge
