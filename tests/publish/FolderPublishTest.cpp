// FolderPublishTest: hlsforge-cli publish DIR --to FOLDER: a byte-identical copy with no
// temporary files left, unchanged files skipped on a re-run, a changed file replaced, the
// master playlist written last, and the URLs printed.

#include "PublishFixture.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge::test;

namespace {

QJsonObject resultLine(const CliRun& run) {
    return QJsonDocument::fromJson(run.err.trimmed().split('\n').last()).object();
}

} // namespace

class FolderPublishTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void copiesByteIdentical();
    void rerunSkipsUnchanged();
    void changedFileIsReplaced();
    void masterIsWrittenLast();
    void publicBaseUrl();
    void errorsAreReported();

private:
    CliRun publishTo(const QString& destination, const QStringList& extra = {}) {
        return runCli(QStringList{QStringLiteral("publish"), m_ladder, QStringLiteral("--to"),
                                  destination, QStringLiteral("--progress"),
                                  QStringLiteral("json")} +
                      extra);
    }
    QTemporaryDir m_work;
    QString m_ladder;
};

void FolderPublishTest::initTestCase() {
    QVERIFY(m_work.isValid());
    m_ladder = m_work.filePath(QStringLiteral("ladder"));
    QVERIFY(makePublishFixture(m_ladder));
}

void FolderPublishTest::copiesByteIdentical() {
    const QString dest = m_work.filePath(QStringLiteral("www/show"));
    const CliRun run = publishTo(dest);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const auto source = readTree(m_ladder);
    const auto copied = readTree(dest); // hidden files included: no temporary may remain
    QCOMPARE(copied.keys(), source.keys());
    QVERIFY(copied == source);
    QCOMPARE(resultLine(run).value(QStringLiteral("filesUploaded")).toInt(), source.size());
    QVERIFY2(
        run.out.contains("playback: file://" + QDir(dest).absoluteFilePath("master.m3u8").toUtf8()),
        run.out.constData());
}

void FolderPublishTest::rerunSkipsUnchanged() {
    const QString dest = m_work.filePath(QStringLiteral("www/show"));
    const CliRun run = publishTo(dest);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject result = resultLine(run);
    QCOMPARE(result.value(QStringLiteral("filesUploaded")).toInt(), 0);
    QCOMPARE(result.value(QStringLiteral("filesSkipped")).toInt(), readTree(m_ladder).size());
    QCOMPARE(result.value(QStringLiteral("bytesTransferred")).toInteger(), 0);
}

void FolderPublishTest::changedFileIsReplaced() {
    const QString dest = m_work.filePath(QStringLiteral("www/show"));
    // Same size, different bytes: only the MD5 can tell.
    QFile segment(dest + QStringLiteral("/v0/seg_001.ts"));
    QVERIFY(segment.open(QIODevice::ReadWrite));
    QVERIFY(segment.seek(100));
    QVERIFY(segment.write("XXXX") == 4);
    segment.close();
    const CliRun run = publishTo(dest);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(resultLine(run).value(QStringLiteral("filesUploaded")).toInt(), 1);
    QVERIFY(readTree(dest) == readTree(m_ladder));
}

void FolderPublishTest::masterIsWrittenLast() {
    const QString dest = m_work.filePath(QStringLiteral("www/ordered"));
    const CliRun run = publishTo(dest);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QDateTime master = QFileInfo(dest + QStringLiteral("/master.m3u8"))
                                 .fileTime(QFileDevice::FileModificationTime);
    const QDateTime media = QFileInfo(dest + QStringLiteral("/v0/index.m3u8"))
                                .fileTime(QFileDevice::FileModificationTime);
    for (const QString& rel : readTree(dest).keys()) {
        const QDateTime t =
            QFileInfo(dest + QLatin1Char('/') + rel).fileTime(QFileDevice::FileModificationTime);
        QVERIFY2(t <= master, qPrintable(rel));
        if (rel.endsWith(QLatin1String(".ts")))
            QVERIFY2(t <= media, qPrintable(rel));
    }
}

void FolderPublishTest::publicBaseUrl() {
    const CliRun run = publishTo(
        m_work.filePath(QStringLiteral("www/cdn")),
        {QStringLiteral("--public-base-url"), QStringLiteral("https://cdn.example.com/show/")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.contains("playback: https://cdn.example.com/show/master.m3u8\n"),
             run.out.constData());
    QVERIFY2(run.out.contains("page: https://cdn.example.com/show/index.html\n"),
             run.out.constData());
}

void FolderPublishTest::errorsAreReported() {
    const CliRun missing =
        runCli({QStringLiteral("publish"), m_work.filePath(QStringLiteral("nope")),
                QStringLiteral("--to"), m_work.filePath(QStringLiteral("x"))});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("no such folder"), missing.err.constData());

    const CliRun self = publishTo(m_ladder);
    QCOMPARE(self.exitCode, 1);
    QVERIFY2(self.err.contains("the ladder folder itself"), self.err.constData());

    const CliRun usage = runCli({QStringLiteral("publish"), m_ladder});
    QCOMPARE(usage.exitCode, 2);
    QVERIFY(usage.err.contains("--to is required"));

    // s3:// without credentials: a clear message, never a request.
    const CliRun noCredentials =
        runCli({QStringLiteral("publish"), m_ladder, QStringLiteral("--to"),
                QStringLiteral("s3://bucket/x")},
               [] {
                   QProcessEnvironment env;
                   env.insert(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"),
                              QStringLiteral("/nonexistent/credentials"));
                   return env;
               }());
    QCOMPARE(noCredentials.exitCode, 1);
    QVERIFY2(noCredentials.err.contains("no AWS credentials"), noCredentials.err.constData());
}

QTEST_GUILESS_MAIN(FolderPublishTest)
#include "FolderPublishTest.moc"
