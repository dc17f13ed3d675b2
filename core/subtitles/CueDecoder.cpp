#include "subtitles/CueDecoder.h"

#include "util/FfmpegError.h"

#include <QRegularExpression>

#include <algorithm>

namespace hlsforge::subtitles {

bool isTextSubtitleCodec(AVCodecID id) {
    switch (id) {
    case AV_CODEC_ID_MOV_TEXT:
    case AV_CODEC_ID_SUBRIP:
    case AV_CODEC_ID_TEXT:
    case AV_CODEC_ID_ASS:
    case AV_CODEC_ID_SSA:
    case AV_CODEC_ID_WEBVTT:
        return true;
    default:
        return false;
    }
}

QString stripAssMarkup(const QString& text) {
    static const QRegularExpression overrides(QStringLiteral("\\{[^}]*\\}"));
    QString out = text;
    out.remove(overrides);
    out.replace(QLatin1String("\\N"), QLatin1String("\n"));
    out.replace(QLatin1String("\\n"), QLatin1String("\n"));
    out.replace(QLatin1String("\\h"), QLatin1String(" "));
    // Lines that held nothing but markup.
    QStringList lines = out.split(QLatin1Char('\n'));
    for (QString& l : lines)
        l = l.trimmed();
    lines.removeAll(QString());
    return lines.join(QLatin1Char('\n'));
}

Status CueDecoder::open(const AVStream* stream, qint64 startOffsetUs, const QString& where) {
    m_where = where;
    m_timeBase = stream->time_base;
    m_startOffsetUs = startOffsetUs;
    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec)
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1: no decoder for subtitle codec %2")
                .arg(where, QString::fromLatin1(avcodec_get_name(stream->codecpar->codec_id))));
    m_codec.reset(avcodec_alloc_context3(codec));
    int rc = avcodec_parameters_to_context(m_codec.get(), stream->codecpar);
    if (rc >= 0) {
        m_codec->pkt_timebase = stream->time_base;
        rc = avcodec_open2(m_codec.get(), codec, nullptr);
    }
    if (rc < 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: cannot open the subtitle decoder (%2)")
                                 .arg(where, av::errorString(rc)));
    return Status::ok();
}

void CueDecoder::decode(const AVPacket* packet) {
    if (!m_codec || !packet || packet->pts == AV_NOPTS_VALUE)
        return; // text decoders hold nothing back: there is nothing to flush
    AVSubtitle sub{};
    int got = 0;
    const int rc =
        avcodec_decode_subtitle2(m_codec.get(), &sub, &got, const_cast<AVPacket*>(packet));
    if (rc < 0) {
        ++m_damaged;
        return;
    }
    if (!got)
        return;
    const qint64 packetMs =
        av_rescale_q(packet->pts, m_timeBase, AVRational{1, 1000}) - m_startOffsetUs / 1000;
    const qint64 durationMs =
        packet->duration > 0 ? av_rescale_q(packet->duration, m_timeBase, AVRational{1, 1000}) : 0;
    Cue cue;
    cue.startMs = packetMs + sub.start_display_time;
    // end_display_time is UINT32_MAX ("until the next one") for some decoders; the packet's
    // duration is the container's word then.
    cue.endMs = sub.end_display_time > 0 && sub.end_display_time != UINT32_MAX
                    ? packetMs + sub.end_display_time
                    : packetMs + durationMs;
    QStringList lines;
    for (unsigned i = 0; i < sub.num_rects; ++i) {
        const AVSubtitleRect* r = sub.rects[i];
        if (r->type == SUBTITLE_ASS && r->ass) {
            // "ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text": the text is
            // everything after the eighth comma (it may hold commas itself).
            const QString line = QString::fromUtf8(r->ass);
            int at = -1;
            for (int c = 0; c < 8 && (at = line.indexOf(QLatin1Char(','), at + 1)) >= 0;)
                ++c;
            lines << stripAssMarkup(at >= 0 ? line.mid(at + 1) : line);
        } else if (r->type == SUBTITLE_TEXT && r->text) {
            lines << QString::fromUtf8(r->text).trimmed();
        }
    }
    avsubtitle_free(&sub);
    lines.removeAll(QString());
    cue.text = lines.join(QLatin1Char('\n'));
    if (cue.text.isEmpty() || cue.endMs <= cue.startMs || cue.endMs <= 0)
        return; // mov_text writes empty samples to end the previous cue
    cue.startMs = std::max<qint64>(0, cue.startMs);
    m_cues.append(cue);
}

QVector<Cue> CueDecoder::takeCues() {
    std::stable_sort(m_cues.begin(), m_cues.end(),
                     [](const Cue& a, const Cue& b) { return a.startMs < b.startMs; });
    return std::move(m_cues);
}

} // namespace hlsforge::subtitles
