#include "probe/MediaProbe.h"

#include "probe/ProbeTiming.h"

#include "av/InputFile.h"

#include <QFileInfo>
#include <QJsonArray>

extern "C" {
#include <libavutil/display.h>
#include <libavutil/dovi_meta.h>
#include <libavutil/mastering_display_metadata.h>
#include <libavutil/pixdesc.h>
}

#include <cmath>

namespace hlsforge {

namespace {

// "MP4" rather than "mov,mp4,m4a,3gp,3g2,mj2": the demuxer covers a family; the major brand
// (or else the file name) tells which member this is.
QString containerName(const AVFormatContext* format, const QString& path) {
    const QString demuxer = QString::fromUtf8(format->iformat->name);
    const QString ext = QFileInfo(path).suffix().toLower();
    if (demuxer.startsWith(QLatin1String("mov,"))) {
        const AVDictionaryEntry* brand = av_dict_get(format->metadata, "major_brand", nullptr, 0);
        const QString b = brand ? QString::fromLatin1(brand->value).trimmed().toLower() : QString();
        if (b == QLatin1String("qt") || (b.isEmpty() && ext == QLatin1String("mov")))
            return QStringLiteral("QuickTime");
        if (b.startsWith(QLatin1String("3g")) ||
            (b.isEmpty() && ext.startsWith(QLatin1String("3g"))))
            return QStringLiteral("3GP");
        if (b == QLatin1String("m4a") || (b.isEmpty() && ext == QLatin1String("m4a")))
            return QStringLiteral("MP4 (audio)");
        return QStringLiteral("MP4");
    }
    if (demuxer == QLatin1String("matroska,webm"))
        return ext == QLatin1String("webm") ? QStringLiteral("WebM") : QStringLiteral("Matroska");
    static const std::pair<const char*, const char*> names[] = {
        {"mpegts", "MPEG-TS"}, {"mpeg", "MPEG-PS"},  {"avi", "AVI"}, {"flv", "FLV"},
        {"mxf", "MXF"},        {"asf", "ASF (WMV)"}, {"ogg", "Ogg"}, {"dv", "DV"},
        {"mp3", "MP3"},        {"wav", "WAV"},       {"gif", "GIF"}, {"h264", "raw H.264"},
        {"hevc", "raw HEVC"},  {"mjpeg", "MJPEG"},   {"hls", "HLS"}};
    for (const auto& [ffName, words] : names) {
        if (demuxer == QLatin1String(ffName))
            return QString::fromUtf8(words);
    }
    return format->iformat->long_name ? QString::fromUtf8(format->iformat->long_name) : demuxer;
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

// Colour tags, HDR format and Dolby Vision configuration of a video stream.
void describeColour(const AVStream* stream, VideoInfo* v) {
    const AVCodecParameters* par = stream->codecpar;
    v->colorPrimaries = QString::fromUtf8(av_color_primaries_name(par->color_primaries));
    v->colorTransfer = QString::fromUtf8(av_color_transfer_name(par->color_trc));
    v->colorMatrix = QString::fromUtf8(av_color_space_name(par->color_space));
    v->colorRange = QString::fromUtf8(av_color_range_name(par->color_range));
    // yuvj* formats are full range whatever the tags say.
    if (v->pixelFormat.startsWith(QLatin1String("yuvj")))
        v->colorRange = QStringLiteral("pc");
    if (const auto* dovi = reinterpret_cast<const AVDOVIDecoderConfigurationRecord*>(
            av_stream_get_side_data(stream, AV_PKT_DATA_DOVI_CONF, nullptr))) {
        v->dolbyVisionProfile = dovi->dv_profile;
        v->dolbyVisionLevel = dovi->dv_level;
        v->dolbyVisionCompatibility = dovi->dv_bl_signal_compatibility_id;
    }
    takeHdrMetadata(reinterpret_cast<const AVMasteringDisplayMetadata*>(av_stream_get_side_data(
                        stream, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, nullptr)),
                    reinterpret_cast<const AVContentLightMetadata*>(
                        av_stream_get_side_data(stream, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, nullptr)),
                    v);

    QString base;
    if (v->colorTransfer == QLatin1String("arib-std-b67"))
        base = QStringLiteral("HLG");
    else if (v->colorTransfer == QLatin1String("smpte2084"))
        base = QStringLiteral("PQ");
    if (v->dolbyVisionProfile > 0) {
        if (base.isEmpty()) {
            const int c = v->dolbyVisionCompatibility;
            base = c == 4             ? QStringLiteral("HLG")
                   : c == 1 || c == 6 ? QStringLiteral("PQ")
                   : c == 2           ? QStringLiteral("SDR")
                                      : QStringLiteral("no compatible base layer");
        }
        // "8.4": profile 8 with a compatibility-4 (HLG) base layer, as Apple and Dolby name it.
        const QString profile = v->dolbyVisionCompatibility > 0
                                    ? QStringLiteral("%1.%2")
                                          .arg(v->dolbyVisionProfile)
                                          .arg(v->dolbyVisionCompatibility)
                                    : QString::number(v->dolbyVisionProfile);
        v->hdrFormat = QStringLiteral("Dolby Vision profile %1 (%2)").arg(profile, base);
    } else {
        v->hdrFormat = base.isEmpty() ? QStringLiteral("SDR") : base;
    }
}

} // namespace

void takeHdrMetadata(const AVMasteringDisplayMetadata* mastering,
                     const AVContentLightMetadata* light, VideoInfo* v) {
    HdrStaticMetadata& m = v->hdrMetadata;
    auto q = [](AVRational r) { return r.den ? av_q2d(r) : 0.0; };
    if (mastering && mastering->has_primaries && !m.hasMasteringDisplay) {
        m.hasMasteringDisplay = true;
        for (int c = 0; c < 3; ++c)
            for (int xy = 0; xy < 2; ++xy)
                m.primariesXy[c][xy] = q(mastering->display_primaries[c][xy]);
        m.whitePointXy[0] = q(mastering->white_point[0]);
        m.whitePointXy[1] = q(mastering->white_point[1]);
        if (mastering->has_luminance) {
            m.minLuminanceNits = q(mastering->min_luminance);
            m.maxLuminanceNits = q(mastering->max_luminance);
        }
    }
    if (light && (light->MaxCLL > 0 || light->MaxFALL > 0) && !m.hasLightLevel) {
        m.hasLightLevel = true;
        m.maxCll = int(light->MaxCLL);
        m.maxFall = int(light->MaxFALL);
    }
    if (v->peakLuminanceNits <= 0)
        v->peakLuminanceNits = m.maxCll > 0 ? m.maxCll : m.maxLuminanceNits;
}

QJsonObject MediaInfo::toJson() const {
    QJsonObject root;
    root[QStringLiteral("path")] = path;
    root[QStringLiteral("container")] = container;
    root[QStringLiteral("demuxer")] = demuxer;
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
        // Colour, one block: tags as FFmpeg names them, and the HDR format in words.
        v[QStringLiteral("hdrFormat")] = video.hdrFormat;
        v[QStringLiteral("colorPrimaries")] = video.colorPrimaries;
        v[QStringLiteral("colorTransfer")] = video.colorTransfer;
        v[QStringLiteral("colorMatrix")] = video.colorMatrix;
        v[QStringLiteral("colorRange")] = video.colorRange;
        if (video.dolbyVisionProfile > 0) {
            v[QStringLiteral("dolbyVisionProfile")] = video.dolbyVisionProfile;
            v[QStringLiteral("dolbyVisionLevel")] = video.dolbyVisionLevel;
            v[QStringLiteral("dolbyVisionCompatibility")] = video.dolbyVisionCompatibility;
        }
        if (video.peakLuminanceNits > 0)
            v[QStringLiteral("peakLuminanceNits")] = video.peakLuminanceNits;
        const HdrStaticMetadata& hdr = video.hdrMetadata;
        if (hdr.hasMasteringDisplay) {
            QJsonObject md;
            const char* names[] = {"red", "green", "blue"};
            for (int c = 0; c < 3; ++c)
                md[QLatin1String(names[c])] =
                    QJsonArray{hdr.primariesXy[c][0], hdr.primariesXy[c][1]};
            md[QStringLiteral("whitePoint")] = QJsonArray{hdr.whitePointXy[0], hdr.whitePointXy[1]};
            md[QStringLiteral("minLuminanceNits")] = hdr.minLuminanceNits;
            md[QStringLiteral("maxLuminanceNits")] = hdr.maxLuminanceNits;
            v[QStringLiteral("masteringDisplay")] = md;
        }
        if (hdr.hasLightLevel) {
            v[QStringLiteral("maxCll")] = hdr.maxCll;
            v[QStringLiteral("maxFall")] = hdr.maxFall;
        }
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
    av::InputFile input;
    const Status opened = input.open(path);
    if (!opened.isOk())
        return opened;
    return probeInput(input);
}

StatusOr<MediaInfo> probeInput(av::InputFile& input, av::DecodedPrefix* keep) {
    const QString& path = input.path();
    AVFormatContext* format = input.format();
    const QFileInfo fileInfo(path);
    MediaInfo info;
    info.path = path;
    info.demuxer = QString::fromUtf8(format->iformat->name);
    info.container = containerName(format, path);
    info.sizeBytes = fileInfo.size();
    if (format->duration != AV_NOPTS_VALUE && format->duration > 0)
        info.durationSeconds = format->duration / double(AV_TIME_BASE);
    info.bitRate = format->bit_rate;

    const int videoIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
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
            describeColour(stream, &v);
        }
    }

    const int audioIndex = mainAudioStreamIndex(format);
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
        describeAudioTrack(format, audioIndex, &info.audio);
    }
    // Last: the interlace scan decodes the first frames and moves the read position.
    if (info.hasVideo) {
        const Status rewound =
            scanVideoTiming(input, info.video.streamIndex, &info.video, 60, keep);
        if (!rewound.isOk())
            return rewound;
    }

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
