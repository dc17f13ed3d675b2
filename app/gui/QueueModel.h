#pragma once
// QueueModel: the queue as a table (one row per input file). Storage and presentation only;
// QueueController decides what happens to the items.

#include "QueueItem.h"

#include <QAbstractTableModel>
#include <QVector>

#include <functional>

namespace hlsforge::gui {

class QueueModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ThumbnailColumn,
        NameColumn,
        DurationColumn,
        ResolutionColumn,
        LadderColumn,
        OutputColumn,
        StatusColumn,
        ProgressColumn,
        SpeedColumn,
        EtaColumn,
        ColumnCount
    };
    enum Role {
        ProgressFractionRole = Qt::UserRole + 1, // double 0..1, for the progress delegate
        ItemIdRole,                              // quint64
        StateRole,                               // int(JobState)
    };

    explicit QueueModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // The text the Ladder column shows for items that use the global ladder.
    void setGlobalLadder(const Ladder& ladder, const QString& name);
    const Ladder& globalLadder() const { return m_globalLadder; }
    const Ladder& ladderFor(const QueueItem& item) const {
        return item.ladderOverride ? *item.ladderOverride : m_globalLadder;
    }

    quint64 append(QueueItem item); // assigns and returns the id
    void removeById(quint64 id);
    int rowOf(quint64 id) const; // -1 when gone
    const QueueItem* find(quint64 id) const;
    const QueueItem& at(int row) const { return m_items.at(row); }
    const QVector<QueueItem>& items() const { return m_items; }
    quint64 idAt(int row) const { return m_items.at(row).id; }

    // Changes one item and repaints its row; a no-op when the item is gone.
    void update(quint64 id, const std::function<void(QueueItem&)>& change);

signals:
    void itemChanged(quint64 id);

private:
    QString ladderText(const QueueItem& item) const;

    QVector<QueueItem> m_items;
    quint64 m_nextId = 1;
    Ladder m_globalLadder;
    QString m_globalLadderName;
};

} // namespace hlsforge::gui
