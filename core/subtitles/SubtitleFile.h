#pragma once
// Reading a sidecar subtitle file (.srt or .vtt) into cues. Text is UTF-8 (with or without a
// BOM); a file that is not valid UTF-8 is read as Windows-1252 (a superset of Latin-1 for
// printable text: what SRT files from Windows tools are). A timing line that cannot be read
// is an error naming the file and the line, so the user can fix it.

#include "subtitles/Cue.h"
#include "util/Status.h"

#include <QByteArray>
#include <QString>

namespace hlsforge::subtitles {

// The file's text, decoded as above. *encoding gets "UTF-8" or "Windows-1252".
QString decodeSubtitleText(const QByteArray& bytes, QString* encoding = nullptr);

// Parses SRT or WebVTT text (told apart by the "WEBVTT" header). `sourceName` names the file
// in messages.
StatusOr<QVector<Cue>> parseSubtitleText(const QString& text, const QString& sourceName);

StatusOr<QVector<Cue>> readSubtitleFile(const QString& path);

// "00:01:02,500" / "00:01:02.500" / "01:02.500" -> ms; -1 when not a timestamp.
qint64 parseCueTimestamp(QStringView text);

} // namespace hlsforge::subtitles
