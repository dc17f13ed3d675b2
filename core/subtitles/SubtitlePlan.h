#pragma once
// The subtitle tracks a transcode of one input will carry, listed before it runs (the app's
// Subtitles… dialog): the input's own text tracks, the sidecars beside it and the files the
// user added, in the order and with the rules SubtitleStage applies (a file added by hand
// replaces the same file found as a sidecar; picture-based tracks are left out). Every file is
// read once here, so a broken one is named with its line now, not after the encode.

#include "subtitles/SubtitleSources.h"

#include <QString>
#include <QVector>

namespace hlsforge::subtitles {

struct PlannedTrack {
    enum class Origin { Source, Sidecar, Added };
    Origin origin = Origin::Added;
    QString path;     // the file; empty for the input's own tracks
    QString where;    // "track 2 (mov_text)" or the file name
    QString language; // BCP 47 as the master will say it ("und" when none)
    QString name;     // NAME as given; empty: the language's own name
    bool forced = false;
    int cueCount = 0; // files only
    QString problem;  // why the engine will leave it out (file and line), else empty
    bool usable() const { return problem.isEmpty(); }
};

// `added`: the files the user named for this input (TranscodeRequest::subtitleFiles).
QVector<PlannedTrack> planSubtitleTracks(const QString& inputPath,
                                         const QVector<SubtitleInput>& added);

// True for the file types taken as subtitle files (.srt, .vtt), by extension.
bool isSubtitleFileName(const QString& path);

// A file the user adds: its language and forced flag from the file name ("talk.de.srt",
// "talk.en.forced.vtt"); languageCode is empty when the name carries none (then ask).
SubtitleInput subtitleInputFromFileName(const QString& path);

} // namespace hlsforge::subtitles
