#include "DesktopNotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusReply>
#include <QGuiApplication>
#include <QVariantMap>

namespace {
// The freedesktop.org Desktop Notifications Specification, version 1.2.
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");
// "default" is the key servers use for a click on the notification body.
const QString kDefaultAction = QStringLiteral("default");
const QString kOpenAction = QStringLiteral("open");
constexpr int kExpireTimeoutMs = 10000;
} // namespace

DesktopNotifier::DesktopNotifier(QObject* parent) : QObject(parent) {
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return;
    // Signals are matched by service name, so they arrive even when the daemon starts later.
    bus.connect(kService, kPath, kInterface, QStringLiteral("ActionInvoked"), this,
                SLOT(onActionInvoked(uint, QString)));
    bus.connect(kService, kPath, kInterface, QStringLiteral("NotificationClosed"), this,
                SLOT(onNotificationClosed(uint, uint)));
}

bool DesktopNotifier::isAvailable() const {
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface())
        return false;
    if (bus.interface()->isServiceRegistered(kService))
        return true;
    // Many daemons are started on first use (D-Bus activation), so not yet registered.
    const QDBusReply<QStringList> activatable =
        bus.interface()->call(QStringLiteral("ListActivatableNames"));
    return activatable.isValid() && activatable.value().contains(kService);
}

bool DesktopNotifier::notify(const QString& summary, const QString& body,
                             const QString& actionLabel, std::function<void()> onAction) {
    if (!isAvailable())
        return false;
    m_action = std::move(onAction);
    QVariantMap hints;
    // Lets the desktop show the app's name and icon and group its notifications.
    if (!QGuiApplication::desktopFileName().isEmpty())
        hints.insert(QStringLiteral("desktop-entry"), QGuiApplication::desktopFileName());
    hints.insert(QStringLiteral("category"), QStringLiteral("transfer.complete"));
    QStringList actions;
    if (!actionLabel.isEmpty())
        actions << kDefaultAction << actionLabel << kOpenAction << actionLabel;

    QDBusMessage call =
        QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
    const QString appIcon = QGuiApplication::desktopFileName(); // the icon has the app id's name
    call << QGuiApplication::applicationDisplayName() << m_id << appIcon << summary << body
         << actions << hints << kExpireTimeoutMs;
    auto* watcher =
        new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this](QDBusPendingCallWatcher* w) { onNotifyReply(w); });
    return true;
}

void DesktopNotifier::onNotifyReply(QDBusPendingCallWatcher* watcher) {
    watcher->deleteLater();
    const QDBusPendingReply<uint> reply = *watcher;
    if (reply.isError()) {
        m_action = nullptr;
        emit failed(reply.error().message());
        return;
    }
    m_id = reply.value();
    m_actionId = m_id;
    emit shown(m_id);
}

void DesktopNotifier::onActionInvoked(uint id, const QString& actionKey) {
    if (id == 0 || id != m_actionId || (actionKey != kOpenAction && actionKey != kDefaultAction))
        return; // another application's notification, or an older one of ours
    // Once: servers may send both keys for one click, and the notification is then gone.
    auto action = std::exchange(m_action, nullptr);
    if (action)
        action();
}

void DesktopNotifier::onNotificationClosed(uint id, uint /*reason*/) {
    // Nothing left to replace; the action stays, as some servers close the notification
    // before they send ActionInvoked for the click that closed it.
    if (id != 0 && id == m_id)
        m_id = 0;
}
