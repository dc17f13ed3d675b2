#pragma once
// The values a transcode takes and gives back. Plain data, copied across threads.

#include "ladder/Ladder.h"
#include "probe/MediaProbe.h"
#include "quality/QualityMeter.h"
#include "subtitles/SubtitleSources.h"
#include "transcode/AudioTracks.h"
#include "util/Status.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace hlsforge {

// One chunk of a chunked encode (core/cluster, docs/cluster.md): only the normalised frames
// [firstFrame, endFrame) are encoded, with their absolute timestamps, into segments numbered
// from firstSegment; no audio, and no master playlist, poster or finishing steps.
struct FrameRange {
    int64_t firstFrame = 0;
    int64_t endFrame = -1; // exclusive; -1: to the end of the source
    int firstSegment = 0;
    bool active = false;
};

struct TranscodeRequest {
    QString inputPath;
    QString outputDir; // the ladder lands here: outputDir/master.m3u8
    Ladder ladder;
    // Replace an existing output folder that holds an earlier ladder (never anything else).
    bool replaceExisting = true;
    FrameRange range; // inactive: the whole source
    // The whole audio track alone, as one rendition in outputDir/audio/ (AudioRendition): a
    // chunked encode's audio index. No video is decoded, no master playlist written.
    bool audioOnly = false;
    // Subtitle files named by the user (CLI --subtitles); sidecars beside the input
    // (`<stem>.<lang>.srt|.vtt`) and the input's own text tracks are found without asking.
    QVector<subtitles::SubtitleInput> subtitleFiles;
    // Sidecar audio files (CLI --audio): each an audio rendition beside the source's tracks.
    QVector<AudioInput> audioFiles;
};

struct TranscodeProgress {
    double fraction = 0;         // 0..1 of the whole job
    double mediaSecondsDone = 0; // encoded media time, slowest rung
    double durationSeconds = 0;  // source duration
    double framesPerSecond = 0;  // encoded frames per wall second (slowest rung)
    double speed = 0;            // media seconds per wall second (1.0 = real time)
    double etaSeconds = -1;      // -1 when not yet known
    double elapsedSeconds = 0;
    qint64 framesDone = 0;
    QString stage; // "starting", "encoding", "finishing", "done"
};

struct RenditionResult {
    QString name;
    int width = 0;
    int height = 0;
    int videoKbps = 0;
    double frameRate = 0;
    QString codecs;       // e.g. "avc1.64001f,mp4a.40.2"
    QString videoRange;   // VIDEO-RANGE: "SDR", or "HLG" / "PQ" for an HDR rung
    qint64 bandwidth = 0; // measured peak segment bitrate, bits/s
    qint64 averageBandwidth = 0;
    int segmentCount = 0;
    double maxSegmentSeconds = 0;
    double totalSeconds = 0; // sum of EXTINF
    qint64 totalBytes = 0;
    QString playlist;       // relative to the output folder, e.g. "720p/index.m3u8"
    QString iframePlaylist; // e.g. "720p/iframes.m3u8"
    qint64 iframeBandwidth = 0;
};

// One subtitle rendition written beside the ladder (segmented WebVTT).
struct SubtitleResult {
    QString language; // BCP 47
    QString name;
    bool isDefault = false;
    bool forced = false;
    QString origin;   // "talk.fr.srt", "track 2 (mov_text)"
    QString playlist; // relative, e.g. "subs/fr/index.m3u8"
    int cueCount = 0;
};

// One audio rendition of the ladder's audio group (its own playlist and segments).
struct AudioResult {
    QString language; // BCP 47, empty: none
    QString name;
    bool isDefault = false;
    int channels = 2;
    QString origin;       // "track 1 (aac, eng)", "commentary.m4a"
    QString playlist;     // relative, e.g. "audio/en/index.m3u8"
    qint64 bandwidth = 0; // measured peak segment bitrate, bits/s
    qint64 averageBandwidth = 0;
    double totalSeconds = 0;
};

// The seek thumbnails (trick play) written in thumbs/.
struct ThumbnailsResult {
    QString vtt;           // "thumbs/thumbnails.vtt"
    QString imagePlaylist; // "thumbs/images.m3u8"
    int tileWidth = 0;
    int tileHeight = 0;
    int tileCount = 0;
    int sheetCount = 0;
    double intervalSeconds = 0;
};

struct TranscodeResult {
    Status status;
    QString inputPath;
    QString outputDir;
    QString masterPlaylist; // absolute path, empty on failure
    MediaInfo source;
    QVector<RenditionResult> renditions;
    double elapsedSeconds = 0;
    QStringList warnings; // things a user may want to know (dropped rungs, conversions)
    // Video frames decoded from the source, the probe's interlace scan included: the source's
    // frame count when it is decoded once (the scan's frames go on into the transcode).
    int64_t decodedVideoFrames = 0;
    // What was done to the source, in words: "frame rate 30000/1001 (29.970 fps) kept",
    // "deinterlaced 1080i25 → 50p (bwdif, ...)", "audio: track 2 of 2 (default) ...".
    QStringList conversions;
    QString progressiveMp4; // relative to outputDir, e.g. "clip.mp4"; empty when not made
    QString progressiveRung;
    QString poster;     // "poster.jpg" when written
    QString playerPage; // "index.html" when written
    // With the ladder's measureQuality: PSNR/SSIM per rung (and per segment), also written to
    // `qualityReport` ("quality.json") beside the master playlist.
    QVector<quality::RenditionQuality> quality;
    QString qualityReport;
    QVector<SubtitleResult> subtitles;
    // Audio renditions: every track when the audio is unmuxed (audioLayout "renditions"), or
    // the one track again for the audio-only variant beside the muxed rungs.
    QVector<AudioResult> audio;
    QString audioLayout;         // "muxed", "renditions"; empty: no audio
    QString audioOnlyPlaylist;   // the audio-only variant's URI; empty: none
    ThumbnailsResult thumbnails; // vtt empty: none written

    QJsonObject toJson() const;
};

} // namespace hlsforge

Q_DECLARE_METATYPE(hlsforge::TranscodeProgress)
Q_DECLARE_METATYPE(hlsforge::TranscodeResult)
