#include "subtitles/SubtitlePlan.h"

#include "av/InputFile.h"
#include "subtitles/CueDecoder.h"
#include "subtitles/Language.h"
#include "subtitles/SubtitleFile.h"

extern "C" {
#include <libavformat/avformat.h>
}

#include <QFileInfo>

#include <algorithm>

namespace hlsforge::subtitles {

namespace {

PlannedTrack planFile(const SubtitleInput& in, PlannedTrack::Origin origin) {
    PlannedTrack t;
    t.origin = origin;
    t.path = in.path;
    t.where = QFileInfo(in.path).fileName();
    t.language = toBcp47(in.languageCode, t.where).bcp47;
    t.name = in.name;
    t.forced = in.forced;
    const StatusOr<QVector<Cue>> cues = readSubtitleFile(in.path);
    if (cues.isOk())
        t.cueCount = int(cues->size());
    else
        t.problem = cues.status().message();
    return t;
}

} // namespace

bool isSubtitleFileName(const QString& path) {
    const QString suffix = QFileInfo(path).suffix();
    return suffix.compare(QLatin1String("srt"), Qt::CaseInsensitive) == 0 ||
           suffix.compare(QLatin1String("vtt"), Qt::CaseInsensitive) == 0;
}

SubtitleInput subtitleInputFromFileName(const QString& path) {
    SubtitleInput in;
    in.path = path;
    in.languageCode = languageFromFileName(QFileInfo(path).fileName(), &in.forced);
    return in;
}

QVector<PlannedTrack> planSubtitleTracks(const QString& inputPath,
                                         const QVector<SubtitleInput>& added) {
    QVector<PlannedTrack> tracks;
    // The input's own tracks, from its header (no decoding).
    av::InputFile input;
    if (input.open(inputPath).isOk()) {
        for (unsigned i = 0; i < input.format()->nb_streams; ++i) {
            const AVStream* st = input.stream(int(i));
            if (st->codecpar->codec_type != AVMEDIA_TYPE_SUBTITLE)
                continue;
            PlannedTrack t;
            t.origin = PlannedTrack::Origin::Source;
            const QString codec = QString::fromLatin1(avcodec_get_name(st->codecpar->codec_id));
            t.where = QStringLiteral("track %1 (%2)").arg(i).arg(codec);
            const AVDictionaryEntry* lang = av_dict_get(st->metadata, "language", nullptr, 0);
            const AVDictionaryEntry* title = av_dict_get(st->metadata, "title", nullptr, 0);
            t.language = toBcp47(lang ? QString::fromUtf8(lang->value) : QString(), t.where).bcp47;
            t.name = title ? QString::fromUtf8(title->value) : QString();
            t.forced = st->disposition & AV_DISPOSITION_FORCED;
            if (!isTextSubtitleCodec(st->codecpar->codec_id))
                t.problem = QStringLiteral("%1 is a picture-based subtitle format; only text "
                                           "subtitles are carried over")
                                .arg(t.where);
            tracks.append(t);
        }
    }
    QVector<SubtitleInput> sidecars = findSidecars(inputPath);
    for (const SubtitleInput& named : added)
        sidecars.erase(std::remove_if(sidecars.begin(), sidecars.end(),
                                      [&](const SubtitleInput& f) {
                                          return QFileInfo(f.path) == QFileInfo(named.path);
                                      }),
                       sidecars.end());
    for (const SubtitleInput& in : sidecars)
        tracks.append(planFile(in, PlannedTrack::Origin::Sidecar));
    for (const SubtitleInput& in : added)
        tracks.append(planFile(in, PlannedTrack::Origin::Added));
    return tracks;
}

} // namespace hlsforge::subtitles
