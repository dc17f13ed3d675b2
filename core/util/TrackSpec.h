#pragma once
// A track file named on the command line, "FILE[:LANG[:NAME]]" (`--subtitles`, `--audio`): one
// reading for both. A Windows drive letter ("C:\\subs\\talk.srt") stays part of FILE; NAME may
// itself contain ':' ("Deutsch: SDH").

#include <QString>

namespace hlsforge {

struct TrackSpec {
    QString path;
    QString languageCode; // as given, trimmed; empty when not given
    QString name;         // as given, trimmed; empty when not given
};

TrackSpec parseTrackSpec(const QString& spec);

} // namespace hlsforge
