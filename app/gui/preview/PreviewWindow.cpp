#include "PreviewWindow.h"

#include "AbrTimeline.h"

#include "preview/RenditionMap.h"
#include "preview/ShapedFileServer.h"
#include "preview/ShapingProfile.h"

#include <QAudioDevice>
#include <QAudioOutput>
#include <QComboBox>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaDevices>
#include <QMediaPlayer>
#include <QMessageBox>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>
#include <QVideoWidget>

namespace hlsforge::gui {
namespace {

QString formatTime(qint64 ms) {
    const qint64 s = ms / 1000;
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString formatKbps(double kbps) {
    if (kbps <= 0)
        return QObject::tr("unlimited");
    if (kbps >= 1000)
        return QObject::tr("%1 Mb/s").arg(kbps / 1000.0, 0, 'f', 2);
    return QObject::tr("%1 kb/s").arg(kbps, 0, 'f', 0);
}

} // namespace

void PreviewWindow::selectMediaBackend() {
    if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "gstreamer");
}

PreviewWindow::PreviewWindow(const QString& folder, QWidget* parent)
    : QWidget(parent), m_folder(folder),
      m_server(std::make_unique<preview::ShapedFileServer>(folder)) {
    selectMediaBackend();
    setWindowTitle(tr("Preview — %1").arg(QFileInfo(folder).fileName()));
    buildUi();

    connect(m_server.get(), &preview::ShapedFileServer::requestFinished, this,
            &PreviewWindow::onRequest);
    const Status started = m_server->start();
    if (!started.isOk())
        m_error = started.message();
    else if (!m_server->renditions().hasMaster())
        m_error = tr("%1 holds no master.m3u8").arg(folder);
    if (!m_error.isEmpty()) {
        m_errorLabel->setText(m_error);
        m_errorLabel->show();
        m_playPause->setEnabled(false);
        return;
    }
    const auto& variants = m_server->renditions().master().variants;
    for (int i = 0; i < variants.size(); ++i) {
        const VariantStream& v = variants[i];
        m_rungs->addItem(tr("Rung %1: %2x%3, %4")
                             .arg(i)
                             .arg(v.width)
                             .arg(v.height)
                             .arg(formatKbps(v.bandwidth / 1000.0)),
                         i);
    }
    m_tick->start();
    playUrl(m_server->url(QStringLiteral("master.m3u8")), 0);
}

PreviewWindow::~PreviewWindow() {
    // Destroy the player (and its GStreamer pipeline, which holds keep-alive connections)
    // before stopping the server: the server's workers then see the connections close at
    // once instead of waiting out the keep-alive timeout, and closing the window is quick.
    delete m_player;
    m_player = nullptr;
    m_server->disconnect(this); // stop() delivers the last events; this window is going away
    m_server->stop();
}

void PreviewWindow::buildUi() {
    m_player = new QMediaPlayer(this);
    // Attach audio only when there is a device: a headless machine plays video alone.
    if (!QMediaDevices::audioOutputs().isEmpty()) {
        m_audio = new QAudioOutput(this);
        m_player->setAudioOutput(m_audio);
    }
    m_video = new QVideoWidget(this);
    m_video->setMinimumSize(480, 270);
    m_player->setVideoOutput(m_video);

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
    m_rungs->addItem(tr("Auto (ABR)"), -1);
    m_rungLabel = new QLabel(tr("—"), this);
    m_rungLabel->setObjectName(QStringLiteral("rungReadout"));
    m_throughputLabel = new QLabel(tr("—"), this);
    m_throughputLabel->setObjectName(QStringLiteral("throughputReadout"));
    m_errorLabel = new QLabel(this);
    m_errorLabel->setStyleSheet(QStringLiteral("color: #b00020"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->hide();
    m_timeline = new AbrTimeline(this);
    auto* exportPng = new QPushButton(tr("Export PNG…"), this);
    auto* exportCsv = new QPushButton(tr("Export CSV…"), this);
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
    controls->addRow(tr("Network"), m_profiles);
    controls->addRow(tr("Rung"), m_rungs);
    controls->addRow(tr("Fetching"), m_rungLabel);
    controls->addRow(tr("Throughput"), m_throughputLabel);
    auto* exports = new QHBoxLayout;
    exports->addStretch(1);
    exports->addWidget(exportPng);
    exports->addWidget(exportCsv);
    exports->addWidget(openBrowser);
    controls->addRow(exports);

    auto* top = new QHBoxLayout;
    auto* videoColumn = new QVBoxLayout;
    videoColumn->addWidget(m_video, 1);
    videoColumn->addLayout(transport);
    top->addLayout(videoColumn, 3);
    top->addLayout(controls, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_errorLabel);
    layout->addLayout(top, 3);
    layout->addWidget(m_timeline, 2);

    m_tick = new QTimer(this);
    m_tick->setInterval(250);
    connect(m_tick, &QTimer::timeout, this, &PreviewWindow::onTick);

    connect(m_playPause, &QPushButton::clicked, this, [this] {
        if (m_player->playbackState() == QMediaPlayer::PlayingState)
            m_player->pause();
        else
            m_player->play();
    });
    connect(m_player, &QMediaPlayer::playbackStateChanged, this,
            [this](QMediaPlayer::PlaybackState s) {
                m_playPause->setText(s == QMediaPlayer::PlayingState ? tr("Pause") : tr("Play"));
            });
    connect(m_player, &QMediaPlayer::durationChanged, this, [this](qint64 ms) {
        m_seek->setRange(0, int(ms / 100));
        updatePosition();
    });
    connect(m_player, &QMediaPlayer::positionChanged, this, [this] { updatePosition(); });
    connect(m_player, &QMediaPlayer::mediaStatusChanged, this, [this](QMediaPlayer::MediaStatus s) {
        // After switching between Auto and a locked rung, resume where the viewer was.
        if (m_pendingResumeMs > 0 &&
            (s == QMediaPlayer::LoadedMedia || s == QMediaPlayer::BufferedMedia)) {
            m_player->setPosition(m_pendingResumeMs);
            m_pendingResumeMs = -1;
        }
    });
    connect(m_player, &QMediaPlayer::errorOccurred, this,
            [this](QMediaPlayer::Error, const QString& text) {
                m_errorLabel->setText(tr("Playback error: %1").arg(text));
                m_errorLabel->show();
            });
    connect(m_seek, &QSlider::sliderPressed, this, [this] { m_seeking = true; });
    connect(m_seek, &QSlider::sliderReleased, this, [this] {
        m_seeking = false;
        m_player->setPosition(qint64(m_seek->value()) * 100);
    });
    // Clicks on the groove and keyboard steps move the slider without a drag.
    connect(m_seek, &QSlider::actionTriggered, this, [this](int action) {
        if (action != QAbstractSlider::SliderMove && !m_seeking)
            m_player->setPosition(qint64(m_seek->sliderPosition()) * 100);
    });
    connect(m_profiles, &QComboBox::currentIndexChanged, this,
            [this] { setProfileByName(m_profiles->currentData().toString()); });
    connect(m_rungs, &QComboBox::currentIndexChanged, this,
            [this] { lockToRung(m_rungs->currentData().toInt()); });
    connect(exportPng, &QPushButton::clicked, this, &PreviewWindow::chooseExportPng);
    connect(exportCsv, &QPushButton::clicked, this, &PreviewWindow::chooseExportCsv);
    connect(openBrowser, &QPushButton::clicked, this, [this] {
        if (isServing())
            QDesktopServices::openUrl(m_server->url(QStringLiteral("index.html")));
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
    m_server->setProfile(profile.value());
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
    playUrl(m_server->url(entry), m_player->position());
}

void PreviewWindow::playUrl(const QUrl& url, qint64 resumeAtMs) {
    m_pendingResumeMs = resumeAtMs > 0 ? resumeAtMs : -1;
    m_player->setSource(url);
    m_player->play();
}

void PreviewWindow::onRequest(const preview::RequestEvent& event) {
    if (event.kind != QLatin1String("segment") || event.variantIndex < 0)
        return;
    const bool isSwitch = m_timeline->addSegment(event);
    // Same smoothing spirit as the players' estimators: recent segments weigh most.
    m_measuredKbps = m_measuredKbps <= 0 ? event.throughputKbps
                                         : 0.6 * event.throughputKbps + 0.4 * m_measuredKbps;
    m_rungLabel->setText(
        tr("rung %1 — %2, BANDWIDTH %3")
            .arg(event.variantIndex)
            .arg(event.variantResolution.isEmpty() ? tr("audio") : event.variantResolution)
            .arg(formatKbps(event.variantBandwidth / 1000.0)));
    emit segmentFetched(event.variantIndex, isSwitch);
    onTick();
}

void PreviewWindow::onTick() {
    const double shaped = m_server->currentRateKbps();
    if (m_server->isRunning()) {
        // Seconds on the same clock as the request events (since the server started).
        m_timeline->addShapedSample(m_server->secondsSinceStart(), shaped);
    }
    m_throughputLabel->setText(tr("link %1, measured %2")
                                   .arg(formatKbps(shaped))
                                   .arg(m_measuredKbps > 0 ? formatKbps(m_measuredKbps) : tr("—")));
}

void PreviewWindow::updatePosition() {
    if (!m_seeking)
        m_seek->setValue(int(m_player->position() / 100));
    m_positionLabel->setText(QStringLiteral("%1 / %2").arg(formatTime(m_player->position()),
                                                           formatTime(m_player->duration())));
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

bool PreviewWindow::exportPng(const QString& path, QString* error) {
    return m_timeline->exportPng(path, error);
}

bool PreviewWindow::exportCsv(const QString& path, QString* error) const {
    return m_timeline->exportCsv(path, error);
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

} // namespace hlsforge::gui
