#pragma once
// Staged output: a job writes into a hidden sibling folder of its destination and moves it
// into place only when everything succeeded, so a failed or cancelled job leaves nothing
// half-written and never replaces a previous good output with a broken one.

#include "util/Status.h"

#include <QByteArray>
#include <QString>

namespace hlsforge {

class StagingDir {
public:
    StagingDir() = default;
    StagingDir(const StagingDir&) = delete;
    StagingDir& operator=(const StagingDir&) = delete;
    StagingDir(StagingDir&& other) noexcept;
    StagingDir& operator=(StagingDir&& other) noexcept;
    ~StagingDir(); // removes the staging folder unless committed

    // Creates `<parent>/.<name>.hlsforge-staging-XXXXXX` beside `finalDir`.
    static Status create(const QString& finalDir, StagingDir* out);

    const QString& path() const { return m_stagingPath; }
    const QString& finalPath() const { return m_finalPath; }

    // Moves the staged folder to finalDir. An existing finalDir is replaced only when it
    // is empty or holds an earlier ladder (see checkReplaceable); the old one is removed
    // after the new one is in place.
    Status commit();
    void discard();

private:
    QString m_stagingPath;
    QString m_finalPath;
};

// Ok when `dir` does not exist, is empty, or holds an earlier HLS output (master.m3u8).
// Anything else would be destroyed by a replace, so it is refused with a message.
Status checkReplaceable(const QString& dir);

// `bytes` as the whole of `path`, its folder created: written beside it and renamed into
// place (QSaveFile), so a reader never sees half a file. IoError naming the file.
Status writeFileAtomically(const QString& path, const QByteArray& bytes);

// Free bytes on the filesystem holding `path` (or its nearest existing parent); -1 if unknown.
qint64 freeDiskBytes(const QString& path);

} // namespace hlsforge
