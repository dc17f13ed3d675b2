#pragma once
// FinishingStage: the last stage of a transcode, after every rung has closed its files. It
// reads the rungs back and measures them (BANDWIDTH = peak segment bitrate, AVERAGE-BANDWIDTH),
// writes each rung's I-frame playlist, the poster (the most detailed candidate frame), the
// subtitle renditions (subs/<lang>/) and seek thumbnails (thumbs/), the master playlist last of the
// playlists, and then runs the registered finishing steps. Everything goes into the staging folder;
// the Transcoder moves it into place.

#include "ladder/Ladder.h"
#include "quality/QualityMeter.h"
#include "subtitles/Cue.h"
#include "transcode/FinishingStep.h"
#include "trickplay/ThumbnailSheets.h"
#include "util/FfmpegPtr.h"

#include <QHash>
#include <QVector>

#include <memory>
#include <vector>

namespace hlsforge {

// What the encode stages leave for the finishing stage.
struct EncodedLadder {
    QString directory; // the staging folder, one sub-folder per rung
    QVector<ResolvedRendition> rungs;
    QHash<QString, QString> codecs; // rung name -> CODECS, audio included ("avc1...,mp4a.40.2")
    AVRational frameRate{30, 1};
    QString hdrRange; // VIDEO-RANGE of the HDR rungs ("HLG", "PQ"); the others are SDR
    std::vector<av::FramePtr> posterCandidates; // upright frames of the normalised video
    AVRational posterTimeBase{1, 30};
    // With measureQuality: rung name -> its per-frame figures, seconds from its first frame.
    QHash<QString, std::vector<quality::FrameQuality>> qualityFrames;
    // Subtitle tracks (SubtitleStage), written as segmented WebVTT on the first rung's segment
    // boundaries, and the seek thumbnails' tiles (null: off).
    QVector<subtitles::Track> subtitles;
    // Audio renditions of their own (relative media playlists, e.g. "audio/en/index.m3u8"):
    // with audioMuxed false, every one an EXT-X-MEDIA of the group "audio", AUDIO= on every
    // variant, mp4a.40.2 in CODECS and the largest rendition's measured rates added to each
    // variant's. With audioMuxed (the rungs carry the one track), they serve only the
    // audio-only variant. The audio-only variant (request.ladder.audioOnlyVariant) plays the
    // default one.
    struct Audio {
        QString playlist;
        QString language; // BCP 47 or empty
        QString name;
        bool isDefault = false;
        int channels = 2;
        QString origin;
    };
    QVector<Audio> audio;
    bool audioMuxed = false;
    trickplay::ThumbnailSheets* thumbnails = nullptr;
};

// Fills result->renditions, poster, quality and warnings; the steps may add more. With
// measureQuality, quality.json (per rung: overall and per segment) is written beside the master.
Status finishLadder(EncodedLadder& ladder, const TranscodeRequest& request,
                    const std::vector<std::shared_ptr<FinishingStep>>& steps,
                    TranscodeResult* result);

} // namespace hlsforge
