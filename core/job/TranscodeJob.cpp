#include "job/TranscodeJob.h"

#include "transcode/Transcoder.h"

#include <QMetaObject>
#include <QPointer>

namespace hlsforge {

TranscodeJob::TranscodeJob(TranscodeRequest request, QObject* parent)
    : QObject(parent), m_request(std::move(request)) {
    static const int registered = [] {
        qRegisterMetaType<hlsforge::TranscodeProgress>();
        qRegisterMetaType<hlsforge::TranscodeResult>();
        return 0;
    }();
    Q_UNUSED(registered);
}

TranscodeJob::~TranscodeJob() {
    m_cancel.store(true);
    if (m_thread.joinable())
        m_thread.join();
}

void TranscodeJob::start() {
    if (m_running || m_thread.joinable())
        return;
    m_running = true;
    m_cancel.store(false);
    QPointer<TranscodeJob> self(this);
    m_thread = std::thread([this, self] {
        Transcoder transcoder(m_request);
        // Signals are queued to this object's thread; the pipeline already throttles
        // progress to about 5 reports a second.
        TranscodeResult result = transcoder.run(
            [this](const TranscodeProgress& p) {
                QMetaObject::invokeMethod(
                    this, [this, p] { emit progress(p); }, Qt::QueuedConnection);
            },
            &m_cancel);
        QMetaObject::invokeMethod(
            this,
            [this, result] {
                if (m_thread.joinable())
                    m_thread.join();
                m_running = false;
                emit finished(result);
            },
            Qt::QueuedConnection);
    });
}

void TranscodeJob::cancel() {
    m_cancel.store(true);
}

} // namespace hlsforge
