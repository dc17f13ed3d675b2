#pragma once
// AudioTracks: which audio renditions a ladder gets. Every audio track of the source (in
// stream order) and every sidecar audio file the user names (CLI `--audio FILE[:LANG[:NAME]]`)
// becomes one track of the ladder's audio group, with its BCP 47 LANGUAGE (from the track's
// `language` tag, ISO 639-2 "deu" -> "de"; none for "und" or untagged), a NAME unique in the
// group (the track's title, else the language's English name, else "Audio N") and one DEFAULT
// track (the source's default-flagged one, else the first).
//
// The layout (docs/engine.md, "Audio renditions"): one track and no sidecar file keeps the
// audio muxed into every rung; otherwise every track is its own rendition (audio/<lang>/).

#include "util/Status.h"

#include <QString>
#include <QStringList>
#include <QVector>

struct AVFormatContext;

namespace hlsforge {

// A sidecar audio file: `--audio FILE[:LANG[:NAME]]`.
struct AudioInput {
    QString path;
    QString languageCode; // as given ("de", "deu"); empty: the file's own tag, else none
    QString name;         // NAME in the master; empty: the file's title, else the language's
};

// "FILE[:LANG[:NAME]]". A Windows drive letter ("C:\\x.m4a") stays part of FILE.
AudioInput parseAudioSpec(const QString& spec);

struct AudioTrackPlan {
    int streamIndex = -1;     // in the source; -1: a sidecar file
    QString filePath;         // the sidecar file
    int fileStreamIndex = -1; // its audio stream
    QString language;         // BCP 47; empty: none (LANGUAGE not written)
    QString name;             // unique in the group
    bool isDefault = false;
    int sourceChannels = 0;
    int channels = 2; // what is written: the engine's AAC is stereo (5.1 is downmixed)
    QString origin;   // "track 1 (aac, eng)", "commentary.m4a"
    QString folder;   // relative: "audio/en", "audio/de-2", "audio/und"
};

// The source's audio tracks, then the files'. Fails, naming the file, when a sidecar file is
// missing, cannot be read or has no audio. Unknown language codes are warnings.
StatusOr<QVector<AudioTrackPlan>> planAudioTracks(const AVFormatContext* input,
                                                  const QVector<AudioInput>& files,
                                                  QStringList* warnings);

// English name of a BCP 47 language ("de" -> "German"); empty when unknown or "und".
QString englishLanguageName(const QString& bcp47);

} // namespace hlsforge
