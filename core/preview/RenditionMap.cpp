#include "preview/RenditionMap.h"

#include "playlist/MediaPlaylist.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>

namespace hlsforge::preview {
namespace {

bool isRemote(const QString& uri) {
    return uri.contains(QLatin1String("://"));
}

QString joinRelative(const QString& baseDir, const QString& uri) {
    const QString joined = baseDir.isEmpty() ? uri : baseDir + QLatin1Char('/') + uri;
    return QDir::cleanPath(joined);
}

} // namespace

StatusOr<RenditionMap> RenditionMap::load(const QString& rootDir, const QString& masterName) {
    RenditionMap map;
    map.m_masterName = masterName;
    const QString masterPath = QDir(rootDir).filePath(masterName);
    if (!QFileInfo::exists(masterPath))
        return map;
    StatusOr<MasterPlaylist> master = MasterPlaylist::load(masterPath);
    if (!master.isOk())
        return master.status();
    map.m_hasMaster = true;
    map.m_master = master.value();
    map.m_kindByPath.insert(masterName, QStringLiteral("master"));
    for (int i = 0; i < map.m_master.variants.size(); ++i) {
        const QString uri = map.m_master.variants[i].uri;
        if (isRemote(uri))
            continue;
        // An audio-only variant that plays an audio rendition of the group: those segments are
        // fetched beside every rung's video, so they are no rung of their own.
        if (std::any_of(map.m_master.media.begin(), map.m_master.media.end(),
                        [&](const MediaRendition& m) { return m.uri == uri; }))
            continue;
        const QString playlistPath = joinRelative(QString(), uri);
        map.m_variantByPath.insert(playlistPath, i);
        map.m_kindByPath.insert(playlistPath, QStringLiteral("playlist"));
        StatusOr<MediaPlaylist> media = MediaPlaylist::load(QDir(rootDir).filePath(playlistPath));
        if (!media.isOk())
            continue; // a missing rung is reported when the player asks for it (404)
        const QString dir = QFileInfo(playlistPath).path() == QLatin1String(".")
                                ? QString()
                                : QFileInfo(playlistPath).path();
        if (!media->mapUri.isEmpty() && !isRemote(media->mapUri)) {
            map.m_variantByPath.insert(joinRelative(dir, media->mapUri), i);
            map.m_kindByPath.insert(joinRelative(dir, media->mapUri), QStringLiteral("init"));
        }
        for (const MediaSegment& segment : media->segments) {
            if (isRemote(segment.uri))
                continue;
            const QString path = joinRelative(dir, segment.uri);
            map.m_variantByPath.insert(path, i);
            map.m_kindByPath.insert(path, QStringLiteral("segment"));
        }
    }
    return map;
}

int RenditionMap::variantForPath(const QString& relativePath) const {
    const int rung = rungIndexFromName(relativePath);
    if (rung >= 0 && rung < variantCount())
        return rung;
    return m_variantByPath.value(relativePath, -1);
}

QString RenditionMap::kindOfPath(const QString& relativePath) const {
    if (rungIndexFromName(relativePath) >= 0)
        return QStringLiteral("master");
    return m_kindByPath.value(relativePath, QStringLiteral("other"));
}

QString RenditionMap::rungMasterName(int index) {
    return QStringLiteral("master.rung-%1.m3u8").arg(index);
}

int RenditionMap::rungIndexFromName(const QString& relativePath) {
    static const QRegularExpression pattern(QStringLiteral("^master\\.rung-(\\d{1,3})\\.m3u8$"));
    const QRegularExpressionMatch match = pattern.match(relativePath);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

QByteArray RenditionMap::rungMasterText(int index) const {
    if (index < 0 || index >= variantCount())
        return {};
    MasterPlaylist single = m_master;
    single.variants = {m_master.variants[index]};
    // I-frame playlists of other rungs would let the player wander off the locked rung.
    single.iframeStreams.clear();
    return single.toText();
}

} // namespace hlsforge::preview
