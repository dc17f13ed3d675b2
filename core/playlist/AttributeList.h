#pragma once
// M3U8 attribute lists (RFC 8216 4.2): NAME=VALUE pairs separated by commas, where quoted
// values may themselves contain commas. Shared by the media and master playlist readers.

#include <QPair>
#include <QString>
#include <QVector>

namespace hlsforge {

QVector<QPair<QString, QString>> parseAttributeList(const QString& text);

} // namespace hlsforge
