#pragma once
// NotificationBar: a one-line message above the queue that stays until dismissed, with an
// optional action button ("Open folder", "Details…"). Used where a status-bar line would
// vanish before anyone reads it: a batch that finished, files a folder scan left out.

#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;

namespace hlsforge::gui {

class NotificationBar : public QFrame {
    Q_OBJECT
public:
    explicit NotificationBar(QWidget* parent = nullptr);

    // Replaces whatever is shown. `actionText` empty: no button. `tooltip` holds the long form.
    void showMessage(const QString& text, const QString& actionText = {},
                     std::function<void()> action = {}, const QString& tooltip = {});
    QString text() const;

private:
    QLabel* m_text;
    QPushButton* m_action;
    std::function<void()> m_callback;
};

} // namespace hlsforge::gui
