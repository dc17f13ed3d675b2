#include "SubtitlesDialog.h"

#include "subtitles/Language.h"
#include "subtitles/SubtitleFile.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace hlsforge::gui {

using subtitles::PlannedTrack;
using subtitles::SubtitleInput;

namespace {

QString originText(PlannedTrack::Origin origin) {
    switch (origin) {
    case PlannedTrack::Origin::Source:
        return SubtitlesDialog::tr("In the file");
    case PlannedTrack::Origin::Sidecar:
        return SubtitlesDialog::tr("Beside the file");
    case PlannedTrack::Origin::Added:
        return SubtitlesDialog::tr("Added");
    }
    return {};
}

} // namespace

bool SubtitlesDialog::prepareFile(const QString& path, const LanguageQuestion& ask,
                                  SubtitleInput* input, QString* problem) {
    problem->clear();
    // Read now, so a broken file is named at once (the engine would only warn after the
    // encode and leave it out).
    const StatusOr<QVector<subtitles::Cue>> cues = subtitles::readSubtitleFile(path);
    if (!cues.isOk()) {
        *problem = cues.status().message();
        return false;
    }
    *input = subtitles::subtitleInputFromFileName(path);
    if (input->languageCode.isEmpty()) {
        input->languageCode = ask ? ask(QFileInfo(path).fileName()).trimmed() : QString();
        if (input->languageCode.isEmpty())
            return false; // cancelled
    }
    return true;
}

SubtitlesDialog::SubtitlesDialog(const QString& inputPath, const QVector<SubtitleInput>& added,
                                 LanguageQuestion ask, QWidget* parent)
    : QDialog(parent), m_inputPath(inputPath), m_files(added), m_ask(std::move(ask)) {
    setObjectName(QStringLiteral("subtitlesDialog"));
    setWindowTitle(tr("Subtitles — %1").arg(QFileInfo(inputPath).fileName()));
    auto* intro = new QLabel(
        tr("The subtitle tracks of this file's ladder: its own text tracks, files beside it "
           "named <i>%1.&lt;language&gt;.srt</i> or <i>.vtt</i>, and the files you add here. "
           "Language, name and forced can be changed for added files.")
            .arg(QFileInfo(inputPath).completeBaseName().toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("subtitleTracks"));
    m_table->setHorizontalHeaderLabels(
        {tr("Source"), tr("Track"), tr("Language"), tr("Name"), tr("Forced"), tr("Status")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("subtitleMessage"));
    m_message->setStyleSheet(QStringLiteral("color: #b00020"));
    m_message->setWordWrap(true);
    m_message->hide();

    auto* add = new QPushButton(tr("&Add files…"), this);
    add->setObjectName(QStringLiteral("addSubtitles"));
    auto* remove = new QPushButton(tr("&Remove"), this);
    remove->setObjectName(QStringLiteral("removeSubtitle"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->addButton(add, QDialogButtonBox::ActionRole);
    buttons->addButton(remove, QDialogButtonBox::ActionRole);
    connect(add, &QPushButton::clicked, this, &SubtitlesDialog::chooseFiles);
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        const int first = int(m_planned.size() - m_files.size()); // added files come last
        if (row >= first)
            removeAddedFile(row - first);
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_table, &QTableWidget::cellChanged, this, &SubtitlesDialog::onItemChanged);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(760, 360);
    refresh();
}

QString SubtitlesDialog::messageText() const {
    return m_message->isHidden() ? QString() : m_message->text();
}

int SubtitlesDialog::addFiles(const QStringList& paths) {
    QStringList problems;
    int added = 0;
    for (const QString& path : paths) {
        const bool known = std::any_of(m_files.begin(), m_files.end(), [&](const SubtitleInput& f) {
            return QFileInfo(f.path) == QFileInfo(path);
        });
        if (known)
            continue;
        SubtitleInput input;
        QString problem;
        if (prepareFile(path, m_ask, &input, &problem)) {
            m_files.append(input);
            ++added;
        } else if (!problem.isEmpty()) {
            problems << tr("%1 — not added").arg(problem);
        }
    }
    m_message->setText(problems.join(QLatin1Char('\n')));
    m_message->setVisible(!problems.isEmpty());
    refresh();
    return added;
}

void SubtitlesDialog::removeAddedFile(int index) {
    if (index < 0 || index >= m_files.size())
        return;
    m_files.removeAt(index);
    refresh();
}

void SubtitlesDialog::chooseFiles() {
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Add subtitle files"), QFileInfo(m_inputPath).absolutePath(),
        tr("Subtitles (*.srt *.vtt *.SRT *.VTT)"));
    if (!paths.isEmpty())
        addFiles(paths);
}

void SubtitlesDialog::refresh() {
    m_planned = subtitles::planSubtitleTracks(m_inputPath, m_files);
    m_filling = true;
    m_table->setRowCount(int(m_planned.size()));
    for (int row = 0; row < m_planned.size(); ++row) {
        const PlannedTrack& t = m_planned[row];
        const bool editable = t.origin == PlannedTrack::Origin::Added;
        const auto cell = [&](int column, const QString& text, bool canEdit) {
            auto* item = new QTableWidgetItem(text);
            Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
            if (canEdit)
                flags |= Qt::ItemIsEditable;
            item->setFlags(flags);
            m_table->setItem(row, column, item);
            return item;
        };
        cell(OriginColumn, originText(t.origin), false);
        cell(TrackColumn, t.where, false)->setToolTip(t.path);
        // An added file shows the code as given, so it can be edited; others what the master says.
        const QString language =
            editable ? m_files[row - (m_planned.size() - m_files.size())].languageCode : t.language;
        cell(LanguageColumn, language, editable)
            ->setToolTip(subtitles::languageDisplayName(t.language));
        cell(NameColumn, t.name, editable)
            ->setToolTip(tr("NAME in the master playlist; empty: the language's own name (%1)")
                             .arg(subtitles::languageDisplayName(t.language)));
        QTableWidgetItem* forced = cell(ForcedColumn, QString(), false);
        if (editable)
            forced->setFlags(forced->flags() | Qt::ItemIsUserCheckable);
        forced->setCheckState(t.forced ? Qt::Checked : Qt::Unchecked);
        QString status;
        if (!t.usable())
            status = tr("left out: %1").arg(t.problem);
        else if (t.origin == PlannedTrack::Origin::Source)
            status = tr("carried over");
        else
            status = tr("%n cue(s)", nullptr, t.cueCount);
        cell(StatusColumn, status, false)->setToolTip(status);
    }
    m_table->resizeColumnsToContents();
    m_filling = false;
}

void SubtitlesDialog::onItemChanged(int row, int column) {
    if (m_filling)
        return;
    const int index = row - int(m_planned.size() - m_files.size());
    if (index < 0 || index >= m_files.size())
        return;
    SubtitleInput& f = m_files[index];
    const QTableWidgetItem* item = m_table->item(row, column);
    if (!item)
        return;
    if (column == LanguageColumn)
        f.languageCode = item->text().trimmed();
    else if (column == NameColumn)
        f.name = item->text().trimmed();
    else if (column == ForcedColumn)
        f.forced = item->checkState() == Qt::Checked;
    else
        return;
    // Re-planned after the edit returns: the table must not be rebuilt inside its own signal.
    QMetaObject::invokeMethod(this, &SubtitlesDialog::refresh, Qt::QueuedConnection);
}

} // namespace hlsforge::gui
