#include "job/TranscodeJob.h"

#include "transcode/Transcoder.h"
#include "web/PlayerPageStep.h"

#include <QFileInfo>

#include <cmath>

namespace hlsforge {

TranscodeJob::TranscodeJob(TranscodeRequest request, QObject* parent)
    : Job(parent), m_request(std::move(request)) {
    static const int registered = [] {
        qRegisterMetaType<hlsforge::TranscodeProgress>();
        qRegisterMetaType<hlsforge::TranscodeResult>();
        return 0;
    }();
    Q_UNUSED(registered);
    m_result.inputPath = m_request.inputPath;
    m_result.outputDir = m_request.outputDir;
}

TranscodeJob::~TranscodeJob() {
    waitForWorker();
}

TranscodeProgress TranscodeJob::transcodeProgress() const {
    std::lock_guard lock(m_detailMutex);
    return m_detail;
}

TranscodeResult TranscodeJob::result() const {
    std::lock_guard lock(m_detailMutex);
    TranscodeResult r = m_result;
    // Cancelled before it ran: run() never wrote a result, the base knows the status.
    if (isFinished() && r.status.isOk() && !status().isOk())
        r.status = status();
    return r;
}

QString TranscodeJob::title() const {
    return QFileInfo(m_request.inputPath).fileName();
}

QJsonObject TranscodeJob::resultJson() const {
    return result().toJson();
}

QJsonObject TranscodeJob::progressDetailJson() const {
    // The fields `--progress json` printed before the shared Job snapshot existed.
    const TranscodeProgress p = transcodeProgress();
    return {{QStringLiteral("input"), m_request.inputPath},
            {QStringLiteral("stage"), p.stage},
            {QStringLiteral("fps"), p.framesPerSecond},
            {QStringLiteral("speed"), p.speed},
            {QStringLiteral("mediaSeconds"), p.mediaSecondsDone},
            {QStringLiteral("durationSeconds"), p.durationSeconds}};
}

JobProgress TranscodeJob::toJobProgress(const TranscodeProgress& p) {
    JobProgress j;
    if (p.stage == QLatin1String("starting"))
        j.phase = JobPhase::Probing;
    else if (p.stage == QLatin1String("finishing"))
        j.phase = JobPhase::Finishing;
    else if (p.stage == QLatin1String("done"))
        j.phase = JobPhase::Done;
    else
        j.phase = JobPhase::Encoding;
    j.fraction = p.fraction;
    j.rate = p.framesPerSecond;
    j.rateUnit = RateUnit::FramesPerSecond;
    j.etaSeconds = p.etaSeconds;
    j.elapsedSeconds = p.elapsedSeconds;
    j.framesDone = p.framesDone;
    // The slowest rung's frames so far over the whole: an estimate from the fraction.
    if (p.fraction > 0.01 && p.framesDone > 0)
        j.framesTotal = std::llround(double(p.framesDone) / p.fraction);
    if (p.speed > 0)
        j.text = QStringLiteral("%1x real time").arg(p.speed, 0, 'f', 2);
    return j;
}

Status TranscodeJob::run(const CancelToken& cancel, ProgressSink& progress) {
    Transcoder transcoder(m_request);
    // The page is a finishing step the engine does not know by name: added here, where the
    // ladder's settings are read, so the app and the CLI get it alike.
    if (m_request.ladder.playerPage)
        transcoder.addFinishingStep(std::make_shared<PlayerPageStep>());
    // The pipeline already throttles its reports to about 5 a second.
    TranscodeResult result = transcoder.run(
        [this, &progress](const TranscodeProgress& p) {
            {
                std::lock_guard lock(m_detailMutex);
                m_detail = p;
            }
            progress.report(toJobProgress(p));
        },
        cancel.flag());
    {
        std::lock_guard lock(m_detailMutex);
        m_result = result;
        if (result.status.isOk()) {
            m_detail.fraction = 1;
            m_detail.stage = QStringLiteral("done");
        }
    }
    return result.status;
}

} // namespace hlsforge
