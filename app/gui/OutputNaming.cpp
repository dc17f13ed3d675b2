#include "OutputNaming.h"

#include <QDir>
#include <QFileInfo>

namespace hlsforge::gui {

QString uniqueOutputDir(const QString& outputRoot, const QString& inputPath,
                        const QSet<QString>& reserved) {
    QString base = QFileInfo(inputPath).completeBaseName();
    if (base.isEmpty() || base.startsWith(QLatin1Char('.')))
        base = QStringLiteral("video") + base; // never a hidden folder: staging uses those
    const QDir root(outputRoot);
    QString candidate = QDir::cleanPath(root.filePath(base));
    // QFileInfo::exists also sees files and dangling links: anything there is "taken".
    for (int n = 2; QFileInfo::exists(candidate) || QFileInfo(candidate).isSymLink() ||
                    reserved.contains(candidate);
         ++n)
        candidate = QDir::cleanPath(root.filePath(QStringLiteral("%1 (%2)").arg(base).arg(n)));
    return candidate;
}

} // namespace hlsforge::gui
