#pragma once
// QtPlayerBackend: the "qt" engine, QMediaPlayer on Qt Multimedia's GStreamer backend (classic
// hlsdemux, see PlayerBackend.h). Kept selectable to compare with the gst engine.

#include "qoe/PlayerBackend.h"

QT_BEGIN_NAMESPACE
class QAudioOutput;
class QMediaPlayer;
QT_END_NAMESPACE

namespace hlsforge::qoe {

class QtPlayerBackend final : public PlayerBackend {
    Q_OBJECT
public:
    explicit QtPlayerBackend(QVideoSink* sink, QObject* parent = nullptr);
    ~QtPlayerBackend() override;

    PlaybackEngine engine() const override { return PlaybackEngine::Qt; }
    void setSource(const QUrl& url) override;
    QUrl source() const override;
    void play() override;
    void pause() override;
    void stop() override;
    void setPosition(qint64 positionMs) override;
    qint64 positionMs() const override;
    qint64 durationMs() const override;
    State state() const override;
    bool isAtEnd() const override;

private:
    QMediaPlayer* m_player = nullptr;
    QAudioOutput* m_audio = nullptr;
};

} // namespace hlsforge::qoe
