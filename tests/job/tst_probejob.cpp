// tst_probejob: ProbeJob, the app queue's probe + thumbnail, keeps the Job contract: the
// facts are there (hasMedia) before the thumbnail is made, a file that is not video fails
// with the file named, and a cancel before start is Cancelled without touching the file.

#include "job/ProbeJob.h"

#include "TestMedia.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge;
using namespace hlsforge::test;

class ProbeJobTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_clip;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_clip = m_dir.filePath(QStringLiteral("clip.mp4"));
        QVERIFY(makeClip(m_clip, 1.0, QStringLiteral("testsrc2=size=320x180:rate=25")));
    }

    void probesAndMakesAThumbnail() {
        ProbeJob job(m_clip, 48);
        QSignalSpy finished(&job, &Job::finished);
        bool factsBeforeEnd = false;
        connect(&job, &Job::progressChanged, this,
                [&] { factsBeforeEnd = factsBeforeEnd || job.hasMedia(); });
        job.start();
        QVERIFY(finished.wait(30000));
        QCOMPARE(job.outcome(), JobOutcome::Succeeded);
        QVERIFY(job.hasMedia());
        const StatusOr<MediaInfo> media = job.media();
        QVERIFY(media.isOk());
        QVERIFY(media->hasVideo);
        QCOMPARE(media->video.displayWidth, 320);
        const RgbImage thumbnail = job.thumbnail();
        QVERIFY(thumbnail.height > 0 && thumbnail.height <= 48);
        QCOMPARE(thumbnail.rgb24.size(), qsizetype(thumbnail.bytesPerLine) * thumbnail.height);
        QVERIFY2(factsBeforeEnd, "the facts should be readable before the thumbnail is made");
        QCOMPARE(job.resultJson().value(QStringLiteral("input")).toString(), m_clip);
    }

    void notAVideoFails() {
        const QString text = m_dir.filePath(QStringLiteral("notes.mp4"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("just words, no video\n");
        f.close();
        ProbeJob job(text, 48);
        QSignalSpy finished(&job, &Job::finished);
        job.start();
        QVERIFY(finished.wait(30000));
        QCOMPARE(job.outcome(), JobOutcome::Failed);
        QVERIFY(job.hasMedia()); // the answer is known: not usable
        QVERIFY(!job.media().isOk());
        QVERIFY2(job.status().message().contains(QLatin1String("notes.mp4")),
                 qPrintable(job.status().message()));
        QCOMPARE(job.thumbnail().width, 0);
    }

    void cancelBeforeStartIsCancelled() {
        ProbeJob job(m_clip, 48);
        QSignalSpy finished(&job, &Job::finished);
        job.cancel();
        job.start();
        QVERIFY(finished.wait(5000));
        QCOMPARE(job.outcome(), JobOutcome::Cancelled);
        QVERIFY(!job.hasMedia());
    }
};

QTEST_GUILESS_MAIN(ProbeJobTest)
#include "tst_probejob.moc"
