#include "publish/PublishPlan.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

#include <algorithm>

namespace hlsforge::publish {

QList<const PublishFile*> PublishPlan::filesInPhase(int phase) const {
    QList<const PublishFile*> out;
    for (const PublishFile& f : files) {
        if (f.phase == phase)
            out.append(&f);
    }
    return out;
}

StatusOr<PublishPlan> planPublish(const QString& sourceDirIn) {
    const QDir sourceDir(sourceDirIn);
    if (!sourceDir.exists())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: no such folder").arg(sourceDirIn));
    PublishPlan plan;
    plan.sourceDir = sourceDir.absolutePath();
    QDirIterator it(plan.sourceDir, QDir::Files | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    bool anyPlaylist = false;
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        const QString rel = sourceDir.relativeFilePath(info.absoluteFilePath());
        if (rel.split(QLatin1Char('/')).first().startsWith(QLatin1Char('.')) ||
            info.fileName().startsWith(QLatin1Char('.')))
            continue; // hidden files and folder-publish temporaries (".name.hlsforge-tmp")
        QByteArray head;
        if (info.suffix().compare(QLatin1String("m3u8"), Qt::CaseInsensitive) == 0) {
            QFile f(info.absoluteFilePath());
            if (!f.open(QIODevice::ReadOnly))
                return Status::error(Status::Code::InvalidInput,
                                     QStringLiteral("%1: cannot read (%2)")
                                         .arg(info.absoluteFilePath(), f.errorString()));
            head = f.read(64 * 1024);
            anyPlaylist = true;
        }
        PublishFile file;
        file.relativePath = rel;
        file.absolutePath = info.absoluteFilePath();
        file.sizeBytes = info.size();
        file.kind = classifyFile(rel, head);
        file.phase = publishPhase(file.kind);
        plan.totalBytes += file.sizeBytes;
        plan.files.append(file);
    }
    if (!anyPlaylist)
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1: no HLS playlist (.m3u8) in this folder").arg(plan.sourceDir));
    std::sort(plan.files.begin(), plan.files.end(), [](const PublishFile& a, const PublishFile& b) {
        return a.phase != b.phase ? a.phase < b.phase : a.relativePath < b.relativePath;
    });
    for (const PublishFile& f : plan.files) {
        if (f.kind == FileKind::MasterPlaylist &&
            (plan.masterRelativePath.isEmpty() || f.relativePath == QLatin1String("master.m3u8")))
            plan.masterRelativePath = f.relativePath;
        if (f.kind == FileKind::Page && f.relativePath == QLatin1String("index.html"))
            plan.pageRelativePath = f.relativePath;
    }
    if (plan.masterRelativePath.isEmpty()) {
        // A single-rendition folder: its only playlist is what a player opens.
        const auto playlists = plan.filesInPhase(1);
        if (playlists.size() == 1)
            plan.masterRelativePath = playlists.first()->relativePath;
    }
    return plan;
}

} // namespace hlsforge::publish
