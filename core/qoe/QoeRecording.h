#pragma once
// What one viewer got from a ladder: the segment fetches as the preview server served them,
// the rung switches, stalls, start-up delay and markers (restart, seek, profile change), all on
// one clock, the session clock (seconds of playback since the play request; paused time does
// not count). A PlaybackSession fills it; the preview window draws it, `hlsforge-cli qoe`
// prints it. Plain data plus the QoE figures derived from it: no player, no widgets.

#include <QJsonObject>
#include <QString>
#include <QVector>

#include <utility>

namespace hlsforge::qoe {

struct RungInfo {
    QString name; // the rung's folder as named in the master playlist ("720p")
    double bandwidthKbps = 0;
    int width = 0;
    int height = 0;
    QString codec = {};      // from the variant's CODECS: "H.264", "HEVC", "AV1"; empty: not said
    QString videoRange = {}; // the variant's VIDEO-RANGE: "SDR", "HLG", "PQ"; empty: not said
    // How the timeline names the rung (labelRungs): the name, or in a ladder that mixes
    // codecs or ranges the size, codec and range ("720p HEVC", "1080p HEVC PQ").
    QString label = {};
};

// The video codec a CODECS attribute names, in words ("avc1.64001f,mp4a.40.2" -> "H.264");
// empty when it names none we know.
QString videoCodecFromCodecs(const QString& codecs);

// Fills every rung's label: its name, unless the ladder mixes codecs or dynamic ranges; then
// "<short side>p <codec>[ <range>]" (the range only for HDR), or the name plus the codec where
// two rungs would read the same.
void labelRungs(QVector<RungInfo>* rungs);

struct SegmentRecord {
    double t = 0;               // session seconds when the request started
    double transferSeconds = 0; // request start to last byte, as the server timed it
    int rung = -1;
    qint64 bytes = 0;
    double linkKbps = 0;     // the shaped rate at the end (0: unlimited)
    double mediaStart = -1;  // the segment's place in the clip, seconds (-1: unknown)
    double mediaSeconds = 0; // its EXTINF
    bool complete = false;
    QString path;
    double measuredKbps() const {
        return transferSeconds > 0 ? bytes * 8 / 1000.0 / transferSeconds : 0;
    }
    double endT() const { return t + transferSeconds; }
};

struct SwitchRecord {
    double t = 0; // session seconds of the first request on the new rung
    int fromRung = -1;
    int toRung = -1;
    QString reason; // "bandwidth" (the player's ABR), "locked" (a rung chosen by hand), "restart"
};

struct StallRecord {
    double t = 0;       // session seconds of the last frame before the picture stopped
    double seconds = 0; // until the next frame (so far, while it lasts)
    bool open = false;
};

struct MarkerRecord {
    double t = 0;
    QString label; // "restart", "seek to 0:04", "network: 3G"
};

struct LinkSample {
    double t = 0;
    double kbps = 0; // 0: unlimited
};

struct QoeReport {
    QString profile;
    double startupSeconds = -1; // play request to first rendered frame; -1: no frame
    int stallCount = 0;
    double stallSeconds = 0;
    bool reachedEnd = false;
    double playedSeconds = 0; // session clock at the end of the report
    double mediaSeconds = 0;  // the clip's duration
    double averageKbps = 0;   // bytes of the segments played * 8 / their duration
    QVector<std::pair<QString, double>> secondsPerRung; // rung order, rungs never played omitted
    struct Switch {
        double t;
        QString from;
        QString to;
        QString reason;
    };
    QVector<Switch> switches;

    QJsonObject toJson() const;
    QString summaryLine() const; // "3G: start 0.8 s, 2 stalls (3.1 s), 71 % on 360p, …"
    // One row per report, aligned columns; rungs as columns "% on <rung>".
    static QString comparisonTable(const QVector<QoeReport>& reports);
};

class QoeRecording {
public:
    QString profileName;
    QVector<RungInfo> rungs;
    double startupSeconds = -1;
    bool reachedEnd = false;
    double mediaSeconds = 0;
    double furthestPositionSeconds = 0; // furthest point of the clip shown
    QVector<SegmentRecord> segments;
    QVector<SwitchRecord> switches;
    QVector<StallRecord> stalls;
    QVector<MarkerRecord> markers;
    QVector<LinkSample> link;

    void clear();
    QString rungName(int rung) const;
    QString rungLabel(int rung) const; // RungInfo::label, else the name
    // Throughput of the last `transfers` segment transfers: their bytes over their transfer
    // time, so it describes the link now, not an average over earlier networks. 0: none yet.
    double recentThroughputKbps(int transfers = 3) const;
    double recentThroughputKbpsAt(int lastIndex, int transfers = 3) const;
    // The same, counting only transfers that started at or after `sinceT` (e.g. the last
    // network change, so the readout never describes the previous network). 0: none yet.
    double recentThroughputKbpsSince(double sinceT, int transfers = 3) const;
    double stallSecondsTotal() const;
    double lastT() const; // latest time anything was recorded

    QoeReport report(double playedSeconds) const;
    // One line per segment fetch, on the session clock.
    QByteArray timelineCsv() const;
};

// The rung's name from its media playlist URI: its folder ("720p/index.m3u8" -> "720p"), or the
// file name without extension for a flat layout.
QString rungNameFromUri(const QString& uri);

} // namespace hlsforge::qoe
