#pragma once
// ProbeJob: what a file holds (probeInput + checkTranscodable) and, when asked, a
// representative thumbnail read from the same open input, as a Job. The thumbnail is optional
// extra: a file that probes well but yields no picture still succeeds (thumbnail() is then empty).

#include "job/Job.h"
#include "probe/MediaProbe.h"
#include "probe/Thumbnail.h"

namespace hlsforge {

class ProbeJob final : public Job {
    Q_OBJECT
public:
    // thumbnailHeightPx 0: no thumbnail.
    explicit ProbeJob(QString path, int thumbnailHeightPx = 0, QObject* parent = nullptr);
    ~ProbeJob() override;

    // Before start(): false reports any readable media file (`hlsforge-cli probe` shows what
    // an audio-only file holds); true (the default) also fails what cannot be transcoded.
    void setRequireVideo(bool require) { m_requireVideo = require; }

    const QString& path() const { return m_path; }
    // The media facts (or the reason the file is not usable): valid once hasMedia(), which
    // turns true mid-run, before the thumbnail is made, so a list can fill its columns early.
    bool hasMedia() const { return m_hasMedia.load(); }
    StatusOr<MediaInfo> media() const;
    RgbImage thumbnail() const;

    QString title() const override;
    QJsonObject resultJson() const override;

protected:
    Status run(const CancelToken& cancel, ProgressSink& progress) override;

private:
    const QString m_path;
    const int m_thumbnailHeightPx;
    bool m_requireVideo = true;       // set before start(), read by run()
    mutable std::mutex m_resultMutex; // run() writes, readers copy
    StatusOr<MediaInfo> m_media{Status::cancelled()};
    RgbImage m_thumbnail;
    std::atomic<bool> m_hasMedia{false};
};

} // namespace hlsforge
