#include "transcode/SubtitleStage.h"

#include "subtitles/Language.h"
#include "subtitles/SubtitleFile.h"

#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace hlsforge {

void SubtitleStage::open(av::InputFile& input, InputStage* inputStage) {
    const qint64 startUs =
        input.format()->start_time != AV_NOPTS_VALUE ? input.format()->start_time : 0;
    const QString inputName = QFileInfo(m_request.inputPath).fileName();
    for (unsigned i = 0; i < input.format()->nb_streams; ++i) {
        AVStream* st = input.stream(int(i));
        if (st->codecpar->codec_type != AVMEDIA_TYPE_SUBTITLE)
            continue;
        const QString codecName = QString::fromLatin1(avcodec_get_name(st->codecpar->codec_id));
        const QString where =
            QStringLiteral("%1: subtitle track %2 (%3)").arg(inputName).arg(i).arg(codecName);
        if (!subtitles::isTextSubtitleCodec(st->codecpar->codec_id)) {
            m_result.warnings << QStringLiteral("%1 is a picture-based subtitle format; only "
                                                "text subtitles are carried over")
                                     .arg(where);
            continue;
        }
        auto source = std::make_unique<SourceTrack>();
        const Status s = source->decoder.open(st, startUs, where);
        if (!s.isOk()) {
            m_result.warnings << s.message();
            continue;
        }
        const AVDictionaryEntry* lang = av_dict_get(st->metadata, "language", nullptr, 0);
        const AVDictionaryEntry* title = av_dict_get(st->metadata, "title", nullptr, 0);
        const subtitles::LanguageTag tag =
            subtitles::toBcp47(lang ? QString::fromUtf8(lang->value) : QString(), where);
        if (!tag.warning.isEmpty())
            m_result.warnings << tag.warning;
        source->track.language = tag.bcp47;
        source->track.name = title ? QString::fromUtf8(title->value) : QString();
        source->track.forced = st->disposition & AV_DISPOSITION_FORCED;
        source->track.isDefault = st->disposition & AV_DISPOSITION_DEFAULT;
        source->track.origin = QStringLiteral("track %1 (%2)").arg(i).arg(codecName);
        subtitles::CueDecoder* decoder = &source->decoder;
        inputStage->addPacketTap(int(i), [decoder](const AVPacket* p) { decoder->decode(p); });
        m_sourceTracks.push_back(std::move(source));
    }
    QVector<subtitles::SubtitleInput> files = subtitles::findSidecars(m_request.inputPath);
    for (const subtitles::SubtitleInput& named : m_request.subtitleFiles) {
        // A file named explicitly replaces the same file found as a sidecar.
        files.erase(std::remove_if(files.begin(), files.end(),
                                   [&](const subtitles::SubtitleInput& f) {
                                       return QFileInfo(f.path) == QFileInfo(named.path);
                                   }),
                    files.end());
        files.append(named);
    }
    for (const subtitles::SubtitleInput& in : files)
        readFile(in);
}

void SubtitleStage::readFile(const subtitles::SubtitleInput& in) {
    const QString name = QFileInfo(in.path).fileName();
    StatusOr<QVector<subtitles::Cue>> cues = subtitles::readSubtitleFile(in.path);
    if (!cues.isOk()) {
        m_result.warnings << cues.status().message() +
                                 QStringLiteral("; the ladder is made without these subtitles");
        return;
    }
    subtitles::Track track;
    const subtitles::LanguageTag tag = subtitles::toBcp47(in.languageCode, name);
    if (!tag.warning.isEmpty())
        m_result.warnings << tag.warning;
    track.language = tag.bcp47;
    track.name = in.name;
    track.forced = in.forced;
    track.origin = name;
    track.cues = std::move(cues.value());
    m_fileTracks.append(track);
}

QVector<subtitles::Track> SubtitleStage::takeTracks() {
    QVector<subtitles::Track> tracks;
    for (auto& source : m_sourceTracks) {
        source->track.cues = source->decoder.takeCues();
        if (source->decoder.damagedPackets() > 0)
            m_result.warnings << QStringLiteral("%1: %2 damaged subtitle packets were skipped")
                                     .arg(source->track.origin)
                                     .arg(source->decoder.damagedPackets());
        tracks.append(std::move(source->track));
    }
    m_sourceTracks.clear();
    tracks += m_fileTracks;
    m_fileTracks.clear();

    // NAME: the given one, else the language's own name; "(forced)" marks forced tracks; unique
    // within the group (HLS requires it), with a number added when two would be the same.
    QSet<QString> used;
    for (subtitles::Track& t : tracks) {
        QString base = t.name.trimmed();
        base.replace(QLatin1Char('"'), QLatin1Char('\''));
        if (base.isEmpty())
            base = subtitles::languageDisplayName(t.language) +
                   (t.forced ? QStringLiteral(" (forced)") : QString());
        QString name = base;
        for (int n = 2; used.contains(name); ++n)
            name = QStringLiteral("%1 %2").arg(base).arg(n);
        used.insert(name);
        t.name = name;
    }
    // One DEFAULT track: the one the source marks default, else the first full (not forced)
    // track.
    int chosen = -1;
    for (int i = 0; i < tracks.size() && chosen < 0; ++i)
        if (tracks[i].isDefault && !tracks[i].forced)
            chosen = i;
    for (int i = 0; i < tracks.size() && chosen < 0; ++i)
        if (!tracks[i].forced)
            chosen = i;
    for (int i = 0; i < tracks.size(); ++i)
        tracks[i].isDefault = i == chosen;
    return tracks;
}

} // namespace hlsforge
