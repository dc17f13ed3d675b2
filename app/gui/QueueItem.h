#pragma once
// One input file in the queue: what the probe found, which ladder applies, where the output
// lands, and how its job is doing. Plain data owned by QueueModel; QueueController changes it.

#include "ladder/Ladder.h"
#include "probe/MediaProbe.h"
#include "transcode/TranscodeTypes.h"

#include <QDateTime>
#include <QImage>
#include <QPixmap>
#include <QString>
#include <QStringList>

#include <optional>

namespace hlsforge::gui {

enum class JobState {
    Probing,    // reading stream facts in the background
    Ready,      // probed, waiting for the user to start it
    Invalid,    // not usable as input; `error` says why
    Queued,     // started by the user, waiting for a free slot
    Running,    // a TranscodeJob is encoding it
    Cancelling, // cancel requested, the job has not finished yet
    Done,
    Failed,
    Cancelled,
};

QString jobStateName(JobState state);
// States from which Start makes sense (Retry for Failed/Cancelled).
bool isStartable(JobState state);
struct QueueItem;
bool isStartable(const QueueItem& item); // and not an opened ladder (it has no source)
bool isActive(JobState state);           // Queued, Running or Cancelling

struct QueueItem {
    quint64 id = 0; // stable across row moves and removals; rows are not
    QString inputPath;
    JobState state = JobState::Probing;

    MediaInfo media; // valid when probed
    bool probed = false;
    QPixmap thumbnail; // null until the background extraction delivers it

    std::optional<Ladder> ladderOverride; // per-file ladder; the global ladder otherwise
    QString outputDir;                    // planned before start, actual afterwards
    // Subtitle files the user added (Subtitles… or a .srt/.vtt dropped on the row); they reach
    // the engine as TranscodeRequest::subtitleFiles, as the CLI's --subtitles do. Sidecars
    // beside the input and the input's own tracks are found by the engine itself.
    QVector<subtitles::SubtitleInput> subtitleFiles;

    // A finished ladder opened from disk (File > Open ladder…, or a dropped folder holding
    // master.m3u8): inputPath and outputDir are that folder; there is nothing to encode.
    bool openedLadder = false;
    QStringList openedRungs; // rung folder names from its master playlist, highest first
    // While a finished file is encoded again: the earlier result, so a cancelled or failed
    // re-run never makes the good ladder unreachable from the queue.
    QString earlierOutputDir;
    std::optional<TranscodeResult> earlierResult;
    // The folder Preview, Publish and Reveal act on: the newest finished ladder.
    QString finishedOutputDir() const {
        if (state == JobState::Done)
            return outputDir;
        return earlierOutputDir;
    }

    TranscodeProgress progress;
    std::optional<TranscodeResult> result;
    QString error; // plain words, for the status column and the details pane
    QString errorDetail;

    // The automatic check of a finished ladder (core/check), e.g. "No findings" or "2 must-fix,
    // 1 should-fix: …"; empty until it has run. It never changes the state.
    QString checkSummary;

    QStringList log; // "hh:mm:ss  text" lines
    void addLog(const QString& line) {
        log << QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss  ")) + line;
    }
};

} // namespace hlsforge::gui
