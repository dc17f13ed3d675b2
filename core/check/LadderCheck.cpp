#include "check/LadderCheck.h"

#include "check/SegmentScan.h"
#include "playlist/AttributeList.h"
#include "playlist/MediaPlaylist.h"
#include "preview/UpstreamOrigin.h"
#include "util/FfmpegLog.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QUrl>
#include <algorithm>

#include <cmath>
#include <memory>

namespace hlsforge::check {
namespace {

// Apple: a last segment under 0.5 s may be left out of the peak (as measureBandwidth does).
constexpr double kShortLastSegmentSeconds = 0.5;
constexpr double kBandwidthTolerance = 0.10;      // 1.26, 1.27: within 10 % of the measured value
constexpr double kMaxIdrIntervalSeconds = 2.0;    // 1.13
constexpr double kRecommendedTargetSeconds = 6.0; // 7.5

// ---- where the ladder's files come from ----------------------------------------------------
class LadderFiles {
public:
    virtual ~LadderFiles() = default;
    virtual Status fetch(const QString& relative) = 0; // make localPath(relative) readable
    virtual QString localPath(const QString& relative) const = 0;
    virtual QString where(const QString& relative) const = 0; // for findings
};

class FolderFiles final : public LadderFiles {
public:
    explicit FolderFiles(QString dir) : m_dir(std::move(dir)) {}
    Status fetch(const QString& relative) override {
        if (QFileInfo(localPath(relative)).isFile())
            return Status::ok();
        return Status::error(Status::Code::InvalidInput, QStringLiteral("no such file"));
    }
    QString localPath(const QString& relative) const override {
        return m_dir + QLatin1Char('/') + relative;
    }
    QString where(const QString& relative) const override { return relative; }

private:
    QString m_dir;
};

class UrlFiles final : public LadderFiles {
public:
    UrlFiles(std::unique_ptr<preview::UpstreamOrigin> origin, std::unique_ptr<QTemporaryDir> cache)
        : m_cache(std::move(cache)), m_origin(std::move(origin)) {}
    Status fetch(const QString& relative) override { return m_origin->ensureCached(relative); }
    QString localPath(const QString& relative) const override {
        return m_origin->cacheDir() + QLatin1Char('/') + relative;
    }
    QString where(const QString& relative) const override {
        if (relative == QLatin1String("master.m3u8"))
            return m_origin->masterUrl().toString();
        return m_origin->masterUrl().resolved(QUrl(relative)).toString();
    }

private:
    std::unique_ptr<QTemporaryDir> m_cache; // outlives the origin that writes into it
    std::unique_ptr<preview::UpstreamOrigin> m_origin;
};

// ---- the master playlist, as far as the rules need it --------------------------------------
struct Attributes {
    QMap<QString, QString> values;
    bool has(const char* key) const { return values.contains(QLatin1String(key)); }
    QString get(const char* key) const { return values.value(QLatin1String(key)); }
};

Attributes attributes(const QString& text) {
    Attributes a;
    for (const auto& [key, value] : parseAttributeList(text))
        a.values.insert(key, value);
    return a;
}

struct Variant {
    Attributes attrs;
    QString uri; // relative to the ladder folder
    int line = 0;
};

struct Master {
    int version = 1;
    bool independentSegments = false;
    QVector<Variant> variants;
    QVector<Attributes> media;   // EXT-X-MEDIA
    QVector<Attributes> iframes; // EXT-X-I-FRAME-STREAM-INF
    bool looksLikeMediaPlaylist = false;
};

Master parseMaster(const QByteArray& text) {
    Master m;
    const QList<QByteArray> lines = text.split('\n');
    Attributes pending;
    bool streamInfPending = false;
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = QString::fromUtf8(lines[i]).trimmed();
        if (line.isEmpty())
            continue;
        if (line.startsWith(QLatin1String("#EXT-X-VERSION:")))
            m.version = line.mid(15).toInt();
        else if (line == QLatin1String("#EXT-X-INDEPENDENT-SEGMENTS"))
            m.independentSegments = true;
        else if (line.startsWith(QLatin1String("#EXT-X-STREAM-INF:"))) {
            pending = attributes(line.mid(18));
            streamInfPending = true;
        } else if (line.startsWith(QLatin1String("#EXT-X-MEDIA:")))
            m.media.append(attributes(line.mid(13)));
        else if (line.startsWith(QLatin1String("#EXT-X-I-FRAME-STREAM-INF:")))
            m.iframes.append(attributes(line.mid(26)));
        else if (line.startsWith(QLatin1String("#EXTINF")))
            m.looksLikeMediaPlaylist = true;
        else if (!line.startsWith(QLatin1Char('#')) && streamInfPending) {
            m.variants.append({pending, line, i + 1});
            streamInfPending = false;
        }
    }
    return m;
}

// A URI of the master (or a media playlist at `baseDir`) as a path relative to the ladder;
// empty when it leaves the ladder or is absolute (a URL ladder's are made relative on fetch).
QString relativeTo(const QString& baseDir, const QString& uri) {
    if (uri.contains(QLatin1String("://")) || uri.startsWith(QLatin1Char('/')))
        return {};
    const QString decoded = QUrl::fromPercentEncoding(uri.section(QLatin1Char('?'), 0, 0).toUtf8());
    const QString path =
        QDir::cleanPath(baseDir.isEmpty() ? decoded : baseDir + QLatin1Char('/') + decoded);
    if (path.startsWith(QLatin1String("..")))
        return {};
    return path;
}

QString dirOf(const QString& relative) {
    const int slash = relative.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QString() : relative.left(slash);
}

// Whole kb/s, so a declared and a measured figure compare digit for digit.
QString wholeKbpsText(double bitsPerSecond) {
    return QStringLiteral("%1 kb/s").arg(bitsPerSecond / 1000.0, 0, 'f', 0);
}

// ---- the check -------------------------------------------------------------------------------
struct LoadedPlaylist {
    bool ok = false;
    QByteArray text;
    MediaPlaylist playlist;
};

struct SegmentFacts {
    QString path;
    double extinf = 0;
    qint64 bytes = 0;
    bool readable = false;
    SegmentScan scan;
};

struct VariantFacts {
    QString playlistPath;
    QVector<SegmentFacts> segments;
    SegmentScan first; // with stream facts
    bool haveFirst = false;
    double peakBps = 0;
    double averageBps = 0;
    double frameSeconds = 0;
};

class Checker {
public:
    Checker(LadderFiles& files, QString masterName, const CheckOptions& options,
            CheckReport& report)
        : m_files(files), m_masterName(std::move(masterName)), m_options(options),
          m_report(report) {}

    Status run();

private:
    void add(const char* rule, const char* section, Severity severity, const QString& where,
             const QString& message) {
        m_report.findings.append(
            {QLatin1String(rule), QLatin1String(section), severity, where, message});
    }
    bool progress(double fraction) {
        return !m_options.progress || m_options.progress(std::clamp(fraction, 0.0, 1.0));
    }
    LoadedPlaylist& playlist(const QString& relative, const QString& referencedFrom);
    QByteArray readBytes(const QString& relative, qint64 offset, qint64 length, bool* ok);
    void checkMediaPlaylistRules(const QString& path, const LoadedPlaylist& p);
    Status checkVariant(int index, const Variant& v, VariantFacts* facts, double doneBefore,
                        double share);
    void checkDeclared(const Variant& v, const VariantFacts& facts, const Master& master);
    void checkAlignment(const QVector<VariantFacts>& variants);
    void checkIFramePlaylists(const Master& master);
    void checkGroups(const Master& master);
    double groupPeakBps(const Master& master, const QString& groupId, double* averageBps);

    LadderFiles& m_files;
    QString m_masterName;
    const CheckOptions& m_options;
    CheckReport& m_report;
    QHash<QString, LoadedPlaylist> m_playlists;
    QSet<QString> m_missingReported;
    bool m_cancelled = false;
};

LoadedPlaylist& Checker::playlist(const QString& relative, const QString& referencedFrom) {
    auto it = m_playlists.find(relative);
    if (it != m_playlists.end())
        return *it;
    LoadedPlaylist& p = m_playlists[relative];
    const Status fetched = m_files.fetch(relative);
    QFile file(m_files.localPath(relative));
    if (!fetched.isOk() || !file.open(QIODevice::ReadOnly)) {
        add("uri-resolves", "RFC 8216 4.3.4.2", Severity::Must, m_files.where(relative),
            QStringLiteral("%1 names this playlist, which cannot be read%2")
                .arg(referencedFrom,
                     fetched.isOk() ? QString() : QStringLiteral(" (%1)").arg(fetched.message())));
        return p;
    }
    p.text = file.readAll();
    StatusOr<MediaPlaylist> parsed = MediaPlaylist::parse(p.text, m_files.where(relative));
    if (!parsed.isOk()) {
        add("playlist-syntax", "RFC 8216 4", Severity::Must, m_files.where(relative),
            parsed.status().message());
        return p;
    }
    p.playlist = parsed.value();
    p.ok = true;
    checkMediaPlaylistRules(relative, p);
    return p;
}

QByteArray Checker::readBytes(const QString& relative, qint64 offset, qint64 length, bool* ok) {
    *ok = false;
    const Status fetched = m_files.fetch(relative);
    QFile file(m_files.localPath(relative));
    if (!fetched.isOk() || !file.open(QIODevice::ReadOnly)) {
        if (!m_missingReported.contains(relative)) {
            m_missingReported.insert(relative);
            add("uri-resolves", "RFC 8216 4.3.2", Severity::Must, m_files.where(relative),
                QStringLiteral("a playlist names this file, which cannot be read%1")
                    .arg(fetched.isOk() ? QString()
                                        : QStringLiteral(" (%1)").arg(fetched.message())));
        }
        return {};
    }
    if (length < 0) {
        *ok = true;
        return file.readAll();
    }
    if (!file.seek(offset))
        return {};
    QByteArray bytes = file.read(length);
    if (bytes.size() != length) {
        add("uri-resolves", "RFC 8216 4.3.2.2", Severity::Must, m_files.where(relative),
            QStringLiteral("the byte range %1@%2 goes past the end of the file (%3 bytes)")
                .arg(length)
                .arg(offset)
                .arg(file.size()));
        return {};
    }
    *ok = true;
    return bytes;
}

void Checker::checkMediaPlaylistRules(const QString& path, const LoadedPlaylist& p) {
    const MediaPlaylist& m = p.playlist;
    const QString where = m_files.where(path);
    // Version (RFC 8216 7): features need a minimum EXT-X-VERSION.
    int needed = 1;
    QString why;
    static const QRegularExpression floatExtinf(QStringLiteral("^#EXTINF:\\s*\\d+\\.\\d"),
                                                QRegularExpression::MultilineOption);
    if (floatExtinf.match(QString::fromUtf8(p.text)).hasMatch()) {
        needed = 3;
        why = QStringLiteral("decimal EXTINF durations");
    }
    bool byteRanges = m.iframesOnly;
    for (const MediaSegment& s : m.segments)
        byteRanges = byteRanges || s.byteRangeLength >= 0;
    if (byteRanges && needed < 4) {
        needed = 4;
        why = m.iframesOnly ? QStringLiteral("EXT-X-I-FRAMES-ONLY")
                            : QStringLiteral("EXT-X-BYTERANGE");
    }
    if (!m.mapUri.isEmpty() && !m.iframesOnly && needed < 6) {
        needed = 6;
        why = QStringLiteral("EXT-X-MAP");
    } else if (!m.mapUri.isEmpty() && needed < 5) {
        needed = 5;
        why = QStringLiteral("EXT-X-MAP in an I-frame playlist");
    }
    if (m.version < needed)
        add("version", "RFC 8216 7", Severity::Must, where,
            QStringLiteral("EXT-X-VERSION is %1, but %2 needs version %3")
                .arg(m.version)
                .arg(why)
                .arg(needed));
    if (!m.endList)
        add("endlist", "RFC 8216 4.3.3.4", Severity::Must, where,
            QStringLiteral("no EXT-X-ENDLIST: players treat the ladder as live, not VOD"));
    if (m.playlistType != QLatin1String("VOD") && !m.iframesOnly)
        add("playlist-type-vod", "8.6", Severity::Should, where,
            QStringLiteral("EXT-X-PLAYLIST-TYPE:VOD is missing (found \"%1\")")
                .arg(m.playlistType));
    // Target duration (RFC 8216 4.3.3.1: every EXTINF rounded to the nearest integer must not
    // exceed it); Apple: 6 s (7.5), no segment longer than the target + 0.5 s (7.7).
    int over = 0;
    QString firstOver;
    double longest = 0;
    for (const MediaSegment& s : m.segments) {
        longest = std::max(longest, s.durationSeconds);
        if (std::lround(s.durationSeconds) > std::lround(m.targetDurationSeconds)) {
            if (over++ == 0)
                firstOver = s.uri;
        }
    }
    if (over > 0)
        add("target-duration", "RFC 8216 4.3.3.1", Severity::Must, where,
            QStringLiteral("%1 segment(s) are longer than EXT-X-TARGETDURATION %2 s (first: %3, "
                           "longest %4 s)")
                .arg(over)
                .arg(m.targetDurationSeconds)
                .arg(firstOver)
                .arg(longest, 0, 'f', 3));
    else if (longest > m.targetDurationSeconds + 0.5)
        add("target-duration", "7.7", Severity::Must, where,
            QStringLiteral("a segment lasts %1 s, more than the target duration %2 s + 0.5 s")
                .arg(longest, 0, 'f', 3)
                .arg(m.targetDurationSeconds));
    if (!m.iframesOnly && m.segments.size() > 1 &&
        std::abs(m.targetDurationSeconds - kRecommendedTargetSeconds) > 0.5)
        add("target-duration-6s", "7.5", Severity::Should, where,
            QStringLiteral("EXT-X-TARGETDURATION is %1 s; Apple recommends 6 s segments")
                .arg(m.targetDurationSeconds));
}

Status Checker::checkVariant(int index, const Variant& v, VariantFacts* facts, double doneBefore,
                             double share) {
    const QString path = relativeTo(QString(), v.uri);
    facts->playlistPath = path;
    if (path.isEmpty()) {
        add("uri-resolves", "RFC 8216 4.3.4.2", Severity::Must, v.uri,
            QStringLiteral("variant %1 points outside the ladder").arg(index + 1));
        return Status::ok();
    }
    LoadedPlaylist& p = playlist(path, m_masterName);
    if (!p.ok)
        return Status::ok();
    const MediaPlaylist& m = p.playlist;
    const QString dir = dirOf(path);
    const QString where = m_files.where(path);
    QByteArray init;
    bool haveInit = true;
    if (!m.mapUri.isEmpty()) {
        const QString mapPath = relativeTo(dir, m.mapUri);
        init = readBytes(mapPath, m.mapByteRangeOffset, m.mapByteRangeLength, &haveInit);
    }
    double bitsPeak = 0;
    double totalBits = 0;
    double totalSeconds = 0;
    int notIdr = 0;
    QString firstNotIdr;
    QString notIdrDetail;
    int sparseIdr = 0;
    QString firstSparse;
    double widestGop = 0;
    for (int i = 0; i < m.segments.size(); ++i) {
        if (!progress(doneBefore + share * i / std::max<qsizetype>(1, m.segments.size())))
            return Status::cancelled();
        const MediaSegment& s = m.segments[i];
        SegmentFacts seg;
        seg.path = relativeTo(dir, s.uri);
        seg.extinf = s.durationSeconds;
        bool ok = false;
        const QByteArray bytes =
            seg.path.isEmpty() ? QByteArray()
                               : readBytes(seg.path, s.byteRangeOffset, s.byteRangeLength, &ok);
        if (ok) {
            seg.bytes = bytes.size();
            const double bits = double(seg.bytes) * 8;
            totalBits += bits;
            totalSeconds += s.durationSeconds;
            const bool shortLast = i == m.segments.size() - 1 && m.segments.size() > 1 &&
                                   s.durationSeconds < kShortLastSegmentSeconds;
            if (s.durationSeconds > 0 && !shortLast)
                bitsPeak = std::max(bitsPeak, bits / s.durationSeconds);
            if (haveInit) {
                const bool wantFacts = !facts->haveFirst;
                StatusOr<SegmentScan> scan =
                    scanSegment(init + bytes, m_files.where(seg.path), wantFacts);
                if (!scan.isOk()) {
                    add("segment-readable", "RFC 8216 3", Severity::Must, m_files.where(seg.path),
                        scan.status().message());
                } else {
                    seg.readable = true;
                    seg.scan = scan.value();
                    ++m_report.segmentsChecked;
                    if (wantFacts) {
                        facts->first = seg.scan;
                        facts->haveFirst = true;
                    }
                    if (!seg.scan.videoCodec.isEmpty() && !seg.scan.startsWithIdr) {
                        if (notIdr++ == 0) {
                            firstNotIdr = m_files.where(seg.path);
                            notIdrDetail =
                                seg.scan.startsWithKeyframe
                                    ? QStringLiteral("its first frame is a keyframe "
                                                     "but not an IDR")
                                    : QStringLiteral("its first frame is not a keyframe");
                        }
                    }
                    if (seg.scan.keyframes > 0 &&
                        seg.scan.videoEndSeconds > seg.scan.videoStartSeconds) {
                        const double gop = (seg.scan.videoEndSeconds - seg.scan.videoStartSeconds) /
                                           seg.scan.keyframes;
                        if (gop > kMaxIdrIntervalSeconds + 0.05) {
                            widestGop = std::max(widestGop, gop);
                            if (sparseIdr++ == 0)
                                firstSparse = m_files.where(seg.path);
                        }
                    }
                }
            }
        }
        facts->segments.append(seg);
    }
    if (notIdr > 0)
        add("idr-at-segment-start", "7.4", Severity::Must, firstNotIdr,
            QStringLiteral("%1 of %2 segments of %3 do not start with an IDR frame (first: %4)")
                .arg(notIdr)
                .arg(m.segments.size())
                .arg(path, notIdrDetail));
    if (sparseIdr > 0)
        add("idr-interval", "1.13", Severity::Should, firstSparse,
            QStringLiteral("%1 segment(s) of %2 have keyframes only every %3 s on average; Apple "
                           "asks for one at least every 2 s")
                .arg(sparseIdr)
                .arg(path)
                .arg(widestGop, 0, 'f', 2));
    facts->peakBps = bitsPeak;
    facts->averageBps = totalSeconds > 0 ? totalBits / totalSeconds : 0;

    // EXTINF against the media (8.1): each segment's EXTINF against where the next one starts.
    double frame = 0;
    for (const SegmentFacts& s : facts->segments)
        if (s.readable && s.scan.frameSeconds > 0) {
            frame = s.scan.frameSeconds;
            break;
        }
    facts->frameSeconds = frame;
    int off = 0;
    QString firstOff;
    double worst = 0;
    double mediaStart = -1;
    double mediaEnd = -1;
    double extinfSum = 0;
    for (int i = 0; i < facts->segments.size(); ++i) {
        const SegmentFacts& s = facts->segments[i];
        extinfSum += s.extinf;
        if (!s.readable || s.scan.videoCodec.isEmpty())
            continue;
        if (mediaStart < 0)
            mediaStart = s.scan.videoStartSeconds;
        mediaEnd = std::max(mediaEnd, s.scan.videoEndSeconds);
        const bool nextReadable = i + 1 < facts->segments.size() && facts->segments[i + 1].readable;
        const double actual =
            nextReadable ? facts->segments[i + 1].scan.videoStartSeconds - s.scan.videoStartSeconds
                         : s.scan.videoEndSeconds - s.scan.videoStartSeconds;
        if (i + 1 < facts->segments.size() && !nextReadable)
            continue;
        const double diff = std::abs(actual - s.extinf);
        if (diff > frame + 0.001) {
            worst = std::max(worst, diff);
            if (off++ == 0)
                firstOff = QStringLiteral("%1: EXTINF %2 s, media %3 s")
                               .arg(m_files.where(s.path))
                               .arg(s.extinf, 0, 'f', 3)
                               .arg(actual, 0, 'f', 3);
        }
    }
    if (off > 0)
        add("extinf-matches-media", "8.1", Severity::Should, where,
            QStringLiteral("%1 segment(s) last more than a frame longer or shorter than their "
                           "EXTINF (worst by %2 s; first %3)")
                .arg(off)
                .arg(worst, 0, 'f', 3)
                .arg(firstOff));
    if (mediaStart >= 0) {
        const double media = mediaEnd - mediaStart;
        m_report.mediaSeconds = std::max(m_report.mediaSeconds, media);
        if (std::abs(media - extinfSum) > frame + 0.001)
            add("extinf-sum", "8.1", Severity::Should, where,
                QStringLiteral("the EXTINF durations add up to %1 s, the video lasts %2 s")
                    .arg(extinfSum, 0, 'f', 3)
                    .arg(media, 0, 'f', 3));
    }
    // fMP4 needs its init segment (8.20); HEVC must be fMP4 (1.5).
    if (facts->haveFirst) {
        const bool mp4 = facts->first.container.startsWith(QLatin1String("mov"));
        if (mp4 && m.mapUri.isEmpty())
            add("fmp4-map", "8.20", Severity::Must, where,
                QStringLiteral("fragmented MP4 segments without EXT-X-MAP"));
        if (facts->first.videoCodec == QLatin1String("hevc") && !mp4)
            add("hevc-fmp4", "1.5", Severity::Must, where,
                QStringLiteral("HEVC must be carried in fragmented MP4, not %1")
                    .arg(facts->first.container));
    }
    return Status::ok();
}

double Checker::groupPeakBps(const Master& master, const QString& groupId, double* averageBps) {
    double peak = 0;
    *averageBps = 0;
    for (const Attributes& media : master.media) {
        if (media.get("TYPE") != QLatin1String("AUDIO") || media.get("GROUP-ID") != groupId ||
            !media.has("URI"))
            continue;
        const QString path = relativeTo(QString(), media.get("URI"));
        if (path.isEmpty())
            continue;
        LoadedPlaylist& p = playlist(path, m_masterName);
        if (!p.ok)
            continue;
        for (const MediaSegment& s : p.playlist.segments) // a URL ladder: fetch them first
            m_files.fetch(relativeTo(dirOf(path), s.uri));
        StatusOr<BandwidthMeasurement> measured =
            measureBandwidth(p.playlist, QFileInfo(m_files.localPath(path)).path());
        if (!measured.isOk())
            continue; // missing segments are reported by uri-resolves
        peak = std::max(peak, double(measured->peakBitsPerSecond));
        *averageBps = std::max(*averageBps, double(measured->averageBitsPerSecond));
    }
    return peak;
}

void Checker::checkDeclared(const Variant& v, const VariantFacts& facts, const Master& master) {
    const QString where = m_files.where(facts.playlistPath.isEmpty() ? v.uri : facts.playlistPath);
    const QString name = QStringLiteral("%1 (master line %2)").arg(v.uri).arg(v.line);
    // Bandwidth (9.13/1.27 peak, 9.14/1.26 average, 1.30 peak ≤ 2× average), with the
    // variant's largest audio rendition added.
    double audioAverage = 0;
    // An audio-only variant whose URI is a rendition of its own group plays that playlist once.
    const bool ownRendition =
        std::any_of(master.media.begin(), master.media.end(), [&](const Attributes& m) {
            return m.get("TYPE") == QLatin1String("AUDIO") &&
                   m.get("GROUP-ID") == v.attrs.get("AUDIO") && m.get("URI") == v.uri;
        });
    const double audioPeak = v.attrs.has("AUDIO") && !ownRendition
                                 ? groupPeakBps(master, v.attrs.get("AUDIO"), &audioAverage)
                                 : 0;
    const double peak = facts.peakBps + audioPeak;
    const double average = facts.averageBps + audioAverage;
    if (peak > 0) {
        const double declared = v.attrs.get("BANDWIDTH").toDouble();
        if (!v.attrs.has("BANDWIDTH"))
            add("bandwidth", "RFC 8216 4.3.4.2", Severity::Must, where,
                QStringLiteral("%1 has no BANDWIDTH").arg(name));
        else if (declared < peak * 0.99)
            add("bandwidth", "9.13", Severity::Must, where,
                QStringLiteral("BANDWIDTH %1 is below the measured peak %2 (segment bytes × 8 / "
                               "EXTINF%3)")
                    .arg(wholeKbpsText(declared), wholeKbpsText(peak),
                         audioPeak > 0 ? QStringLiteral(", plus the audio rendition") : QString()));
        else if (declared > peak * (1 + kBandwidthTolerance))
            add("bandwidth", "1.27", Severity::Must, where,
                QStringLiteral("BANDWIDTH %1 is more than 10 % above the measured peak %2")
                    .arg(wholeKbpsText(declared), wholeKbpsText(peak)));
        if (!v.attrs.has("AVERAGE-BANDWIDTH"))
            add("average-bandwidth", "9.14", Severity::Must, where,
                QStringLiteral("%1 has no AVERAGE-BANDWIDTH (measured %2)")
                    .arg(name, wholeKbpsText(average)));
        else {
            const double declaredAverage = v.attrs.get("AVERAGE-BANDWIDTH").toDouble();
            if (std::abs(declaredAverage - average) > average * kBandwidthTolerance)
                add("average-bandwidth", "1.26", Severity::Must, where,
                    QStringLiteral("AVERAGE-BANDWIDTH %1 is not within 10 % of the measured "
                                   "average %2")
                        .arg(wholeKbpsText(declaredAverage), wholeKbpsText(average)));
        }
        if (average > 0 && peak > 2 * average)
            add("peak-to-average", "1.30", Severity::Should, where,
                QStringLiteral("the peak %1 is more than twice the average %2")
                    .arg(wholeKbpsText(peak), wholeKbpsText(average)));
    }
    if (!facts.haveFirst)
        return;
    const SegmentScan& s = facts.first;
    const bool hasVideo = !s.videoCodec.isEmpty();
    // CODECS (9.1): present, and naming what the streams are.
    if (!v.attrs.has("CODECS")) {
        add("codecs", "9.1", Severity::Must, where, QStringLiteral("%1 has no CODECS").arg(name));
    } else {
        QStringList declared;
        for (const QString& c : v.attrs.get("CODECS").split(QLatin1Char(','), Qt::SkipEmptyParts))
            declared << c.trimmed().toLower();
        if (hasVideo && !s.videoCodecString.isEmpty() &&
            !declared.contains(s.videoCodecString.toLower())) {
            QString declaredVideo;
            for (const QString& c : declared)
                if (!c.startsWith(QLatin1String("mp4a")) && !c.startsWith(QLatin1String("ac-3")) &&
                    !c.startsWith(QLatin1String("ec-3")))
                    declaredVideo = c;
            add("codecs", "9.1", Severity::Must, where,
                QStringLiteral("CODECS says %1, the video stream is %2")
                    .arg(declaredVideo.isEmpty() ? QStringLiteral("no video codec") : declaredVideo,
                         s.videoCodecString));
        }
        QString audioCodec = s.audioCodecString;
        if (audioCodec.isEmpty() && v.attrs.has("AUDIO")) {
            // Audio in a rendition group: its first readable playlist's first segment.
            for (const Attributes& media : master.media) {
                if (media.get("TYPE") != QLatin1String("AUDIO") ||
                    media.get("GROUP-ID") != v.attrs.get("AUDIO") || !media.has("URI"))
                    continue;
                const QString path = relativeTo(QString(), media.get("URI"));
                LoadedPlaylist& p = playlist(path, m_masterName);
                if (!p.ok || p.playlist.segments.isEmpty())
                    continue;
                bool ok = false;
                QByteArray bytes;
                if (!p.playlist.mapUri.isEmpty())
                    bytes = readBytes(relativeTo(dirOf(path), p.playlist.mapUri),
                                      p.playlist.mapByteRangeOffset, p.playlist.mapByteRangeLength,
                                      &ok);
                const MediaSegment& first = p.playlist.segments.first();
                bytes += readBytes(relativeTo(dirOf(path), first.uri), first.byteRangeOffset,
                                   first.byteRangeLength, &ok);
                StatusOr<SegmentScan> scan = ok ? scanSegment(bytes, path, true)
                                                : StatusOr<SegmentScan>(Status::cancelled());
                if (scan.isOk())
                    audioCodec = scan->audioCodecString;
                break;
            }
        }
        if (!audioCodec.isEmpty() && !declared.contains(audioCodec.toLower()))
            add("codecs", "9.1", Severity::Must, where,
                QStringLiteral("CODECS %1 does not name the audio, which is %2")
                    .arg(v.attrs.get("CODECS"), audioCodec));
        for (const QString& c : declared)
            if (c.startsWith(QLatin1String("hev1")))
                add("hevc-hvc1", "1.10", Severity::Must, where,
                    QStringLiteral("CODECS %1: Apple devices need HEVC as hvc1 (parameter sets in "
                                   "the sample entry), not hev1")
                        .arg(c));
    }
    if (!hasVideo)
        return;
    // RESOLUTION (9.2) and FRAME-RATE (9.15).
    if (!v.attrs.has("RESOLUTION"))
        add("resolution", "9.2", Severity::Must, where,
            QStringLiteral("%1 has no RESOLUTION (the video is %2x%3)")
                .arg(name)
                .arg(s.width)
                .arg(s.height));
    else if (s.width > 0 &&
             v.attrs.get("RESOLUTION") != QStringLiteral("%1x%2").arg(s.width).arg(s.height))
        add("resolution", "9.2", Severity::Must, where,
            QStringLiteral("RESOLUTION %1, the video is %2x%3")
                .arg(v.attrs.get("RESOLUTION"))
                .arg(s.width)
                .arg(s.height));
    const double fps = facts.frameSeconds > 0 ? 1.0 / facts.frameSeconds : 0;
    if (!v.attrs.has("FRAME-RATE"))
        add("frame-rate", "9.15", Severity::Must, where,
            QStringLiteral("%1 has no FRAME-RATE (the video runs at %2 fps)")
                .arg(name)
                .arg(fps, 0, 'f', 3));
    else if (fps > 0 && std::abs(v.attrs.get("FRAME-RATE").toDouble() - fps) > fps * 0.01)
        add("frame-rate", "9.15", Severity::Must, where,
            QStringLiteral("FRAME-RATE %1, the video runs at %2 fps")
                .arg(v.attrs.get("FRAME-RATE"))
                .arg(fps, 0, 'f', 3));
    // VIDEO-RANGE: HDR video must say so (an SDR label makes players tone-map nothing).
    const QString range =
        v.attrs.has("VIDEO-RANGE") ? v.attrs.get("VIDEO-RANGE") : QStringLiteral("SDR");
    if (!s.videoRange.isEmpty() && range != s.videoRange)
        add("video-range", "RFC 8216bis 4.4.6.2", Severity::Must, where,
            QStringLiteral("VIDEO-RANGE %1%2, the video's transfer characteristics are %3")
                .arg(range,
                     v.attrs.has("VIDEO-RANGE") ? QString() : QStringLiteral(" (not written)"),
                     s.videoRange));
}

void Checker::checkAlignment(const QVector<VariantFacts>& variants) {
    // Segment boundaries align across variants (8.22): the same count and the same start
    // times (within half a frame) as the first video variant.
    const VariantFacts* reference = nullptr;
    for (const VariantFacts& v : variants)
        if (v.haveFirst && !v.first.videoCodec.isEmpty()) {
            reference = &v;
            break;
        }
    if (!reference)
        return;
    for (const VariantFacts& v : variants) {
        if (&v == reference || !v.haveFirst || v.first.videoCodec.isEmpty())
            continue;
        const QString where = m_files.where(v.playlistPath);
        if (v.segments.size() != reference->segments.size()) {
            add("segments-aligned", "8.22", Severity::Must, where,
                QStringLiteral("%1 segments, %2 has %3")
                    .arg(v.segments.size())
                    .arg(reference->playlistPath)
                    .arg(reference->segments.size()));
            continue;
        }
        const double tolerance =
            std::max(0.001, std::max(v.frameSeconds, reference->frameSeconds) / 2);
        for (int i = 0; i < v.segments.size(); ++i) {
            const SegmentFacts& a = reference->segments[i];
            const SegmentFacts& b = v.segments[i];
            if (!a.readable || !b.readable)
                continue;
            const double delta = b.scan.videoStartSeconds - a.scan.videoStartSeconds;
            if (std::abs(delta) > tolerance) {
                add("segments-aligned", "8.22", Severity::Must, m_files.where(b.path),
                    QStringLiteral("segment %1 starts at %2 s, %3 s %4 the same segment of %5")
                        .arg(i + 1)
                        .arg(b.scan.videoStartSeconds, 0, 'f', 3)
                        .arg(std::abs(delta), 0, 'f', 3)
                        .arg(delta > 0 ? QStringLiteral("after") : QStringLiteral("before"))
                        .arg(reference->playlistPath));
                break; // one finding per variant: later segments follow from it
            }
        }
    }
}

void Checker::checkIFramePlaylists(const Master& master) {
    if (master.iframes.isEmpty()) {
        add("iframe-playlists", "6.1", Severity::Should, m_files.where(m_masterName),
            QStringLiteral("no I-frame playlists (EXT-X-I-FRAME-STREAM-INF): no trick play or "
                           "seek previews"));
        return;
    }
    for (const Attributes& a : master.iframes) {
        const QString path = relativeTo(QString(), a.get("URI"));
        if (path.isEmpty())
            continue;
        LoadedPlaylist& p = playlist(path, m_masterName);
        if (!p.ok)
            continue;
        if (!p.playlist.iframesOnly)
            add("iframe-playlists", "6.8", Severity::Must, m_files.where(path),
                QStringLiteral("named by EXT-X-I-FRAME-STREAM-INF but has no EXT-X-I-FRAMES-ONLY"));
        const QString dir = dirOf(path);
        QByteArray init;
        bool ok = true;
        if (!p.playlist.mapUri.isEmpty())
            init = readBytes(relativeTo(dir, p.playlist.mapUri), p.playlist.mapByteRangeOffset,
                             p.playlist.mapByteRangeLength, &ok);
        if (!ok)
            continue;
        int bad = 0;
        QString first;
        for (const MediaSegment& s : p.playlist.segments) {
            const QString target = relativeTo(dir, s.uri);
            const QByteArray bytes = readBytes(target, s.byteRangeOffset, s.byteRangeLength, &ok);
            if (!ok)
                continue;
            StatusOr<SegmentScan> scan = scanSegment(init + bytes, target, false);
            if (!scan.isOk() || !scan->startsWithKeyframe) {
                if (bad++ == 0)
                    first = QStringLiteral("%1 bytes %2@%3")
                                .arg(m_files.where(target))
                                .arg(s.byteRangeLength)
                                .arg(s.byteRangeOffset);
            }
        }
        if (bad > 0)
            add("iframe-playlists", "6.8", Severity::Must, m_files.where(path),
                QStringLiteral("%1 of %2 entries do not hold a keyframe (first: %3)")
                    .arg(bad)
                    .arg(p.playlist.segments.size())
                    .arg(first));
    }
}

void Checker::checkGroups(const Master& master) {
    // RFC 8216 4.3.4.1.1 / 4.3.4.2: renditions named by variants exist, NAME unique in a
    // group, at most one DEFAULT, AUTOSELECT=YES where DEFAULT=YES, SUBTITLES need a URI.
    QMap<QString, QStringList> namesByGroup;
    QMap<QString, int> defaultsByGroup;
    const QString where = m_files.where(m_masterName);
    for (const Attributes& m : master.media) {
        const QString key = m.get("TYPE") + QLatin1Char('/') + m.get("GROUP-ID");
        const QString mediaName = m.get("NAME");
        if (namesByGroup[key].contains(mediaName))
            add("rendition-groups", "RFC 8216 4.3.4.1.1", Severity::Must, where,
                QStringLiteral("two %1 renditions in group \"%2\" are both named \"%3\"")
                    .arg(m.get("TYPE"), m.get("GROUP-ID"), mediaName));
        namesByGroup[key] << mediaName;
        if (m.get("DEFAULT") == QLatin1String("YES")) {
            if (++defaultsByGroup[key] == 2)
                add("rendition-groups", "RFC 8216 4.3.4.1", Severity::Must, where,
                    QStringLiteral("group \"%1\" has more than one DEFAULT=YES rendition")
                        .arg(m.get("GROUP-ID")));
            if (m.has("AUTOSELECT") && m.get("AUTOSELECT") != QLatin1String("YES"))
                add("rendition-groups", "RFC 8216 4.3.4.1", Severity::Must, where,
                    QStringLiteral("rendition \"%1\" is DEFAULT=YES but AUTOSELECT=%2")
                        .arg(mediaName, m.get("AUTOSELECT")));
        }
        if (m.get("TYPE") == QLatin1String("SUBTITLES") && !m.has("URI"))
            add("rendition-groups", "RFC 8216 4.3.4.1", Severity::Must, where,
                QStringLiteral("subtitles \"%1\" have no URI").arg(mediaName));
        if (m.has("URI") && m.get("TYPE") != QLatin1String("CLOSED-CAPTIONS")) {
            const QString path = relativeTo(QString(), m.get("URI"));
            if (!path.isEmpty())
                playlist(path, m_masterName); // resolves, parses, media-playlist rules
        }
    }
    for (const char* type : {"AUDIO", "SUBTITLES", "VIDEO"}) {
        int with = 0;
        for (const Variant& v : master.variants) {
            if (!v.attrs.has(type))
                continue;
            ++with;
            const QString key = QLatin1String(type) + QLatin1Char('/') + v.attrs.get(type);
            if (!namesByGroup.contains(key))
                add("rendition-groups", "RFC 8216 4.3.4.2", Severity::Must, where,
                    QStringLiteral("%1 names %2 group \"%3\", which no EXT-X-MEDIA defines")
                        .arg(v.uri, QLatin1String(type), v.attrs.get(type)));
        }
        if (with > 0 && with < master.variants.size())
            add("rendition-groups", "RFC 8216 4.3.4.2", Severity::Should, where,
                QStringLiteral("%1 of %2 variants name a %3 group, the others none")
                    .arg(with)
                    .arg(master.variants.size())
                    .arg(QLatin1String(type)));
    }
}

Status Checker::run() {
    LoadedPlaylist masterFile;
    const Status fetched = m_files.fetch(m_masterName);
    QFile file(m_files.localPath(m_masterName));
    if (!fetched.isOk() || !file.open(QIODevice::ReadOnly))
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1: cannot read the master playlist%2")
                .arg(m_files.where(m_masterName),
                     fetched.isOk() ? QString() : QStringLiteral(" (%1)").arg(fetched.message())));
    const QByteArray text = file.readAll();
    if (!text.startsWith("#EXTM3U"))
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: not an HLS playlist (no #EXTM3U)")
                                 .arg(m_files.where(m_masterName)));
    const Master master = parseMaster(text);
    if (master.variants.isEmpty())
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1: %2").arg(
                m_files.where(m_masterName),
                master.looksLikeMediaPlaylist
                    ? QStringLiteral("a media playlist, not a master (multivariant) playlist")
                    : QStringLiteral("a master playlist without variants (EXT-X-STREAM-INF)")));
    m_report.variants = int(master.variants.size());
    const QString masterWhere = m_files.where(m_masterName);
    if (!master.independentSegments)
        add("independent-segments", "9.11", Severity::Should, masterWhere,
            QStringLiteral("no EXT-X-INDEPENDENT-SEGMENTS: players cannot start a variant at any "
                           "segment"));
    if (master.variants.size() < 2)
        add("multiple-variants", "9.9", Severity::Should, masterWhere,
            QStringLiteral("one variant only: nothing to adapt between"));

    QVector<VariantFacts> facts(master.variants.size());
    const double share = 0.85 / double(master.variants.size());
    for (int i = 0; i < master.variants.size(); ++i) {
        const Status s = checkVariant(i, master.variants[i], &facts[i], i * share, share);
        if (!s.isOk())
            return s;
    }
    for (int i = 0; i < master.variants.size(); ++i)
        checkDeclared(master.variants[i], facts[i], master);
    checkAlignment(facts);
    // Same aspect ratio everywhere (1.33).
    double firstAspect = 0;
    for (const VariantFacts& f : facts) {
        if (!f.haveFirst || f.first.height <= 0)
            continue;
        const double aspect = double(f.first.width) / f.first.height;
        if (firstAspect == 0)
            firstAspect = aspect;
        else if (std::abs(aspect - firstAspect) > firstAspect * 0.02) {
            add("aspect-ratio", "1.33", Severity::Should, m_files.where(f.playlistPath),
                QStringLiteral("%1x%2 has another aspect ratio than the first variant")
                    .arg(f.first.width)
                    .arg(f.first.height));
        }
    }
    if (!progress(0.9))
        return Status::cancelled();
    checkIFramePlaylists(master);
    checkGroups(master);
    progress(1.0);
    return Status::ok();
}

} // namespace

QString severityName(Severity severity) {
    return severity == Severity::Must ? QStringLiteral("must") : QStringLiteral("should");
}

QJsonObject Finding::toJson() const {
    return {{QStringLiteral("rule"), rule},
            {QStringLiteral("section"), section},
            {QStringLiteral("severity"), severityName(severity)},
            {QStringLiteral("where"), where},
            {QStringLiteral("message"), message}};
}

int CheckReport::count(Severity severity) const {
    return int(std::count_if(findings.begin(), findings.end(),
                             [severity](const Finding& f) { return f.severity == severity; }));
}

QJsonObject CheckReport::toJson() const {
    QJsonArray list;
    for (const Finding& f : findings)
        list.append(f.toJson());
    return {{QStringLiteral("ladder"), ladder},
            {QStringLiteral("findings"), list},
            {QStringLiteral("summary"),
             QJsonObject{{QStringLiteral("must"), count(Severity::Must)},
                         {QStringLiteral("should"), count(Severity::Should)},
                         {QStringLiteral("passes"), passes()},
                         {QStringLiteral("variants"), variants},
                         {QStringLiteral("segmentsChecked"), segmentsChecked},
                         {QStringLiteral("mediaSeconds"), mediaSeconds},
                         {QStringLiteral("elapsedSeconds"), elapsedSeconds}}}};
}

QString CheckReport::toText() const {
    QString text = QStringLiteral("%1: %2 variants, %3 segments checked in %4 s — ")
                       .arg(ladder)
                       .arg(variants)
                       .arg(segmentsChecked)
                       .arg(elapsedSeconds, 0, 'f', 1);
    const int must = count(Severity::Must);
    const int should = count(Severity::Should);
    if (must == 0 && should == 0)
        return text + QStringLiteral("no findings\n");
    text += QStringLiteral("%1 must-fix, %2 should-fix\n").arg(must).arg(should);
    for (const Severity severity : {Severity::Must, Severity::Should})
        for (const Finding& f : findings) {
            if (f.severity != severity)
                continue;
            text += QStringLiteral("\n%1  [%2] %3\n    %4\n    %5\n")
                        .arg(severity == Severity::Must ? QStringLiteral("MUST  ")
                                                        : QStringLiteral("SHOULD"),
                             f.section, f.rule, f.where, f.message);
        }
    return text;
}

StatusOr<CheckReport> checkLadder(const QString& ladder, const CheckOptions& options) {
    // Broken segments are what we look for: FFmpeg's own complaints about them ("non-existing
    // PPS referenced" for every frame of a segment cut between keyframes) are not our output.
    av::installLogHandler();
    const av::LogCapture quiet(nullptr);
    QElapsedTimer clock;
    clock.start();
    CheckReport report;
    report.ladder = ladder;
    std::unique_ptr<LadderFiles> files;
    QString masterName = QStringLiteral("master.m3u8");
    if (preview::UpstreamOrigin::isUrl(ladder)) {
        auto cache = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                     QStringLiteral("/hlsforge-check-XXXXXX"));
        if (!cache->isValid())
            return Status::error(
                Status::Code::IoError,
                QStringLiteral("cannot make a temporary folder (%1)").arg(cache->errorString()));
        StatusOr<std::unique_ptr<preview::UpstreamOrigin>> origin =
            preview::UpstreamOrigin::open(ladder, cache->path());
        if (!origin.isOk())
            return origin.status();
        files = std::make_unique<UrlFiles>(std::move(origin.value()), std::move(cache));
    } else {
        const QFileInfo info(ladder);
        if (info.isFile()) {
            masterName = info.fileName();
            files = std::make_unique<FolderFiles>(info.absolutePath());
        } else if (info.isDir()) {
            files = std::make_unique<FolderFiles>(info.absoluteFilePath());
        } else {
            return Status::error(Status::Code::InvalidInput,
                                 QStringLiteral("%1: no such folder or file").arg(ladder));
        }
    }
    Checker checker(*files, masterName, options, report);
    const Status status = checker.run();
    if (!status.isOk())
        return status;
    report.elapsedSeconds = clock.nsecsElapsed() / 1e9;
    return report;
}

} // namespace hlsforge::check
