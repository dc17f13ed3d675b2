#include "qoe/QtPlayerBackend.h"

#include <QAudioDevice>
#include <QAudioOutput>
#include <QMediaDevices>
#include <QMediaPlayer>
#include <QVideoSink>

namespace hlsforge::qoe {
namespace {

PlayerBackend::State fromQt(QMediaPlayer::PlaybackState s) {
    switch (s) {
    case QMediaPlayer::PlayingState:
        return PlayerBackend::State::Playing;
    case QMediaPlayer::PausedState:
        return PlayerBackend::State::Paused;
    case QMediaPlayer::StoppedState:
        break;
    }
    return PlayerBackend::State::Stopped;
}

} // namespace

QtPlayerBackend::QtPlayerBackend(QVideoSink* sink, QObject* parent) : PlayerBackend(parent) {
    m_player = new QMediaPlayer(this);
    // Attach audio only when there is a device: a headless machine plays video alone.
    if (!QMediaDevices::audioOutputs().isEmpty()) {
        m_audio = new QAudioOutput(this);
        m_player->setAudioOutput(m_audio);
    }
    m_player->setVideoOutput(sink);
    connect(m_player, &QMediaPlayer::playbackStateChanged, this,
            [this](QMediaPlayer::PlaybackState s) { emit stateChanged(fromQt(s)); });
    connect(m_player, &QMediaPlayer::positionChanged, this, &PlayerBackend::positionChanged);
    connect(m_player, &QMediaPlayer::durationChanged, this, &PlayerBackend::durationChanged);
    connect(m_player, &QMediaPlayer::errorOccurred, this,
            [this](QMediaPlayer::Error, const QString& text) { emit errorOccurred(text); });
    connect(m_player, &QMediaPlayer::mediaStatusChanged, this, [this](QMediaPlayer::MediaStatus s) {
        if (s == QMediaPlayer::LoadedMedia || s == QMediaPlayer::BufferedMedia)
            emit loaded();
        else if (s == QMediaPlayer::EndOfMedia)
            emit endOfMedia();
    });
}

QtPlayerBackend::~QtPlayerBackend() {
    // The player (its pipeline and keep-alive connections) goes before anything else.
    delete m_player;
    m_player = nullptr;
}

void QtPlayerBackend::setSource(const QUrl& url) {
    m_player->setSource(url);
}
QUrl QtPlayerBackend::source() const {
    return m_player->source();
}
void QtPlayerBackend::play() {
    m_player->play();
}
void QtPlayerBackend::pause() {
    m_player->pause();
}
void QtPlayerBackend::stop() {
    m_player->stop();
}
void QtPlayerBackend::setPosition(qint64 positionMs) {
    m_player->setPosition(positionMs);
}
qint64 QtPlayerBackend::positionMs() const {
    return m_player->position();
}
qint64 QtPlayerBackend::durationMs() const {
    return m_player->duration();
}
PlayerBackend::State QtPlayerBackend::state() const {
    return fromQt(m_player->playbackState());
}
bool QtPlayerBackend::isAtEnd() const {
    return m_player->mediaStatus() == QMediaPlayer::EndOfMedia;
}

} // namespace hlsforge::qoe
