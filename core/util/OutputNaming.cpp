#include "util/OutputNaming.h"

#include <QDir>
#include <QFileInfo>

namespace hlsforge {

QString uniqueOutputDir(const QString& outputRoot, const QString& inputPath,
                        const QSet<QString>& reserved, ExistingOutput existing) {
    QString base = QFileInfo(inputPath).completeBaseName();
    if (base.isEmpty() || base.startsWith(QLatin1Char('.')))
        base = QStringLiteral("video") + base; // never a hidden folder: staging uses those
    const QDir root(outputRoot);
    const auto taken = [&](const QString& candidate) {
        if (reserved.contains(candidate))
            return true;
        // QFileInfo::exists also sees files; isSymLink sees dangling links.
        return existing == ExistingOutput::Keep &&
               (QFileInfo::exists(candidate) || QFileInfo(candidate).isSymLink());
    };
    QString candidate = QDir::cleanPath(root.filePath(base));
    for (int n = 2; taken(candidate); ++n)
        candidate = QDir::cleanPath(root.filePath(QStringLiteral("%1 (%2)").arg(base).arg(n)));
    return candidate;
}

} // namespace hlsforge
