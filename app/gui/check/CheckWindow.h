#pragma once
// CheckWindow: "Check a ladder…" — any HLS ladder (a folder, a master playlist or a URL)
// against Apple's authoring rules (core/check, as `hlsforge-cli check`), its findings in a
// table, must-fix first, exportable as the CLI's JSON.

#include "check/LadderCheck.h"

#include <QPointer>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;
QT_END_NAMESPACE

namespace hlsforge::check {
class CheckJob;
}

namespace hlsforge::gui {

class CheckWindow : public QWidget {
    Q_OBJECT
public:
    // `ladder` may be empty: the user types or picks one. A given ladder is checked at once.
    explicit CheckWindow(const QString& ladder = {}, QWidget* parent = nullptr);
    ~CheckWindow() override;

    void check(const QString& ladder); // cancels a check under way
    bool isChecking() const;
    // The last report (empty until a check has finished), and the text of the status line.
    const check::CheckReport& report() const { return m_report; }
    QString statusText() const;
    int findingRows() const;
    Status exportJson(const QString& path) const;

signals:
    void checked(); // a check finished (report() or statusText() tell how)

private:
    void onFinished();
    void showReport();

    QLineEdit* m_ladder = nullptr;
    QPushButton* m_checkButton = nullptr;
    QPushButton* m_exportButton = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QTreeWidget* m_findings = nullptr;
    QLabel* m_detail = nullptr; // the selected finding, whole
    QPointer<check::CheckJob> m_job;
    check::CheckReport m_report;
    bool m_haveReport = false;
};

} // namespace hlsforge::gui
