#pragma once
// CueDecoder: a source's text subtitle stream (mov_text in MP4/MOV, SubRip, ASS/SSA or WebVTT in
// MKV) decoded with libavcodec into plain-text cues. It is fed the stream's packets as the
// transcode's one demux reads them (no second read of the file). Bitmap subtitles (PGS, DVB,
// VobSub) are not text and are not handled here.

#include "subtitles/Cue.h"
#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <QString>

namespace hlsforge::subtitles {

// True for the codecs this decoder turns into text.
bool isTextSubtitleCodec(AVCodecID id);

// ASS dialogue text ("{\i1}Hi{\i0}\Nthere") as plain text ("Hi\nthere").
QString stripAssMarkup(const QString& text);

class CueDecoder {
public:
    // `startOffsetUs`: the input's start time, subtracted so cues line up with the ladder's
    // video (whose first frame is 0). `where` names the stream in messages.
    Status open(const AVStream* stream, qint64 startOffsetUs, const QString& where);
    // One packet of the stream (null: end). A damaged packet is counted and skipped.
    void decode(const AVPacket* packet);
    const QVector<Cue>& cues() const { return m_cues; }
    QVector<Cue> takeCues();
    int damagedPackets() const { return m_damaged; }

private:
    av::CodecContextPtr m_codec;
    AVRational m_timeBase{1, 1000};
    qint64 m_startOffsetUs = 0;
    QString m_where;
    QVector<Cue> m_cues;
    int m_damaged = 0;
};

} // namespace hlsforge::subtitles
