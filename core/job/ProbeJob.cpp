#include "job/ProbeJob.h"

#include "av/InputFile.h"

#include <QFileInfo>

namespace hlsforge {

ProbeJob::ProbeJob(QString path, int thumbnailHeightPx, QObject* parent)
    : Job(parent), m_path(std::move(path)), m_thumbnailHeightPx(thumbnailHeightPx) {}

ProbeJob::~ProbeJob() {
    waitForWorker();
}

StatusOr<MediaInfo> ProbeJob::media() const {
    std::lock_guard lock(m_resultMutex);
    return m_media;
}

RgbImage ProbeJob::thumbnail() const {
    std::lock_guard lock(m_resultMutex);
    return m_thumbnail;
}

QString ProbeJob::title() const {
    return QFileInfo(m_path).fileName();
}

QJsonObject ProbeJob::resultJson() const {
    QJsonObject o = Job::resultJson();
    o[QStringLiteral("input")] = m_path;
    return o;
}

Status ProbeJob::run(const CancelToken& cancel, ProgressSink& progress) {
    JobProgress p;
    p.phase = JobPhase::Probing;
    p.text = QStringLiteral("probing");
    progress.report(p);
    // Probing has no cancel points of its own (a few hundred ms at most); checked between
    // the steps instead. The thumbnail is read from the same open input.
    av::InputFile input;
    const Status opened = input.open(m_path);
    StatusOr<MediaInfo> info = opened.isOk() ? probeInput(input) : StatusOr<MediaInfo>(opened);
    if (info.isOk() && m_requireVideo) {
        const Status usable = checkTranscodable(info.value());
        if (!usable.isOk())
            info = usable;
    }
    {
        std::lock_guard lock(m_resultMutex);
        m_media = info;
    }
    m_hasMedia = true;
    if (!info.isOk())
        return info.status();
    if (cancel.isCancelled())
        return Status::cancelled();
    if (m_thumbnailHeightPx > 0) {
        p.fraction = 0.5;
        p.text = QStringLiteral("thumbnail");
        progress.report(p); // hasMedia() is true from here: the facts can be shown
        StatusOr<RgbImage> image = extractThumbnail(input, info.value(), m_thumbnailHeightPx);
        if (image.isOk()) {
            std::lock_guard lock(m_resultMutex);
            m_thumbnail = image.value();
        }
    }
    return cancel.isCancelled() ? Status::cancelled() : Status::ok();
}

} // namespace hlsforge
