#pragma once
// LadderModel: a Ladder as an editable table of rungs, plus the settings the rungs share.
// Edits that cannot be represented (text in a number column, negative sizes) are refused
// in setData; everything else is accepted and judged by Ladder::validate(), so the editor
// can explain what is wrong instead of silently snapping values.

#include "ladder/Ladder.h"

#include <QAbstractTableModel>
#include <QSize>

namespace hlsforge::gui {

class LadderModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        CodecColumn,
        HeightColumn,
        SizeColumn,
        VideoKbpsColumn,
        MaxKbpsColumn,
        ColumnCount
    };

    explicit LadderModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;

    const Ladder& ladder() const { return m_ladder; }
    void setLadder(const Ladder& ladder);
    Status validate() const { return m_ladder.validate(); }

    void setSegmentSeconds(double seconds);
    void setSegmentFormat(SegmentFormat format);
    void setX264Preset(const QString& preset);
    void setX265Preset(const QString& preset);
    void setSvtAv1Preset(int preset);
    void setAudioKbps(int kbps);
    void setProgressive(bool enabled, const QString& rungName); // empty rung: core picks ≤720p
    void setPlayerPage(bool enabled);
    void setMeasureQuality(bool enabled);
    void setThumbnails(bool enabled);
    void setPlayerScripts(const QString& scripts); // "cdn" or "self-contained"

    // A rung between two neighbours (after `selectedRow`, or in the widest gap when -1),
    // size and bitrate at their geometric mean; returns its row.
    int addRung(int selectedRow = -1);
    int duplicateRung(int row); // returns the new row
    void removeRung(int row);

    // The picture the Size column is computed for (a selected file, or 16:9 by default).
    void setReferenceSize(QSize displaySize);
    QSize referenceSize() const { return m_reference; }
    QSize outputSize(int row) const;

signals:
    void ladderChanged();

private:
    void changed();

    Ladder m_ladder;
    QSize m_reference{1920, 1080};
};

} // namespace hlsforge::gui
