#include "ProgressDelegate.h"

#include "QueueModel.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

#include <cmath>

namespace hlsforge::gui {

void ProgressDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
    const auto state = JobState(index.data(QueueModel::StateRole).toInt());
    if (state == JobState::Probing || state == JobState::Ready || state == JobState::Invalid) {
        QStyledItemDelegate::paint(painter, option, index); // selection background only
        return;
    }
    // Draw the selection background first so a selected row stays visibly selected.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &background, painter, widget);

    const double fraction =
        std::clamp(index.data(QueueModel::ProgressFractionRole).toDouble(), 0.0, 1.0);
    QStyleOptionProgressBar bar;
    bar.rect =
        option.rect.adjusted(4, option.rect.height() / 2 - 9, -4, -(option.rect.height() / 2 - 9));
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.progress = int(std::lround(fraction * 1000));
    bar.text = QStringLiteral("%1 %").arg(int(std::floor(fraction * 100)));
    // The speed rides along in the bar: one column less to fit in a 1280-pixel window.
    const QVariant speed = index.siblingAtColumn(QueueModel::SpeedColumn).data();
    if (state == JobState::Running && !speed.toString().isEmpty())
        bar.text += QStringLiteral(" · ") + speed.toString();
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    bar.state = option.state | QStyle::State_Horizontal;
    bar.palette = option.palette;
    if (state == JobState::Failed || state == JobState::Cancelled)
        bar.palette.setColor(QPalette::Highlight, QColor(0xb0, 0xb0, 0xb0));
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem& option,
                                 const QModelIndex& index) const {
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width(), 140));
    return size;
}

} // namespace hlsforge::gui
