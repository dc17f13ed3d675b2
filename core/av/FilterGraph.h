#pragma once
// A libavfilter graph with one or more sources and sinks, built from a filter description
// ("fps=30,transpose=clock", "scale=1280:720,format=yuv420p", ...). The one way this program
// builds graphs: the transcode's normalising and per-rung scaling, the probe's interlace scan,
// the thumbnails and the quality meter's two-input psnr/ssim graph all use it.

#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <functional>
#include <string>
#include <vector>

namespace hlsforge::av {

// One video input of a graph with several (initVideoSources).
struct VideoSource {
    const AVFrame* sample = nullptr; // size, format and aspect
    AVRational timeBase{1, 25};
    AVRational frameRate{0, 1}; // 0/1: unknown
};

class FilterGraph {
public:
    // Video source parameters are taken from `sample` (size, format, aspect) plus timeBase and
    // frameRate (0/1: unknown). threads: 0 lets libavfilter choose. With sinkCount > 1 the
    // description labels its input [in] and its outputs [out0], [out1], ...
    Status initVideo(const AVFrame* sample, AVRational timeBase, AVRational frameRate,
                     const std::string& filters, int threads, int sinkCount = 1);
    // Several video sources: the description labels them [in0], [in1], ... (push(frame, i)).
    Status initVideoSources(const std::vector<VideoSource>& sources, const std::string& filters,
                            int threads, int sinkCount = 1);
    // Audio source parameters from the decoder.
    Status initAudio(const AVCodecContext* decoder, AVRational timeBase, const std::string& filters,
                     int outputFrameSamples);

    bool isReady() const { return !m_sources.empty(); }
    // Takes a reference to `frame` (the caller keeps its own); a null frame ends the input at
    // the last frame's time.
    Status push(const AVFrame* frame, int source = 0);
    // Ends every input at eofPts.
    Status close(int64_t eofPts);
    // Ok with *got=false when the graph needs more input; Ok with *eof=true at the end.
    Status pull(AVFrame* out, bool* got, bool* eof, int sink = 0);
    // Pulls every frame the sink has ready into `scratch` and hands it to `each`, unreffing it
    // afterwards (`each` may move the reference out); stops at the first error.
    Status pullEach(AVFrame* scratch, const std::function<Status(AVFrame*)>& each, int sink = 0);
    AVRational outputTimeBase() const;
    AVRational outputFrameRate() const;

private:
    Status finish(const std::string& filters, const char* sinkFilter, int sinkCount);

    FilterGraphPtr m_graph;
    std::vector<AVFilterContext*> m_sources;
    std::vector<AVFilterContext*> m_sinks;
};

// The filter that turns a picture rotated `degrees` clockwise (as a player shows it) upright:
// "transpose=clock", "hflip,vflip", "transpose=cclock"; empty for 0.
std::string rotationFilter(int degrees);

// Appends `filter` to a comma-separated chain; an empty filter adds nothing.
void appendFilter(std::string* chain, const std::string& filter);

} // namespace hlsforge::av
