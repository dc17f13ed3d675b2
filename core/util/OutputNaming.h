#pragma once
// Where an input's ladder lands, the one rule of the CLI and the GUI: <output root>/<input base
// name>/, and never on top of anything already there (an earlier ladder included). A taken
// name becomes "clip (2)", "clip (3)", ... the way file managers do. Replacing an earlier
// ladder is only ever asked for explicitly (`hlsforge-cli transcode --overwrite`).

#include <QSet>
#include <QString>

namespace hlsforge {

enum class ExistingOutput {
    Keep,    // anything on disk (folder, file, dangling link) makes the name taken
    Replace, // only `reserved` counts: the caller asked to replace earlier ladders
};

// `reserved` holds folders promised to other inputs of the same batch or queue that do not
// exist on disk yet, so two inputs named clip.mp4 never share a folder.
QString uniqueOutputDir(const QString& outputRoot, const QString& inputPath,
                        const QSet<QString>& reserved,
                        ExistingOutput existing = ExistingOutput::Keep);

} // namespace hlsforge
