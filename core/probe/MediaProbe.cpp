#include "probe/MediaProbe.h"

#include "probe/ProbeTiming.h"

#include "util/FfmpegError.h"
#include "util/FfmpegLog.h"
#include "util/FfmpegPtr.h"

#include <QFileInfo>

extern "C" {
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

#include <cmath>

namespace hlsforge {

namespace {

// Maps FFmpeg's open/read errors to words a user understands; the raw text is the detail.
QString describeOpenError(int averror) {
    if (averror == AVERROR(ENOENT))
        return QStringLiteral("file not found");
    if (averror == AVERROR(EACCES))
        return QStringLiteral("permission denied");
    // FFmpeg's last log line says more than the code ("moov atom not found").
    const QString logged = av::lastError();
    if (averror == AVERROR_INVALIDDATA) {
        if (logged.contains(QLatin1String("moov atom not found")))
            return QStringLiteral("not a readable media file (moov atom not found: the file is "
                                  "truncated or was not finalised)");
        return QStringLiteral("not a readable media file (unrecognised or corrupt data%1)")
            .arg(logged.isEmpty() ? QString() : QStringLiteral(": ") + logged);
    }
    return QStringLiteral("cannot open (%1)").arg(av::errorString(averror));
}

double toDouble(AVRational r) {
    return r.den ? av_q2d(r) : 0.0;
}

int rotationOf(const AVStream* stream) {
    const auto* matrix = reinterpret_cast<const int32_t*>(
        av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr));
    if (!matrix)
        return 0;
    // av_display_rotation_get is counter-clockwise; players rotate clockwise by its negation.
    double degrees = -av_display_rotation_get(matrix);
    if (std::isnan(degrees))
        return 0;
    int rounded = static_cast<int>(std::lround(degrees / 90.0)) * 90;
    rounded %= 360;
    if (rounded < 0)
        rounded += 360;
    return rounded;
}

} // namespace

QJsonObject MediaInfo::toJson() const {
    QJsonObject root;
    root[QStringLiteral("path")] = path;
    root[QStringLiteral("container")] = container;
    root[QStringLiteral("durationSeconds")] = durationSeconds;
    root[QStringLiteral("bitRate")] = static_cast<double>(bitRate);
    root[QStringLiteral("sizeBytes")] = static_cast<double>(sizeBytes);
    if (hasVideo) {
        QJsonObject v;
        v[QStringLiteral("codec")] = video.codec;
        v[QStringLiteral("profile")] = video.profile;
        v[QStringLiteral("codedWidth")] = video.codedWidth;
        v[QStringLiteral("codedHeight")] = video.codedHeight;
        v[QStringLiteral("displayWidth")] = video.displayWidth;
        v[QStringLiteral("displayHeight")] = video.displayHeight;
        v[QStringLiteral("displayAspect")] = video.displayAspect;
        v[QStringLiteral("frameRate")] = video.frameRate;
        v[QStringLiteral("maxFrameRate")] = video.maxFrameRate;
        v[QStringLiteral("variableFrameRate")] = video.variableFrameRate;
        v[QStringLiteral("rotationDegrees")] = video.rotationDegrees;
        v[QStringLiteral("pixelFormat")] = video.pixelFormat;
        v[QStringLiteral("bitDepth")] = video.bitDepth;
        v[QStringLiteral("chromaSubsampling")] = video.chromaSubsampling;
        v[QStringLiteral("bitRate")] = static_cast<double>(video.bitRate);
        timingToJson(video, &v);
        root[QStringLiteral("video")] = v;
    }
    if (hasAudio) {
        QJsonObject a;
        a[QStringLiteral("codec")] = audio.codec;
        a[QStringLiteral("channels")] = audio.channels;
        a[QStringLiteral("channelLayout")] = audio.channelLayout;
        a[QStringLiteral("sampleRateHz")] = audio.sampleRateHz;
        a[QStringLiteral("bitRate")] = static_cast<double>(audio.bitRate);
        audioTrackToJson(audio, &a);
        root[QStringLiteral("audio")] = a;
    }
    return root;
}

StatusOr<MediaInfo> probeFile(const QString& path) {
    const QFileInfo fileInfo(path);
    if (!fileInfo.exists())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: file not found").arg(path));
    if (fileInfo.isDir())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: is a folder, not a video file").arg(path));

    av::installLogHandler();
    av::clearLastError();
    AVFormatContext* raw = nullptr;
    const QByteArray pathUtf8 = path.toUtf8();
    int rc = avformat_open_input(&raw, pathUtf8.constData(), nullptr, nullptr);
    if (rc < 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: %2").arg(path, describeOpenError(rc)),
                             av::errorString(rc));
    av::InputFormatPtr format(raw);
    rc = avformat_find_stream_info(format.get(), nullptr);
    if (rc < 0)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: cannot read stream information (%2)")
                                 .arg(path, av::errorString(rc)));

    MediaInfo info;
    info.path = path;
    info.container = QString::fromUtf8(format->iformat->name);
    info.sizeBytes = fileInfo.size();
    if (format->duration != AV_NOPTS_VALUE && format->duration > 0)
        info.durationSeconds = format->duration / double(AV_TIME_BASE);
    info.bitRate = format->bit_rate;

    const int videoIndex =
        av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (videoIndex >= 0) {
        const AVStream* stream = format->streams[videoIndex];
        const AVCodecParameters* par = stream->codecpar;
        // Cover art is an attached picture, not a video track.
        if (!(stream->disposition & AV_DISPOSITION_ATTACHED_PIC) && par->width > 0 &&
            par->height > 0) {
            info.hasVideo = true;
            VideoInfo& v = info.video;
            v.streamIndex = videoIndex;
            v.codec = QString::fromUtf8(avcodec_get_name(par->codec_id));
            if (const char* profile = avcodec_profile_name(par->codec_id, par->profile))
                v.profile = QString::fromUtf8(profile);
            v.codedWidth = par->width;
            v.codedHeight = par->height;
            v.rotationDegrees = rotationOf(stream);
            AVRational sar = par->sample_aspect_ratio;
            if (sar.num <= 0 || sar.den <= 0)
                sar = AVRational{1, 1};
            double displayW = par->width * av_q2d(sar);
            double displayH = par->height;
            if (v.rotationDegrees == 90 || v.rotationDegrees == 270)
                std::swap(displayW, displayH);
            v.displayWidth = static_cast<int>(std::lround(displayW));
            v.displayHeight = static_cast<int>(std::lround(displayH));
            v.displayAspect = displayW / displayH;
            v.frameRate = toDouble(stream->avg_frame_rate);
            v.maxFrameRate = toDouble(stream->r_frame_rate);
            if (v.frameRate <= 0)
                v.frameRate = v.maxFrameRate;
            // A stream whose average rate differs from its base rate by more than 1 %
            // has frames of uneven duration.
            v.variableFrameRate = v.maxFrameRate > 0 && v.frameRate > 0 &&
                                  std::fabs(v.maxFrameRate - v.frameRate) / v.maxFrameRate > 0.01;
            const auto format = static_cast<AVPixelFormat>(par->format);
            if (const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format)) {
                v.pixelFormat = QString::fromUtf8(desc->name);
                v.bitDepth = desc->comp[0].depth;
                if (desc->nb_components >= 3) {
                    if (desc->log2_chroma_w == 1 && desc->log2_chroma_h == 1)
                        v.chromaSubsampling = QStringLiteral("4:2:0");
                    else if (desc->log2_chroma_w == 1 && desc->log2_chroma_h == 0)
                        v.chromaSubsampling = QStringLiteral("4:2:2");
                    else if (desc->log2_chroma_w == 0 && desc->log2_chroma_h == 0)
                        v.chromaSubsampling = QStringLiteral("4:4:4");
                }
            }
            v.bitRate = par->bit_rate;
        }
    }

    const int audioIndex = mainAudioStreamIndex(format.get());
    if (audioIndex >= 0) {
        const AVCodecParameters* par = format->streams[audioIndex]->codecpar;
        info.hasAudio = true;
        info.audio.streamIndex = audioIndex;
        info.audio.codec = QString::fromUtf8(avcodec_get_name(par->codec_id));
        info.audio.channels = par->ch_layout.nb_channels;
        char layout[128] = {};
        if (av_channel_layout_describe(&par->ch_layout, layout, sizeof layout) > 0)
            info.audio.channelLayout = QString::fromUtf8(layout);
        info.audio.sampleRateHz = par->sample_rate;
        info.audio.bitRate = par->bit_rate;
        describeAudioTrack(format.get(), audioIndex, &info.audio);
    }
    // Last: the interlace scan decodes the first frames and moves the read position.
    if (info.hasVideo)
        scanVideoTiming(format.get(), info.video.streamIndex, &info.video);

    if (!info.hasVideo && !info.hasAudio)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: no video or audio stream found").arg(path));
    return info;
}

Status checkTranscodable(const MediaInfo& info) {
    if (!info.hasVideo)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: has no video stream (audio-only files are not "
                                            "supported)")
                                 .arg(info.path));
    return Status::ok();
}

} // namespace hlsforge
