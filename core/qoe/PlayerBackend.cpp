#include "qoe/PlayerBackend.h"

namespace hlsforge::qoe {

QString AudioTrack::label(int index) const {
    if (!name.isEmpty() && !language.isEmpty() && !name.contains(language))
        return QStringLiteral("%1 (%2)").arg(name, language);
    if (!name.isEmpty())
        return name;
    if (!language.isEmpty())
        return language;
    return QStringLiteral("Audio %1").arg(index + 1);
}

QVector<AudioTrack> PlayerBackend::audioTracks() const {
    QVector<AudioTrack> out;
    for (const MediaTrack& t : tracks(TrackType::Audio))
        out.append({t.id, t.language, t.title});
    return out;
}

int PlayerBackend::currentAudioTrack() const {
    const QVector<MediaTrack> audio = tracks(TrackType::Audio);
    for (int i = 0; i < audio.size(); ++i)
        if (audio[i].selected)
            return i;
    return -1;
}

void PlayerBackend::selectAudioTrack(int index) {
    const QVector<MediaTrack> audio = tracks(TrackType::Audio);
    if (index >= 0 && index < audio.size())
        selectTrack(TrackType::Audio, audio[index].id);
}

QString engineName(PlaybackEngine engine) {
    return engine == PlaybackEngine::Qt ? QStringLiteral("qt") : QStringLiteral("gst");
}

bool parseEngine(const QString& name, PlaybackEngine* engine) {
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("gst") || n == QLatin1String("gstreamer")) {
        *engine = PlaybackEngine::Gst;
        return true;
    }
    if (n == QLatin1String("qt")) {
        *engine = PlaybackEngine::Qt;
        return true;
    }
    return false;
}

QString engineDescription(PlaybackEngine engine) {
    return engine == PlaybackEngine::Qt ? QStringLiteral("Qt Multimedia (GStreamer hlsdemux)")
                                        : QStringLiteral("GStreamer playbin3 (hlsdemux2)");
}

PlaybackEngine defaultEngine() {
    PlaybackEngine engine = PlaybackEngine::Gst;
    const QString fromEnvironment = qEnvironmentVariable("HLSFORGE_PLAYER_ENGINE");
    if (!fromEnvironment.isEmpty() && !parseEngine(fromEnvironment, &engine))
        qWarning("HLSFORGE_PLAYER_ENGINE=%s: not gst or qt; using gst",
                 qPrintable(fromEnvironment));
    return engine;
}

} // namespace hlsforge::qoe
