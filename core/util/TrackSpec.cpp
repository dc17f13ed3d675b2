#include "util/TrackSpec.h"

#include <QStringList>

namespace hlsforge {

TrackSpec parseTrackSpec(const QString& spec) {
    QString rest = spec;
    QString drive;
    if (rest.size() > 2 && rest[1] == QLatin1Char(':') && rest[0].isLetter() &&
        (rest[2] == QLatin1Char('\\') || rest[2] == QLatin1Char('/'))) {
        drive = rest.left(2);
        rest = rest.mid(2);
    }
    const QStringList parts = rest.split(QLatin1Char(':'));
    TrackSpec out;
    out.path = drive + parts.value(0);
    out.languageCode = parts.value(1).trimmed();
    out.name = parts.mid(2).join(QLatin1Char(':')).trimmed();
    return out;
}

} // namespace hlsforge
