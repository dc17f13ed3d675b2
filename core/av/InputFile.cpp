#include "av/InputFile.h"

#include "util/FfmpegError.h"
#include "util/FfmpegLog.h"

#include <QFile>
#include <QFileInfo>

namespace hlsforge::av {

namespace {

int interruptCallback(void* opaque) {
    const auto* cancel = static_cast<const std::atomic<bool>*>(opaque);
    return cancel && cancel->load() ? 1 : 0;
}

// Whether FFmpeg recognises the file's first bytes as media of any kind, ignoring its name:
// a text file renamed .mp4 is "not a video file", a real MP4 cut short is "truncated".
bool looksLikeMedia(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    QByteArray head = file.read(64 * 1024);
    if (head.isEmpty())
        return false;
    const int size = head.size();
    head.append(QByteArray(AVPROBE_PADDING_SIZE, '\0'));
    AVProbeData probe{};
    probe.filename = "";
    probe.buf = reinterpret_cast<unsigned char*>(head.data());
    probe.buf_size = size;
    int score = 0;
    const AVInputFormat* format = av_probe_input_format3(&probe, 1, &score);
    return format && score > AVPROBE_SCORE_RETRY;
}

// Maps FFmpeg's open/read errors to words a user understands; the raw text is the detail.
QString describeOpenError(const QString& path, int averror) {
    if (averror == AVERROR(ENOENT))
        return QStringLiteral("file not found");
    if (averror == AVERROR(EACCES))
        return QStringLiteral("permission denied");
    // FFmpeg's last log line says more than the code ("moov atom not found").
    const QString logged = lastError();
    const bool url = path.contains(QLatin1String("://"));
    if (averror == AVERROR_INVALIDDATA && url)
        return QStringLiteral("not readable as audio or video (%1)")
            .arg(logged.isEmpty() ? errorString(averror) : logged);
    if (averror == AVERROR_INVALIDDATA) {
        if (QFileInfo(path).size() == 0)
            return QStringLiteral("not a video file (the file is empty)");
        if (!looksLikeMedia(path))
            return QStringLiteral("not a video file (FFmpeg does not recognise its data as "
                                  "audio or video)");
        if (logged.contains(QLatin1String("moov atom not found")))
            return QStringLiteral("truncated: the file was cut short or never finalised (moov "
                                  "atom not found)");
        return QStringLiteral("damaged media file (%1)")
            .arg(logged.isEmpty() ? errorString(averror) : logged);
    }
    return QStringLiteral("cannot open (%1)").arg(errorString(averror));
}

} // namespace

Status InputFile::open(const QString& path, const std::atomic<bool>* cancel) {
    m_path = path;
    m_cancel = cancel;
    m_format.reset();
    m_kept.clear();
    m_keeping = m_replaying = m_reopen = false;
    // An http(s) URL goes to libavformat's HTTP reader as it is (a chunked encode reads an
    // s3:// source through a presigned URL; it seeks with Range requests).
    const bool url =
        path.startsWith(QLatin1String("https://")) || path.startsWith(QLatin1String("http://"));
    const QFileInfo fileInfo(path);
    if (!url && !fileInfo.exists())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: file not found").arg(path));
    if (!url && fileInfo.isDir())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: is a folder, not a video file").arg(path));

    installLogHandler();
    clearLastError();
    AVFormatContext* raw = avformat_alloc_context();
    if (!raw)
        return Status::error(Status::Code::Internal, QStringLiteral("out of memory"));
    raw->interrupt_callback.callback = interruptCallback;
    raw->interrupt_callback.opaque = const_cast<std::atomic<bool>*>(cancel);
    // Frees `raw` itself when it fails.
    int rc = avformat_open_input(&raw, path.toUtf8().constData(), nullptr, nullptr);
    // A cancel that arrives while the input opens interrupts it (AVERROR_EXIT): cancelled,
    // not "cannot open".
    const auto cancelled = [cancel] { return cancel && cancel->load(); };
    if (rc < 0 && cancelled())
        return Status::cancelled();
    if (rc < 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: %2").arg(path, describeOpenError(path, rc)),
                             errorString(rc));
    m_format.reset(raw);
    rc = avformat_find_stream_info(m_format.get(), nullptr);
    if (rc < 0 && cancelled())
        return Status::cancelled();
    if (rc < 0) {
        m_format.reset();
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1: cannot read stream information (%2)").arg(path, errorString(rc)));
    }
    return Status::ok();
}

int InputFile::read(AVPacket* packet) {
    if (m_replaying) {
        if (!m_kept.empty()) {
            av_packet_move_ref(packet, m_kept.front().get());
            m_kept.pop_front();
            return 0;
        }
        m_replaying = false;
        if (m_keptEnd < 0)
            return m_keptEnd; // reading ended there the first time too
    }
    const int rc = av_read_frame(m_format.get(), packet);
    if (m_keeping) {
        if (rc < 0) {
            m_keptEnd = rc;
        } else if (m_keptBytes + packet->size > kKeptBytesMax && QFileInfo(m_path).isFile()) {
            m_kept.clear(); // cheaper to read the start of the file again
            m_keeping = false;
            m_reopen = true;
        } else {
            m_keptBytes += packet->size;
            m_kept.push_back(refPacket(packet));
        }
    }
    return rc;
}

void InputFile::mark() {
    m_kept.clear();
    m_keptEnd = 0;
    m_keptBytes = 0;
    m_keeping = true;
    m_replaying = m_reopen = false;
}

Status InputFile::rewind() {
    m_keeping = false;
    m_replaying = !m_reopen;
    if (!m_reopen)
        return Status::ok();
    ++m_reopenCount;
    return open(QString(m_path), m_cancel);
}

int InputFile::seek(int streamIndex, int64_t timestamp, int flags) {
    m_kept.clear();
    m_keeping = m_replaying = m_reopen = false;
    m_keptEnd = 0;
    return av_seek_frame(m_format.get(), streamIndex, timestamp, flags);
}

} // namespace hlsforge::av
