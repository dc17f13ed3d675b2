#pragma once
// LadderEditor: the rung table with the shared settings, the preset picker, JSON load/save
// and a validation line that says what is wrong in the user's terms before any job starts.

#include "ladder/Ladder.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTableView;

namespace hlsforge::gui {

class LadderModel;

class LadderEditor : public QWidget {
    Q_OBJECT
public:
    explicit LadderEditor(QWidget* parent = nullptr);

    const Ladder& ladder() const;
    // The preset's name while unchanged, "custom" after any edit or for a loaded file.
    QString ladderName() const { return m_name; }
    void setLadder(const Ladder& ladder, const QString& name);
    bool applyPreset(const QString& presetName); // unconditionally
    // What the preset menu and picker do: asks before replacing edited (custom) rungs.
    bool choosePreset(const QString& presetName);
    // Tests answer the question through this; null: a message box asks.
    void setReplaceConfirmation(std::function<bool(const QString& presetName)> ask) {
        m_confirmReplace = std::move(ask);
    }

    Status validation() const;
    // The validation line's text: empty when the ladder is valid.
    QString validationMessage() const;
    // "renditions[1].height: must be even" → "Rung 2 (720p): height must be even".
    static QString explain(const Status& status, const Ladder& ladder);

    Status loadFromFile(const QString& path);
    Status saveToFile(const QString& path) const;

    void setReferenceSize(QSize displaySize, const QString& description);
    LadderModel* model() const { return m_model; }
    QTableView* rungTable() const { return m_table; }

public slots:
    void loadWithDialog();
    void saveWithDialog();
    void addRung();
    void duplicateRung();
    void removeRung();

signals:
    void ladderChanged();
    void minimumWidthChanged(); // the rungs' columns need another width

public:
    // Sets the minimum width to what the rung table's columns need (called as rungs change).
    void fitTableWidth();

private:
    void syncFieldsFromModel();
    void onModelChanged();

    LadderModel* m_model;
    QString m_name;
    bool m_syncing = false; // true while fields are set from the model, not by the user
    QComboBox* m_presetCombo;
    QLabel* m_presetDescription;
    QTableView* m_table;
    QDoubleSpinBox* m_segmentSeconds;
    QComboBox* m_segmentFormat;
    QComboBox* m_x264Preset;
    QComboBox* m_x265Preset;
    QSpinBox* m_svtAv1Preset;
    QSpinBox* m_audioKbps;
    QCheckBox* m_progressive;
    QComboBox* m_progressiveRung;
    QCheckBox* m_playerPage;
    QCheckBox* m_measureQuality;
    QCheckBox* m_thumbnails;
    QComboBox* m_playerScripts;
    QLabel* m_referenceLabel;
    QLabel* m_validationLabel;
    std::function<bool(const QString&)> m_confirmReplace;
};

} // namespace hlsforge::gui
