#include "check/SegmentScan.h"

#include "playlist/CodecString.h"
#include "util/FfmpegError.h"
#include "util/FfmpegPtr.h"

extern "C" {
#include <libavutil/mem.h>
}

#include <cstring>

namespace hlsforge::check {
namespace {

constexpr int kIoBufferBytes = 64 * 1024;

// A read-only, seekable view of bytes already in memory for libavformat.
struct MemoryReader {
    const QByteArray* bytes = nullptr;
    qint64 position = 0;

    static int read(void* opaque, uint8_t* out, int size) {
        auto* self = static_cast<MemoryReader*>(opaque);
        const qint64 left = self->bytes->size() - self->position;
        if (left <= 0)
            return AVERROR_EOF;
        const int n = int(std::min<qint64>(size, left));
        std::memcpy(out, self->bytes->constData() + self->position, size_t(n));
        self->position += n;
        return n;
    }
    static int64_t seek(void* opaque, int64_t offset, int whence) {
        auto* self = static_cast<MemoryReader*>(opaque);
        const qint64 size = self->bytes->size();
        switch (whence & ~AVSEEK_FORCE) {
        case AVSEEK_SIZE:
            return size;
        case SEEK_SET:
            break;
        case SEEK_CUR:
            offset += self->position;
            break;
        case SEEK_END:
            offset += size;
            break;
        default:
            return AVERROR(EINVAL);
        }
        if (offset < 0 || offset > size)
            return AVERROR(EINVAL);
        self->position = offset;
        return offset;
    }
};

// A custom AVIOContext owns its buffer (which libavformat may have replaced): free both.
struct IoContextDeleter {
    void operator()(AVIOContext* io) const {
        if (!io)
            return;
        av_freep(&io->buffer);
        avio_context_free(&io);
    }
};
using IoContextPtr = std::unique_ptr<AVIOContext, IoContextDeleter>;

// NAL unit types of the access unit in `data`: Annex B (start codes, as in MPEG-TS) when
// `lengthSize` is 0, else ISO BMFF length-prefixed NAL units.
template <typename Visit>
void forEachNal(const uint8_t* data, int size, int lengthSize, Visit visit) {
    if (lengthSize == 0) {
        for (int i = 0; i + 3 < size; ++i) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                visit(data[i + 3]);
                i += 2;
            }
        }
        return;
    }
    for (int i = 0; i + lengthSize < size;) {
        qint64 length = 0;
        for (int k = 0; k < lengthSize; ++k)
            length = (length << 8) | data[i + k];
        i += lengthSize;
        if (length <= 0 || i + length > size)
            return;
        visit(data[i]);
        i += int(length);
    }
}

bool accessUnitIsIdr(AVCodecID codec, const AVPacket& packet, int lengthSize) {
    bool idr = false;
    if (codec == AV_CODEC_ID_H264) {
        forEachNal(packet.data, packet.size, lengthSize,
                   [&](uint8_t header) { idr = idr || (header & 0x1f) == 5; });
    } else if (codec == AV_CODEC_ID_HEVC) {
        forEachNal(packet.data, packet.size, lengthSize, [&](uint8_t header) {
            const int type = (header >> 1) & 0x3f;
            idr = idr || type == 19 || type == 20; // IDR_W_RADL, IDR_N_LP
        });
    } else {
        idr = (packet.flags & AV_PKT_FLAG_KEY) != 0; // AV1 and others: the container's sync flag
    }
    return idr;
}

// avcC/hvcC records give the NAL length size; Annex B extradata (or none, as in TS) gives 0.
int nalLengthSize(const AVCodecParameters* par) {
    const uint8_t* x = par->extradata;
    if (!x || par->extradata_size < 7 || x[0] != 1)
        return 0;
    if (par->codec_id == AV_CODEC_ID_H264)
        return (x[4] & 3) + 1;
    if (par->codec_id == AV_CODEC_ID_HEVC && par->extradata_size >= 23)
        return (x[21] & 3) + 1;
    return 0;
}

QString videoCodecString(const AVCodecParameters* par, const AVPacket& firstPacket) {
    // The encoder's parameter sets: in the sample entry for fMP4, in-band (the first access
    // unit) for MPEG-TS.
    for (const auto& [data, size] :
         {std::pair<const uint8_t*, int>{par->extradata, par->extradata_size},
          std::pair<const uint8_t*, int>{firstPacket.data, firstPacket.size}}) {
        if (!data || size <= 0)
            continue;
        QString text;
        if (par->codec_id == AV_CODEC_ID_H264)
            text = h264CodecString(data, size);
        else if (par->codec_id == AV_CODEC_ID_HEVC)
            text = hevcCodecString(data, size);
        else if (par->codec_id == AV_CODEC_ID_AV1)
            text = av1CodecString(data, size);
        if (!text.isEmpty())
            return text;
    }
    return {};
}

QString audioCodecString(const AVCodecParameters* par) {
    if (par->codec_id == AV_CODEC_ID_AAC)
        // RFC 6381: mp4a.40.<audio object type>; FFmpeg's profile is the AOT minus one.
        return QStringLiteral("mp4a.40.%1").arg(par->profile >= 0 ? par->profile + 1 : 2);
    if (par->codec_id == AV_CODEC_ID_AC3)
        return QStringLiteral("ac-3");
    if (par->codec_id == AV_CODEC_ID_EAC3)
        return QStringLiteral("ec-3");
    if (par->codec_id == AV_CODEC_ID_MP3)
        return QStringLiteral("mp4a.40.34");
    if (par->codec_id == AV_CODEC_ID_OPUS)
        return QStringLiteral("opus");
    return QString::fromUtf8(avcodec_get_name(par->codec_id));
}

QString videoRangeOf(const AVCodecParameters* par) {
    if (par->color_trc == AVCOL_TRC_SMPTE2084)
        return QStringLiteral("PQ");
    if (par->color_trc == AVCOL_TRC_ARIB_STD_B67)
        return QStringLiteral("HLG");
    return QStringLiteral("SDR");
}

} // namespace

StatusOr<SegmentScan> scanSegment(const QByteArray& bytes, const QString& name, bool streamFacts) {
    MemoryReader reader{&bytes, 0};
    auto* buffer = static_cast<uint8_t*>(av_malloc(kIoBufferBytes));
    if (!buffer)
        return Status::error(Status::Code::Internal, QStringLiteral("out of memory"));
    IoContextPtr io(avio_alloc_context(buffer, kIoBufferBytes, 0, &reader, &MemoryReader::read,
                                       nullptr, &MemoryReader::seek));
    if (!io) {
        av_free(buffer);
        return Status::error(Status::Code::Internal, QStringLiteral("out of memory"));
    }
    AVFormatContext* raw = avformat_alloc_context();
    if (!raw)
        return Status::error(Status::Code::Internal, QStringLiteral("out of memory"));
    raw->pb = io.get();
    raw->flags |= AVFMT_FLAG_CUSTOM_IO;
    // Declared after `io`, so it closes first (it does not free a custom AVIOContext).
    int err = avformat_open_input(&raw, nullptr, nullptr, nullptr);
    av::InputFormatPtr format(raw);
    if (err < 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: not a readable media segment (%2)")
                                 .arg(name, av::errorString(err)));
    if (streamFacts) {
        err = avformat_find_stream_info(format.get(), nullptr);
        if (err < 0)
            return Status::error(
                Status::Code::InvalidInput,
                QStringLiteral("%1: cannot read its streams (%2)").arg(name, av::errorString(err)));
    }
    SegmentScan scan;
    scan.container = QString::fromUtf8(format->iformat->name);
    const int video = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    const int audio = av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    scan.hasAudio = audio >= 0;
    if (audio >= 0 && streamFacts)
        scan.audioCodecString = audioCodecString(format->streams[audio]->codecpar);
    if (video < 0)
        return scan;
    const AVStream* stream = format->streams[video];
    const AVCodecParameters* par = stream->codecpar;
    scan.videoCodec = QString::fromUtf8(avcodec_get_name(par->codec_id));
    if (streamFacts) {
        scan.width = par->width;
        scan.height = par->height;
        scan.videoRange = videoRangeOf(par);
    }
    const int lengthSize = nalLengthSize(par);
    const double timeBase = av_q2d(stream->time_base);

    av::PacketPtr packet = av::makePacket();
    qint64 minPts = INT64_MAX;
    qint64 maxEnd = INT64_MIN;
    qint64 durationSum = 0;
    int durations = 0;
    while ((err = av_read_frame(format.get(), packet.get())) >= 0) {
        if (packet->stream_index == video) {
            const bool key = (packet->flags & AV_PKT_FLAG_KEY) != 0;
            if (scan.videoPackets == 0) {
                scan.startsWithKeyframe = key;
                scan.startsWithIdr = key && accessUnitIsIdr(par->codec_id, *packet, lengthSize);
                if (streamFacts)
                    scan.videoCodecString = videoCodecString(par, *packet);
            }
            ++scan.videoPackets;
            scan.keyframes += key;
            const qint64 pts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
            if (pts != AV_NOPTS_VALUE) {
                minPts = std::min(minPts, pts);
                maxEnd = std::max(maxEnd, pts + std::max<qint64>(packet->duration, 0));
            }
            if (packet->duration > 0) {
                durationSum += packet->duration;
                ++durations;
            }
        }
        av_packet_unref(packet.get());
    }
    if (err != AVERROR_EOF && scan.videoPackets == 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: unreadable (%2)").arg(name, av::errorString(err)));
    if (durations > 0)
        scan.frameSeconds = double(durationSum) / durations * timeBase;
    if (minPts != INT64_MAX) {
        scan.videoStartSeconds = double(minPts) * timeBase;
        scan.videoEndSeconds = double(maxEnd) * timeBase;
        // MPEG-TS packets carry no duration: the last frame lasts as long as the others.
        if (durations == 0 && scan.videoPackets > 1)
            scan.frameSeconds =
                (scan.videoEndSeconds - scan.videoStartSeconds) / double(scan.videoPackets - 1);
        if (durations == 0)
            scan.videoEndSeconds += scan.frameSeconds;
    }
    return scan;
}

} // namespace hlsforge::check
