#include "transcode/TranscodeTypes.h"

#include <QJsonArray>

namespace hlsforge {

QJsonObject TranscodeResult::toJson() const {
    QJsonObject root;
    root[QStringLiteral("input")] = inputPath;
    root[QStringLiteral("status")] = status.codeName();
    if (!status.isOk())
        root[QStringLiteral("error")] = status.message();
    root[QStringLiteral("outputDir")] = outputDir;
    if (!masterPlaylist.isEmpty())
        root[QStringLiteral("masterPlaylist")] = masterPlaylist;
    if (!progressiveMp4.isEmpty() && status.isOk()) {
        root[QStringLiteral("progressiveMp4")] = progressiveMp4;
        root[QStringLiteral("progressiveRung")] = progressiveRung;
    }
    if (!poster.isEmpty())
        root[QStringLiteral("poster")] = poster;
    if (!playerPage.isEmpty())
        root[QStringLiteral("playerPage")] = playerPage;
    if (!qualityReport.isEmpty()) {
        root[QStringLiteral("qualityReport")] = qualityReport;
        root[QStringLiteral("quality")] = quality::qualityReportJson(quality);
    }
    root[QStringLiteral("elapsedSeconds")] = elapsedSeconds;
    root[QStringLiteral("sourceDurationSeconds")] = source.durationSeconds;
    root[QStringLiteral("decodedVideoFrames")] = double(decodedVideoFrames);
    QJsonArray rungs;
    for (const RenditionResult& r : renditions) {
        QJsonObject o;
        o[QStringLiteral("name")] = r.name;
        o[QStringLiteral("width")] = r.width;
        o[QStringLiteral("height")] = r.height;
        o[QStringLiteral("videoKbps")] = r.videoKbps;
        o[QStringLiteral("frameRate")] = r.frameRate;
        o[QStringLiteral("codecs")] = r.codecs;
        o[QStringLiteral("videoRange")] = r.videoRange;
        o[QStringLiteral("bandwidth")] = double(r.bandwidth);
        o[QStringLiteral("averageBandwidth")] = double(r.averageBandwidth);
        o[QStringLiteral("segmentCount")] = r.segmentCount;
        o[QStringLiteral("maxSegmentSeconds")] = r.maxSegmentSeconds;
        o[QStringLiteral("totalSeconds")] = r.totalSeconds;
        o[QStringLiteral("totalBytes")] = double(r.totalBytes);
        o[QStringLiteral("playlist")] = r.playlist;
        o[QStringLiteral("iframePlaylist")] = r.iframePlaylist;
        rungs.append(o);
    }
    root[QStringLiteral("renditions")] = rungs;
    QJsonArray subs;
    for (const SubtitleResult& t : subtitles)
        subs.append(QJsonObject{{QStringLiteral("language"), t.language},
                                {QStringLiteral("name"), t.name},
                                {QStringLiteral("default"), t.isDefault},
                                {QStringLiteral("forced"), t.forced},
                                {QStringLiteral("origin"), t.origin},
                                {QStringLiteral("playlist"), t.playlist},
                                {QStringLiteral("cueCount"), t.cueCount}});
    root[QStringLiteral("subtitles")] = subs;
    QJsonArray audioTracks;
    for (const AudioResult& a : audio)
        audioTracks.append(
            QJsonObject{{QStringLiteral("language"), a.language},
                        {QStringLiteral("name"), a.name},
                        {QStringLiteral("default"), a.isDefault},
                        {QStringLiteral("channels"), a.channels},
                        {QStringLiteral("origin"), a.origin},
                        {QStringLiteral("playlist"), a.playlist},
                        {QStringLiteral("bandwidth"), double(a.bandwidth)},
                        {QStringLiteral("averageBandwidth"), double(a.averageBandwidth)},
                        {QStringLiteral("totalSeconds"), a.totalSeconds}});
    if (!audioLayout.isEmpty())
        root[QStringLiteral("audioLayout")] = audioLayout;
    root[QStringLiteral("audio")] = audioTracks;
    if (!audioOnlyPlaylist.isEmpty())
        root[QStringLiteral("audioOnlyPlaylist")] = audioOnlyPlaylist;
    if (!thumbnails.vtt.isEmpty())
        root[QStringLiteral("thumbnails")] =
            QJsonObject{{QStringLiteral("vtt"), thumbnails.vtt},
                        {QStringLiteral("imagePlaylist"), thumbnails.imagePlaylist},
                        {QStringLiteral("tileWidth"), thumbnails.tileWidth},
                        {QStringLiteral("tileHeight"), thumbnails.tileHeight},
                        {QStringLiteral("tileCount"), thumbnails.tileCount},
                        {QStringLiteral("sheetCount"), thumbnails.sheetCount},
                        {QStringLiteral("intervalSeconds"), thumbnails.intervalSeconds}};
    QJsonArray w;
    for (const QString& s : warnings)
        w.append(s);
    root[QStringLiteral("warnings")] = w;
    root[QStringLiteral("conversions")] = QJsonArray::fromStringList(conversions);
    return root;
}

} // namespace hlsforge
