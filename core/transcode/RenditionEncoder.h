#pragma once
// One rung of the ladder on its own thread: scales the shared decoded frames to its size,
// encodes them with its codec's encoder (VideoEncoder.h; keyframes placed the same way in
// every rung) and
// muxes them, with the shared AAC packets, through libavformat's HLS muxer.

#include "av/FilterGraph.h"
#include "ladder/Ladder.h"
#include "probe/MediaProbe.h"
#include "transcode/BoundedQueue.h"
#include "transcode/QualityTap.h"
#include "util/FfmpegLog.h"
#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

namespace hlsforge {

// What flows from the decode stage to a rung: a video frame, an audio packet, or the end.
struct PipelineItem {
    av::FramePtr frame;
    av::PacketPtr audio;
    bool endOfStream = false;
};

struct RenditionConfig {
    ResolvedRendition rung;
    QString directory; // staging/<rung name>
    SegmentFormat segmentFormat = SegmentFormat::Ts;
    double segmentSeconds = 6;
    double gopSeconds = 2;
    QString x264Preset;
    QString x265Preset;
    int svtAv1Preset = 10;
    // HDR rungs: "HLG" or "PQ" (frames arrive 10-bit BT.2020 from the input stage's HDR
    // stream) and the source's HDR10 metadata; empty for SDR rungs.
    QString hdrRange;
    HdrStaticMetadata hdrMetadata;
    // Keyframes on every gopFrames-th frame instead of at each gopSeconds boundary: for
    // ladders with AV1 rungs, whose encoder can only do a fixed frame interval (VideoEncoder.h).
    bool keyframesByFrameCount = false;
    int gopFrames = 60;
    // A chunk of a chunked encode (TranscodeRequest::range): frames arrive from this absolute
    // frame on, segments are numbered from firstSegment.
    int64_t firstFrame = 0;
    int firstSegment = 0;
    bool chunk = false;
    AVRational frameRate{30, 1};
    AVRational frameTimeBase{1, 30};              // of the frames that arrive (constant frame rate)
    const AVCodecContext* audioEncoder = nullptr; // null: no audio
    // False: the audio goes into the progressive MP4 only, the HLS rung is video-only (the
    // audio is its own rendition, AudioRendition).
    bool audioInHls = true;
    // TS with unmuxed audio: every timestamp is moved by this much instead of libavformat's
    // shift to a first DTS of 0, which depends on the stream (x264's reorder delay for video,
    // AAC's priming for audio), so video and audio renditions keep lip sync. 0: the shift.
    double tsOffsetSeconds = 0;
    int encoderThreads = 0;                       // 0: the encoder library decides
    // Also mux the same packets into a progressive MP4 here (moov first); empty: none.
    QString progressivePath;
    // PSNR/SSIM of this rung against its own encoder input (QualityTap.h).
    bool measureQuality = false;
    int qualityThreads = 1; // libavfilter threads for psnr/ssim
};

class RenditionEncoder {
public:
    // Frames are shared between rungs by reference; a short queue per rung (video frames and
    // audio packets together) keeps peak memory at or below a single ffmpeg process's.
    static constexpr size_t kQueueItems = 24;

    RenditionEncoder(RenditionConfig config, const std::atomic<bool>* cancel,
                     std::shared_ptr<av::LogCollector> log);
    ~RenditionEncoder();

    // Opens the encoder and the muxer and writes the playlist header: errors such as an
    // unwritable folder show up here, before any decoding.
    Status open();
    void start();
    void join();

    BoundedQueue<PipelineItem>& queue() { return m_queue; }
    Status status() const;
    const RenditionConfig& config() const { return m_config; }
    QString codecString() const { return m_codecString; }
    QString playlistPath() const;
    // With measureQuality, once the thread has finished well: one record per frame.
    std::vector<quality::FrameQuality> takeQualityFrames() { return m_quality.takeFrames(); }
    int64_t unmatchedQualityFrames() const { return m_quality.unmatchedFrames(); }

    // Progress, read from other threads.
    std::atomic<int64_t> framesEncoded{0};
    std::atomic<double> secondsEncoded{0};
    std::atomic<bool> finished{false}; // the thread has left its loop

private:
    void run();
    Status handleFrame(AVFrame* frame);
    Status encode(AVFrame* frame); // null: flush
    Status writeVideoPacket(AVPacket* packet);
    Status writeAudioPacket(AVPacket* packet);
    Status finish();
    Status ioStatus(const Status& fallback) const;
    void fail(const Status& status);

    static int ioOpen(AVFormatContext* s, AVIOContext** pb, const char* url, int flags,
                      AVDictionary** options);
    static int ioClose(AVFormatContext* s, AVIOContext* pb);

    RenditionConfig m_config;
    const std::atomic<bool>* m_cancel;
    std::shared_ptr<av::LogCollector> m_log;
    BoundedQueue<PipelineItem> m_queue{kQueueItems};
    std::thread m_thread;

    av::CodecContextPtr m_encoder;
    av::OutputFormatPtr m_muxer;
    av::AvioPtr m_mp4File;     // the progressive copy's file, which we open ourselves
    av::OutputFormatPtr m_mp4; // progressive copy, when asked for
    Status openProgressive();
    Status writeProgressive(const AVPacket* packet, AVRational from, int streamIndex);
    AVStream* m_videoStream = nullptr;
    AVStream* m_audioStream = nullptr;
    AVRational m_audioTimeBase{1, 48000};
    av::FilterGraph m_scaler;
    QualityTap m_quality; // open only with measureQuality
    av::FramePtr m_scaled = av::makeFrame();
    av::PacketPtr m_packet = av::makePacket();
    int64_t m_lastGopIndex = -1;
    int64_t m_framesIn = 0; // frames given to the encoder, for keyframes by frame count
    // A TS chunk adds its encoder's reorder delay to every timestamp, as libavformat's shift
    // does for a whole ladder (whose first DTS is negative), so chunks join on the same times.
    int64_t m_chunkShift = AV_NOPTS_VALUE;
    int64_t m_lastPts = AV_NOPTS_VALUE;
    bool m_headerWritten = false;
    QString m_codecString;
    uint32_t m_mp4Tag = 0;

    mutable std::mutex m_statusMutex;
    Status m_status;
    Status m_ioStatus; // the first failed open/write/close of an output file
};

} // namespace hlsforge
