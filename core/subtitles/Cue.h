#pragma once
// A subtitle cue and a track of them: what every source (the input's own subtitle stream, a
// sidecar file) is turned into before the renditions are written. Times are in milliseconds
// from the start of the ladder's video (the first frame is 0).

#include <QString>
#include <QVector>

namespace hlsforge::subtitles {

struct Cue {
    qint64 startMs = 0;
    qint64 endMs = 0;
    QString text; // plain text, lines separated by '\n', no markup
};

struct Track {
    QString language; // BCP 47 ("en", "fr", "und")
    QString name;     // NAME in the master; unique within the group
    bool forced = false;
    bool isDefault = false; // the source marked it default
    QString origin;         // where it came from, for messages ("talk.fr.srt", "track 3")
    QVector<Cue> cues;      // sorted by start
};

} // namespace hlsforge::subtitles
