#pragma once
// A subtitle cue and a track of them: what every source (the input's own subtitle stream, a
// sidecar file) is turned into before the renditions are written. Times are in milliseconds
// from the start of the ladder's video (the first frame is 0).

#include "util/Status.h"

#include <QJsonArray>
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

// Tracks as JSON, whole (cues included): how a chunked encode's audio index, which reads the
// source's subtitle packets in its one demux, hands the tracks to the assembly (core/cluster).
QJsonArray tracksToJson(const QVector<Track>& tracks);
// InvalidArgument naming `where` for a track or cue that does not read.
StatusOr<QVector<Track>> tracksFromJson(const QJsonArray& json, const QString& where);

} // namespace hlsforge::subtitles
