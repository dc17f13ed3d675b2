#pragma once
// Where subtitle files come from besides the input's own tracks: sidecars beside the input
// named `<input stem>.<language>[.forced].srt|.vtt` (talk.mp4 -> talk.de.srt, talk.en.forced.vtt)
// and files the user names (CLI `--subtitles FILE[:LANG[:NAME]]`).

#include <QString>
#include <QVector>

namespace hlsforge::subtitles {

struct SubtitleInput {
    QString path;
    QString languageCode; // as given ("fr", "fre", "deu"); empty: from the file name, else und
    QString name;         // NAME in the master; empty: the language's name
    bool forced = false;
    bool operator==(const SubtitleInput&) const = default;
};

// Sidecars of `inputPath`, sorted by file name. A file named `<stem>.srt` (no language) is
// included with an empty language code.
QVector<SubtitleInput> findSidecars(const QString& inputPath);

// "FILE[:LANG[:NAME]]". A Windows drive letter ("C:\\x.srt") stays part of FILE.
SubtitleInput parseSubtitleSpec(const QString& spec);

// The language (and forced flag) a file name carries: "talk.de.srt" -> "de",
// "talk.en.forced.vtt" -> "en" + forced; "" when it names none.
QString languageFromFileName(const QString& fileName, bool* forced);

} // namespace hlsforge::subtitles
