// publishWindowTest: the Publish window drives a real PublishJob: a folder publish shows the
// playback and page URLs; typed credentials go to the credential store and come back in a
// new window, never into QSettings; Cancel during retries ends promptly as cancelled.

#include "PublishWindow.h"
#include "KeychainCredentialStore.h"
#include "TestMedia.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace hlsforge;
using namespace hlsforge::gui;

namespace {

bool writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// Like the desktop keychain (KeychainCredentialStore): every call waits for an answer in a
// local event loop, during which other events (a click's release) are delivered.
class KeychainLikeStore : public publish::CredentialStore {
public:
    explicit KeychainLikeStore(Status::Code failure = Status::Code::InvalidArgument)
        : m_failure(failure) {}
    StatusOr<publish::AwsCredentials> load(const QString& account) override {
        wait();
        ++loads;
        if (m_failure == Status::Code::IoError)
            return unavailable();
        return m_memory.load(account);
    }
    Status save(const QString& account, const publish::AwsCredentials& credentials) override {
        wait();
        if (m_failure == Status::Code::IoError)
            return unavailable();
        return m_memory.save(account, credentials);
    }
    Status remove(const QString& account) override {
        wait();
        return m_memory.remove(account);
    }
    int loads = 0;

private:
    static void wait() {
        QEventLoop loop;
        QTimer::singleShot(60, &loop, &QEventLoop::quit);
        loop.exec();
    }
    static Status unavailable() {
        return Status::error(Status::Code::IoError,
                             QStringLiteral("the system keychain is not available (The name "
                                            "org.freedesktop.secrets was not provided)"));
    }
    Status::Code m_failure;
    publish::MemoryCredentialStore m_memory;
};

// One click as the window system delivers it: press and release are both queued, so the
// release is already waiting while the press is handled (and while anything the press
// triggers, such as a focus change, runs a local event loop).
void clickOnceLikeAUser(QWidget* widget) {
    const QPoint pos = widget->rect().center();
    QCoreApplication::postEvent(widget, new QMouseEvent(QEvent::MouseButtonRelease, pos,
                                                        widget->mapToGlobal(pos), Qt::LeftButton,
                                                        Qt::NoButton, Qt::NoModifier));
    QTest::mousePress(widget, Qt::LeftButton, Qt::NoModifier, pos);
    QTest::qWait(300);
}

QString statusText(QWidget& window) {
    return window.findChild<QLabel*>(QStringLiteral("status"))->text();
}

// A small ladder folder whose files say which video they belong to.
bool writeLadder(const QString& dir, const QByteArray& tag) {
    return writeFile(dir + QStringLiteral("/v0/seg_000.ts"), QByteArray(188 * 20, 'G') + tag) &&
           writeFile(dir + QStringLiteral("/v0/index.m3u8"),
                     "#EXTM3U\n#EXTINF:6.0,\nseg_000.ts\n#EXT-X-ENDLIST\n") &&
           writeFile(dir + QStringLiteral("/master.m3u8"),
                     "#EXTM3U\n# " + tag + "\n#EXT-X-STREAM-INF:BANDWIDTH=500000\nv0/index.m3u8\n");
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class PublishWindowTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void folderPublishShowsUrls();
    void credentialsGoToTheStoreOnly();
    void cancelIsPrompt();
    void firstClickOnPublishCounts();
    void validationOrderAndMessages();
    void folderPublishSaysCopiedAndRemembersOnlyAcceptedFolders();
    void keychainUnavailableIsSaid();
    void secondVideoDefaultsToItsOwnFolder();
    void keychainNoteNeverClipsTheForm();
    void copyUrlFollowsTheDestination();
    void keychainFailureSaysWhatToDo();

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
    QVERIFY(saved.contains("s3://bucket"));    // the non-secret fields are remembered…
    QVERIFY(!saved.contains(secret.toUtf8())); // …the secret is not

    PublishWindow again(m_ladder, nullptr, store);
    // Offered again as the same prefix plus this video's name (the ladder folder's).
    QCOMPARE(again.findChild<QLineEdit*>(QStringLiteral("s3Uri"))->text(),
             QStringLiteral("s3://bucket/ladder"));
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

void PublishWindowTest::firstClickOnPublishCounts() {
    QSettings().remove(QStringLiteral("publish"));
    auto store = std::make_shared<KeychainLikeStore>();
    PublishWindow window(m_ladder, nullptr, store);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto* bucket = window.findChild<QLineEdit*>(QStringLiteral("s3Uri"));
    bucket->setFocus();
    QTest::keyClicks(bucket, QStringLiteral("s3://bucket/show"));
    // Straight to Publish, before anything else happens: the click must be taken.
    clickOnceLikeAUser(window.findChild<QPushButton*>(QStringLiteral("start")));
    // No keys anywhere: the one click gets the credentials message.
    QVERIFY2(statusText(window).contains(QStringLiteral("access key")),
             qPrintable(statusText(window)));
    QVERIFY(store->loads >= 1); // the stored keys were looked up for that bucket
    QVERIFY(!window.findChild<QPushButton*>(QStringLiteral("start"))->isDown());
}

void PublishWindowTest::validationOrderAndMessages() {
    QSettings().remove(QStringLiteral("publish"));
    PublishWindow window(m_ladder, nullptr, std::make_shared<publish::MemoryCredentialStore>());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* kind = window.findChild<QComboBox*>(QStringLiteral("destinationKind"));
    auto* bucket = window.findChild<QLineEdit*>(QStringLiteral("s3Uri"));
    auto* accessKey = window.findChild<QLineEdit*>(QStringLiteral("accessKey"));
    auto* start = window.findChild<QPushButton*>(QStringLiteral("start"));
    kind->setCurrentIndex(0);
    // Nothing shown before a publish: no empty, unlabeled progress bar.
    QVERIFY(!window.findChild<QProgressBar*>(QStringLiteral("progress"))->isVisible());
    const int height = window.height();

    // An empty bucket says what to type, not ": not an s3:// address".
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY2(statusText(window).startsWith(QStringLiteral("Enter the bucket")),
             qPrintable(statusText(window)));
    // A bad bucket name is reported before the missing credentials, as the CLI does.
    bucket->setFocus();
    QTest::keyClicks(bucket, QStringLiteral("s3://My_Bucket/show"));
    QVERIFY2(statusText(window).isEmpty(), qPrintable(statusText(window))); // stale: gone
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY2(statusText(window).contains(QStringLiteral("not a valid bucket name")),
             qPrintable(statusText(window)));
    bucket->selectAll();
    QTest::keyClicks(bucket, QStringLiteral("s3://my-bucket/show"));
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY2(statusText(window).contains(QStringLiteral("access key")),
             qPrintable(statusText(window)));
    // Fixing the input clears the message at once.
    accessKey->setFocus();
    QTest::keyClicks(accessKey, QStringLiteral("AK"));
    QVERIFY2(statusText(window).isEmpty(), qPrintable(statusText(window)));
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(!statusText(window).isEmpty());
    QCoreApplication::processEvents();
    QCOMPARE(window.height(), height); // messages never change the window's height
    // Switching the target drops the other target's message; the box fits the folder page.
    kind->setCurrentIndex(1);
    QVERIFY2(statusText(window).isEmpty(), qPrintable(statusText(window)));
    QCoreApplication::processEvents();
    QVERIFY2(window.height() < height, qPrintable(QString::number(window.height())));
    const int folderHeight = window.height();
    window.findChild<QLineEdit*>(QStringLiteral("folder"))->clear();
    QTest::mouseClick(start, Qt::LeftButton);
    QCOMPARE(statusText(window), QStringLiteral("Choose a destination folder."));
    QCoreApplication::processEvents();
    QCOMPARE(window.height(), folderHeight);
}

void PublishWindowTest::folderPublishSaysCopiedAndRemembersOnlyAcceptedFolders() {
    QSettings().remove(QStringLiteral("publish"));
    const QString accepted = m_work.filePath(QStringLiteral("accepted-root/copied-here"));
    const QString refused = m_work.filePath(QStringLiteral("refused-root/a-file"));
    QVERIFY(writeFile(refused, "not a folder"));
    {
        PublishWindow window(m_ladder, nullptr, std::make_shared<publish::MemoryCredentialStore>());
        window.show();
        window.findChild<QComboBox*>(QStringLiteral("destinationKind"))->setCurrentIndex(1);
        auto* folder = window.findChild<QLineEdit*>(QStringLiteral("folder"));
        folder->setText(accepted);
        QSignalSpy finished(&window, &PublishWindow::finished);
        QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("start")), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY(window.lastResult().status.isOk());
        QVERIFY2(statusText(window).startsWith(QStringLiteral("Copied in")),
                 qPrintable(statusText(window)));
        QVERIFY(!statusText(window).contains(QStringLiteral("upload")));

        folder->setText(refused); // a file, not a folder: the publish fails
        QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("start")), Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QVERIFY(!window.lastResult().status.isOk());
        QVERIFY2(statusText(window).startsWith(QStringLiteral("Failed")),
                 qPrintable(statusText(window)));
    }
    // The accepted folder's root, with this video's own name.
    PublishWindow again(m_ladder, nullptr, std::make_shared<publish::MemoryCredentialStore>());
    QCOMPARE(again.findChild<QLineEdit*>(QStringLiteral("folder"))->text(),
             m_work.filePath(QStringLiteral("accepted-root/ladder")));
}

void PublishWindowTest::keychainUnavailableIsSaid() {
    QSettings().remove(QStringLiteral("publish"));
    PublishWindow window(m_ladder, nullptr,
                         std::make_shared<KeychainLikeStore>(Status::Code::IoError));
    window.show();
    auto* note = window.findChild<QLabel*>(QStringLiteral("keychainNote"));
    QVERIFY(note);
    // Looking for stored keys already found no keychain: said next to the checkbox.
    QTRY_VERIFY(note->isVisible());
    QVERIFY2(note->text().contains(QStringLiteral("keychain is not available")),
             qPrintable(note->text()));
    QVERIFY2(note->text().contains(QStringLiteral("org.freedesktop.secrets")),
             qPrintable(note->text()));
    note->hide();
    window.findChild<QComboBox*>(QStringLiteral("destinationKind"))->setCurrentIndex(0);
    window.findChild<QLineEdit*>(QStringLiteral("s3Uri"))
        ->setText(QStringLiteral("s3://bucket/show"));
    window.findChild<QLineEdit*>(QStringLiteral("endpoint"))
        ->setText(QStringLiteral("http://127.0.0.1:9"));
    window.findChild<QLineEdit*>(QStringLiteral("accessKey"))->setText(QStringLiteral("AKTEST"));
    window.findChild<QLineEdit*>(QStringLiteral("secretKey"))->setText(QStringLiteral("secret"));
    window.findChild<QCheckBox*>(QStringLiteral("remember"))->setChecked(true);
    QSignalSpy finished(&window, &PublishWindow::finished);
    window.startPublish();
    QVERIFY(window.isPublishing());
    window.cancelPublish();
    QVERIFY(finished.wait(10000));
    // Still there after the publish ended: the keys were not remembered, and it says why.
    QVERIFY(note->isVisible());
    QVERIFY2(note->text().contains(QStringLiteral("not remembered")), qPrintable(note->text()));
}

void PublishWindowTest::secondVideoDefaultsToItsOwnFolder() {
    // Two videos published one after the other into the same place: the second one's
    // window offers the remembered root plus its own name, never the first one's folder.
    QSettings().remove(QStringLiteral("publish"));
    const QString first = m_work.filePath(QStringLiteral("videos-in/city-walk"));
    const QString second = m_work.filePath(QStringLiteral("videos-in/interview"));
    QVERIFY(writeLadder(first, "city-walk"));
    QVERIFY(writeLadder(second, "interview"));
    const QString root = m_work.filePath(QStringLiteral("site/videos"));
    {
        PublishWindow window(first, nullptr, std::make_shared<publish::MemoryCredentialStore>());
        window.findChild<QComboBox*>(QStringLiteral("destinationKind"))->setCurrentIndex(1);
        window.findChild<QLineEdit*>(QStringLiteral("folder"))
            ->setText(root + QStringLiteral("/city-walk"));
        window.findChild<QLineEdit*>(QStringLiteral("publicBaseUrl"))
            ->setText(QStringLiteral("https://cdn.example.com/videos/city-walk"));
        QSignalSpy finished(&window, &PublishWindow::finished);
        window.startPublish();
        QVERIFY(finished.wait(20000));
        QVERIFY2(window.lastResult().status.isOk(),
                 qPrintable(window.lastResult().status.message()));
    }
    const QByteArray firstMaster = readAll(root + QStringLiteral("/city-walk/master.m3u8"));
    QVERIFY(firstMaster.contains("city-walk"));
    {
        PublishWindow window(second, nullptr, std::make_shared<publish::MemoryCredentialStore>());
        QCOMPARE(window.findChild<QComboBox*>(QStringLiteral("destinationKind"))->currentIndex(),
                 1);
        QCOMPARE(window.findChild<QLineEdit*>(QStringLiteral("folder"))->text(),
                 root + QStringLiteral("/interview"));
        QCOMPARE(window.findChild<QLineEdit*>(QStringLiteral("publicBaseUrl"))->text(),
                 QStringLiteral("https://cdn.example.com/videos/interview"));
        QSignalSpy finished(&window, &PublishWindow::finished);
        window.startPublish(); // the default, as a user who just clicks Publish
        QVERIFY(finished.wait(20000));
        QVERIFY2(window.lastResult().status.isOk(),
                 qPrintable(window.lastResult().status.message()));
        QVERIFY2(window.lastResult().playbackUrl.contains(QStringLiteral("/videos/interview/")),
                 qPrintable(window.lastResult().playbackUrl));
    }
    // The first video is untouched; the second has its own folder.
    QCOMPARE(readAll(root + QStringLiteral("/city-walk/master.m3u8")), firstMaster);
    QVERIFY(readAll(root + QStringLiteral("/city-walk/v0/seg_000.ts")).endsWith("city-walk"));
    QVERIFY(readAll(root + QStringLiteral("/interview/master.m3u8")).contains("interview"));

    // S3: the bucket prefix is remembered as its root the same way.
    {
        PublishWindow window(first, nullptr, std::make_shared<publish::MemoryCredentialStore>());
        window.findChild<QComboBox*>(QStringLiteral("destinationKind"))->setCurrentIndex(0);
        window.findChild<QComboBox*>(QStringLiteral("credentialSource"))->setCurrentIndex(0);
        window.findChild<QLineEdit*>(QStringLiteral("s3Uri"))
            ->setText(QStringLiteral("s3://bucket/shows/city-walk"));
        window.findChild<QLineEdit*>(QStringLiteral("endpoint"))
            ->setText(QStringLiteral("http://127.0.0.1:9"));
        window.findChild<QLineEdit*>(QStringLiteral("accessKey"))->setText(QStringLiteral("AK"));
        window.findChild<QLineEdit*>(QStringLiteral("secretKey"))->setText(QStringLiteral("s"));
        window.findChild<QCheckBox*>(QStringLiteral("remember"))->setChecked(false);
        QSignalSpy finished(&window, &PublishWindow::finished);
        window.startPublish();
        QVERIFY(window.isPublishing());
        window.cancelPublish();
        QVERIFY(finished.wait(10000));
    }
    PublishWindow again(second, nullptr, std::make_shared<publish::MemoryCredentialStore>());
    QCOMPARE(again.findChild<QLineEdit*>(QStringLiteral("s3Uri"))->text(),
             QStringLiteral("s3://bucket/shows/interview"));
}

void PublishWindowTest::keychainNoteNeverClipsTheForm() {
    // The walk: with the keychain note shown, the form scrolled and the fields' right ends
    // were under the scroll bar. Every field must end inside the scroll area's viewport.
    QSettings().remove(QStringLiteral("publish"));
    PublishWindow window(m_ladder, nullptr,
                         std::make_shared<KeychainLikeStore>(Status::Code::IoError));
    window.findChild<QComboBox*>(QStringLiteral("destinationKind"))->setCurrentIndex(0);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* note = window.findChild<QLabel*>(QStringLiteral("keychainNote"));
    QTRY_VERIFY(note->isVisible());
    // A short screen (1280x760 at 1.5x leaves ~460 logical pixels): the form scrolls.
    window.resize(window.width(), 360);
    QCoreApplication::processEvents();
    auto* scroll = window.findChild<QScrollArea*>();
    QVERIFY(scroll);
    QVERIFY(scroll->verticalScrollBar()->isVisible());
    const QWidget* viewport = scroll->viewport();
    for (QWidget* field : scroll->widget()->findChildren<QWidget*>()) {
        if (!field->isVisible() ||
            !(qobject_cast<QLineEdit*>(field) || qobject_cast<QComboBox*>(field) ||
              qobject_cast<QCheckBox*>(field) || qobject_cast<QLabel*>(field) ||
              qobject_cast<QSpinBox*>(field)))
            continue;
        const int right = field->mapTo(viewport, QPoint(field->width(), 0)).x();
        QVERIFY2(right <= viewport->width(),
                 qPrintable(QStringLiteral("%1 %2 ends at %3, viewport %4 wide")
                                .arg(QString::fromLatin1(field->metaObject()->className()),
                                     field->objectName())
                                .arg(right)
                                .arg(viewport->width())));
    }
    // The note is shown whole: its height is what its text needs at its width.
    QVERIFY2(note->height() >= note->heightForWidth(note->width()),
             qPrintable(QStringLiteral("%1 < %2")
                            .arg(note->height())
                            .arg(note->heightForWidth(note->width()))));
}

void PublishWindowTest::copyUrlFollowsTheDestination() {
    QSettings().remove(QStringLiteral("publish"));
    PublishWindow window(m_ladder, nullptr, std::make_shared<publish::MemoryCredentialStore>());
    window.show();
    auto* kind = window.findChild<QComboBox*>(QStringLiteral("destinationKind"));
    auto* copy = window.findChild<QPushButton*>(QStringLiteral("copyUrl"));
    QVERIFY(copy);
    kind->setCurrentIndex(1);
    window.findChild<QLineEdit*>(QStringLiteral("folder"))
        ->setText(m_work.filePath(QStringLiteral("copy-url/ladder")));
    QSignalSpy finished(&window, &PublishWindow::finished);
    window.startPublish();
    QVERIFY(finished.wait(20000));
    QVERIFY(window.lastResult().status.isOk());
    QVERIFY(copy->isEnabled()); // a playback URL to copy
    kind->setCurrentIndex(0);   // another destination: nothing published there yet
    QVERIFY(!copy->isEnabled());
}

void PublishWindowTest::keychainFailureSaysWhatToDo() {
    // QtKeychain says only "Unknown error" when no secret service answers on D-Bus.
    const QString noService = KeychainCredentialStore::describeFailure(
        5 /* NoBackendAvailable */, QStringLiteral("Unknown error"));
    QVERIFY2(!noService.contains(QStringLiteral("Unknown error")), qPrintable(noService));
    QVERIFY2(noService.contains(QStringLiteral("no secret service")), qPrintable(noService));
    const QString other = KeychainCredentialStore::describeFailure(
        7 /* OtherError */, QStringLiteral("The name org.freedesktop.secrets was not provided"));
    QVERIFY2(other.contains(QStringLiteral("org.freedesktop.secrets")), qPrintable(other));
    // In the window: what happened, and what the user can do.
    QSettings().remove(QStringLiteral("publish"));
    PublishWindow window(m_ladder, nullptr,
                         std::make_shared<KeychainLikeStore>(Status::Code::IoError));
    auto* note = window.findChild<QLabel*>(QStringLiteral("keychainNote"));
    QVERIFY2(note->text().contains(QStringLiteral("this session only")), qPrintable(note->text()));
    QVERIFY2(note->text().contains(QStringLiteral("start a secret service")),
             qPrintable(note->text()));
}

QTEST_MAIN(PublishWindowTest)
#include "publishWindowTest.moc"
