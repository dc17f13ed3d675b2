#pragma once
// The plan of a chunked encode (docs/cluster.md): the source cut into chunks of whole
// segments, on the very frames where a one-machine transcode of the same ladder starts its
// segments, so chunks encoded on separate machines join into the same segments. Pure: made
// from the probed facts and the ladder, with the engine's own frame-rate and keyframe rules.

#include "ladder/Ladder.h"
#include "probe/MediaProbe.h"
#include "subtitles/SubtitleSources.h"
#include "util/Status.h"

#include <QJsonObject>
#include <QVector>

extern "C" {
#include <libavutil/rational.h>
}

namespace hlsforge::cluster {

// The engine's keyframe rule (RenditionEncoder): an IDR on the first frame of each GOP, GOPs
// counted in frames when the ladder has AV1 rungs, else by time; the HLS muxer then starts
// segment k at the first keyframe at or after k x segmentSeconds.
struct KeyframeRule {
    AVRational frameRate{30, 1}; // the ladder's output rate (after deinterlacing)
    double segmentSeconds = 6;
    double gopSeconds = 2;
    bool byFrameCount = false;
    int gopFrames = 60; // used when byFrameCount

    static KeyframeRule forLadder(const Ladder& ladder, AVRational frameRate);
    bool isKeyframe(int64_t frame) const;
    // The first frame of every segment of a source of `frameCount` frames (0 first).
    QVector<int64_t> segmentStarts(int64_t frameCount) const;
};

struct Chunk {
    int index = 0;
    int firstSegment = 0; // absolute segment number of its first segment
    int segmentCount = 0;
    int64_t firstFrame = 0;
    int64_t endFrame = -1; // exclusive; -1: to the end of the source (the last chunk)
    double startSeconds = 0;
};

struct ClusterPlan {
    static constexpr int kVersion = 1;
    QString source; // as given: a path (or, later, a URL)
    QString output; // where the ladder lands
    Ladder ladder;
    QVector<ResolvedRendition> rungs; // resolved against the source
    KeyframeRule keyframes;
    int64_t frameCount = 0; // estimated from the probed duration
    double durationSeconds = 0;
    int segmentCount = 0;
    QVector<Chunk> chunks;
    bool hasAudio = false;
    QString audioLanguage; // BCP 47 from the source's main audio track, empty when untagged
    // Subtitle files named at plan time (`plan --subtitles`), stored beside plan.json
    // (storePlanInputs: path "inputs/<file name>", relative to `output`), so every worker reads
    // them where it reads the plan. The audio index reads them with the source's own text
    // tracks; the assembly writes the renditions.
    QVector<subtitles::SubtitleInput> subtitleFiles;

    // Indices run 0..indexCount()-1: one per chunk, then one for the whole audio track.
    int indexCount() const { return int(chunks.size()) + (hasAudio ? 1 : 0); }
    int audioIndex() const { return hasAudio ? int(chunks.size()) : -1; }

    QJsonObject toJson() const;
    static StatusOr<ClusterPlan> fromJson(const QJsonObject& json);
};

// Chunks of about `chunkSeconds` (a whole number of segments, at least one) over the source.
// InvalidArgument for a ladder that does not validate or a source without video.
StatusOr<ClusterPlan> planChunks(const MediaInfo& source, const QString& output,
                                 const Ladder& ladder, double chunkSeconds);

} // namespace hlsforge::cluster
