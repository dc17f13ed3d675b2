#pragma once
// A libavfilter graph with one source and one sink, built from a filter description
// ("fps=30,transpose=clock", "scale=1280:720,format=yuv420p", ...).

#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <string>

namespace hlsforge {

class FilterGraph {
public:
    // Video source parameters are taken from `sample` (size, format, aspect) plus timeBase.
    Status initVideo(const AVFrame* sample, AVRational timeBase, AVRational frameRate,
                     const std::string& filters, int threads);
    // Audio source parameters from the decoder.
    Status initAudio(const AVCodecContext* decoder, AVRational timeBase, const std::string& filters,
                     int outputFrameSamples);

    bool isReady() const { return m_source != nullptr; }
    // Takes a reference to `frame` (the caller keeps its own); null frame = end of stream at
    // eofPts.
    Status push(AVFrame* frame);
    Status close(int64_t eofPts);
    // Ok with *got=false when the graph needs more input; Ok with *eof=true at the end.
    Status pull(AVFrame* out, bool* got, bool* eof);
    AVRational outputTimeBase() const;
    AVRational outputFrameRate() const;

private:
    Status finish(const std::string& filters, const std::string& sinkName);

    av::FilterGraphPtr m_graph;
    AVFilterContext* m_source = nullptr;
    AVFilterContext* m_sink = nullptr;
};

} // namespace hlsforge
