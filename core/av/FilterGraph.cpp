#include "av/FilterGraph.h"

#include "util/FfmpegError.h"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace hlsforge::av {

namespace {
Status graphError(const QString& what, int rc) {
    return Status::error(Status::Code::Internal,
                         QStringLiteral("filter graph: %1 (%2)").arg(what, errorString(rc)),
                         errorString(rc));
}

// One end of the description for avfilter_graph_parse_ptr, in front of `next`.
FilterInOutPtr inOut(const char* name, AVFilterContext* filter, FilterInOutPtr next) {
    FilterInOutPtr io(avfilter_inout_alloc());
    if (!io)
        return {};
    io->name = av_strdup(name);
    io->filter_ctx = filter;
    io->pad_idx = 0;
    io->next = next.release();
    return io;
}
} // namespace

std::string rotationFilter(int degrees) {
    switch (degrees) {
    case 90:
        return "transpose=clock";
    case 180:
        return "hflip,vflip";
    case 270:
        return "transpose=cclock";
    default:
        return {};
    }
}

void appendFilter(std::string* chain, const std::string& filter) {
    if (filter.empty())
        return;
    if (!chain->empty())
        *chain += ',';
    *chain += filter;
}

namespace {
std::string videoSourceArgs(const VideoSource& source) {
    AVRational sar = source.sample->sample_aspect_ratio;
    if (sar.num <= 0 || sar.den <= 0)
        sar = AVRational{1, 1};
    char args[512];
    snprintf(args, sizeof args,
             "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=%d/%d:frame_rate=%d/%d",
             source.sample->width, source.sample->height, source.sample->format,
             source.timeBase.num, source.timeBase.den, sar.num, sar.den, source.frameRate.num,
             source.frameRate.den > 0 ? source.frameRate.den : 1);
    return args;
}
} // namespace

Status FilterGraph::initVideo(const AVFrame* sample, AVRational timeBase, AVRational frameRate,
                              const std::string& filters, int threads, int sinkCount) {
    return initVideoSources({VideoSource{sample, timeBase, frameRate}}, filters, threads,
                            sinkCount);
}

Status FilterGraph::initVideoSources(const std::vector<VideoSource>& sources,
                                     const std::string& filters, int threads, int sinkCount) {
    m_sources.clear();
    m_graph.reset(avfilter_graph_alloc());
    if (!m_graph)
        return graphError(QStringLiteral("out of memory"), AVERROR(ENOMEM));
    m_graph->nb_threads = threads;
    for (size_t i = 0; i < sources.size(); ++i) {
        const std::string name = sources.size() == 1 ? "in" : "in" + std::to_string(i);
        AVFilterContext* source = nullptr;
        const int rc = avfilter_graph_create_filter(
            &source, avfilter_get_by_name("buffer"), name.c_str(),
            videoSourceArgs(sources[i]).c_str(), nullptr, m_graph.get());
        if (rc < 0) {
            m_sources.clear();
            return graphError(QStringLiteral("cannot create video source"), rc);
        }
        m_sources.push_back(source);
    }
    return finish(filters, "buffersink", sinkCount);
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
    m_sources.clear();
    AVFilterContext* source = nullptr;
    int rc = avfilter_graph_create_filter(&source, avfilter_get_by_name("abuffer"), "in", args,
                                          nullptr, m_graph.get());
    if (rc < 0)
        return graphError(QStringLiteral("cannot create audio source"), rc);
    m_sources.push_back(source);
    Status status = finish(filters, "abuffersink", 1);
    if (status.isOk() && outputFrameSamples > 0)
        av_buffersink_set_frame_size(m_sinks[0], outputFrameSamples);
    return status;
}

Status FilterGraph::finish(const std::string& filters, const char* sinkFilter, int sinkCount) {
    m_sinks.assign(std::max(1, sinkCount), nullptr);
    FilterInOutPtr inputs; // the description's open outputs, which our sinks take
    for (int i = int(m_sinks.size()) - 1; i >= 0; --i) {
        const std::string name = m_sinks.size() == 1 ? "out" : "out" + std::to_string(i);
        const int rc = avfilter_graph_create_filter(&m_sinks[i], avfilter_get_by_name(sinkFilter),
                                                    name.c_str(), nullptr, nullptr, m_graph.get());
        if (rc < 0)
            return graphError(QStringLiteral("cannot create sink"), rc);
        inputs = inOut(name.c_str(), m_sinks[i], std::move(inputs));
    }
    FilterInOutPtr outputs; // the description's open inputs, which our sources feed
    for (int i = int(m_sources.size()) - 1; i >= 0; --i) {
        const std::string name = m_sources.size() == 1 ? "in" : "in" + std::to_string(i);
        outputs = inOut(name.c_str(), m_sources[i], std::move(outputs));
    }
    if (!inputs || !outputs)
        return graphError(QStringLiteral("out of memory"), AVERROR(ENOMEM));
    // The parser consumes what it links and hands back what it leaves open.
    AVFilterInOut* in = inputs.release();
    AVFilterInOut* out = outputs.release();
    int rc = avfilter_graph_parse_ptr(m_graph.get(), filters.c_str(), &in, &out, nullptr);
    inputs.reset(in);
    outputs.reset(out);
    if (rc < 0) {
        m_sources.clear();
        return graphError(
            QStringLiteral("cannot parse \"%1\"").arg(QString::fromStdString(filters)), rc);
    }
    rc = avfilter_graph_config(m_graph.get(), nullptr);
    if (rc < 0) {
        m_sources.clear(); // not ready: a half-built graph must not be fed
        return graphError(
            QStringLiteral("cannot configure \"%1\"").arg(QString::fromStdString(filters)), rc);
    }
    return Status::ok();
}

Status FilterGraph::push(const AVFrame* frame, int source) {
    // With KEEP_REF the source takes a new reference and leaves `frame` as it is.
    const int rc = av_buffersrc_add_frame_flags(m_sources[source], const_cast<AVFrame*>(frame),
                                                AV_BUFFERSRC_FLAG_KEEP_REF);
    if (rc < 0)
        return graphError(QStringLiteral("cannot feed frame"), rc);
    return Status::ok();
}

Status FilterGraph::close(int64_t eofPts) {
    for (AVFilterContext* source : m_sources) {
        const int rc = av_buffersrc_close(source, eofPts, AV_BUFFERSRC_FLAG_PUSH);
        if (rc < 0)
            return graphError(QStringLiteral("cannot close"), rc);
    }
    return Status::ok();
}

Status FilterGraph::pull(AVFrame* out, bool* got, bool* eof, int sink) {
    *got = false;
    *eof = false;
    const int rc = av_buffersink_get_frame(m_sinks[sink], out);
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

Status FilterGraph::pullEach(AVFrame* scratch, const std::function<Status(AVFrame*)>& each,
                             int sink) {
    for (;;) {
        bool got = false, eof = false;
        Status s = pull(scratch, &got, &eof, sink);
        if (!s.isOk() || !got)
            return s;
        s = each(scratch);
        av_frame_unref(scratch);
        if (!s.isOk())
            return s;
    }
}

AVRational FilterGraph::outputTimeBase() const {
    return av_buffersink_get_time_base(m_sinks[0]);
}
AVRational FilterGraph::outputFrameRate() const {
    return av_buffersink_get_frame_rate(m_sinks[0]);
}

} // namespace hlsforge::av
