// publishWindowTest: the Publish window drives a real PublishJob: a folder publish shows the
// playback and page URLs; typed credentials go to the credential store and come back in a
// new window, never into QSettings; Cancel during retries ends promptly as cancelled.

#include "PublishWindow.h"
#include "TestMedia.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge;
using namespace hlsforge::gui;

namespace {

bool writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class PublishWindowTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void folderPublishShowsUrls();
    void credentialsGoToTheStoreOnly();
    void cancelIsPrompt();

private:
    QTemporaryDir m_work;
    QString m_ladder;
};

void PublishWindowTest::initTestCase() {
    QStandardPaths::setTestModeEnabled(true); // QSettings in a throw-away location
    QCoreApplication::setOrganizationName(QStringLiteral("HlsForgeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("publishWindowTest"));
    QSettings().clear();
    m_ladder = m_work.filePath(QStringLiteral("ladder"));
    QVERIFY(writeFile(m_ladder + QStringLiteral("/v0/seg_000.ts"), QByteArray(188 * 50, 'G')));
    QVERIFY(writeFile(m_ladder + QStringLiteral("/v0/index.m3u8"),
                      "#EXTM3U\n#EXTINF:6.0,\nseg_000.ts\n#EXT-X-ENDLIST\n"));
    QVERIFY(writeFile(m_ladder + QStringLiteral("/master.m3u8"),
                      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=500000\nv0/index.m3u8\n"));
    QVERIFY(
        writeFile(m_ladder + QStringLiteral("/index.html"), "<video src=master.m3u8></video>\n"));
}

void PublishWindowTest::folderPublishShowsUrls() {
    PublishWindow window(m_ladder, nullptr, std::make_shared<publish::MemoryCredentialStore>());
    window.show();
    window.findChild<QComboBox*>(QStringLiteral("destinationKind"))->setCurrentIndex(1);
    const QString dest = m_work.filePath(QStringLiteral("www"));
    window.findChild<QLineEdit*>(QStringLiteral("folder"))->setText(dest);
    window.findChild<QLineEdit*>(QStringLiteral("publicBaseUrl"))
        ->setText(QStringLiteral("https://cdn.example.com/show"));
    QSignalSpy finished(&window, &PublishWindow::finished);
    QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("start")), Qt::LeftButton);
    QVERIFY(finished.wait(20000));
    QVERIFY2(window.lastResult().status.isOk(), qPrintable(window.lastResult().status.message()));
    const QString links = window.findChild<QLabel*>(QStringLiteral("resultUrl"))->text();
    QVERIFY2(links.contains(QStringLiteral("https://cdn.example.com/show/master.m3u8")),
             qPrintable(links));
    QVERIFY2(links.contains(QStringLiteral("https://cdn.example.com/show/index.html")),
             qPrintable(links));
    QVERIFY(QFile::exists(dest + QStringLiteral("/master.m3u8")));
    QVERIFY(window.findChild<QPushButton*>(QStringLiteral("start"))->isEnabled());
}

void PublishWindowTest::credentialsGoToTheStoreOnly() {
    auto store = std::make_shared<publish::MemoryCredentialStore>();
    const QString secret = QStringLiteral("test-secret-%1").arg(QCoreApplication::applicationPid());
    {
        PublishWindow window(m_ladder, nullptr, store);
        window.findChild<QComboBox*>(QStringLiteral("destinationKind"))->setCurrentIndex(0);
        window.findChild<QLineEdit*>(QStringLiteral("s3Uri"))
            ->setText(QStringLiteral("s3://bucket/show"));
        // Nothing listens there: the publish fails, but only after the credentials were stored.
        window.findChild<QLineEdit*>(QStringLiteral("endpoint"))
            ->setText(QStringLiteral("http://127.0.0.1:9"));
        window.findChild<QLineEdit*>(QStringLiteral("accessKey"))
            ->setText(QStringLiteral("AKTESTWINDOW"));
        window.findChild<QLineEdit*>(QStringLiteral("secretKey"))->setText(secret);
        window.findChild<QCheckBox*>(QStringLiteral("remember"))->setChecked(true);
        QSignalSpy finished(&window, &PublishWindow::finished);
        window.startPublish();
        QVERIFY(window.isPublishing());
        window.cancelPublish();
        QVERIFY(finished.wait(10000));
    }
    auto stored = store->load(QStringLiteral("127.0.0.1"));
    QVERIFY(stored.isOk());
    QCOMPARE(stored->secretAccessKey, secret);

    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray saved = file.readAll();
    QVERIFY(saved.contains("s3://bucket/show")); // the non-secret fields are remembered…
    QVERIFY(!saved.contains(secret.toUtf8()));   // …the secret is not

    PublishWindow again(m_ladder, nullptr, store);
    QCOMPARE(again.findChild<QLineEdit*>(QStringLiteral("s3Uri"))->text(),
             QStringLiteral("s3://bucket/show"));
    QCOMPARE(again.findChild<QLineEdit*>(QStringLiteral("accessKey"))->text(),
             QStringLiteral("AKTESTWINDOW"));
    QCOMPARE(again.findChild<QLineEdit*>(QStringLiteral("secretKey"))->text(), secret);
}

void PublishWindowTest::cancelIsPrompt() {
    // A port that refuses connections: every attempt is retried with backoff.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    PublishWindow window(m_ladder, nullptr, std::make_shared<publish::MemoryCredentialStore>());
    window.findChild<QComboBox*>(QStringLiteral("destinationKind"))->setCurrentIndex(0);
    window.findChild<QComboBox*>(QStringLiteral("credentialSource"))->setCurrentIndex(0);
    window.findChild<QLineEdit*>(QStringLiteral("s3Uri"))
        ->setText(QStringLiteral("s3://bucket/show"));
    window.findChild<QLineEdit*>(QStringLiteral("endpoint"))
        ->setText(QStringLiteral("http://127.0.0.1:%1").arg(port));
    window.findChild<QLineEdit*>(QStringLiteral("accessKey"))->setText(QStringLiteral("AKTEST"));
    window.findChild<QLineEdit*>(QStringLiteral("secretKey"))
        ->setText(QStringLiteral("not-a-real-secret"));
    window.findChild<QCheckBox*>(QStringLiteral("remember"))->setChecked(false);
    QSignalSpy finished(&window, &PublishWindow::finished);
    window.startPublish();
    QTest::qWait(300);
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("cancel")), Qt::LeftButton);
    QVERIFY(finished.wait(5000));
    QVERIFY(clock.elapsed() < hlsforge::test::timingBudgetMs(3000));
    QVERIFY(window.lastResult().status.isCancelled());
    QVERIFY(window.findChild<QLabel*>(QStringLiteral("status"))
                ->text()
                .contains(QStringLiteral("Cancelled")));
}

QTEST_MAIN(PublishWindowTest)
#include "publishWindowTest.moc"
