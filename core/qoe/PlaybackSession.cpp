#include "qoe/PlaybackSession.h"

#include "playlist/MediaPlaylist.h"
#include "preview/RenditionMap.h"
#include "preview/RequestEvent.h"
#include "preview/ShapedFileServer.h"
#include "preview/ShapingProfile.h"

#include "qoe/GstPlayerBackend.h"
#include "qoe/QtPlayerBackend.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>
#include <QVideoFrame>
#include <QVideoSink>

#include <algorithm>

namespace hlsforge::qoe {
namespace {

QString mediaKey(QString path, qint64 rangeOffset) {
    while (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    return QStringLiteral("%1#%2").arg(QDir::cleanPath(path)).arg(rangeOffset);
}

QString clock(qint64 ms) {
    const qint64 s = ms / 1000;
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

void PlaybackSession::selectMediaBackend() {
    if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "gstreamer");
}

PlaybackSession::PlaybackSession(preview::ShapedFileServer* server, QObject* parent)
    : PlaybackSession(server, defaultEngine(), PlayerOptions(), parent) {}

PlaybackSession::PlaybackSession(preview::ShapedFileServer* server, PlaybackEngine engine,
                                 const PlayerOptions& options, QObject* parent)
    : QObject(parent), m_server(server), m_options(options) {
    selectMediaBackend();
    m_sink = new QVideoSink(this);
    m_tick = new QTimer(this);
    m_tick->setInterval(100);
    m_wall.start();
    loadRungs();
    attachBackend(engine);

    connect(m_server, &preview::ShapedFileServer::requestFinished, this,
            &PlaybackSession::onRequest);
    connect(m_sink, &QVideoSink::videoFrameChanged, this, &PlaybackSession::onFrame);
    connect(m_tick, &QTimer::timeout, this, &PlaybackSession::onTick);
}

PlaybackSession::~PlaybackSession() {
    // The player (and its GStreamer pipeline with its keep-alive connections) goes first, so
    // the server's workers see the connections close at once.
    m_server->disconnect(this);
    delete m_backend;
    m_backend = nullptr;
}

void PlaybackSession::attachBackend(PlaybackEngine engine) {
    if (engine == PlaybackEngine::Qt)
        m_backend = new QtPlayerBackend(m_sink, this);
    else
        m_backend = new GstPlayerBackend(m_sink, m_options, this);
    connect(m_backend, &PlayerBackend::stateChanged, this, &PlaybackSession::onPlaybackState);
    connect(m_backend, &PlayerBackend::loaded, this, &PlaybackSession::onLoaded);
    connect(m_backend, &PlayerBackend::endOfMedia, this, &PlaybackSession::onEndOfMedia);
    connect(m_backend, &PlayerBackend::errorOccurred, this, &PlaybackSession::errorOccurred);
    connect(m_backend, &PlayerBackend::durationChanged, this, &PlaybackSession::durationChanged);
    connect(m_backend, &PlayerBackend::tracksChanged, this, &PlaybackSession::tracksChanged);
    connect(m_backend, &PlayerBackend::subtitleTextChanged, this,
            &PlaybackSession::subtitleTextChanged);
    connect(m_backend, &PlayerBackend::positionChanged, this, [this](qint64 ms) {
        if (m_started && !m_ended)
            m_recording.furthestPositionSeconds =
                std::max(m_recording.furthestPositionSeconds, ms / 1000.0);
        emit positionChanged(ms);
    });
}

void PlaybackSession::setEngine(PlaybackEngine engine) {
    if (m_backend && m_backend->engine() == engine)
        return;
    reattach(engine, tr("engine: %1").arg(engineName(engine)));
}

void PlaybackSession::setPlayerOptions(const PlayerOptions& options) {
    if (options.bufferAheadSeconds == m_options.bufferAheadSeconds &&
        options.startBufferSeconds == m_options.startBufferSeconds)
        return;
    m_options = options;
    reattach(engine(), tr("buffer: %1 s").arg(options.bufferAheadSeconds));
}

void PlaybackSession::reattach(PlaybackEngine engine, const QString& markLabel) {
    const qint64 at = m_backend && !m_ended ? m_backend->positionMs() : 0;
    if (m_backend) {
        m_backend->disconnect(this);
        delete m_backend;
        m_backend = nullptr;
    }
    attachBackend(engine);
    emit playingChanged(false);
    emit tracksChanged(); // the new backend lists none until it has loaded
    emit subtitleTextChanged(QString());
    if (!m_started)
        return;
    mark(markLabel);
    if (m_ended)
        return; // Play restarts from 0 on the new engine
    m_nextSwitchReason = QStringLiteral("restart");
    load(m_url, at);
}

void PlaybackSession::loadRungs() {
    const preview::RenditionMap& map = m_server->renditions();
    if (!map.hasMaster())
        return;
    const QString root = m_server->rootDir();
    for (int i = 0; i < map.variantCount(); ++i) {
        const VariantStream& v = map.master().variants[i];
        m_recording.rungs.append({rungNameFromUri(v.uri), v.bandwidth / 1000.0, v.width, v.height,
                                  videoCodecFromCodecs(v.codecs), v.videoRange, QString()});
        StatusOr<MediaPlaylist> media = MediaPlaylist::load(root + QLatin1Char('/') + v.uri);
        if (!media.isOk())
            continue; // the server reports a broken rung when it is fetched
        const QString dir = QFileInfo(v.uri).path();
        for (const MediaSegment& s : media.value().segments) {
            const qint64 offset = s.byteRangeLength >= 0 ? s.byteRangeOffset : -1;
            m_mediaTimeByPath.insert(mediaKey(dir + QLatin1Char('/') + s.uri, offset),
                                     {s.startSeconds, s.durationSeconds});
        }
        m_recording.mediaSeconds = std::max(m_recording.mediaSeconds, media.value().totalSeconds());
    }
    labelRungs(&m_recording.rungs);
}

double PlaybackSession::now() const {
    double t = m_activeSeconds;
    if (m_activeSinceWall >= 0)
        t += m_wall.elapsed() / 1000.0 - m_activeSinceWall;
    return t;
}

void PlaybackSession::start(const QUrl& url) {
    m_recording.clear();
    m_recording.profileName = m_server->profile().name;
    m_profileAppliedAt = 0;
    m_activeSeconds = 0;
    m_activeSinceWall = m_wall.elapsed() / 1000.0; // the clock runs from the play request
    m_started = true;
    m_ended = false;
    m_awaitingFirstFrame = true;
    m_resumePending = true;
    m_stallOpen = false;
    m_lastFrameT = 0;
    m_lockedRung = -1;
    m_nextSwitchReason.clear();
    m_url = url;
    m_tick->start();
    onTick(); // the link rate at t = 0
    load(url, -1);
}

void PlaybackSession::load(const QUrl& url, qint64 resumeAtMs) {
    m_pendingResumeMs = resumeAtMs > 0 ? resumeAtMs : -1;
    m_ended = false;
    m_resumePending = true;
    m_backend->setSource(url);
    m_backend->play();
}

void PlaybackSession::play() {
    if (!m_started) {
        start(m_url);
        return;
    }
    if (m_ended || m_backend->isAtEnd() || m_backend->source().isEmpty()) {
        // A fresh load rather than Qt's seek to 0 on the ended pipeline (see the header).
        mark(tr("restart"));
        m_nextSwitchReason = QStringLiteral("restart");
        m_backend->setSource(QUrl());
        load(m_url, -1);
        return;
    }
    m_backend->play();
}

void PlaybackSession::pause() {
    m_backend->pause();
}

void PlaybackSession::stop() {
    m_backend->stop();
    m_tick->stop();
}

void PlaybackSession::seek(qint64 positionMs) {
    mark(tr("seek to %1").arg(clock(positionMs)));
    m_resumePending = true;
    m_nextSwitchReason = QStringLiteral("seek");
    if (m_ended || m_backend->isAtEnd()) {
        m_backend->setSource(QUrl());
        load(m_url, positionMs);
        return;
    }
    m_backend->setPosition(positionMs);
}

void PlaybackSession::switchSource(const QUrl& url, int lockedRung) {
    m_lockedRung = lockedRung;
    mark(lockedRung < 0 ? tr("auto (ABR)")
                        : tr("locked to %1").arg(m_recording.rungName(lockedRung)));
    m_nextSwitchReason = lockedRung < 0 ? QStringLiteral("unlocked") : QStringLiteral("locked");
    m_url = url;
    const qint64 at = m_ended ? 0 : m_backend->positionMs();
    load(url, at);
}

void PlaybackSession::setProfile(const preview::ShapingProfile& profile) {
    m_server->setProfile(profile);
    m_profileAppliedAt = m_started ? now() : 0;
    if (!m_started) {
        m_recording.profileName = profile.name;
    } else {
        mark(tr("network: %1").arg(profile.name));
        // The report names every network this playback went through ("Unlimited → 3G").
        if (!m_recording.profileName.endsWith(profile.name))
            m_recording.profileName += QStringLiteral(" → ") + profile.name;
    }
    onTick();
}

void PlaybackSession::mark(const QString& label) {
    m_recording.markers.append({now(), label});
    emit changed();
}

void PlaybackSession::onRequest(const preview::RequestEvent& e) {
    if (!m_started || e.kind != QLatin1String("segment") || e.variantIndex < 0 || e.status >= 400)
        return;
    SegmentRecord s;
    // The event's start on the server clock, moved onto the session clock.
    s.t = std::max(0.0, now() - (m_server->secondsSinceStart() - e.startSeconds));
    s.transferSeconds = e.durationMs / 1000.0;
    s.rung = e.variantIndex;
    s.bytes = e.bytesSent;
    s.linkKbps = e.shapedRateKbps;
    s.complete = e.complete;
    s.path = e.path;
    auto media =
        m_mediaTimeByPath.constFind(mediaKey(e.path, e.rangeCount > 0 ? e.rangeFirst : -1));
    if (media == m_mediaTimeByPath.constEnd())
        media = m_mediaTimeByPath.constFind(mediaKey(e.path, -1));
    if (media != m_mediaTimeByPath.constEnd()) {
        s.mediaStart = media->first;
        s.mediaSeconds = media->second;
    }
    const int previousRung = m_recording.segments.isEmpty() ? -1 : m_recording.segments.last().rung;
    const bool isSwitch = previousRung >= 0 && previousRung != s.rung;
    if (isSwitch) {
        QString reason = m_nextSwitchReason;
        if (reason.isEmpty())
            reason = m_lockedRung >= 0 ? QStringLiteral("locked") : QStringLiteral("bandwidth");
        m_recording.switches.append({s.t, previousRung, s.rung, reason});
    }
    m_nextSwitchReason.clear();
    m_recording.segments.append(s);
    emit segmentRecorded(int(m_recording.segments.size()) - 1, isSwitch);
    emit changed();
}

void PlaybackSession::onFrame(const QVideoFrame& frame) {
    if (!frame.isValid() || !m_started || m_ended)
        return;
    if (!isPlaying())
        return; // a paused pipeline may still hand over its preroll frame
    const double t = now();
    if (m_awaitingFirstFrame) {
        m_awaitingFirstFrame = false;
        m_recording.startupSeconds = t;
        emit firstFrame(t);
    }
    m_resumePending = false;
    if (m_stallOpen)
        closeStall(t);
    m_lastFrameT = t;
}

void PlaybackSession::closeStall(double t) {
    if (!m_stallOpen)
        return;
    StallRecord& stall = m_recording.stalls.last();
    stall.seconds = std::max(0.0, t - stall.t);
    stall.open = false;
    m_stallOpen = false;
    emit stallChanged(false);
    emit changed();
}

void PlaybackSession::onTick() {
    const double t = now();
    const double kbps = m_server->currentRateKbps();
    QVector<LinkSample>& link = m_recording.link;
    if (m_started && (link.isEmpty() || link.last().kbps != kbps || t - link.last().t >= 1.0))
        link.append({t, kbps});
    if (!m_started || m_ended || !isPlaying())
        return;
    if (m_stallOpen) {
        m_recording.stalls.last().seconds = t - m_recording.stalls.last().t;
    } else if (!m_awaitingFirstFrame && !m_resumePending && t - m_lastFrameT > kStallGapSeconds) {
        m_recording.stalls.append({m_lastFrameT, t - m_lastFrameT, true});
        m_stallOpen = true;
        emit stallChanged(true);
    }
    emit changed();
}

void PlaybackSession::onPlaybackState(PlayerBackend::State state) {
    const double t = now();
    emit playingChanged(state == PlayerBackend::State::Playing);
    if (state == PlayerBackend::State::Playing) {
        if (m_activeSinceWall < 0)
            m_activeSinceWall = m_wall.elapsed() / 1000.0;
        m_lastFrameT = t;
        m_resumePending = true;
        return;
    }
    closeStall(t);
    if (m_activeSinceWall >= 0) {
        m_activeSeconds = t;
        m_activeSinceWall = -1;
    }
}

void PlaybackSession::onLoaded() {
    if (m_pendingResumeMs > 0) {
        const qint64 at = m_pendingResumeMs;
        m_pendingResumeMs = -1;
        m_backend->setPosition(at);
    }
}

void PlaybackSession::onEndOfMedia() {
    if (!m_started || m_ended)
        return;
    closeStall(now());
    m_ended = true;
    m_recording.furthestPositionSeconds =
        std::max(m_recording.furthestPositionSeconds, m_backend->positionMs() / 1000.0);
    // The end of the clip, not an early end of stream: the picture got near the end.
    const double mediaSeconds = m_recording.mediaSeconds;
    m_recording.reachedEnd =
        mediaSeconds <= 0 || m_recording.furthestPositionSeconds >= mediaSeconds - 3.0;
    emit ended();
    emit changed();
}

} // namespace hlsforge::qoe
