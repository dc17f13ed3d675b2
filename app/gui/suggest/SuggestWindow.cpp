#include "SuggestWindow.h"

#include "ladder/Presets.h"
#include "suggest/SuggestJob.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace hlsforge::gui {

SuggestWindow::SuggestWindow(const QString& source, const Ladder& base, QWidget* parent)
    : QWidget(parent), m_base(base) {
    setObjectName(QStringLiteral("suggestWindow"));
    setWindowTitle(tr("Suggest a ladder"));
    resize(820, 640);
    auto* layout = new QVBoxLayout(this);

    auto* sourceRow = new QHBoxLayout;
    m_source = new QLineEdit(source, this);
    m_source->setObjectName(QStringLiteral("suggestSource"));
    m_source->setPlaceholderText(tr("A video file"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("suggestComparePreset"));
    m_preset->setToolTip(tr("The fixed ladder the saving is stated against"));
    for (const LadderPreset& p : ladderPresets())
        m_preset->addItem(p.name);
    m_preset->setCurrentText(QStringLiteral("web"));
    m_run = new QPushButton(tr("Suggest"), this);
    m_run->setObjectName(QStringLiteral("suggestRun"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("suggestCancel"));
    m_cancel->setEnabled(false);
    sourceRow->addWidget(m_source, 1);
    sourceRow->addWidget(browse);
    sourceRow->addWidget(new QLabel(tr("Compare with:"), this));
    sourceRow->addWidget(m_preset);
    sourceRow->addWidget(m_run);
    sourceRow->addWidget(m_cancel);
    layout->addLayout(sourceRow);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    layout->addWidget(m_progress);
    m_status = new QLabel(tr("Samples a few calm and busy seconds, trial-encodes them at several "
                             "sizes and bitrates, and picks rungs on the best quality per bit."),
                          this);
    m_status->setObjectName(QStringLiteral("suggestStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_chart = new QChartView(this);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(260);
    m_chart->setChart(new QChart);
    m_chart->chart()->legend()->setAlignment(Qt::AlignBottom);
    layout->addWidget(m_chart, 1);

    m_rungs = new QTreeWidget(this);
    m_rungs->setObjectName(QStringLiteral("suggestRungs"));
    m_rungs->setRootIsDecorated(false);
    m_rungs->setHeaderLabels({tr("Rung"), tr("Size"), tr("Video kb/s"), tr("PSNR (predicted)")});
    m_rungs->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_rungs->setMaximumHeight(170);
    layout->addWidget(m_rungs);
    m_saving = new QLabel(this);
    m_saving->setObjectName(QStringLiteral("suggestSaving"));
    m_saving->setWordWrap(true);
    m_saving->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_saving);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    m_use = new QPushButton(tr("Use this ladder"), this);
    m_use->setObjectName(QStringLiteral("suggestUse"));
    m_use->setEnabled(false);
    m_use->setToolTip(tr("Load the suggested rungs into the ladder editor"));
    buttons->addWidget(m_use);
    layout->addLayout(buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Video to suggest a ladder for"),
                                                          m_source->text());
        if (!path.isEmpty())
            m_source->setText(path);
    });
    connect(m_run, &QPushButton::clicked, this, [this] { suggestFor(m_source->text().trimmed()); });
    connect(m_source, &QLineEdit::returnPressed, m_run, &QPushButton::click);
    connect(m_cancel, &QPushButton::clicked, this, &SuggestWindow::cancel);
    connect(m_use, &QPushButton::clicked, this, [this] {
        if (m_haveSuggestion)
            emit useLadder(m_suggestion.ladder);
    });
    // The job's snapshot a few times a second, as the queue reads transcodes.
    auto* timer = new QTimer(this);
    timer->setInterval(200);
    connect(timer, &QTimer::timeout, this, [this] {
        if (!m_job || !m_job->isRunning())
            return;
        const JobProgress p = m_job->progress();
        m_progress->setValue(int(p.fraction * 1000));
        if (!p.text.isEmpty())
            m_status->setText(p.text);
    });
    timer->start();
    if (!source.isEmpty())
        QTimer::singleShot(0, this, [this, source] { suggestFor(source); });
}

SuggestWindow::~SuggestWindow() {
    delete m_job.data(); // cancels and waits (Job's destructor), no finished() then
}

bool SuggestWindow::isRunning() const {
    return m_job && m_job->isRunning();
}

void SuggestWindow::suggestFor(const QString& source) {
    if (source.isEmpty()) {
        m_status->setText(tr("Choose a video file first."));
        return;
    }
    if (m_job) {
        m_job->disconnect(this);
        m_job->cancel();
        m_job->deleteLater(); // its destructor waits for the worker
    }
    m_source->setText(source);
    suggest::SuggestOptions options;
    options.base = m_base;
    options.comparePreset = m_preset->currentText();
    m_job = new suggest::SuggestJob(source, options, this);
    connect(m_job, &Job::finished, this, &SuggestWindow::onFinished);
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_cancel->setEnabled(true);
    m_run->setEnabled(false);
    m_status->setText(tr("Analysing %1…").arg(QFileInfo(source).fileName()));
    m_job->start();
}

void SuggestWindow::cancel() {
    if (m_job)
        m_job->cancel();
}

void SuggestWindow::onFinished() {
    m_progress->setVisible(false);
    m_cancel->setEnabled(false);
    m_run->setEnabled(true);
    const Status status = m_job->status();
    if (status.isOk()) {
        showSuggestion(m_job->suggestion());
    } else if (status.isCancelled()) {
        m_status->setText(tr("Cancelled."));
    } else {
        m_status->setText(status.message());
    }
    m_job->deleteLater();
    emit finished();
}

void SuggestWindow::showSuggestion(const suggest::Suggestion& s) {
    m_suggestion = s;
    m_haveSuggestion = true;
    m_status->setText(tr("%1: %2x%3, %4 trial encodes of %5 sampled frames in %6 s.")
                          .arg(s.source)
                          .arg(s.sourceWidth)
                          .arg(s.sourceHeight)
                          .arg(s.points.size())
                          .arg(s.sampledFrames)
                          .arg(s.analysisSeconds, 0, 'f', 1));
    m_rungs->clear();
    for (int i = 0; i < s.rungs.size(); ++i) {
        const suggest::SuggestedRung& r = s.rungs[i];
        auto* item = new QTreeWidgetItem(m_rungs);
        item->setText(0, i < s.ladder.renditions.size() ? s.ladder.renditions[i].effectiveName()
                                                        : QString());
        item->setText(1, QStringLiteral("%1×%2").arg(r.width).arg(
                             r.pictureHeight > 0 ? r.pictureHeight : r.height));
        item->setText(2, QString::number(r.videoKbps));
        item->setText(3, QStringLiteral("%1 dB").arg(r.predictedPsnr, 0, 'f', 1));
    }
    QString saving = s.savingText().trimmed();
    for (const QString& w : s.warnings)
        saving += QStringLiteral("\n⚠ ") + w;
    m_saving->setText(saving);
    m_use->setEnabled(!s.ladder.renditions.isEmpty());
    rebuildChart();
}

void SuggestWindow::rebuildChart() {
    QChart* chart = m_chart->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes())
        chart->removeAxis(axis);
    chart->setTitle(tr("PSNR at the source's size vs video kb/s (target %1 dB)")
                        .arg(m_suggestion.targetPsnr, 0, 'f', 0));
    auto* x = new QLogValueAxis;
    x->setBase(2);
    x->setLabelFormat(QStringLiteral("%.0f"));
    x->setTitleText(tr("kb/s"));
    auto* y = new QValueAxis;
    y->setTitleText(tr("PSNR (dB)"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double minKbps = 1e9, maxKbps = 1, minPsnr = 100, maxPsnr = 0;
    QVector<int> heights;
    for (const suggest::TrialPoint& p : m_suggestion.points)
        if (!heights.contains(p.height))
            heights.append(p.height);
    std::sort(heights.begin(), heights.end(), std::greater<int>());
    for (int h : heights) {
        auto* series = new QScatterSeries;
        series->setName(QStringLiteral("%1p").arg(h));
        series->setMarkerSize(8);
        for (const suggest::TrialPoint& p : m_suggestion.points) {
            if (p.height != h)
                continue;
            series->append(p.kbps, p.psnr);
            minKbps = std::min(minKbps, p.kbps);
            maxKbps = std::max(maxKbps, p.kbps);
            minPsnr = std::min(minPsnr, p.psnr);
            maxPsnr = std::max(maxPsnr, p.psnr);
        }
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    auto* hull = new QLineSeries;
    hull->setName(tr("hull"));
    QVector<suggest::TrialPoint> onHull;
    for (const suggest::TrialPoint& p : m_suggestion.points)
        if (p.onHull)
            onHull.append(p);
    std::sort(
        onHull.begin(), onHull.end(),
        [](const suggest::TrialPoint& a, const suggest::TrialPoint& b) { return a.kbps < b.kbps; });
    for (const suggest::TrialPoint& p : onHull)
        hull->append(p.kbps, p.psnr);
    chart->addSeries(hull);
    hull->attachAxis(x);
    hull->attachAxis(y);
    auto* rungs = new QScatterSeries;
    rungs->setName(tr("suggested rungs"));
    rungs->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    rungs->setMarkerSize(11);
    // Its own colour (the CLI chart's): the theme's next colour was the first resolution's blue.
    rungs->setColor(QColor(0xe6, 0x6c, 0x00));
    rungs->setBorderColor(Qt::black);
    for (const suggest::SuggestedRung& r : m_suggestion.rungs)
        rungs->append(r.videoKbps, r.predictedPsnr);
    chart->addSeries(rungs);
    rungs->attachAxis(x);
    rungs->attachAxis(y);
    if (maxKbps > minKbps) {
        x->setRange(minKbps / 1.2, maxKbps * 1.2);
        y->setRange(std::floor(minPsnr - 1),
                    std::ceil(std::max(maxPsnr, m_suggestion.targetPsnr) + 1));
    }
}

QString SuggestWindow::statusText() const {
    return m_status->text();
}

QString SuggestWindow::savingText() const {
    return m_saving->text();
}

int SuggestWindow::rungRows() const {
    return m_rungs->topLevelItemCount();
}

int SuggestWindow::trialPointCount() const {
    int n = 0;
    for (QAbstractSeries* s : m_chart->chart()->series()) {
        auto* scatter = qobject_cast<QScatterSeries*>(s);
        if (scatter && scatter->name() != tr("suggested rungs"))
            n += scatter->count();
    }
    return n;
}

int SuggestWindow::hullPointCount() const {
    for (QAbstractSeries* s : m_chart->chart()->series()) {
        auto* line = qobject_cast<QLineSeries*>(s);
        if (line && !qobject_cast<QScatterSeries*>(s))
            return line->count();
    }
    return 0;
}

} // namespace hlsforge::gui
