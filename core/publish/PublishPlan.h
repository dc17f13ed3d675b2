#pragma once
// The files of a ladder folder, classified and ordered for publishing (see ContentPolicy).

#include "publish/ContentPolicy.h"
#include "util/Status.h"

#include <QList>
#include <QString>

namespace hlsforge::publish {

struct PublishFile {
    QString relativePath; // '/'-separated, relative to the ladder folder
    QString absolutePath;
    qint64 sizeBytes = 0;
    FileKind kind = FileKind::Other;
    int phase = 0;
};

struct PublishPlan {
    QString sourceDir;
    QList<PublishFile> files; // sorted by phase, then path
    qint64 totalBytes = 0;
    QString masterRelativePath; // "" when the folder has no master playlist
    QString pageRelativePath;   // "index.html" when present

    QList<const PublishFile*> filesInPhase(int phase) const;
};

// Walks `sourceDir` (hidden files and our own temporary files are left out). Fails when
// the folder is missing or holds no playlist at all.
StatusOr<PublishPlan> planPublish(const QString& sourceDir);

} // namespace hlsforge::publish
