#include "quality/QualityMeter.h"

#include "av/FilterGraph.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <cmath>
#include <limits>

namespace hlsforge::quality {

namespace {

// psnr's get_psnr(): 10·log10(peak² / mean MSE); identical pictures give +infinity, as there.
double psnrFromMse(double mseSum, int frames, int peak) {
    const double mse = mseSum / frames;
    if (mse <= 0)
        return std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(double(peak) * peak / mse);
}

float metadataValue(const AVFrame* frame, const char* key, bool* found) {
    const AVDictionaryEntry* e = av_dict_get(frame->metadata, key, nullptr, 0);
    if (!e) {
        *found = false;
        return 0;
    }
    return std::strtof(e->value, nullptr);
}

QJsonValue decibels(double value) {
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

double readDecibels(const QJsonValue& v) {
    return v.isDouble() ? v.toDouble() : std::numeric_limits<double>::infinity();
}

} // namespace

QJsonObject QualitySummary::psnrJson() const {
    return {{QStringLiteral("average"), decibels(psnrAverage)},
            {QStringLiteral("y"), decibels(psnrY)},
            {QStringLiteral("u"), decibels(psnrU)},
            {QStringLiteral("v"), decibels(psnrV)}};
}

QJsonObject QualitySummary::ssimJson() const {
    return {{QStringLiteral("all"), ssimAll},
            {QStringLiteral("y"), ssimY},
            {QStringLiteral("u"), ssimU},
            {QStringLiteral("v"), ssimV}};
}

QualitySummary summarize(const FrameQuality* first, const FrameQuality* last) {
    QualitySummary s;
    s.frames = int(last - first);
    if (s.frames <= 0)
        return s;
    // The filters keep running sums (psnr: of the weighted MSE and of each plane's; ssim: of
    // each frame's figures) and divide by the frame count at the end; so do we.
    double mseAverage = 0, mse[3] = {}, ssim[3] = {}, ssimAll = 0;
    for (const FrameQuality* f = first; f != last; ++f) {
        mseAverage += f->mseAverage;
        ssimAll += f->ssimAll;
        for (int c = 0; c < 3; ++c) {
            mse[c] += f->mse[c];
            ssim[c] += f->ssim[c];
        }
    }
    const int peak = first->peak;
    s.psnrAverage = psnrFromMse(mseAverage, s.frames, peak);
    s.psnrY = psnrFromMse(mse[0], s.frames, peak);
    s.psnrU = psnrFromMse(mse[1], s.frames, peak);
    s.psnrV = psnrFromMse(mse[2], s.frames, peak);
    s.ssimAll = ssimAll / s.frames;
    s.ssimY = ssim[0] / s.frames;
    s.ssimU = ssim[1] / s.frames;
    s.ssimV = ssim[2] / s.frames;
    return s;
}

std::vector<QualitySummary> summarizeRuns(const std::vector<FrameQuality>& frames,
                                          const std::vector<double>& startSeconds,
                                          double toleranceSeconds) {
    std::vector<QualitySummary> runs;
    runs.reserve(startSeconds.size());
    size_t begin = 0;
    for (size_t i = 0; i < startSeconds.size(); ++i) {
        size_t end = frames.size();
        if (i + 1 < startSeconds.size()) {
            const double next = startSeconds[i + 1] - toleranceSeconds;
            end = begin;
            while (end < frames.size() && frames[end].seconds < next)
                ++end;
        }
        runs.push_back(summarize(frames.data() + begin, frames.data() + end));
        begin = end;
    }
    return runs;
}

QualityMeter::QualityMeter(int threads, bool withSsim) : m_threads(threads), m_withSsim(withSsim) {}

QualityMeter::~QualityMeter() = default;

Status QualityMeter::add(const AVFrame* reference, const AVFrame* distorted, AVRational timeBase) {
    if (m_finished)
        return Status::error(Status::Code::Internal,
                             QStringLiteral("quality meter: a frame after the end"));
    if (reference->width != distorted->width || reference->height != distorted->height ||
        reference->format != distorted->format)
        return Status::error(
            Status::Code::Internal,
            QStringLiteral("quality meter: reference %1x%2 (%3) and distorted %4x%5 (%6) differ")
                .arg(reference->width)
                .arg(reference->height)
                .arg(
                    QString::fromUtf8(av_get_pix_fmt_name(AVPixelFormat(reference->format)) ?: "?"))
                .arg(distorted->width)
                .arg(distorted->height)
                .arg(QString::fromUtf8(av_get_pix_fmt_name(AVPixelFormat(distorted->format))
                                           ?: "?")));
    if (!m_graph) {
        m_graph = std::make_unique<av::FilterGraph>();
        m_timeBase = timeBase;
        const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(AVPixelFormat(reference->format));
        m_peak = desc ? uint16_t((1 << desc->comp[0].depth) - 1) : 255;
        // The reference goes to both filters; psnr hands its `main` frame on, metadata set,
        // as ssim's `main`, so one output frame carries both filters' figures.
        const std::string filters = m_withSsim
                                        ? "[in1]split[r0][r1];[in0][r0]psnr[p];[p][r1]ssim[out]"
                                        : "[in0][in1]psnr[out]";
        Status s = m_graph->initVideoSources({av::VideoSource{distorted, timeBase, {0, 1}},
                                              av::VideoSource{reference, timeBase, {0, 1}}},
                                             filters, m_threads);
        if (!s.isOk()) {
            m_graph.reset();
            return s;
        }
    }
    // The filters pair frames by time: both get the same pts, whatever the distorted frame
    // carried (a decoder's best-effort pts may differ by its own reckoning).
    av::FramePtr main = av::refFrame(distorted);
    if (!main)
        return Status::error(Status::Code::Internal, QStringLiteral("out of memory"));
    main->pts = reference->pts;
    // Tags only (the pixels are what they are): psnr warns on every frame whose range tag
    // differs from the reference's, and a decoder reads the range from the stream's VUI.
    main->color_range = reference->color_range;
    Status s = m_graph->push(main.get(), 0);
    if (s.isOk())
        s = m_graph->push(reference, 1);
    if (!s.isOk())
        return s;
    m_lastPts = reference->pts;
    return pullResults();
}

Status QualityMeter::finish() {
    if (m_finished || !m_graph) {
        m_finished = true;
        return Status::ok();
    }
    m_finished = true;
    Status s = m_graph->close(m_lastPts + 1);
    if (!s.isOk())
        return s;
    return pullResults();
}

Status QualityMeter::pullResults() {
    const AVRational tb = m_graph->outputTimeBase();
    return m_graph->pullEach(m_result.get(), [this, tb](AVFrame* f) {
        bool found = true;
        FrameQuality q;
        q.seconds = f->pts == AV_NOPTS_VALUE ? 0 : f->pts * av_q2d(tb);
        q.mseAverage = metadataValue(f, "lavfi.psnr.mse_avg", &found);
        q.mse[0] = metadataValue(f, "lavfi.psnr.mse.y", &found);
        q.mse[1] = metadataValue(f, "lavfi.psnr.mse.u", &found);
        q.mse[2] = metadataValue(f, "lavfi.psnr.mse.v", &found);
        if (m_withSsim) {
            q.ssim[0] = metadataValue(f, "lavfi.ssim.Y", &found);
            q.ssim[1] = metadataValue(f, "lavfi.ssim.U", &found);
            q.ssim[2] = metadataValue(f, "lavfi.ssim.V", &found);
            q.ssimAll = metadataValue(f, "lavfi.ssim.All", &found);
        }
        q.peak = m_peak;
        if (!found)
            return Status::error(
                Status::Code::Internal,
                QStringLiteral("quality meter: a frame without psnr/ssim figures"));
        m_frames.push_back(q);
        return Status::ok();
    });
}

QJsonObject RenditionQuality::toJson() const {
    QJsonArray segs;
    for (const SegmentQuality& s : segments)
        segs.append(QJsonObject{{QStringLiteral("start"), s.startSeconds},
                                {QStringLiteral("duration"), s.durationSeconds},
                                {QStringLiteral("frames"), s.quality.frames},
                                {QStringLiteral("psnr"), decibels(s.quality.psnrAverage)},
                                {QStringLiteral("ssim"), s.quality.ssimAll}});
    return {{QStringLiteral("name"), name},
            {QStringLiteral("width"), width},
            {QStringLiteral("height"), height},
            {QStringLiteral("frames"), overall.frames},
            {QStringLiteral("psnr"), overall.psnrJson()},
            {QStringLiteral("ssim"), overall.ssimJson()},
            {QStringLiteral("segments"), segs}};
}

StatusOr<RenditionQuality> RenditionQuality::fromJson(const QJsonObject& json) {
    RenditionQuality r;
    r.name = json.value(QStringLiteral("name")).toString();
    if (r.name.isEmpty() || !json.value(QStringLiteral("psnr")).isObject() ||
        !json.value(QStringLiteral("ssim")).isObject())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("a rendition without name, psnr or ssim"));
    r.width = json.value(QStringLiteral("width")).toInt();
    r.height = json.value(QStringLiteral("height")).toInt();
    r.overall.frames = json.value(QStringLiteral("frames")).toInt();
    const QJsonObject psnr = json.value(QStringLiteral("psnr")).toObject();
    r.overall.psnrAverage = readDecibels(psnr.value(QStringLiteral("average")));
    r.overall.psnrY = readDecibels(psnr.value(QStringLiteral("y")));
    r.overall.psnrU = readDecibels(psnr.value(QStringLiteral("u")));
    r.overall.psnrV = readDecibels(psnr.value(QStringLiteral("v")));
    const QJsonObject ssim = json.value(QStringLiteral("ssim")).toObject();
    r.overall.ssimAll = ssim.value(QStringLiteral("all")).toDouble();
    r.overall.ssimY = ssim.value(QStringLiteral("y")).toDouble();
    r.overall.ssimU = ssim.value(QStringLiteral("u")).toDouble();
    r.overall.ssimV = ssim.value(QStringLiteral("v")).toDouble();
    for (const QJsonValue& v : json.value(QStringLiteral("segments")).toArray()) {
        const QJsonObject o = v.toObject();
        SegmentQuality s;
        s.startSeconds = o.value(QStringLiteral("start")).toDouble();
        s.durationSeconds = o.value(QStringLiteral("duration")).toDouble();
        s.quality.frames = o.value(QStringLiteral("frames")).toInt();
        s.quality.psnrAverage = readDecibels(o.value(QStringLiteral("psnr")));
        s.quality.ssimAll = o.value(QStringLiteral("ssim")).toDouble();
        r.segments.append(s);
    }
    return r;
}

QJsonObject qualityReportJson(const QVector<RenditionQuality>& renditions) {
    QJsonArray list;
    for (const RenditionQuality& r : renditions)
        list.append(r.toJson());
    return {{QStringLiteral("renditions"), list}};
}

StatusOr<QVector<RenditionQuality>> loadQualityReport(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: cannot read (%2)").arg(path, file.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (!doc.isObject() || !doc.object().value(QStringLiteral("renditions")).isArray())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: not a quality report (%2)")
                                 .arg(path, error.error == QJsonParseError::NoError
                                                ? QStringLiteral("no \"renditions\" list")
                                                : error.errorString()));
    QVector<RenditionQuality> renditions;
    for (const QJsonValue& v : doc.object().value(QStringLiteral("renditions")).toArray()) {
        StatusOr<RenditionQuality> r = RenditionQuality::fromJson(v.toObject());
        if (!r.isOk())
            return Status::error(Status::Code::InvalidInput,
                                 QStringLiteral("%1: %2").arg(path, r.status().message()));
        renditions.append(r.value());
    }
    return renditions;
}

} // namespace hlsforge::quality
