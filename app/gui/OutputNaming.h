#pragma once
// Where an input's ladder lands: <output root>/<input base name>/, never on top of an
// existing folder. A taken name becomes "clip (2)", "clip (3)", ... the way file managers do.

#include <QSet>
#include <QString>

namespace hlsforge::gui {

// `reserved` holds folders promised to other queue items that do not exist on disk yet.
QString uniqueOutputDir(const QString& outputRoot, const QString& inputPath,
                        const QSet<QString>& reserved);

} // namespace hlsforge::gui
