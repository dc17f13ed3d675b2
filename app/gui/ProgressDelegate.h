#pragma once
// Paints the queue's Progress column as a progress bar from QueueModel::ProgressFractionRole.

#include <QStyledItemDelegate>

namespace hlsforge::gui {

class ProgressDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace hlsforge::gui
