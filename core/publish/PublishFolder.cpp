// Folder destination: copy each file beside its target under a hidden temporary name,
// verify the copy's MD5 against the source, then rename it over the target (atomic on
// one filesystem), so a reader sees either the old file or the whole new one.

#include "publish/Digest.h"
#include "publish/PublishJob.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <filesystem>
#include <system_error>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace hlsforge::publish {
namespace {

// Removes the temporary copy unless it was renamed into place.
struct TempFileGuard {
    QString path;
    bool keep = false;
    ~TempFileGuard() {
        if (!keep && !path.isEmpty())
            QFile::remove(path);
    }
};

Status copyOne(const PublishFile& file, const QString& targetPath, PublishState& state,
               bool* skipped) {
    *skipped = false;
    StatusOr<FileDigest> source = digestFile(file.absolutePath, 0, &state.cancel);
    if (!source.isOk())
        return source.status();
    const QFileInfo targetInfo(targetPath);
    if (targetInfo.exists() && targetInfo.size() == source->sizeBytes) {
        StatusOr<FileDigest> existing = digestFile(targetPath, 0, &state.cancel);
        if (existing.isOk() && existing->md5 == source->md5) {
            *skipped = true;
            return Status::ok();
        }
    }
    if (!QDir().mkpath(targetInfo.absolutePath()))
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot create folder").arg(targetInfo.absolutePath()));

    TempFileGuard temp{targetInfo.absolutePath() + QStringLiteral("/.") + targetInfo.fileName() +
                       QStringLiteral(".hlsforge-tmp")};
    QFile in(file.absolutePath);
    QFile out(temp.path);
    if (!in.open(QIODevice::ReadOnly))
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot read (%2)").arg(file.absolutePath, in.errorString()));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot write (%2)").arg(temp.path, out.errorString()));
    QCryptographicHash copied(QCryptographicHash::Md5);
    while (true) {
        if (state.cancel)
            return Status::cancelled();
        const QByteArray chunk = in.read(1 << 20);
        if (chunk.isEmpty())
            break;
        copied.addData(chunk);
        if (out.write(chunk) != chunk.size())
            return Status::error(
                Status::Code::IoError,
                QStringLiteral("%1: write failed (%2)").arg(targetPath, out.errorString()));
        state.bytesTransferred += chunk.size();
    }
    if (!out.flush())
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: write failed (%2)").arg(targetPath, out.errorString()));
#ifdef Q_OS_UNIX
    ::fsync(out.handle()); // the rename must not overtake the data on a crash
#endif
    out.close();
    if (copied.result() != source->md5)
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: changed while it was being copied").arg(file.absolutePath));
    // Verify what landed on disk, not what we meant to write.
    StatusOr<FileDigest> written = digestFile(temp.path, 0, &state.cancel);
    if (!written.isOk())
        return written.status();
    if (written->md5 != source->md5 || written->sizeBytes != source->sizeBytes)
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: the copy does not match the source (MD5 differs)").arg(targetPath));
    std::error_code ec;
    std::filesystem::rename(temp.path.toStdString(), targetPath.toStdString(), ec);
    if (ec)
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot move into place (%2)")
                                 .arg(targetPath, QString::fromStdString(ec.message())));
    temp.keep = true;
    return Status::ok();
}

} // namespace

Status publishToFolder(const PublishPlan& plan, const PublishOptions& options, PublishState& state,
                       PublishResult& result) {
    const QString destination = QDir(options.folderPath).absolutePath();
    if (QDir(destination).canonicalPath() == QDir(plan.sourceDir).canonicalPath())
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("%1: the destination is the ladder folder itself").arg(destination));
    if (!QDir().mkpath(destination))
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot create folder").arg(destination));
    for (int phase = 0; phase < kPublishPhaseCount; ++phase) {
        state.phase = phase;
        for (const PublishFile* file : plan.filesInPhase(phase)) {
            if (state.cancel)
                return Status::cancelled();
            bool skipped = false;
            const Status s = copyOne(*file, destination + QLatin1Char('/') + file->relativePath,
                                     state, &skipped);
            if (!s.isOk())
                return s;
            state.bytesDone += file->sizeBytes;
            ++state.filesDone;
            if (skipped)
                ++state.filesSkipped;
            else
                ++result.filesUploaded;
        }
    }
    return Status::ok();
}

} // namespace hlsforge::publish
