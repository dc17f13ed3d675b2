#pragma once
// InputFile: one opened source, shared by probe, thumbnails and the transcode, so a transcode
// opens its input once (probe, then decode from the first packet of the same open file).
//
// The probe's interlace scan reads the first frames; it marks the input first and rewinds it
// after, and the packets read in between are handed out again, in order, before reading goes
// on. That needs no seek, so it works on inputs that cannot seek, and the transcode sees
// exactly the packets a fresh open would give. A seek would not: it drops the packets before
// the start (AAC priming). The kept packets are bounded (kKeptBytesMax: two seconds of a
// 150 Mb/s source are 38 MB, which would add to the transcode's peak memory); a regular file
// whose scan reads more is opened again instead, as before; a pipe always keeps them.

#include "util/FfmpegPtr.h"
#include "util/Status.h"

#include <QString>

#include <atomic>
#include <deque>

namespace hlsforge::av {

class InputFile {
public:
    // Opens `path` and reads its stream information. Errors name the file and say the cause in
    // words a user understands ("not a video file ...", "truncated: ..."), with FFmpeg's text as
    // the detail. A set *cancel interrupts opening and reading (then Cancelled).
    Status open(const QString& path, const std::atomic<bool>* cancel = nullptr);

    bool isOpen() const { return m_format != nullptr; }
    const QString& path() const { return m_path; }
    AVFormatContext* format() const { return m_format.get(); }
    AVStream* stream(int index) const { return m_format->streams[index]; }

    // The next packet, like av_read_frame (kept packets first after rewind()).
    int read(AVPacket* packet);
    static constexpr qint64 kKeptBytesMax = 16 << 20;

    // From here on, keep a reference to every packet read (and how reading ended).
    void mark();
    // Stops keeping; read() hands the kept packets out again, then carries on from the file
    // (or the file is opened again, when it was more than kKeptBytesMax).
    Status rewind();
    int reopenCount() const { return m_reopenCount; } // for tests
    // Like av_seek_frame; forgets the kept packets.
    int seek(int streamIndex, int64_t timestamp, int flags);

private:
    QString m_path;
    InputFormatPtr m_format;
    std::deque<PacketPtr> m_kept;
    const std::atomic<bool>* m_cancel = nullptr;
    bool m_keeping = false;
    bool m_reopen = false; // kept too much: rewind() opens the file again
    qint64 m_keptBytes = 0;
    int m_reopenCount = 0;
    bool m_replaying = false;
    int m_keptEnd = 0; // the code that ended reading while marked; handed out after the packets
};

} // namespace hlsforge::av
