#include "transcode/AudioTracks.h"

#include "av/InputFile.h"
#include "subtitles/Language.h"
#include "util/TrackSpec.h"

#include <QFileInfo>
#include <QLocale>
#include <QSet>

extern "C" {
#include <libavformat/avformat.h>
}

namespace hlsforge {

namespace {

QString tag(const AVStream* stream, const char* key) {
    const AVDictionaryEntry* e = av_dict_get(stream->metadata, key, nullptr, 0);
    return e ? QString::fromUtf8(e->value).trimmed() : QString();
}

QString bcp47(const QString& code, const QString& where, QStringList* warnings) {
    const subtitles::LanguageTag t = subtitles::toBcp47(code, where);
    if (!t.warning.isEmpty() && warnings)
        *warnings << t.warning;
    return t.bcp47 == QLatin1String("und") ? QString() : t.bcp47;
}

} // namespace

AudioInput parseAudioSpec(const QString& spec) {
    const TrackSpec t = parseTrackSpec(spec);
    return {t.path, t.languageCode, t.name};
}

QString englishLanguageName(const QString& code) {
    if (code.isEmpty() || code == QLatin1String("und"))
        return {};
    const QLocale locale(code);
    if (locale.language() == QLocale::C || locale.language() == QLocale::AnyLanguage)
        return {};
    return QLocale::languageToString(locale.language());
}

StatusOr<QVector<AudioTrackPlan>> planAudioTracks(const AVFormatContext* input,
                                                  const QVector<AudioInput>& files,
                                                  QStringList* warnings) {
    QVector<AudioTrackPlan> tracks;
    QVector<QString> titles; // given names, before they are made unique
    const QString inputName = QFileInfo(QString::fromUtf8(input->url)).fileName();
    for (unsigned i = 0; i < input->nb_streams; ++i) {
        const AVStream* st = input->streams[i];
        if (st->codecpar->codec_type != AVMEDIA_TYPE_AUDIO)
            continue;
        AudioTrackPlan t;
        t.streamIndex = int(i);
        const QString code = tag(st, "language");
        t.language =
            bcp47(code, QStringLiteral("%1: audio track %2").arg(inputName).arg(i), warnings);
        t.isDefault = st->disposition & AV_DISPOSITION_DEFAULT;
        t.sourceChannels = st->codecpar->ch_layout.nb_channels;
        t.origin = QStringLiteral("track %1 (%2%3)")
                       .arg(i)
                       .arg(QString::fromLatin1(avcodec_get_name(st->codecpar->codec_id)))
                       .arg(code.isEmpty() ? QString() : QStringLiteral(", ") + code);
        titles << tag(st, "title");
        tracks << t;
    }
    for (const AudioInput& file : files) {
        av::InputFile in;
        Status s = in.open(file.path);
        if (!s.isOk())
            return Status::error(s.code(), QStringLiteral("--audio %1").arg(s.message()),
                                 s.detail());
        const int index = av_find_best_stream(in.format(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
        if (index < 0)
            return Status::error(
                Status::Code::InvalidInput,
                QStringLiteral("--audio %1: the file has no audio track").arg(file.path));
        const AVStream* st = in.stream(index);
        AudioTrackPlan t;
        t.filePath = file.path;
        t.fileStreamIndex = index;
        const QString fileName = QFileInfo(file.path).fileName();
        t.language = bcp47(file.languageCode.isEmpty() ? tag(st, "language") : file.languageCode,
                           fileName, warnings);
        t.sourceChannels = st->codecpar->ch_layout.nb_channels;
        t.origin = fileName;
        titles << (file.name.isEmpty() ? tag(st, "title") : file.name);
        tracks << t;
    }
    // NAME: unique in the group (RFC 8216 4.3.4.1.1), a number added when two would be equal.
    QSet<QString> used;
    for (int i = 0; i < tracks.size(); ++i) {
        QString base = titles[i];
        base.replace(QLatin1Char('"'), QLatin1Char('\''));
        if (base.isEmpty())
            base = englishLanguageName(tracks[i].language);
        if (base.isEmpty())
            base = QStringLiteral("Audio %1").arg(i + 1);
        QString name = base;
        for (int n = 2; used.contains(name); ++n)
            name = QStringLiteral("%1 %2").arg(base).arg(n);
        used.insert(name);
        tracks[i].name = name;
    }
    // One DEFAULT: the source's default-flagged track, else the first.
    int chosen = 0;
    for (int i = 0; i < tracks.size(); ++i)
        if (tracks[i].isDefault) {
            chosen = i;
            break;
        }
    QSet<QString> folders;
    for (int i = 0; i < tracks.size(); ++i) {
        tracks[i].isDefault = i == chosen;
        const QString lang =
            tracks[i].language.isEmpty() ? QStringLiteral("und") : tracks[i].language;
        QString folder = lang;
        for (int n = 2; folders.contains(folder); ++n)
            folder = QStringLiteral("%1-%2").arg(lang).arg(n);
        folders.insert(folder);
        tracks[i].folder = QStringLiteral("audio/") + folder;
    }
    return tracks;
}

} // namespace hlsforge
