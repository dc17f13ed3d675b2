#pragma once
// DesktopNotifier: a desktop notification with one action ("Open folder"), through the
// freedesktop.org Notifications service on the session bus (GNOME Shell, KDE Plasma, dunst,
// xfce4-notifyd, mako…). It needs no system tray, which most desktops no longer have, so it
// is what tells a creator in another window that the batch is done.
//
// Calls are asynchronous: a slow or hung notification daemon never blocks the UI thread.
// When no service is on the bus (no desktop session, a bare X server), isAvailable() is false
// and notify() does nothing; the window's own notification bar still says it.

#include <QObject>
#include <QString>

#include <functional>

class QDBusPendingCallWatcher;

class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    explicit DesktopNotifier(QObject* parent = nullptr);

    // A Notifications service is running on the session bus, or can be started by it.
    bool isAvailable() const;

    // Shows `summary` and `body` with a button `actionLabel`; `onAction` runs once when the
    // user clicks the button or the notification itself. A new notification replaces the
    // previous one (and its action). Returns false when there is no service to show it.
    bool notify(const QString& summary, const QString& body, const QString& actionLabel,
                std::function<void()> onAction);

    // The id the service gave the notification on screen (0: none yet, or it was closed).
    uint currentId() const { return m_id; }

signals:
    // The service answered Notify (for tests and logs): the id, or an error text.
    void shown(uint id);
    void failed(const QString& error);

private slots:
    void onActionInvoked(uint id, const QString& actionKey);
    void onNotificationClosed(uint id, uint reason);

private:
    void onNotifyReply(QDBusPendingCallWatcher* watcher);

    uint m_id = 0;       // on screen now, replaced by the next notify()
    uint m_actionId = 0; // the notification m_action belongs to
    std::function<void()> m_action;
};
