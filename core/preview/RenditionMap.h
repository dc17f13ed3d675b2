#pragma once
// Which rung a served path belongs to, from the folder's master playlist and the media
// playlists it names: the media playlist itself, its segments and its init segment.

#include "playlist/MasterPlaylist.h"
#include "util/Status.h"

#include <QHash>
#include <QString>

namespace hlsforge::preview {

class RenditionMap {
public:
    // Reads ROOT/masterName and the media playlists. A folder without a master playlist
    // gives an empty map (the server still serves files); a broken one gives an error.
    static StatusOr<RenditionMap> load(const QString& rootDir,
                                       const QString& masterName = QStringLiteral("master.m3u8"));

    bool hasMaster() const { return m_hasMaster; }
    const MasterPlaylist& master() const { return m_master; }
    int variantCount() const { return int(m_master.variants.size()); }
    int variantForPath(const QString& relativePath) const; // -1: none
    // "master", "playlist", "segment", "init" or "other".
    QString kindOfPath(const QString& relativePath) const;

    // Name of the generated master that offers only rung `index` ("master.rung-1.m3u8"), and
    // its text. Served at the root so the variant's relative URIs still resolve.
    static QString rungMasterName(int index);
    static int rungIndexFromName(const QString& relativePath); // -1 when not such a name
    QByteArray rungMasterText(int index) const;

private:
    bool m_hasMaster = false;
    QString m_masterName;
    MasterPlaylist m_master;
    QHash<QString, int> m_variantByPath;
    QHash<QString, QString> m_kindByPath;
};

} // namespace hlsforge::preview
