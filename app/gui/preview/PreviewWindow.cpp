#include "PreviewWindow.h"

#include "OpenOrCopy.h"

#include "AbrTimeline.h"
#include "VideoView.h"

#include "playlist/MediaPlaylist.h"
#include "preview/RenditionMap.h"
#include "preview/ShapedFileServer.h"
#include "preview/ShapingProfile.h"
#include "qoe/PlaybackSession.h"
#include "util/Format.h"

#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QKeySequence>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScreen>
#include <QShortcut>
#include <QSlider>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace hlsforge::gui {
namespace {

// A link rate of 0 is the unshaped loopback.
QString formatRate(double kbps) {
    return kbps <= 0 ? QObject::tr("unlimited") : formatKbps(kbps);
}

// Segments behind the throughput readout: few enough to follow a network change within a
// segment or two, enough to smooth one slow request.
constexpr int kReadoutSegments = 3;
// The preview's default buffer goal (seconds ahead), and the one most web players keep.
constexpr int kPreviewBufferSeconds = 10;
constexpr int kWebPlayerBufferSeconds = 30;

} // namespace

void PreviewWindow::selectMediaBackend() {
    qoe::PlaybackSession::selectMediaBackend();
}

PreviewWindow::PreviewWindow(const QString& folder, QWidget* parent)
    : QWidget(parent), m_folder(folder),
      m_server(std::make_unique<preview::ShapedFileServer>(folder)) {
    selectMediaBackend();
    setWindowTitle(tr("Preview — %1").arg(QFileInfo(folder).fileName()));
    const Status started = m_server->start();
    if (!started.isOk())
        m_error = started.message();
    else if (!m_server->renditions().hasMaster())
        m_error = tr("%1 holds no master.m3u8").arg(folder);
    qoe::PlayerOptions options;
    options.bufferAheadSeconds = kPreviewBufferSeconds;
    m_session = new qoe::PlaybackSession(m_server.get(), qoe::defaultEngine(), options, this);
    buildUi();
    if (!m_error.isEmpty()) {
        m_errorLabel->setText(m_error);
        m_errorLabel->show();
        m_playPause->setEnabled(false);
        return;
    }
    const auto& variants = m_server->renditions().master().variants;
    for (int i = 0; i < variants.size(); ++i) {
        const VariantStream& v = variants[i];
        m_rungs->addItem(tr("%1: %2x%3, %4")
                             .arg(m_session->recording().rungName(i))
                             .arg(v.width)
                             .arg(v.height)
                             .arg(formatRate(v.bandwidth / 1000.0)),
                         i);
    }
    // What the playlists say, not the player's estimate (which may fall short of the end
    // it then plays to).
    if (!variants.isEmpty()) {
        const StatusOr<MediaPlaylist> media =
            MediaPlaylist::load(QDir(folder).filePath(variants.first().uri));
        if (media.isOk())
            m_playlistDurationMs = qint64(std::llround(media->totalSeconds() * 1000));
    }
    m_seek->setRange(0, int(durationMs() / 100));
    updatePosition();
    m_timeline->setTitle(tr("ABR timeline — %1").arg(QFileInfo(folder).fileName()));
    // Room for the picture and a chart that reads, within the screen (also at 1.5x scale).
    if (const QScreen* screen = this->screen())
        resize(QSize(1180, 820).boundedTo(screen->availableGeometry().size() * 0.95));
    m_tick->start();
    m_session->start(m_server->url(QStringLiteral("master.m3u8")));
}

PreviewWindow::~PreviewWindow() {
    // The session's player (and its GStreamer pipeline, which holds keep-alive connections)
    // goes before the server stops: the server's workers then see the connections close at
    // once instead of waiting out the keep-alive timeout, and closing the window is quick.
    m_server->disconnect(this);
    delete m_session;
    m_session = nullptr;
    m_server->stop();
}

void PreviewWindow::buildUi() {
    m_video = new VideoView(m_session->videoSink(), this);
    m_video->setMinimumSize(320, 180);

    m_playPause = new QPushButton(tr("Pause"), this);
    m_playPause->setObjectName(QStringLiteral("playPause"));
    m_seek = new QSlider(Qt::Horizontal, this);
    m_seek->setObjectName(QStringLiteral("seek"));
    m_positionLabel = new QLabel(QStringLiteral("0:00 / 0:00"), this);
    m_profiles = new QComboBox(this);
    m_profiles->setObjectName(QStringLiteral("profile"));
    for (const preview::ShapingProfile& p : preview::ShapingProfile::builtIns())
        m_profiles->addItem(QStringLiteral("%1 — %2").arg(p.name, p.description), p.name);
    m_rungs = new QComboBox(this);
    m_rungs->setObjectName(QStringLiteral("rung"));
    m_engines = new QComboBox(this);
    m_engines->setObjectName(QStringLiteral("engine"));
    for (const qoe::PlaybackEngine engine : {qoe::PlaybackEngine::Gst, qoe::PlaybackEngine::Qt})
        m_engines->addItem(qoe::engineDescription(engine), qoe::engineName(engine));
    m_engines->setCurrentIndex(m_engines->findData(qoe::engineName(m_session->engine())));
    m_engines->setToolTip(
        tr("Which player plays the preview. GStreamer playbin3 uses hlsdemux2, which abandons a "
           "segment it cannot finish in time, like web players; Qt Multimedia uses the classic "
           "hlsdemux. Default: HLSFORGE_PLAYER_ENGINE, else GStreamer playbin3."));
    // How far ahead the player fetches decides how soon a network change shows as a switch:
    // with 30 s buffered (hls.js, Video.js) a short clip is fetched whole on a fast link and a
    // later change to 3G switches nothing; 10 s (Shaka Player's goal) shows it within seconds.
    m_buffers = new QComboBox(this);
    m_buffers->setObjectName(QStringLiteral("buffer"));
    m_buffers->addItem(tr("%1 s ahead (Shaka Player)").arg(kPreviewBufferSeconds),
                       kPreviewBufferSeconds);
    m_buffers->addItem(tr("%1 s ahead (hls.js, Video.js)").arg(kWebPlayerBufferSeconds),
                       kWebPlayerBufferSeconds);
    m_buffers->setToolTip(
        tr("How far ahead of the picture the player fetches. A short buffer shows a network "
           "change as a rung switch within seconds; a long one, as most web players keep, may "
           "already hold the rest of a short clip. (GStreamer playbin3 only.)"));
    m_buffers->setEnabled(m_session->engine() == qoe::PlaybackEngine::Gst);
    // Long entries ("Sawtooth — 6000 down to 600 kb/s over 30 s, repeating") must not set the
    // window's minimum width: at 1.5x scale on a 1280x760 screen it would not fit.
    for (QComboBox* combo : {m_profiles, m_rungs, m_engines, m_buffers}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(16);
    }
    m_rungs->addItem(tr("Auto (ABR)"), -1);
    m_subtitles = new QComboBox(this);
    m_subtitles->setObjectName(QStringLiteral("subtitles"));
    m_subtitles->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_subtitles->setMinimumContentsLength(16);
    m_subtitles->setToolTip(tr("The ladder's subtitle renditions, shown over the picture "
                               "(GStreamer playbin3 only)"));
    m_subtitles->addItem(tr("Off"), QString());
    m_subtitles->setEnabled(false); // until the player lists the ladder's subtitles
    m_rungLabel = new QLabel(tr("—"), this);
    m_rungLabel->setObjectName(QStringLiteral("rungReadout"));
    m_throughputLabel = new QLabel(tr("—"), this);
    m_throughputLabel->setObjectName(QStringLiteral("throughputReadout"));
    m_throughputLabel->setToolTip(
        tr("Link: the rate the preview server gives the player now. Measured: bytes over "
           "transfer time of the last %1 segments, as the server timed them (the CSV's "
           "recent_kbps column).")
            .arg(kReadoutSegments));
    m_viewerText = tr("—");
    m_viewerLabel = new QLabel(m_viewerText, this);
    m_viewerLabel->setObjectName(QStringLiteral("viewerReadout"));
    // Readouts change several times a second: wrap rather than widen the window.
    for (QLabel* label : {m_rungLabel, m_throughputLabel})
        label->setWordWrap(true);
    // The viewer line is one line whatever it says: wrapping when "stalled, waiting for
    // data —" was prepended made the controls jump. It takes the width it is given and is
    // elided there; the whole text is its tooltip.
    m_viewerLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_viewerLabel->setMinimumWidth(0);
    m_viewerLabel->installEventFilter(this);
    m_errorLabel = new QLabel(this);
    m_errorLabel->setStyleSheet(QStringLiteral("color: #b00020"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->hide();
    m_timeline = new AbrTimeline(m_session, this);
    auto* exportPng = new QPushButton(tr("Export PNG…"), this);
    auto* exportCsv = new QPushButton(tr("Export CSV…"), this);
    auto* exportReport = new QPushButton(tr("Export QoE report…"), this);
    exportReport->setObjectName(QStringLiteral("exportReport"));
    exportReport->setToolTip(tr("Start-up, stalls, switches and time per rung of this playback, "
                                "as `hlsforge-cli qoe` reports them (JSON or text)"));
    // The web player page (index.html) through this same shaped server, in the system browser.
    auto* openBrowser = new QPushButton(tr("Open in &browser"), this);
    openBrowser->setObjectName(QStringLiteral("openInBrowser"));
    openBrowser->setToolTip(tr("Open the ladder's web player page (index.html) through the "
                               "preview server in your browser"));
    openBrowser->setEnabled(QFileInfo::exists(m_folder + QStringLiteral("/index.html")));

    auto* transport = new QHBoxLayout;
    transport->addWidget(m_playPause);
    transport->addWidget(m_seek, 1);
    transport->addWidget(m_positionLabel);

    auto* controls = new QFormLayout;
    controls->addRow(tr("&Network"), m_profiles); // Alt+N: change the network while watching
    controls->addRow(tr("R&ung"), m_rungs);
    controls->addRow(tr("&Player"), m_engines);
    controls->addRow(tr("&Buffer"), m_buffers);
    controls->addRow(tr("Subti&tles"), m_subtitles);
    m_audioTracks = new QComboBox(this);
    m_audioTracks->setObjectName(QStringLiteral("audioTrack"));
    m_audioTracks->setToolTip(tr("The audio track (language) the player plays"));
    m_audioLabel = new QLabel(tr("&Audio"), this);
    m_audioLabel->setBuddy(m_audioTracks);
    controls->addRow(m_audioLabel, m_audioTracks);
    m_audioTracks->hide();
    m_audioLabel->hide();
    connect(m_audioTracks, &QComboBox::activated, this,
            [this](int index) { selectAudioTrack(index); });
    controls->addRow(tr("Fetching"), m_rungLabel);
    controls->addRow(tr("Throughput"), m_throughputLabel);
    controls->addRow(tr("Viewer"), m_viewerLabel);
    auto* exports = new QGridLayout;
    exports->addWidget(exportPng, 0, 0);
    exports->addWidget(exportCsv, 0, 1);
    exports->addWidget(exportReport, 1, 0);
    exports->addWidget(openBrowser, 1, 1);
    controls->addRow(exports);

    auto* top = new QWidget(this);
    auto* topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    auto* videoColumn = new QVBoxLayout;
    videoColumn->addWidget(m_video, 1);
    videoColumn->addLayout(transport);
    topLayout->addLayout(videoColumn, 3);
    topLayout->addLayout(controls, 2);

    // The user decides how much goes to the picture and how much to the chart.
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(m_timeline);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_errorLabel);
    layout->addWidget(splitter, 1);

    m_tick = new QTimer(this);
    m_tick->setInterval(250);
    connect(m_tick, &QTimer::timeout, this, &PreviewWindow::onTick);

    for (const QKeySequence& keys :
         {QKeySequence(QKeySequence::Close), QKeySequence(Qt::Key_Escape)}) {
        auto* shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WindowShortcut);
        connect(shortcut, &QShortcut::activated, this, &QWidget::close);
    }

    connect(m_playPause, &QPushButton::clicked, this, [this] {
        if (m_session->isPlaying())
            m_session->pause();
        else
            m_session->play();
    });
    connect(m_session, &qoe::PlaybackSession::playingChanged, this,
            [this](bool playing) { m_playPause->setText(playing ? tr("Pause") : tr("Play")); });
    connect(m_session, &qoe::PlaybackSession::durationChanged, this, [this] {
        m_seek->setRange(0, int(durationMs() / 100));
        updatePosition();
    });
    connect(m_session, &qoe::PlaybackSession::positionChanged, this, [this] { updatePosition(); });
    connect(m_session, &qoe::PlaybackSession::errorOccurred, this, [this](const QString& text) {
        m_errorLabel->setText(tr("Playback error: %1").arg(text));
        m_errorLabel->show();
    });
    connect(m_session, &qoe::PlaybackSession::segmentRecorded, this, &PreviewWindow::onSegment);
    connect(m_session, &qoe::PlaybackSession::stallChanged, this, [this] { updateViewer(); });
    connect(m_session, &qoe::PlaybackSession::firstFrame, this, [this] { updateViewer(); });
    connect(m_session, &qoe::PlaybackSession::ended, this, [this] { updateViewer(); });
    connect(m_seek, &QSlider::sliderPressed, this, [this] { m_seeking = true; });
    connect(m_seek, &QSlider::sliderReleased, this, [this] {
        m_seeking = false;
        seekTo(qint64(m_seek->value()) * 100);
    });
    // Clicks on the groove and keyboard steps move the slider without a drag.
    connect(m_seek, &QSlider::actionTriggered, this, [this](int action) {
        if (action != QAbstractSlider::SliderMove && !m_seeking)
            seekTo(qint64(m_seek->sliderPosition()) * 100);
    });
    connect(m_profiles, &QComboBox::currentIndexChanged, this,
            [this] { setProfileByName(m_profiles->currentData().toString()); });
    connect(m_rungs, &QComboBox::currentIndexChanged, this,
            [this] { lockToRung(m_rungs->currentData().toInt()); });
    connect(m_engines, &QComboBox::currentIndexChanged, this, [this] {
        qoe::PlaybackEngine engine;
        if (qoe::parseEngine(m_engines->currentData().toString(), &engine))
            setEngine(engine);
    });
    connect(m_buffers, &QComboBox::currentIndexChanged, this, [this] {
        qoe::PlayerOptions options = m_session->playerOptions();
        options.bufferAheadSeconds = m_buffers->currentData().toDouble();
        if (isServing())
            m_session->setPlayerOptions(options);
    });
    connect(m_session, &qoe::PlaybackSession::tracksChanged, this,
            &PreviewWindow::refreshSubtitleChoices);
    connect(m_session, &qoe::PlaybackSession::subtitleTextChanged, m_video,
            &VideoView::setSubtitleText);
    connect(m_subtitles, &QComboBox::activated, this, &PreviewWindow::selectSubtitleChoice);
    connect(exportPng, &QPushButton::clicked, this, &PreviewWindow::chooseExportPng);
    connect(exportCsv, &QPushButton::clicked, this, &PreviewWindow::chooseExportCsv);
    connect(exportReport, &QPushButton::clicked, this, &PreviewWindow::chooseExportReport);
    connect(openBrowser, &QPushButton::clicked, this, [this] {
        if (isServing())
            openOrCopy(this, m_server->url(QStringLiteral("index.html")), tr("the player page"));
    });
}

bool PreviewWindow::isServing() const {
    return m_server->isRunning() && m_error.isEmpty();
}
QString PreviewWindow::errorText() const {
    return m_error;
}

QStringList PreviewWindow::profileNames() const {
    QStringList names;
    for (int i = 0; i < m_profiles->count(); ++i)
        names << m_profiles->itemData(i).toString();
    return names;
}

void PreviewWindow::setProfileByName(const QString& name) {
    const StatusOr<preview::ShapingProfile> profile = preview::ShapingProfile::builtIn(name);
    if (!profile.isOk())
        return;
    m_session->setProfile(profile.value());
    const int index = m_profiles->findData(name);
    if (index >= 0 && index != m_profiles->currentIndex()) {
        const QSignalBlocker block(m_profiles);
        m_profiles->setCurrentIndex(index);
    }
    onTick(); // draw the new rate at once
}

void PreviewWindow::lockToRung(int rung) {
    if (!isServing() || rung == m_lockedRung || rung >= m_server->renditions().variantCount())
        return;
    m_lockedRung = rung < 0 ? -1 : rung;
    const int index = m_rungs->findData(m_lockedRung);
    if (index >= 0 && index != m_rungs->currentIndex()) {
        const QSignalBlocker block(m_rungs);
        m_rungs->setCurrentIndex(index);
    }
    const QString entry = m_lockedRung < 0 ? QStringLiteral("master.m3u8")
                                           : preview::RenditionMap::rungMasterName(m_lockedRung);
    m_session->switchSource(m_server->url(entry), m_lockedRung);
}

// ---- Subtitles ---------------------------------------------------------------------------

void PreviewWindow::refreshSubtitleChoices() {
    const QVector<qoe::MediaTrack> tracks = m_session->backend()->tracks(qoe::TrackType::Text);
    const QSignalBlocker block(m_subtitles);
    m_subtitles->clear();
    m_subtitles->addItem(tr("Off"), QString());
    int current = 0;
    for (const qoe::MediaTrack& t : tracks) {
        QString label = t.title.isEmpty() ? t.language : t.title;
        if (!t.title.isEmpty() && !t.language.isEmpty())
            label += QStringLiteral(" (%1)").arg(t.language);
        if (label.isEmpty())
            label = tr("Track %1").arg(m_subtitles->count());
        m_subtitles->addItem(label, t.id);
        if (t.selected)
            current = m_subtitles->count() - 1;
    }
    m_subtitles->setCurrentIndex(current);
    m_subtitles->setEnabled(!tracks.isEmpty());
}

QStringList PreviewWindow::subtitleChoices() const {
    QStringList out;
    for (int i = 0; i < m_subtitles->count(); ++i)
        out << m_subtitles->itemText(i);
    return out;
}

void PreviewWindow::selectSubtitleChoice(int index) {
    if (index < 0 || index >= m_subtitles->count())
        return;
    m_session->backend()->selectTrack(qoe::TrackType::Text,
                                      m_subtitles->itemData(index).toString());
    const QSignalBlocker block(m_subtitles);
    m_subtitles->setCurrentIndex(index);
}

QString PreviewWindow::subtitleReadout() const {
    return m_video->subtitleText();
}

void PreviewWindow::seekTo(qint64 positionMs) {
    m_session->seek(positionMs);
}

void PreviewWindow::setEngine(qoe::PlaybackEngine engine) {
    m_errorLabel->hide();
    const int index = m_engines->findData(qoe::engineName(engine));
    if (index >= 0 && index != m_engines->currentIndex()) {
        const QSignalBlocker block(m_engines);
        m_engines->setCurrentIndex(index);
    }
    m_buffers->setEnabled(engine == qoe::PlaybackEngine::Gst);
    if (isServing())
        m_session->setEngine(engine);
}

void PreviewWindow::onSegment(int index, bool isSwitch) {
    const qoe::QoeRecording& r = m_session->recording();
    const qoe::SegmentRecord& s = r.segments[index];
    const QString resolution =
        s.rung >= 0 && s.rung < r.rungs.size() && r.rungs[s.rung].height > 0
            ? QStringLiteral("%1x%2").arg(r.rungs[s.rung].width).arg(r.rungs[s.rung].height)
            : tr("audio");
    // The codec and dynamic range of the rung, from the master's CODECS and VIDEO-RANGE: in a
    // mixed ladder the player may switch between codecs as well as sizes.
    QString format;
    if (s.rung >= 0 && s.rung < r.rungs.size() && !r.rungs[s.rung].codec.isEmpty()) {
        const qoe::RungInfo& rung = r.rungs[s.rung];
        format = QStringLiteral(", %1 %2").arg(
            rung.codec, rung.videoRange.isEmpty() ? QStringLiteral("SDR") : rung.videoRange);
    }
    m_rungLabel->setText(
        tr("%1 (%2%3), BANDWIDTH %4")
            .arg(r.rungName(s.rung), resolution, format)
            .arg(formatRate(s.rung >= 0 && s.rung < r.rungs.size() ? r.rungs[s.rung].bandwidthKbps
                                                                   : 0)));
    emit segmentFetched(s.rung, isSwitch);
    onTick();
}

void PreviewWindow::onTick() {
    watchAudioTracks();
    // Only transfers on the current network: after a change the previous network's figure
    // would be read as this one's (issue 10: "measured 1929.02 Mb/s" on a 1.6 Mb/s link).
    const double recent = m_session->recording().recentThroughputKbpsSince(
        m_session->profileAppliedAt(), kReadoutSegments);
    m_throughputLabel->setText(
        tr("link %1, measured %2")
            .arg(formatRate(m_server->currentRateKbps()))
            .arg(recent > 0 ? formatRate(recent) : tr("— (no segment on this network yet)")));
    updateViewer();
}

void PreviewWindow::updateViewer() {
    const qoe::QoeRecording& r = m_session->recording();
    QStringList parts;
    if (r.startupSeconds >= 0)
        parts << tr("start-up %1 s").arg(r.startupSeconds, 0, 'f', 2);
    const int stalls = int(r.stalls.size());
    parts << (stalls == 0
                  ? tr("no stall")
                  : tr("%n stall(s), %1 s", nullptr, stalls).arg(r.stallSecondsTotal(), 0, 'f', 1));
    parts << tr("%n switch(es)", nullptr, int(r.switches.size()));
    QString text = parts.join(QStringLiteral(" · "));
    if (m_session->isStalled())
        text = tr("stalled, waiting for data — ") + text;
    else if (m_session->hasEnded())
        text += r.reachedEnd ? tr(" · reached the end") : tr(" · stopped early");
    m_viewerText = text;
    showViewerText();
}

void PreviewWindow::showViewerText() {
    const QString shown = m_viewerLabel->fontMetrics().elidedText(m_viewerText, Qt::ElideRight,
                                                                  m_viewerLabel->width());
    m_viewerLabel->setText(shown);
    m_viewerLabel->setToolTip(shown == m_viewerText ? QString() : m_viewerText);
}

bool PreviewWindow::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_viewerLabel && event->type() == QEvent::Resize)
        showViewerText();
    return QWidget::eventFilter(watched, event);
}

qint64 PreviewWindow::durationMs() const {
    return m_playlistDurationMs > 0 ? m_playlistDurationMs : m_session->durationMs();
}

QString PreviewWindow::positionText(qint64 positionMs, qint64 durationMs) {
    const qint64 duration = std::max<qint64>(durationMs, 0);
    const qint64 position = std::clamp<qint64>(positionMs, 0, duration);
    return QStringLiteral("%1 / %2").arg(formatDuration(position / 1000.0),
                                         formatDuration(duration / 1000.0));
}

void PreviewWindow::updatePosition() {
    if (!m_seeking)
        m_seek->setValue(int(std::min(m_session->positionMs(), durationMs()) / 100));
    m_positionLabel->setText(positionText(m_session->positionMs(), durationMs()));
}

QString PreviewWindow::rungReadout() const {
    return m_rungLabel->text();
}
QString PreviewWindow::throughputReadout() const {
    return m_throughputLabel->text();
}
QString PreviewWindow::positionReadout() const {
    return m_positionLabel->text();
}
QString PreviewWindow::viewerReadout() const {
    return m_viewerText;
}

bool PreviewWindow::exportPng(const QString& path, QString* error) {
    return m_timeline->exportPng(path, error);
}

bool PreviewWindow::exportCsv(const QString& path, QString* error) const {
    return m_timeline->exportCsv(path, error);
}

bool PreviewWindow::exportReport(const QString& path, QString* error) const {
    const qoe::QoeReport report = m_session->report();
    QByteArray data;
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) {
        // The same shape as `hlsforge-cli qoe --json`: an array with one object per profile.
        data = QJsonDocument(QJsonArray{report.toJson()}).toJson(QJsonDocument::Indented);
    } else {
        data = (report.summaryLine() + QLatin1Char('\n')).toUtf8();
        for (const qoe::QoeReport::Switch& s : report.switches)
            data += QStringLiteral("  %1 s  %2 -> %3 (%4)\n")
                        .arg(s.t, 6, 'f', 2)
                        .arg(s.from, s.to, s.reason)
                        .toUtf8();
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: cannot write (%2)").arg(path, file.errorString());
        return false;
    }
    return true;
}

void PreviewWindow::chooseExportPng() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export ABR timeline"), m_folder + QStringLiteral("/abr-timeline.png"),
        tr("PNG image (*.png)"));
    QString error;
    if (!path.isEmpty() && !exportPng(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

void PreviewWindow::chooseExportCsv() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export ABR timeline"), m_folder + QStringLiteral("/abr-timeline.csv"),
        tr("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

void PreviewWindow::chooseExportReport() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export QoE report"),
                                                      m_folder + QStringLiteral("/qoe-report.json"),
                                                      tr("JSON (*.json);;Text (*.txt)"));
    QString error;
    if (!path.isEmpty() && !exportReport(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

// ---- Audio tracks ----------------------------------------------------------------------------

void PreviewWindow::watchAudioTracks() {
    qoe::PlayerBackend* backend = m_session->backend();
    if (backend == m_audioBackend)
        return;
    m_audioBackend = backend;
    connect(backend, &qoe::PlayerBackend::tracksChanged, this, &PreviewWindow::updateAudioTracks);
    updateAudioTracks();
}

void PreviewWindow::updateAudioTracks() {
    const qoe::PlayerBackend* backend = m_session->backend();
    const QVector<qoe::AudioTrack> tracks = backend->audioTracks();
    const QSignalBlocker block(m_audioTracks);
    m_audioTracks->clear();
    for (int i = 0; i < tracks.size(); ++i)
        m_audioTracks->addItem(tracks[i].label(i));
    m_audioTracks->setCurrentIndex(backend->currentAudioTrack());
    const bool several = tracks.size() >= 2;
    m_audioTracks->setVisible(several);
    m_audioLabel->setVisible(several);
}

QStringList PreviewWindow::audioTrackLabels() const {
    QStringList labels;
    for (int i = 0; i < m_audioTracks->count(); ++i)
        labels << m_audioTracks->itemText(i);
    return labels;
}

int PreviewWindow::currentAudioTrack() const {
    return m_session->backend()->currentAudioTrack();
}

void PreviewWindow::selectAudioTrack(int index) {
    m_session->backend()->selectAudioTrack(index);
}

} // namespace hlsforge::gui
