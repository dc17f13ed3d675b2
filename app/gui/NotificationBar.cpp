#include "NotificationBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace hlsforge::gui {

NotificationBar::NotificationBar(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("notificationBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    QPalette tinted = palette();
    tinted.setColor(QPalette::Window, palette().color(QPalette::AlternateBase));
    setPalette(tinted);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("notificationText"));
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_action = new QPushButton(this);
    m_action->setObjectName(QStringLiteral("notificationAction"));
    auto* close = new QToolButton(this);
    close->setObjectName(QStringLiteral("notificationClose"));
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action);
    layout->addWidget(close);
    connect(m_action, &QPushButton::clicked, this, [this] {
        if (m_callback)
            m_callback();
    });
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void NotificationBar::showMessage(const QString& text, const QString& actionText,
                                  std::function<void()> action, const QString& tooltip) {
    m_text->setText(text);
    m_text->setToolTip(tooltip);
    m_callback = std::move(action);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty() && m_callback);
    show();
}

QString NotificationBar::text() const {
    return m_text->text();
}

} // namespace hlsforge::gui
