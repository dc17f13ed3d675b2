// The batch-finished desktop notification, against a stand-in for the desktop's notification
// daemon: a private D-Bus session bus (dbus-daemon, as a desktop session runs it) with a
// service that implements org.freedesktop.Notifications and records what it was asked to
// show. A click is the ActionInvoked signal a real daemon sends.

#include "DesktopNotifier.h"
#include "GuiResources.h"
#include "LadderEditor.h"
#include "MainWindow.h"
#include "QueueController.h"
#include "QueueModel.h"
#include "TestMedia.h"

#include <QDBusAbstractAdaptor>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace hlsforge;
using namespace hlsforge::gui;

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
} // namespace

// What a notification daemon receives, per the Desktop Notifications Specification 1.2.
class FakeNotificationDaemon : public QDBusAbstractAdaptor {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Shown {
        QString appName, appIcon, summary, body;
        uint replacesId = 0;
        QStringList actions;
        QVariantMap hints;
        int timeoutMs = 0;
    };
    explicit FakeNotificationDaemon(QObject* owner) : QDBusAbstractAdaptor(owner) {}
    QList<Shown> shown;

public slots:
    uint Notify(const QString& appName, uint replacesId, const QString& appIcon,
                const QString& summary, const QString& body, const QStringList& actions,
                const QVariantMap& hints, int timeoutMs) {
        shown.append({appName, appIcon, summary, body, replacesId, actions, hints, timeoutMs});
        return replacesId ? replacesId : uint(100 + shown.size());
    }
    QStringList GetCapabilities() { return {QStringLiteral("actions"), QStringLiteral("body")}; }
    void CloseNotification(uint) {}
};

class DesktopNotifierTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        initResources();
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("hlsforge-test"));
        QCoreApplication::setApplicationName(QStringLiteral("desktopNotifierTest"));
        QGuiApplication::setDesktopFileName(QStringLiteral("io.github.hlsforge.HlsForge"));

        // A session bus of our own: the test never talks to the developer's desktop. Its
        // configuration is Debian's session.conf with an empty service directory of ours in
        // place of the system's: on a machine with a notification daemon installed, the
        // standard directories list org.freedesktop.Notifications as activatable, and "no
        // daemon" could never be tested there (seen on CI).
        QVERIFY(m_busDir.isValid());
        QFile standard(QStringLiteral("/usr/share/dbus-1/session.conf"));
        QVERIFY2(standard.open(QIODevice::ReadOnly), "dbus-daemon's session.conf");
        static const QRegularExpression standardDirs(
            QStringLiteral("<standard_session_servicedirs\\s*/>"));
        QString conf = QString::fromUtf8(standard.readAll());
        QVERIFY(conf.contains(standardDirs));
        conf.replace(standardDirs, QStringLiteral("<servicedir>%1</servicedir>")
                                       .arg(m_busDir.filePath(QStringLiteral("services"))));
        QFile config(m_busDir.filePath(QStringLiteral("session.conf")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(conf.toUtf8());
        config.close();
        QVERIFY(QDir(m_busDir.path()).mkpath(QStringLiteral("services")));
        m_bus.start(QStringLiteral("dbus-daemon"),
                    {QStringLiteral("--config-file=") + config.fileName(),
                     QStringLiteral("--nofork"), QStringLiteral("--nopidfile"),
                     QStringLiteral("--print-address=1")});
        QVERIFY2(m_bus.waitForStarted(10000), "dbus-daemon (Debian package dbus-daemon)");
        QTRY_VERIFY_WITH_TIMEOUT(m_bus.canReadLine(), 10000);
        const QByteArray address = m_bus.readLine().trimmed();
        QVERIFY(!address.isEmpty());
        // Before the first use of the session bus in this process, which reads it once.
        qputenv("DBUS_SESSION_BUS_ADDRESS", address);
        QVERIFY(QDBusConnection::sessionBus().isConnected());

        m_daemonConnection.reset(new QDBusConnection(
            QDBusConnection::connectToBus(QString::fromUtf8(address), QStringLiteral("daemon"))));
        QVERIFY(m_daemonConnection->isConnected());
        m_daemon = new FakeNotificationDaemon(&m_daemonObject);
        QVERIFY(m_daemonConnection->registerObject(kPath, &m_daemonObject,
                                                   QDBusConnection::ExportAdaptors));
        QVERIFY(m_daemonConnection->registerService(kService));
    }

    void cleanupTestCase() {
        if (m_daemonConnection)
            QDBusConnection::disconnectFromBus(QStringLiteral("daemon"));
        m_bus.terminate();
        m_bus.waitForFinished(5000);
    }

    void init() { m_daemon->shown.clear(); }

    void actionRunsOnceForOurNotificationOnly() {
        DesktopNotifier notifier;
        QVERIFY(notifier.isAvailable());
        QSignalSpy shown(&notifier, &DesktopNotifier::shown);
        int opened = 0;
        QVERIFY(notifier.notify(QStringLiteral("Queue finished: 2 done."),
                                QStringLiteral("In /videos/out"), QStringLiteral("Open folder"),
                                [&opened] { ++opened; }));
        QTRY_COMPARE(shown.count(), 1);
        QCOMPARE(m_daemon->shown.size(), 1);
        const FakeNotificationDaemon::Shown& n = m_daemon->shown.first();
        QCOMPARE(n.summary, QStringLiteral("Queue finished: 2 done."));
        QCOMPARE(n.body, QStringLiteral("In /videos/out"));
        QCOMPARE(n.replacesId, 0u);
        // A button, and a click on the notification itself, both open the folder.
        QCOMPARE(n.actions, (QStringList{QStringLiteral("default"), QStringLiteral("Open folder"),
                                         QStringLiteral("open"), QStringLiteral("Open folder")}));
        QCOMPARE(n.hints.value(QStringLiteral("desktop-entry")).toString(),
                 QStringLiteral("io.github.hlsforge.HlsForge"));
        QVERIFY(n.timeoutMs > 0);
        const uint id = shown.first().first().toUInt();
        QCOMPARE(notifier.currentId(), id);

        sendSignal(QStringLiteral("ActionInvoked"), {id + 7, QStringLiteral("open")});
        QTest::qWait(300); // another application's notification: nothing happens
        QCOMPARE(opened, 0);
        sendSignal(QStringLiteral("ActionInvoked"), {id, QStringLiteral("open")});
        QTRY_COMPARE(opened, 1);
        // Daemons may send "default" too for the same click; the folder opens once.
        sendSignal(QStringLiteral("ActionInvoked"), {id, QStringLiteral("default")});
        QTest::qWait(300);
        QCOMPARE(opened, 1);
    }

    void nextNotificationReplacesTheLast() {
        DesktopNotifier notifier;
        QSignalSpy shown(&notifier, &DesktopNotifier::shown);
        int first = 0, second = 0;
        notifier.notify(QStringLiteral("one"), {}, QStringLiteral("Open folder"), [&] { ++first; });
        QTRY_COMPARE(shown.count(), 1);
        const uint id = notifier.currentId();
        notifier.notify(QStringLiteral("two"), {}, QStringLiteral("Open folder"),
                        [&] { ++second; });
        QTRY_COMPARE(shown.count(), 2);
        QCOMPARE(m_daemon->shown.at(1).replacesId, id); // not a pile of stale notifications
        sendSignal(QStringLiteral("ActionInvoked"),
                   {notifier.currentId(), QStringLiteral("default")});
        QTRY_COMPARE(second, 1);
        QCOMPARE(first, 0);
    }

    void clickThatClosesStillOpens() {
        DesktopNotifier notifier;
        QSignalSpy shown(&notifier, &DesktopNotifier::shown);
        int opened = 0;
        notifier.notify(QStringLiteral("done"), {}, QStringLiteral("Open folder"),
                        [&] { ++opened; });
        QTRY_COMPARE(shown.count(), 1);
        const uint id = notifier.currentId();
        // Some daemons close the notification (reason 2: dismissed by the user) first.
        sendSignal(QStringLiteral("NotificationClosed"), {id, 2u});
        QTRY_COMPARE(notifier.currentId(), 0u);
        sendSignal(QStringLiteral("ActionInvoked"), {id, QStringLiteral("default")});
        QTRY_COMPARE(opened, 1);
    }

    void batchFinishedNotifiesWithTheResult() {
        QTemporaryDir dir;
        const QString clip = dir.filePath(QStringLiteral("clip.mp4"));
        QVERIFY(test::makeClip(clip, 1, QStringLiteral("testsrc2=size=320x180:rate=25")));
        Ladder ladder;
        ladder.segmentSeconds = 1;
        ladder.x264Preset = QStringLiteral("ultrafast");
        ladder.audioKbps = 64;
        ladder.renditions = {{QStringLiteral("144p"), 144, 150, 0}};

        MainWindow window;
        window.setConfirmClose(false);
        window.setOutputRoot(dir.filePath(QStringLiteral("out")));
        window.ladderEditor()->setLadder(ladder, QStringLiteral("test"));
        window.show();
        window.controller()->addPaths({clip});
        QTRY_COMPARE(window.queueModel()->at(0).state, JobState::Ready);
        window.startAll();
        QTRY_VERIFY_WITH_TIMEOUT(!m_daemon->shown.isEmpty(), 120000);
        const FakeNotificationDaemon::Shown& n = m_daemon->shown.first();
        QCOMPARE(n.summary, QStringLiteral("Queue finished: 1 done."));
        QVERIFY2(
            n.body.contains(QDir::toNativeSeparators(dir.filePath(QStringLiteral("out/clip")))),
            qPrintable(n.body));
        QVERIFY(n.actions.contains(QStringLiteral("Open folder")));
        QCOMPARE(window.queueModel()->at(0).state, JobState::Done);
    }

    void noDaemonNoNotification() {
        QVERIFY(m_daemonConnection->unregisterService(kService));
        DesktopNotifier notifier;
        QTRY_VERIFY(!notifier.isAvailable());
        QVERIFY(!notifier.notify(QStringLiteral("x"), {}, QStringLiteral("Open folder"), [] {}));
        QVERIFY(m_daemonConnection->registerService(kService));
    }

private:
    void sendSignal(const QString& name, const QVariantList& args) {
        QDBusMessage message = QDBusMessage::createSignal(
            kPath, QStringLiteral("org.freedesktop.Notifications"), name);
        message.setArguments(args);
        QVERIFY(m_daemonConnection->send(message));
    }

    QTemporaryDir m_settingsDir;
    QProcess m_bus;
    QScopedPointer<QDBusConnection> m_daemonConnection;
    QTemporaryDir m_busDir;
    QObject m_daemonObject;
    FakeNotificationDaemon* m_daemon = nullptr;
};

QTEST_MAIN(DesktopNotifierTest)
#include "desktopNotifierTest.moc"
