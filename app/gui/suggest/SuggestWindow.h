#pragma once
// SuggestWindow: "Suggest ladder…" — a ladder suggested for one source (core/suggest, as
// `hlsforge-cli suggest`): runs a SuggestJob with progress and Cancel, draws every trial and
// the hull (PSNR at the source's size vs kb/s, Qt Charts), lists the suggested rungs and the
// expected saving against a preset, and "Use this ladder" hands the ladder to the editor.

#include "suggest/LadderSuggest.h"

#include <QPointer>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;
QT_END_NAMESPACE

namespace hlsforge::suggest {
class SuggestJob;
}

namespace hlsforge::gui {

class SuggestWindow : public QWidget {
    Q_OBJECT
public:
    // `source` may be empty: the user picks one. `base`: the shared settings (segment length,
    // x264 preset, ...) the suggested ladder keeps — the editor's current ladder.
    explicit SuggestWindow(const QString& source = {}, const Ladder& base = {},
                           QWidget* parent = nullptr);
    ~SuggestWindow() override;

    void suggestFor(const QString& source); // cancels one under way
    void cancel();
    bool isRunning() const;
    // Shows a suggestion (what a finished job does; tests hand one in directly).
    void showSuggestion(const suggest::Suggestion& suggestion);

    const suggest::Suggestion& suggestion() const { return m_suggestion; }
    bool hasSuggestion() const { return m_haveSuggestion; }
    QString statusText() const;
    QString savingText() const;
    int rungRows() const;
    // What the chart draws, for tests: trial points (all series), points of the hull line.
    int trialPointCount() const;
    int hullPointCount() const;

signals:
    void finished(); // a run ended (suggestion() or statusText() tell how)
    void useLadder(const hlsforge::Ladder& ladder);

private:
    void onFinished();
    void rebuildChart();

    Ladder m_base;
    QLineEdit* m_source = nullptr;
    QComboBox* m_preset = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QChartView* m_chart = nullptr;
    QTreeWidget* m_rungs = nullptr;
    QLabel* m_saving = nullptr;
    QPushButton* m_use = nullptr;
    QPointer<suggest::SuggestJob> m_job;
    suggest::Suggestion m_suggestion;
    bool m_haveSuggestion = false;
};

} // namespace hlsforge::gui
