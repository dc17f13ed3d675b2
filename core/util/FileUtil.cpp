#include "util/FileUtil.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QStorageInfo>

namespace hlsforge {

namespace {
QString randomSuffix() {
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString suffix;
    for (int i = 0; i < 8; ++i)
        suffix += QChar(alphabet[QRandomGenerator::global()->bounded(36)]);
    return suffix;
}
} // namespace

StagingDir::StagingDir(StagingDir&& other) noexcept
    : m_stagingPath(std::move(other.m_stagingPath)), m_finalPath(std::move(other.m_finalPath)) {
    other.m_stagingPath.clear();
}

StagingDir& StagingDir::operator=(StagingDir&& other) noexcept {
    if (this != &other) {
        discard();
        m_stagingPath = std::move(other.m_stagingPath);
        m_finalPath = std::move(other.m_finalPath);
        other.m_stagingPath.clear();
    }
    return *this;
}

StagingDir::~StagingDir() {
    discard();
}

void StagingDir::discard() {
    if (!m_stagingPath.isEmpty()) {
        QDir(m_stagingPath).removeRecursively();
        m_stagingPath.clear();
    }
}

Status StagingDir::create(const QString& finalDir, StagingDir* out) {
    const QFileInfo finalInfo(QDir::cleanPath(QDir(finalDir).absolutePath()));
    const QString parentPath = finalInfo.absolutePath();
    QFileInfo parentInfo(parentPath);
    if (finalInfo.exists() && !finalInfo.isDir())
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: output exists and is not a folder")
                                 .arg(finalInfo.absoluteFilePath()));
    if (!parentInfo.exists() && !QDir().mkpath(parentPath))
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot create the output folder").arg(parentPath));
    parentInfo.refresh();
    if (!parentInfo.isDir())
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: output parent is not a folder").arg(parentPath));

    const QString staging = parentPath + QStringLiteral("/.") + finalInfo.fileName() +
                            QStringLiteral(".hlsforge-staging-") + randomSuffix();
    if (!QDir().mkdir(staging))
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: output folder is not writable").arg(parentPath));
    out->discard();
    out->m_stagingPath = staging;
    out->m_finalPath = finalInfo.absoluteFilePath();
    return Status::ok();
}

Status StagingDir::commit() {
    if (m_stagingPath.isEmpty())
        return Status::error(Status::Code::Internal, QStringLiteral("nothing staged"));
    Status replaceable = checkReplaceable(m_finalPath);
    if (!replaceable.isOk())
        return replaceable;

    QDir fs;
    QString oldPath;
    if (QFileInfo::exists(m_finalPath)) {
        oldPath = m_stagingPath + QStringLiteral(".old");
        if (!fs.rename(m_finalPath, oldPath))
            return Status::error(
                Status::Code::IoError,
                QStringLiteral("%1: cannot replace the previous output").arg(m_finalPath));
    }
    if (!fs.rename(m_stagingPath, m_finalPath)) {
        if (!oldPath.isEmpty())
            fs.rename(oldPath, m_finalPath); // put the previous good output back
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot move the new output into place").arg(m_finalPath));
    }
    m_stagingPath.clear();
    if (!oldPath.isEmpty())
        QDir(oldPath).removeRecursively();
    return Status::ok();
}

Status checkReplaceable(const QString& dir) {
    const QFileInfo info(dir);
    if (!info.exists())
        return Status::ok();
    if (!info.isDir())
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: output exists and is not a folder").arg(dir));
    const QDir d(dir);
    if (d.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        return Status::ok();
    if (d.exists(QStringLiteral("master.m3u8")))
        return Status::ok();
    return Status::error(Status::Code::IoError,
                         QStringLiteral("%1: output folder is not empty and holds no earlier "
                                        "ladder; choose an empty or new folder")
                             .arg(dir));
}

Status writeFileAtomically(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()) || !file.open(QIODevice::WriteOnly) ||
        file.write(bytes) < 0 || !file.commit())
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot write (%2)")
                                 .arg(QDir::toNativeSeparators(path), file.errorString()));
    return Status::ok();
}

qint64 freeDiskBytes(const QString& path) {
    QFileInfo info(path);
    while (!info.exists() && info.absolutePath() != info.absoluteFilePath())
        info = QFileInfo(info.absolutePath());
    QStorageInfo storage(info.absoluteFilePath());
    return storage.isValid() ? storage.bytesAvailable() : -1;
}

} // namespace hlsforge
