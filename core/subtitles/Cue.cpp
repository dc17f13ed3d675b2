#include "subtitles/Cue.h"

#include <QJsonObject>

namespace hlsforge::subtitles {

QJsonArray tracksToJson(const QVector<Track>& tracks) {
    QJsonArray array;
    for (const Track& t : tracks) {
        QJsonArray cues;
        for (const Cue& c : t.cues)
            cues.append(QJsonArray{qint64(c.startMs), qint64(c.endMs), c.text});
        array.append(QJsonObject{{QStringLiteral("language"), t.language},
                                 {QStringLiteral("name"), t.name},
                                 {QStringLiteral("forced"), t.forced},
                                 {QStringLiteral("default"), t.isDefault},
                                 {QStringLiteral("origin"), t.origin},
                                 {QStringLiteral("cues"), cues}});
    }
    return array;
}

StatusOr<QVector<Track>> tracksFromJson(const QJsonArray& json, const QString& where) {
    QVector<Track> tracks;
    for (const QJsonValue& value : json) {
        const QJsonObject o = value.toObject();
        Track t;
        t.language = o.value(QStringLiteral("language")).toString();
        t.name = o.value(QStringLiteral("name")).toString();
        t.forced = o.value(QStringLiteral("forced")).toBool();
        t.isDefault = o.value(QStringLiteral("default")).toBool();
        t.origin = o.value(QStringLiteral("origin")).toString();
        if (t.language.isEmpty() || t.name.isEmpty())
            return Status::error(Status::Code::InvalidArgument,
                                 QStringLiteral("%1: subtitle track %2 has no language or name")
                                     .arg(where)
                                     .arg(tracks.size()));
        for (const QJsonValue& cueValue : o.value(QStringLiteral("cues")).toArray()) {
            const QJsonArray c = cueValue.toArray();
            if (c.size() != 3 || !c[0].isDouble() || !c[1].isDouble() || !c[2].isString())
                return Status::error(
                    Status::Code::InvalidArgument,
                    QStringLiteral("%1: subtitle track %2: a cue is not [startMs, endMs, text]")
                        .arg(where, t.origin));
            t.cues.append(Cue{c[0].toInteger(), c[1].toInteger(), c[2].toString()});
        }
        tracks.append(std::move(t));
    }
    return tracks;
}

} // namespace hlsforge::subtitles
