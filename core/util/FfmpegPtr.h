#pragma once
// RAII owners for FFmpeg handles: every handle lives in one of these, so early returns
// on error paths cannot leak or double-free.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
}

#include <memory>

namespace hlsforge::av {

struct InputFormatDeleter {
    void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};
// An output context owns its AVIOContext only when the muxer is not AVFMT_NOFILE;
// the writer that opened it closes it before this runs.
struct OutputFormatDeleter {
    void operator()(AVFormatContext* ctx) const { avformat_free_context(ctx); }
};
struct CodecContextDeleter {
    void operator()(AVCodecContext* ctx) const { avcodec_free_context(&ctx); }
};
struct CodecParametersDeleter {
    void operator()(AVCodecParameters* p) const { avcodec_parameters_free(&p); }
};
struct FrameDeleter {
    void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct PacketDeleter {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct FilterGraphDeleter {
    void operator()(AVFilterGraph* graph) const { avfilter_graph_free(&graph); }
};
struct SwrDeleter {
    void operator()(SwrContext* swr) const { swr_free(&swr); }
};
struct FilterInOutDeleter {
    void operator()(AVFilterInOut* io) const { avfilter_inout_free(&io); }
};
// A file opened with avio_open2 (one we write ourselves, not a muxer's own).
struct AvioDeleter {
    void operator()(AVIOContext* io) const { avio_closep(&io); }
};
struct DictionaryDeleter {
    void operator()(AVDictionary* dict) const { av_dict_free(&dict); }
};

using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using CodecParametersPtr = std::unique_ptr<AVCodecParameters, CodecParametersDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using FilterGraphPtr = std::unique_ptr<AVFilterGraph, FilterGraphDeleter>;
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;
using FilterInOutPtr = std::unique_ptr<AVFilterInOut, FilterInOutDeleter>;
using AvioPtr = std::unique_ptr<AVIOContext, AvioDeleter>;

// Flushes and closes a written file. Returns the first error (a failed write, else the close:
// a full disk often shows only here), 0 when all went well; *closeResult gets the close's own.
inline int closeWritten(AvioPtr& io, int* closeResult = nullptr) {
    int rc = 0, writeError = 0;
    if (io) {
        avio_flush(io.get());
        writeError = io->error;
        AVIOContext* raw = io.release();
        rc = avio_closep(&raw);
    }
    if (closeResult)
        *closeResult = rc;
    return writeError < 0 ? writeError : rc;
}

inline FramePtr makeFrame() {
    return FramePtr(av_frame_alloc());
}
inline PacketPtr makePacket() {
    return PacketPtr(av_packet_alloc());
}

// A new reference to the same frame buffers (cheap: no pixel copy).
inline FramePtr refFrame(const AVFrame* src) {
    return FramePtr(av_frame_clone(src));
}
inline PacketPtr refPacket(const AVPacket* src) {
    return PacketPtr(av_packet_clone(src));
}

} // namespace hlsforge::av
