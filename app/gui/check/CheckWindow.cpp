#include "CheckWindow.h"

#include "check/CheckJob.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScreen>
#include <QShortcut>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace hlsforge::gui {

namespace {
enum Column { SeverityColumn, SectionColumn, RuleColumn, WhereColumn, MessageColumn };
} // namespace

CheckWindow::CheckWindow(const QString& ladder, QWidget* parent) : QWidget(parent) {
    setWindowTitle(tr("Check a ladder"));
    m_ladder = new QLineEdit(ladder, this);
    m_ladder->setObjectName(QStringLiteral("checkLadder"));
    m_ladder->setPlaceholderText(tr("A ladder folder, its master.m3u8, or an https:// URL"));
    m_ladder->setClearButtonEnabled(true);
    auto* browse = new QPushButton(tr("&Folder…"), this);
    m_checkButton = new QPushButton(tr("&Check"), this);
    m_checkButton->setObjectName(QStringLiteral("checkButton"));
    m_checkButton->setDefault(true);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_status = new QLabel(tr("Checks a VOD ladder against Apple's HLS authoring rules: "
                             "keyframes, alignment, BANDWIDTH, CODECS, playlists."),
                          this);
    m_status->setObjectName(QStringLiteral("checkStatus"));
    m_status->setWordWrap(true);
    m_findings = new QTreeWidget(this);
    m_findings->setObjectName(QStringLiteral("checkFindings"));
    m_findings->setRootIsDecorated(false);
    m_findings->setAlternatingRowColors(true);
    m_findings->setWordWrap(true);
    m_findings->setHeaderLabels(
        {tr("Severity"), tr("Section"), tr("Rule"), tr("Where"), tr("What")});
    m_findings->header()->setSectionResizeMode(MessageColumn, QHeaderView::Stretch);
    m_findings->header()->setStretchLastSection(true);
    m_findings->setColumnWidth(SeverityColumn, 70);
    m_findings->setColumnWidth(SectionColumn, 120);
    m_findings->setColumnWidth(RuleColumn, 170);
    m_findings->setColumnWidth(WhereColumn, 200);
    m_findings->setTextElideMode(Qt::ElideRight);
    // The table elides long messages; the selected finding is shown whole underneath.
    m_detail = new QLabel(this);
    m_detail->setObjectName(QStringLiteral("checkDetail"));
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setMinimumHeight(m_detail->fontMetrics().lineSpacing() * 3);
    m_detail->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    connect(m_findings, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!item) {
            m_detail->clear();
            return;
        }
        m_detail->setText(QStringLiteral("<b>%1 · %2 · %3</b><br>%4<br>%5")
                              .arg(item->text(SeverityColumn), item->text(SectionColumn),
                                   item->text(RuleColumn), item->text(WhereColumn).toHtmlEscaped(),
                                   item->text(MessageColumn).toHtmlEscaped()));
    });
    m_exportButton = new QPushButton(tr("Export &JSON…"), this);
    m_exportButton->setEnabled(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_exportButton, QDialogButtonBox::ActionRole);

    auto* input = new QHBoxLayout;
    input->addWidget(m_ladder, 1);
    input->addWidget(browse);
    input->addWidget(m_checkButton);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(input);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_findings, 1);
    layout->addWidget(m_detail);
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(
            this, tr("A ladder folder (holding master.m3u8)"), m_ladder->text());
        if (!folder.isEmpty()) {
            m_ladder->setText(folder);
            check(folder);
        }
    });
    connect(m_checkButton, &QPushButton::clicked, this,
            [this] { check(m_ladder->text().trimmed()); });
    connect(m_ladder, &QLineEdit::returnPressed, this,
            [this] { check(m_ladder->text().trimmed()); });
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export the check report"), QStringLiteral("check.json"), tr("JSON (*.json)"));
        if (path.isEmpty())
            return;
        const Status written = exportJson(path);
        if (!written.isOk())
            m_status->setText(written.message());
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QWidget::close);
    for (const QKeySequence& keys :
         {QKeySequence(QKeySequence::Close), QKeySequence(Qt::Key_Escape)})
        connect(new QShortcut(keys, this), &QShortcut::activated, this, &QWidget::close);

    // Room for the table, within the screen (also at 1.5x scale on a 1280x760 screen).
    QSize size(980, 520);
    if (const QScreen* screen = this->screen())
        size = size.boundedTo(screen->availableGeometry().size() * 0.95);
    resize(size);
    if (!ladder.isEmpty())
        QTimer::singleShot(0, this, [this, ladder] { check(ladder); });
}

CheckWindow::~CheckWindow() {
    if (m_job)
        m_job->cancel(); // its destructor (the parent's) joins the worker
}

bool CheckWindow::isChecking() const {
    return m_job && m_job->isRunning();
}

QString CheckWindow::statusText() const {
    return m_status->text();
}

int CheckWindow::findingRows() const {
    return m_findings->topLevelItemCount();
}

void CheckWindow::check(const QString& ladder) {
    if (ladder.isEmpty()) {
        m_status->setText(tr("Give a ladder folder, a master.m3u8 or a URL."));
        return;
    }
    if (m_job) {
        m_job->disconnect(this);
        m_job->cancel();
        m_job->setParent(nullptr);
        connect(m_job, &Job::finished, m_job, &QObject::deleteLater);
    }
    m_ladder->setText(ladder);
    m_findings->clear();
    m_detail->clear();
    m_haveReport = false;
    m_exportButton->setEnabled(false);
    m_progress->setValue(0);
    m_progress->show();
    m_status->setText(tr("Checking %1…").arg(ladder));
    m_job = new check::CheckJob(ladder, this);
    connect(m_job, &Job::progressChanged, this, [this] {
        if (m_job)
            m_progress->setValue(int(m_job->progress().fraction * 1000));
    });
    connect(m_job, &Job::finished, this, &CheckWindow::onFinished);
    m_job->start();
}

void CheckWindow::onFinished() {
    check::CheckJob* job = m_job;
    if (!job)
        return;
    m_progress->hide();
    const Status status = job->status();
    if (status.isOk()) {
        m_report = job->report();
        m_haveReport = true;
        showReport();
    } else if (status.isCancelled()) {
        m_status->setText(tr("Check cancelled."));
    } else {
        m_status->setText(tr("Cannot check: %1").arg(status.message()));
    }
    job->deleteLater();
    m_job = nullptr;
    emit checked();
}

void CheckWindow::showReport() {
    const int must = m_report.count(check::Severity::Must);
    const int should = m_report.count(check::Severity::Should);
    const QString scope = tr("%n variant(s), %1 segments in %2 s", nullptr, m_report.variants)
                              .arg(m_report.segmentsChecked)
                              .arg(m_report.elapsedSeconds, 0, 'f', 1);
    if (must == 0 && should == 0)
        m_status->setText(
            tr("No findings: the ladder follows every rule checked (%1).").arg(scope));
    else
        m_status->setText(tr("%1 must-fix, %2 should-fix (%3).").arg(must).arg(should).arg(scope));
    for (const check::Severity severity : {check::Severity::Must, check::Severity::Should})
        for (const check::Finding& f : m_report.findings) {
            if (f.severity != severity)
                continue;
            auto* row = new QTreeWidgetItem(m_findings);
            row->setText(SeverityColumn,
                         severity == check::Severity::Must ? tr("must") : tr("should"));
            row->setText(SectionColumn, f.section);
            row->setText(RuleColumn, f.rule);
            row->setText(WhereColumn, f.where);
            row->setText(MessageColumn, f.message);
            row->setToolTip(WhereColumn, f.where);
            row->setToolTip(MessageColumn, f.message);
            if (severity == check::Severity::Must)
                row->setForeground(SeverityColumn, QColor(0xb0, 0x00, 0x20));
        }
    if (m_findings->topLevelItemCount() > 0)
        m_findings->setCurrentItem(m_findings->topLevelItem(0));
    m_exportButton->setEnabled(true);
}

Status CheckWindow::exportJson(const QString& path) const {
    if (!m_haveReport)
        return Status::error(Status::Code::InvalidArgument, tr("Nothing checked yet."));
    QSaveFile file(path);
    const QByteArray json = QJsonDocument(m_report.toJson()).toJson(QJsonDocument::Indented);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit())
        return Status::error(Status::Code::IoError,
                             tr("%1: cannot write (%2)").arg(path, file.errorString()));
    return Status::ok();
}

} // namespace hlsforge::gui
