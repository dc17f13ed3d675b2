#include "subtitles/SubtitleSources.h"

#include "util/TrackSpec.h"

#include <QDir>
#include <QFileInfo>

namespace hlsforge::subtitles {

namespace {
bool isSubtitleSuffix(const QString& suffix) {
    return suffix.compare(QLatin1String("srt"), Qt::CaseInsensitive) == 0 ||
           suffix.compare(QLatin1String("vtt"), Qt::CaseInsensitive) == 0;
}
} // namespace

QString languageFromFileName(const QString& fileName, bool* forced) {
    QStringList parts = QFileInfo(fileName).fileName().split(QLatin1Char('.'));
    if (forced)
        *forced = false;
    if (parts.size() < 3)
        return {};
    parts.removeLast(); // srt / vtt
    if (parts.last().compare(QLatin1String("forced"), Qt::CaseInsensitive) == 0) {
        if (forced)
            *forced = true;
        parts.removeLast();
        if (parts.size() < 2)
            return {};
    }
    const QString code = parts.last();
    // A language code is short and has letters only (and a region: "pt-BR").
    if (code.size() < 2 || code.size() > 8 || code.contains(QLatin1Char(' ')))
        return {};
    return code;
}

QVector<SubtitleInput> findSidecars(const QString& inputPath) {
    const QFileInfo input(inputPath);
    const QString stem = input.completeBaseName();
    QVector<SubtitleInput> found;
    const QFileInfoList entries =
        input.dir().entryInfoList({stem + QStringLiteral(".*")}, QDir::Files, QDir::Name);
    for (const QFileInfo& f : entries) {
        if (!isSubtitleSuffix(f.suffix()))
            continue;
        // Only "<stem>.srt" or "<stem>.<lang>[.forced].srt": "talk.part2.srt" belongs to
        // "talk.part2.mp4", not to "talk.mp4".
        const QString middle = f.fileName().mid(stem.size());
        const int dots = middle.count(QLatin1Char('.'));
        if (!middle.startsWith(QLatin1Char('.')) || dots > 3)
            continue;
        SubtitleInput in;
        in.path = f.filePath();
        in.languageCode = languageFromFileName(f.fileName(), &in.forced);
        const int expectedDots = 1 + (in.languageCode.isEmpty() ? 0 : 1) + (in.forced ? 1 : 0);
        if (dots != expectedDots)
            continue;
        found.append(in);
    }
    return found;
}

SubtitleInput parseSubtitleSpec(const QString& spec) {
    const TrackSpec t = parseTrackSpec(spec);
    SubtitleInput in;
    in.path = t.path;
    in.languageCode = t.languageCode;
    in.name = t.name;
    if (in.languageCode.isEmpty())
        in.languageCode = languageFromFileName(in.path, &in.forced);
    else
        languageFromFileName(in.path, &in.forced);
    return in;
}

} // namespace hlsforge::subtitles
