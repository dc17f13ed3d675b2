#include "QueueController.h"

#include "check/CheckJob.h"

#include "util/OutputNaming.h"

#include "job/ProbeJob.h"
#include "job/TranscodeJob.h"
#include "playlist/MasterPlaylist.h"
#include "playlist/MediaPlaylist.h"
#include "probe/Thumbnail.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>

#include <algorithm>

namespace hlsforge::gui {

namespace {

constexpr int kThumbnailHeightPx = 48; // logical pixels in the queue's first column
constexpr int kFolderScanPriority = 3;
constexpr int kMaxProbeJobs = 2; // ProbeJobs at once (each has its own thread)

QString absolute(const QString& path) {
    return QFileInfo(path).absoluteFilePath();
}

} // namespace

QueueController::QueueController(QueueModel* model, QObject* parent)
    : QObject(parent), m_model(model) {
    qRegisterMetaType<hlsforge::TranscodeProgress>();
    qRegisterMetaType<hlsforge::TranscodeResult>();
    // Folder scans only: probes and thumbnails are ProbeJobs (startProbes).
    m_pool.setMaxThreadCount(std::clamp(QThread::idealThreadCount(), 1, 2));
}

QueueController::~QueueController() {
    m_pool.clear();
    m_pool.waitForDone();
    m_probeQueue.clear();
    // A ProbeJob's destructor cancels it and joins its thread.
    for (const QPointer<Job>& job : std::as_const(m_probes))
        delete job.data();
    m_probes.clear();
    for (const QPointer<Job>& job : std::as_const(m_jobs)) {
        if (job)
            job->cancel();
    }
    // A Job's destructor joins its thread; the staged output is discarded by core.
    for (const QPointer<Job>& job : std::as_const(m_jobs))
        delete job.data();
    m_jobs.clear();
}

QStringList QueueController::videoExtensions() {
    // What cameras, phones, screen recorders and older tools write: AVCHD (.mts/.m2ts),
    // DV/MPEG-2 (.mpg, .vob, .dv), Windows (.avi, .wmv, .asf), Flash (.flv), phones (.3gp).
    return {QStringLiteral("mp4"),  QStringLiteral("mov"),  QStringLiteral("mkv"),
            QStringLiteral("m4v"),  QStringLiteral("webm"), QStringLiteral("mts"),
            QStringLiteral("m2ts"), QStringLiteral("ts"),   QStringLiteral("avi"),
            QStringLiteral("mpg"),  QStringLiteral("mpeg"), QStringLiteral("m2v"),
            QStringLiteral("vob"),  QStringLiteral("wmv"),  QStringLiteral("asf"),
            QStringLiteral("flv"),  QStringLiteral("f4v"),  QStringLiteral("3gp"),
            QStringLiteral("3g2"),  QStringLiteral("mxf"),  QStringLiteral("dv"),
            QStringLiteral("ogv"),  QStringLiteral("qt"),   QStringLiteral("divx"),
            QStringLiteral("y4m"),  QStringLiteral("nut")};
}

bool QueueController::isLadderFolder(const QString& folder) {
    return QFileInfo(QDir(folder).filePath(QStringLiteral("master.m3u8"))).isFile();
}

namespace {

// Why a file in a scanned folder is left out without probing it; empty: look inside.
// FFmpeg opens pictures as one-frame "video", so they are named here rather than probed.
QString skipReasonByName(const QFileInfo& file) {
    static const QStringList pictures = {
        QStringLiteral("jpg"),  QStringLiteral("jpeg"), QStringLiteral("png"),
        QStringLiteral("gif"),  QStringLiteral("heic"), QStringLiteral("heif"),
        QStringLiteral("webp"), QStringLiteral("tif"),  QStringLiteral("tiff"),
        QStringLiteral("bmp"),  QStringLiteral("dng"),  QStringLiteral("cr2"),
        QStringLiteral("cr3"),  QStringLiteral("nef"),  QStringLiteral("arw"),
        QStringLiteral("raf"),  QStringLiteral("thm"),  QStringLiteral("svg")};
    static const QStringList sounds = {QStringLiteral("mp3"),  QStringLiteral("wav"),
                                       QStringLiteral("m4a"),  QStringLiteral("aac"),
                                       QStringLiteral("flac"), QStringLiteral("ogg"),
                                       QStringLiteral("opus"), QStringLiteral("aif"),
                                       QStringLiteral("aiff"), QStringLiteral("wma")};
    static const QStringList documents = {
        QStringLiteral("txt"), QStringLiteral("md"),   QStringLiteral("pdf"),
        QStringLiteral("doc"), QStringLiteral("docx"), QStringLiteral("json"),
        QStringLiteral("xml"), QStringLiteral("srt"),  QStringLiteral("vtt"),
        QStringLiteral("csv"), QStringLiteral("log"),  QStringLiteral("html"),
        QStringLiteral("htm"), QStringLiteral("m3u8"), QStringLiteral("xmp"),
        QStringLiteral("ini"), QStringLiteral("db"),   QStringLiteral("zip"),
        QStringLiteral("lnk"), QStringLiteral("url"),  QStringLiteral("ds_store")};
    const QString suffix = file.suffix().toLower();
    if (pictures.contains(suffix))
        return QObject::tr("a picture, not a video");
    if (sounds.contains(suffix))
        return QObject::tr("a sound file, no picture");
    if (documents.contains(suffix))
        return QObject::tr("not a video file (.%1)").arg(suffix);
    if (suffix == QLatin1String("lrv"))
        return QObject::tr("a camera's low-resolution proxy of another clip");
    return {};
}

} // namespace

void QueueController::runInBackground(std::function<void()> task, int priority) {
    ++m_pendingTasks;
    m_pool.start(
        [this, task = std::move(task)] {
            task();
            // Posted after the task's own result, so the count drops once that is applied.
            QMetaObject::invokeMethod(
                this,
                [this] {
                    --m_pendingTasks;
                    emit activityChanged();
                },
                Qt::QueuedConnection);
        },
        priority);
}

void QueueController::addPaths(const QStringList& paths) {
    QStringList folders;
    for (const QString& path : paths) {
        if (QFileInfo(path).isDir()) {
            if (isLadderFolder(path)) {
                const Status opened = openLadder(path);
                if (!opened.isOk())
                    emit message(opened.message());
            } else {
                folders << absolute(path);
            }
        } else {
            addFile(path);
        }
    }
    if (folders.isEmpty())
        return;
    // A folder tree can be large or slow (network mounts): walk it off the UI thread.
    runInBackground(
        [this, folders] {
            const QStringList extensions = videoExtensions();
            QStringList found;
            QList<SkippedFile> skipped;
            for (const QString& folder : folders) {
                QStringList inFolder;
                // Finished ladders inside (ours, not inputs) are reported once and never
                // looked into: their segments are not clips. One check per folder.
                QHash<QString, bool> ladderFolders;
                QSet<QString> reportedLadders;
                auto ladderRootOf = [&](QString dir) -> QString {
                    while (dir.size() >= folder.size()) {
                        auto known = ladderFolders.constFind(dir);
                        const bool ladder = known != ladderFolders.cend()
                                                ? *known
                                                : *ladderFolders.insert(dir, isLadderFolder(dir));
                        if (ladder)
                            return dir;
                        if (dir == folder)
                            break;
                        dir = QFileInfo(dir).path();
                    }
                    return {};
                };
                QDirIterator it(folder, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
                while (it.hasNext()) {
                    const QString file = it.next();
                    const QFileInfo info(file);
                    const QString ladder = ladderRootOf(info.absolutePath());
                    if (!ladder.isEmpty()) {
                        if (!reportedLadders.contains(ladder)) {
                            reportedLadders.insert(ladder);
                            skipped.append(
                                {ladder, tr("a finished ladder; File > Open ladder… opens it")});
                        }
                        continue;
                    }
                    if (extensions.contains(info.suffix().toLower())) {
                        inFolder << file;
                        continue;
                    }
                    const QString byName = skipReasonByName(info);
                    if (!byName.isEmpty()) {
                        skipped.append({file, byName});
                        continue;
                    }
                    // An unknown name: let FFmpeg look inside (reads the header only).
                    StatusOr<MediaInfo> media = probeFile(file);
                    if (media.isOk() && media->hasVideo)
                        inFolder << file;
                    else if (media.isOk())
                        skipped.append({file, tr("no video stream")});
                    else
                        skipped.append({file, tr("not a video FFmpeg can read")});
                }
                std::sort(inFolder.begin(), inFolder.end());
                found += inFolder;
            }
            QMetaObject::invokeMethod(
                this,
                [this, found, folders, skipped] {
                    if (found.isEmpty())
                        emit message(
                            tr("No video files in %1").arg(folders.join(QStringLiteral(", "))));
                    for (const QString& file : found)
                        addFile(file);
                    if (!skipped.isEmpty())
                        emit filesSkipped(folders, skipped);
                },
                Qt::QueuedConnection);
        },
        kFolderScanPriority);
}

Status QueueController::openLadder(const QString& folder) {
    const QString dir = QDir::cleanPath(absolute(folder));
    const QString master = QDir(dir).filePath(QStringLiteral("master.m3u8"));
    if (!QFileInfo(master).isFile())
        return Status::error(Status::Code::InvalidArgument,
                             tr("%1: not a ladder folder (no master.m3u8 in it)")
                                 .arg(QDir::toNativeSeparators(dir)));
    StatusOr<MasterPlaylist> playlist = MasterPlaylist::load(master);
    if (!playlist.isOk())
        return Status::error(Status::Code::InvalidArgument,
                             tr("%1: the master playlist cannot be read: %2")
                                 .arg(QDir::toNativeSeparators(dir), playlist.status().message()));
    if (playlist->variants.isEmpty())
        return Status::error(
            Status::Code::InvalidArgument,
            tr("%1: the master playlist lists no renditions").arg(QDir::toNativeSeparators(dir)));
    for (const QueueItem& existing : m_model->items()) {
        if (existing.openedLadder && existing.outputDir == dir) {
            emit message(tr("Already in the queue: %1").arg(QDir::toNativeSeparators(dir)));
            return Status::ok();
        }
    }
    QueueItem item;
    item.inputPath = dir;
    item.outputDir = dir;
    item.openedLadder = true;
    item.state = JobState::Done;
    item.progress.fraction = 1;
    const VariantStream& top = playlist->variants.first();
    item.media.path = master;
    item.media.hasVideo = top.width > 0;
    item.media.video.displayWidth = top.width;
    item.media.video.displayHeight = top.height;
    for (const VariantStream& variant : playlist->variants) {
        const QString rung = variant.uri.section(QLatin1Char('/'), 0, 0);
        item.openedRungs << (variant.uri.contains(QLatin1Char('/')) ? rung : variant.uri);
    }
    // The duration comes from the first rendition's playlist; a missing one only blanks it.
    StatusOr<MediaPlaylist> media =
        MediaPlaylist::load(QDir(dir).filePath(playlist->variants.first().uri));
    if (media.isOk())
        item.media.durationSeconds = media->totalSeconds();
    item.probed = media.isOk() && item.media.hasVideo;
    const QString poster = QDir(dir).filePath(QStringLiteral("poster.jpg"));
    if (QFileInfo::exists(poster)) {
        const qreal pixelRatio = qApp ? qApp->devicePixelRatio() : 1.0;
        QImage image(poster);
        if (!image.isNull()) {
            QPixmap pixmap = QPixmap::fromImage(image.scaledToHeight(
                int(kThumbnailHeightPx * pixelRatio), Qt::SmoothTransformation));
            pixmap.setDevicePixelRatio(pixelRatio);
            item.thumbnail = pixmap;
        }
    }
    item.addLog(
        tr("Opened the finished ladder %1 (%n renditions)", nullptr, int(playlist->variants.size()))
            .arg(QDir::toNativeSeparators(dir)));
    m_model->append(std::move(item));
    emit activityChanged();
    return Status::ok();
}

void QueueController::addFile(const QString& path) {
    const QString input = absolute(path);
    for (const QueueItem& existing : m_model->items()) {
        if (existing.inputPath == input) {
            emit message(tr("Already in the queue: %1").arg(QFileInfo(input).fileName()));
            return;
        }
    }
    QueueItem item;
    item.inputPath = input;
    item.state = JobState::Probing;
    item.outputDir = m_outputRoot.isEmpty()
                         ? QString()
                         : uniqueOutputDir(m_outputRoot, input, reservedOutputs(0));
    item.addLog(tr("Added %1").arg(input));
    const quint64 id = m_model->append(std::move(item));
    probe(id, input);
    emit activityChanged();
}

void QueueController::probe(quint64 id, const QString& path) {
    ++m_pendingTasks;
    m_probeQueue.append({id, path});
    startProbes();
}

void QueueController::startProbes() {
    // Probing is mostly waiting on the disk and thumbnails decode a few frames: a couple at
    // once keeps the machine responsive while transcodes encode.
    while (m_probes.size() < kMaxProbeJobs && !m_probeQueue.isEmpty()) {
        const auto [id, path] = m_probeQueue.takeFirst();
        const qreal pixelRatio = qApp ? qApp->devicePixelRatio() : 1.0;
        auto* job = new ProbeJob(path, int(kThumbnailHeightPx * pixelRatio), this);
        m_probes.insert(id, job);
        // The Job contract again: progressChanged() says the facts exist (the row fills
        // before the thumbnail is made), finished() comes once with the thumbnail.
        connect(job, &Job::progressChanged, this, [this, id, job] {
            if (job->hasMedia() && !m_probesShown.contains(id)) {
                m_probesShown.insert(id);
                onProbed(id, job->media());
            }
        });
        connect(job, &Job::finished, this, [this, id, job] {
            m_probes.remove(id);
            if (job->hasMedia() && !m_probesShown.contains(id))
                onProbed(id, job->media());
            m_probesShown.remove(id);
            const RgbImage rgb = job->thumbnail();
            if (rgb.width > 0)
                onThumbnail(id, QImage(reinterpret_cast<const uchar*>(rgb.rgb24.constData()),
                                       rgb.width, rgb.height, rgb.bytesPerLine,
                                       QImage::Format_RGB888)
                                    .copy()); // detach from the bytes that die with `rgb`
            job->deleteLater();
            --m_pendingTasks;
            emit activityChanged();
            startProbes();
        });
        job->start();
    }
}

void QueueController::onProbed(quint64 id, const StatusOr<MediaInfo>& info) {
    if (!m_model->find(id))
        return; // removed while probing
    m_model->update(id, [&](QueueItem& item) {
        if (info.isOk()) {
            item.media = info.value();
            item.probed = true;
            item.state = JobState::Ready;
            item.error.clear();
            item.errorDetail.clear();
            item.addLog(tr("Probed: %1×%2, %3 s, %4")
                            .arg(item.media.video.displayWidth)
                            .arg(item.media.video.displayHeight)
                            .arg(item.media.durationSeconds, 0, 'f', 2)
                            .arg(item.media.hasAudio ? tr("with audio") : tr("no audio")));
        } else {
            item.probed = false;
            item.state = JobState::Invalid;
            item.error = info.status().message();
            item.errorDetail = info.status().detail();
            item.outputDir.clear();
            item.addLog(tr("Not usable: %1").arg(item.error));
            if (!item.errorDetail.isEmpty())
                item.addLog(tr("Detail: %1").arg(item.errorDetail));
        }
    });
    if (!info.isOk()) {
        emit activityChanged();
        return;
    }
    if (m_autoStart) {
        const Status started = start({id});
        if (!started.isOk())
            emit message(started.message());
    }
    emit activityChanged();
}

void QueueController::onThumbnail(quint64 id, const QImage& image) {
    if (image.isNull() || !m_model->find(id))
        return; // the placeholder icon stays; a missing thumbnail is not worth a warning
    const qreal pixelRatio = qApp ? qApp->devicePixelRatio() : 1.0;
    QPixmap pixmap = QPixmap::fromImage(image);
    pixmap.setDevicePixelRatio(pixelRatio);
    m_model->update(id, [&](QueueItem& item) { item.thumbnail = pixmap; });
}

void QueueController::setOutputRoot(const QString& folder) {
    m_outputRoot = folder.isEmpty() ? QString() : QDir::cleanPath(absolute(folder));
    replanOutputs();
}

void QueueController::setConcurrency(int jobs) {
    m_concurrency = std::clamp(jobs, 1, 16);
    schedule();
}

void QueueController::setGlobalLadder(const Ladder& ladder, const QString& name) {
    m_model->setGlobalLadder(ladder, name);
}

void QueueController::setLadderOverride(quint64 id, const std::optional<Ladder>& ladder) {
    m_model->update(id, [&](QueueItem& item) {
        item.ladderOverride = ladder;
        item.addLog(
            ladder ? tr("Uses its own ladder (%n rungs)", nullptr, int(ladder->renditions.size()))
                   : tr("Uses the editor's ladder again"));
    });
}

void QueueController::setSubtitleFiles(quint64 id, const QVector<subtitles::SubtitleInput>& files) {
    m_model->update(id, [&](QueueItem& item) {
        if (item.subtitleFiles == files)
            return;
        item.subtitleFiles = files;
        QStringList names;
        for (const subtitles::SubtitleInput& f : files)
            names << QStringLiteral("%1 (%2%3)")
                         .arg(QFileInfo(f.path).fileName(),
                              f.languageCode.isEmpty() ? QStringLiteral("und") : f.languageCode,
                              f.forced ? QStringLiteral(", forced") : QString());
        item.addLog(names.isEmpty()
                        ? tr("Subtitle files: none added")
                        : tr("Subtitle files: %1").arg(names.join(QStringLiteral(", "))));
    });
}

QSet<QString> QueueController::reservedOutputs(quint64 exceptId) const {
    QSet<QString> reserved;
    for (const QueueItem& item : m_model->items()) {
        if (item.id != exceptId && !item.outputDir.isEmpty())
            reserved.insert(item.outputDir);
        if (!item.earlierOutputDir.isEmpty())
            reserved.insert(item.earlierOutputDir);
    }
    return reserved;
}

void QueueController::replanOutputs() {
    // Running and finished items keep their folder; everything else is planned again in
    // row order, so the first "clip.mp4" gets "clip/" and the second "clip (2)/".
    // Queued items are still plans: nothing of theirs is on disk yet.
    auto settled = [](JobState state) {
        return state == JobState::Running || state == JobState::Cancelling ||
               state == JobState::Done;
    };
    QSet<QString> reserved;
    for (const QueueItem& item : m_model->items()) {
        if ((settled(item.state) || item.openedLadder) && !item.outputDir.isEmpty())
            reserved.insert(item.outputDir);
        if (!item.earlierOutputDir.isEmpty())
            reserved.insert(item.earlierOutputDir);
    }
    const QVector<QueueItem> items = m_model->items();
    for (const QueueItem& item : items) {
        if (settled(item.state) || item.openedLadder)
            continue;
        QString planned;
        if (item.state != JobState::Invalid && !m_outputRoot.isEmpty()) {
            planned = uniqueOutputDir(m_outputRoot, item.inputPath, reserved);
            reserved.insert(planned);
        }
        if (planned != item.outputDir)
            m_model->update(item.id, [&](QueueItem& it) { it.outputDir = planned; });
    }
}

Status QueueController::start(const QList<quint64>& ids) {
    if (m_outputRoot.isEmpty())
        return Status::error(Status::Code::InvalidArgument,
                             tr("Choose an output folder first (File > Choose output folder…)."));
    // Check every ladder before queueing anything: a refused start changes nothing.
    QList<quint64> toStart;
    QList<quint64> toProbe;
    for (quint64 id : ids) {
        const QueueItem* item = m_model->find(id);
        if (!item)
            continue;
        if (item->state == JobState::Invalid) {
            toProbe << id;
            continue;
        }
        if (!isStartable(*item))
            continue;
        const Status valid = m_model->ladderFor(*item).validate();
        if (!valid.isOk())
            return Status::error(
                Status::Code::InvalidArgument,
                item->ladderOverride
                    ? tr("%1 has its own ladder, and it is not valid: %2")
                          .arg(QFileInfo(item->inputPath).fileName(), valid.message())
                    : tr("The ladder is not valid: %1").arg(valid.message()));
        toStart << id;
    }
    for (quint64 id : toProbe) {
        m_model->update(id, [&](QueueItem& item) {
            item.state = JobState::Probing;
            item.error.clear();
            item.errorDetail.clear();
            item.addLog(tr("Probing again"));
        });
        probe(id, m_model->find(id)->inputPath);
    }
    if (activeCount() == 0) {
        m_batch.clear();
        m_batchOutcomes.clear();
    }
    for (quint64 id : toStart) {
        m_model->update(id, [&](QueueItem& item) {
            if (item.state == JobState::Done) {
                // A second run goes next to the first, never over it, and the first stays
                // reachable until the second one has succeeded.
                item.earlierOutputDir = item.outputDir;
                item.earlierResult = item.result;
                item.outputDir.clear();
                item.addLog(tr("Encoding again; the earlier ladder stays in %1")
                                .arg(item.earlierOutputDir));
            }
            item.state = JobState::Queued;
            item.progress = TranscodeProgress{};
            item.result.reset();
            item.error.clear();
            item.errorDetail.clear();
            item.addLog(tr("Queued"));
        });
        m_batch.insert(id);
    }
    replanOutputs();
    schedule();
    emit activityChanged();
    return Status::ok();
}

Status QueueController::startAll() {
    QList<quint64> ids;
    for (const QueueItem& item : m_model->items()) {
        if (item.state == JobState::Ready || item.state == JobState::Failed ||
            item.state == JobState::Cancelled)
            ids << item.id;
    }
    if (ids.isEmpty())
        return Status::ok();
    return start(ids);
}

void QueueController::cancel(const QList<quint64>& ids) {
    for (quint64 id : ids) {
        const QueueItem* item = m_model->find(id);
        if (!item)
            continue;
        if (item->state == JobState::Queued) {
            m_model->update(id, [&](QueueItem& it) {
                it.addLog(tr("Taken off the queue before it started"));
                if (!restoreEarlierResult(it))
                    it.state = JobState::Ready;
            });
            m_batch.remove(id);
        } else if (item->state == JobState::Running) {
            if (Job* job = m_jobs.value(id))
                job->cancel(); // non-blocking; finished() follows within about a second
            m_model->update(id, [&](QueueItem& it) {
                it.state = JobState::Cancelling;
                it.addLog(tr("Cancel requested"));
            });
        }
    }
    replanOutputs();
    emit activityChanged();
}

void QueueController::cancelAll() {
    QList<quint64> ids;
    for (const QueueItem& item : m_model->items())
        ids << item.id;
    cancel(ids);
}

void QueueController::remove(const QList<quint64>& ids) {
    for (quint64 id : ids) {
        if (Job* job = m_jobs.value(id))
            job->cancel(); // onFinished deletes it once its thread is done
        if (Job* probe = m_probes.value(id))
            probe->cancel(); // its finished() finds no row and only cleans up
        const qsizetype waiting = m_probeQueue.size();
        m_probeQueue.erase(std::remove_if(m_probeQueue.begin(), m_probeQueue.end(),
                                          [id](const auto& entry) { return entry.first == id; }),
                           m_probeQueue.end());
        m_pendingTasks -= int(waiting - m_probeQueue.size());
        m_batch.remove(id);
        m_model->removeById(id);
    }
    replanOutputs();
    schedule();
    emit activityChanged();
}

int QueueController::runningCount() const {
    int running = 0;
    for (const QueueItem& item : m_model->items())
        running += (item.state == JobState::Running || item.state == JobState::Cancelling) ? 1 : 0;
    return running;
}

int QueueController::activeCount() const {
    int active = 0;
    for (const QueueItem& item : m_model->items())
        active += isActive(item.state) ? 1 : 0;
    return active;
}

double QueueController::overallFraction() const {
    // Files asked to encode: finished ones count whole, running ones by their fraction.
    // Files done in an earlier batch count too, so "2 of 3 done" never reads as 20 %.
    double sum = 0;
    int count = 0;
    for (const QueueItem& item : m_model->items()) {
        if (item.openedLadder)
            continue;
        if (item.state == JobState::Done) {
            sum += 1.0;
            ++count;
        } else if (isActive(item.state)) {
            sum += std::clamp(item.progress.fraction, 0.0, 1.0);
            ++count;
        }
    }
    return count == 0 ? 0 : sum / count;
}

void QueueController::schedule() {
    int running = int(m_jobs.size());
    for (const QueueItem& item : m_model->items()) {
        if (running >= m_concurrency)
            break;
        if (item.state == JobState::Queued) {
            startJob(item.id);
            ++running;
        }
    }
}

void QueueController::startJob(quint64 id) {
    const QueueItem* item = m_model->find(id);
    if (!item)
        return;
    QString outputDir = item->outputDir;
    // Planned earlier; something may have appeared there since (another program, a rerun).
    if (outputDir.isEmpty() || QFileInfo::exists(outputDir))
        outputDir = uniqueOutputDir(m_outputRoot, item->inputPath, reservedOutputs(id));
    if (!QDir().mkpath(m_outputRoot)) {
        m_model->update(id, [&](QueueItem& it) {
            it.state = JobState::Failed;
            it.error = tr("Cannot create the output folder %1").arg(m_outputRoot);
            it.addLog(it.error);
        });
        m_batch.remove(id);
        emit itemFinished(id, JobState::Failed);
        return;
    }
    TranscodeRequest request;
    request.inputPath = item->inputPath;
    request.outputDir = outputDir;
    request.ladder = m_model->ladderFor(*item);
    request.replaceExisting = false; // the GUI never overwrites; it picks a new name instead
    request.subtitleFiles = item->subtitleFiles;

    // Driven through the Job contract: progressChanged() says the snapshot moved, finished()
    // comes once; the typed detail and result are read from the job itself.
    auto* job = new TranscodeJob(request, this);
    connect(job, &Job::progressChanged, this,
            [this, id, job] { onProgress(id, job->transcodeProgress()); });
    connect(job, &Job::finished, this, [this, id, job] { onFinished(id, job->result()); });
    m_jobs.insert(id, job);
    m_model->update(id, [&](QueueItem& it) {
        it.state = JobState::Running;
        it.outputDir = outputDir;
        it.progress = TranscodeProgress{};
        it.progress.stage = QStringLiteral("starting");
        it.addLog(tr("Started: %n rungs, %1 segments of %2 s, x264 %3 → %4", nullptr,
                     int(request.ladder.renditions.size()))
                      .arg(segmentFormatName(request.ladder.segmentFormat))
                      .arg(request.ladder.segmentSeconds)
                      .arg(request.ladder.x264Preset, outputDir));
    });
    job->start();
}

void QueueController::onProgress(quint64 id, const TranscodeProgress& progress) {
    m_model->update(id, [&](QueueItem& item) {
        if (item.state == JobState::Running || item.state == JobState::Cancelling)
            item.progress = progress;
    });
    emit activityChanged();
}

void QueueController::onFinished(quint64 id, const TranscodeResult& result) {
    if (Job* job = m_jobs.take(id))
        job->deleteLater();
    JobState state = JobState::Failed;
    if (result.status.isOk())
        state = JobState::Done;
    else if (result.status.isCancelled())
        state = JobState::Cancelled;
    m_model->update(id, [&](QueueItem& item) {
        item.state = state;
        item.result = result;
        for (const QString& warning : result.warnings)
            item.addLog(tr("Warning: %1").arg(warning));
        if (state == JobState::Done) {
            item.progress.fraction = 1;
            item.progress.stage = QStringLiteral("done");
            item.error.clear();
            item.addLog(tr("Done in %1 s: %n renditions, master playlist %2", nullptr,
                           int(result.renditions.size()))
                            .arg(result.elapsedSeconds, 0, 'f', 1)
                            .arg(result.masterPlaylist));
            if (!item.earlierOutputDir.isEmpty())
                item.addLog(tr("The earlier ladder is still in %1").arg(item.earlierOutputDir));
            item.earlierOutputDir.clear();
            item.earlierResult.reset();
        } else if (state == JobState::Cancelled) {
            item.error.clear();
            item.addLog(tr("Cancelled; nothing was written to %1").arg(item.outputDir));
            restoreEarlierResult(item);
        } else {
            item.error = result.status.message();
            item.errorDetail = result.status.detail();
            item.addLog(tr("Failed: %1").arg(item.error));
            if (!item.errorDetail.isEmpty())
                item.addLog(tr("Detail: %1").arg(item.errorDetail));
        }
    });
    if (state == JobState::Done)
        startCheck(id, result.outputDir);
    if (m_batch.contains(id))
        m_batchOutcomes.insert(id, state);
    if (m_model->find(id))
        emit itemFinished(id, state);
    replanOutputs();
    schedule();
    emit activityChanged();
    if (activeCount() == 0 && !m_batchOutcomes.isEmpty()) {
        int done = 0, failed = 0, cancelled = 0;
        for (JobState outcome : std::as_const(m_batchOutcomes)) {
            done += outcome == JobState::Done ? 1 : 0;
            failed += outcome == JobState::Failed ? 1 : 0;
            cancelled += outcome == JobState::Cancelled ? 1 : 0;
        }
        m_batchOutcomes.clear();
        emit batchFinished(done, failed, cancelled);
    }
}

void QueueController::startCheck(quint64 id, const QString& ladderDir) {
    // Reads packet headers only (about a second per minute of a 3-rung ladder), beside the
    // next encode; the result goes to the details and the log, never into the row's state.
    auto* job = new check::CheckJob(ladderDir, this);
    m_model->update(id, [](QueueItem& item) { item.checkSummary = tr("checking…"); });
    connect(job, &Job::finished, this, [this, id, job] {
        job->deleteLater();
        const Status status = job->status();
        m_model->update(id, [&](QueueItem& item) {
            if (!status.isOk()) {
                item.checkSummary = status.isCancelled() ? QString() : status.message();
                return;
            }
            const check::CheckReport report = job->report();
            const int must = report.count(check::Severity::Must);
            const int should = report.count(check::Severity::Should);
            if (must == 0 && should == 0) {
                item.checkSummary = tr("No findings: every rule checked passes.");
                item.addLog(tr("Check: no findings"));
                return;
            }
            item.checkSummary = tr("%1 must-fix, %2 should-fix finding(s); Queue > Check ladder… "
                                   "shows them.")
                                    .arg(must)
                                    .arg(should);
            for (const check::Finding& f : report.findings)
                item.addLog(tr("Check: %1 [%2 %3] %4: %5")
                                .arg(check::severityName(f.severity), f.section, f.rule, f.where,
                                     f.message));
        });
    });
    job->start();
}

bool QueueController::restoreEarlierResult(QueueItem& item) {
    if (item.earlierOutputDir.isEmpty())
        return false;
    item.addLog(tr("The earlier ladder in %1 is kept").arg(item.earlierOutputDir));
    item.state = JobState::Done;
    item.outputDir = item.earlierOutputDir;
    item.result = item.earlierResult;
    item.progress = TranscodeProgress{};
    item.progress.fraction = 1;
    item.progress.stage = QStringLiteral("done");
    item.earlierOutputDir.clear();
    item.earlierResult.reset();
    return true;
}

} // namespace hlsforge::gui
