#include "transcode/FilterGraph.h"

#include "util/FfmpegError.h"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace hlsforge {

namespace {
Status graphError(const QString& what, int rc) {
    return Status::error(Status::Code::Internal,
                         QStringLiteral("filter graph: %1 (%2)").arg(what, av::errorString(rc)),
                         av::errorString(rc));
}
} // namespace

Status FilterGraph::initVideo(const AVFrame* sample, AVRational timeBase, AVRational frameRate,
                              const std::string& filters, int threads) {
    m_graph.reset(avfilter_graph_alloc());
    if (!m_graph)
        return graphError(QStringLiteral("out of memory"), AVERROR(ENOMEM));
    m_graph->nb_threads = threads;
    AVRational sar = sample->sample_aspect_ratio;
    if (sar.num <= 0 || sar.den <= 0)
        sar = AVRational{1, 1};
    char args[512];
    snprintf(args, sizeof args,
             "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=%d/%d:frame_rate=%d/%d",
             sample->width, sample->height, sample->format, timeBase.num, timeBase.den, sar.num,
             sar.den, frameRate.num, frameRate.den > 0 ? frameRate.den : 1);
    int rc = avfilter_graph_create_filter(&m_source, avfilter_get_by_name("buffer"), "in", args,
                                          nullptr, m_graph.get());
    if (rc < 0)
        return graphError(QStringLiteral("cannot create video source"), rc);
    return finish(filters, "buffersink");
}

Status FilterGraph::initAudio(const AVCodecContext* decoder, AVRational timeBase,
                              const std::string& filters, int outputFrameSamples) {
    m_graph.reset(avfilter_graph_alloc());
    if (!m_graph)
        return graphError(QStringLiteral("out of memory"), AVERROR(ENOMEM));
    AVChannelLayout layout{};
    if (decoder->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || decoder->ch_layout.nb_channels <= 0)
        av_channel_layout_default(&layout, std::max(1, decoder->ch_layout.nb_channels));
    else
        av_channel_layout_copy(&layout, &decoder->ch_layout);
    char layoutName[128] = {};
    av_channel_layout_describe(&layout, layoutName, sizeof layoutName);
    av_channel_layout_uninit(&layout);
    char args[512];
    snprintf(args, sizeof args, "time_base=%d/%d:sample_rate=%d:sample_fmt=%s:channel_layout=%s",
             timeBase.num, timeBase.den, decoder->sample_rate,
             av_get_sample_fmt_name(decoder->sample_fmt), layoutName);
    int rc = avfilter_graph_create_filter(&m_source, avfilter_get_by_name("abuffer"), "in", args,
                                          nullptr, m_graph.get());
    if (rc < 0)
        return graphError(QStringLiteral("cannot create audio source"), rc);
    Status status = finish(filters, "abuffersink");
    if (status.isOk() && outputFrameSamples > 0)
        av_buffersink_set_frame_size(m_sink, outputFrameSamples);
    return status;
}

Status FilterGraph::finish(const std::string& filters, const std::string& sinkName) {
    int rc = avfilter_graph_create_filter(&m_sink, avfilter_get_by_name(sinkName.c_str()), "out",
                                          nullptr, nullptr, m_graph.get());
    if (rc < 0)
        return graphError(QStringLiteral("cannot create sink"), rc);
    av::FilterInOutPtr outputs(avfilter_inout_alloc());
    av::FilterInOutPtr inputs(avfilter_inout_alloc());
    outputs->name = av_strdup("in");
    outputs->filter_ctx = m_source;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = m_sink;
    AVFilterInOut* in = inputs.release();
    AVFilterInOut* out = outputs.release();
    rc = avfilter_graph_parse_ptr(m_graph.get(), filters.c_str(), &in, &out, nullptr);
    avfilter_inout_free(&in);
    avfilter_inout_free(&out);
    if (rc < 0)
        return graphError(
            QStringLiteral("cannot parse \"%1\"").arg(QString::fromStdString(filters)), rc);
    rc = avfilter_graph_config(m_graph.get(), nullptr);
    if (rc < 0)
        return graphError(
            QStringLiteral("cannot configure \"%1\"").arg(QString::fromStdString(filters)), rc);
    return Status::ok();
}

Status FilterGraph::push(AVFrame* frame) {
    const int rc = av_buffersrc_add_frame_flags(m_source, frame, AV_BUFFERSRC_FLAG_KEEP_REF);
    if (rc < 0)
        return graphError(QStringLiteral("cannot feed frame"), rc);
    return Status::ok();
}

Status FilterGraph::close(int64_t eofPts) {
    const int rc = av_buffersrc_close(m_source, eofPts, AV_BUFFERSRC_FLAG_PUSH);
    if (rc < 0)
        return graphError(QStringLiteral("cannot close"), rc);
    return Status::ok();
}

Status FilterGraph::pull(AVFrame* out, bool* got, bool* eof) {
    *got = false;
    *eof = false;
    const int rc = av_buffersink_get_frame(m_sink, out);
    if (rc == AVERROR(EAGAIN))
        return Status::ok();
    if (rc == AVERROR_EOF) {
        *eof = true;
        return Status::ok();
    }
    if (rc < 0)
        return graphError(QStringLiteral("cannot pull frame"), rc);
    *got = true;
    return Status::ok();
}

AVRational FilterGraph::outputTimeBase() const {
    return av_buffersink_get_time_base(m_sink);
}
AVRational FilterGraph::outputFrameRate() const {
    return av_buffersink_get_frame_rate(m_sink);
}

} // namespace hlsforge
