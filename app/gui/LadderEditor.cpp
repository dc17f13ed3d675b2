#include "LadderEditor.h"

#include "LadderModel.h"

#include "ladder/Presets.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollBar>
#include <QSpinBox>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace hlsforge::gui {

namespace {

const QString kCustomName = QStringLiteral("custom");

QToolButton* toolButton(const QString& icon, const QString& text, const QString& tip,
                        QWidget* parent) {
    auto* button = new QToolButton(parent);
    button->setIcon(QIcon(icon));
    button->setText(text);
    button->setToolTip(tip);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(true);
    return button;
}

// The codec cell edits as a list of the codecs the engine has, not free text, plus the HDR
// variants of the codecs that can keep HDR ("hevc-hdr": Rendition::hdr).
class CodecDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&,
                          const QModelIndex&) const override {
        auto* combo = new QComboBox(parent);
        for (const QString& name : videoCodecNames()) {
            VideoCodec codec = VideoCodec::H264;
            parseVideoCodec(name, &codec);
            combo->addItem(videoCodecDisplayName(codec), name);
        }
        for (VideoCodec codec : {VideoCodec::Hevc, VideoCodec::Av1})
            combo->addItem(videoCodecDisplayName(codec) + QStringLiteral(" HDR"),
                           videoCodecName(codec) + QStringLiteral("-hdr"));
        return combo;
    }
    void setEditorData(QWidget* editor, const QModelIndex& index) const override {
        auto* combo = static_cast<QComboBox*>(editor);
        combo->setCurrentIndex(std::max(0, combo->findData(index.data(Qt::EditRole))));
    }
    void setModelData(QWidget* editor, QAbstractItemModel* model,
                      const QModelIndex& index) const override {
        model->setData(index, static_cast<QComboBox*>(editor)->currentData(), Qt::EditRole);
    }
};

} // namespace

LadderEditor::LadderEditor(QWidget* parent) : QWidget(parent), m_model(new LadderModel(this)) {
    auto* layout = new QVBoxLayout(this);

    auto* presetRow = new QHBoxLayout;
    m_presetCombo = new QComboBox(this);
    m_presetCombo->setToolTip(tr("Built-in ladders; any edit turns the ladder into a custom one"));
    for (const LadderPreset& preset : ladderPresets())
        m_presetCombo->addItem(preset.name, preset.name);
    m_presetCombo->addItem(tr("custom"), kCustomName);
    auto* presetLabel = new QLabel(tr("&Preset:"), this);
    presetLabel->setBuddy(m_presetCombo);
    auto* loadButton =
        toolButton(QStringLiteral(":/icons/open.svg"), tr("Load…"),
                   tr("Load a ladder JSON file (the format hlsforge-cli --ladder reads)"), this);
    auto* saveButton =
        toolButton(QStringLiteral(":/icons/save.svg"), tr("Save…"),
                   tr("Save this ladder as JSON for the CLI or another machine"), this);
    presetRow->addWidget(presetLabel);
    presetRow->addWidget(m_presetCombo, 1);
    presetRow->addWidget(loadButton);
    presetRow->addWidget(saveButton);
    layout->addLayout(presetRow);

    m_presetDescription = new QLabel(this);
    m_presetDescription->setWordWrap(true);
    m_presetDescription->setStyleSheet(QStringLiteral("color: palette(mid);"));
    layout->addWidget(m_presetDescription);

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                             QAbstractItemView::AnyKeyPressed);
    m_table->setToolTip(tr("Double-click or press F2 to edit a value"));
    m_table->setItemDelegateForColumn(LadderModel::CodecColumn, new CodecDelegate(m_table));
    layout->addWidget(m_table, 1);
    // Room for a usual ladder (header and five rungs) before the table scrolls; the dock
    // scrolls as a whole when the window is smaller than that.
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() +
                              5 * m_table->verticalHeader()->defaultSectionSize() +
                              2 * m_table->frameWidth());
    fitTableWidth();

    auto* rungRow = new QHBoxLayout;
    auto* addButton = toolButton(QStringLiteral(":/icons/rung-add.svg"), tr("Add"),
                                 tr("Add a rung between the selected one and the next"), this);
    auto* duplicateButton =
        toolButton(QStringLiteral(":/icons/rung-duplicate.svg"), tr("Duplicate"),
                   tr("Copy the selected rung (e.g. the same size at another bitrate)"), this);
    auto* removeButton = toolButton(QStringLiteral(":/icons/rung-remove.svg"), tr("Remove"),
                                    tr("Remove the selected rung"), this);
    rungRow->addWidget(addButton);
    rungRow->addWidget(duplicateButton);
    rungRow->addWidget(removeButton);
    rungRow->addStretch(1);
    layout->addLayout(rungRow);

    auto* form = new QFormLayout;
    // The spin boxes allow more than validate() does, so an out-of-range value is explained
    // by the validation line rather than silently clamped.
    m_segmentSeconds = new QDoubleSpinBox(this);
    m_segmentSeconds->setRange(0, 60);
    m_segmentSeconds->setDecimals(1);
    m_segmentSeconds->setSingleStep(1);
    m_segmentSeconds->setSuffix(tr(" s"));
    m_segmentSeconds->setToolTip(
        tr("Target segment duration; Apple recommends 6 s. Keyframes are placed so every "
           "segment starts with one."));
    m_segmentFormat = new QComboBox(this);
    for (auto f : {SegmentFormat::Ts, SegmentFormat::Fmp4, SegmentFormat::TsByteRange,
                   SegmentFormat::Fmp4ByteRange})
        m_segmentFormat->addItem(segmentFormatName(f), int(f));
    m_segmentFormat->setToolTip(
        tr("ts: MPEG-2 transport stream segments, the most compatible.\n"
           "fmp4: fragmented MP4 (CMAF) segments.\n"
           "…-byterange: one file per rendition, segments addressed by byte range."));
    m_x264Preset = new QComboBox(this);
    m_x264Preset->addItems(x264PresetNames());
    m_x264Preset->setToolTip(
        tr("x264 speed/quality trade-off: faster presets encode quicker at the same bitrate "
           "but look worse"));
    m_x265Preset = new QComboBox(this);
    m_x265Preset->setObjectName(QStringLiteral("x265Preset"));
    m_x265Preset->addItems(x264PresetNames());
    m_x265Preset->setToolTip(
        tr("x265 speed/quality trade-off for HEVC rungs (the same names as x264's)"));
    m_svtAv1Preset = new QSpinBox(this);
    m_svtAv1Preset->setObjectName(QStringLiteral("svtAv1Preset"));
    m_svtAv1Preset->setRange(0, 13);
    m_svtAv1Preset->setToolTip(
        tr("SVT-AV1 speed for AV1 rungs: 0 is slowest and best, 13 fastest; 10 encodes "
           "about as fast as x264's medium"));
    m_audioKbps = new QSpinBox(this);
    m_audioKbps->setRange(0, 1000);
    m_audioKbps->setSingleStep(16);
    m_audioKbps->setSuffix(tr(" kb/s"));
    m_audioKbps->setToolTip(tr("AAC-LC audio bitrate, shared by every rung"));
    form->addRow(tr("Segment &duration:"), m_segmentSeconds);
    form->addRow(tr("Segment &format:"), m_segmentFormat);
    form->addRow(tr("x264 pre&set:"), m_x264Preset);
    form->addRow(tr("x265 preset:"), m_x265Preset);
    form->addRow(tr("SVT-AV1 preset:"), m_svtAv1Preset);
    form->addRow(tr("&Audio:"), m_audioKbps);

    m_progressive = new QCheckBox(tr("MP4 &file too"), this);
    m_progressive->setToolTip(
        tr("Also write <input name>.mp4 beside the ladder, muxed from one rung's packets "
           "(no extra encode), for downloads and social sites"));
    m_progressiveRung = new QComboBox(this);
    m_progressiveRung->setToolTip(
        tr("The rung the MP4 copies; auto picks the highest at or below 720p"));
    auto* progressiveRow = new QHBoxLayout;
    progressiveRow->addWidget(m_progressive);
    progressiveRow->addWidget(m_progressiveRung, 1);
    form->addRow(tr("Progressive:"), progressiveRow);
    m_playerPage = new QCheckBox(tr("&Web player page"), this);
    m_playerPage->setToolTip(
        tr("Write index.html next to master.m3u8: a page that plays the ladder in a browser"));
    m_playerScripts = new QComboBox(this);
    m_playerScripts->addItem(tr("scripts from CDN"), QStringLiteral("cdn"));
    m_playerScripts->addItem(tr("self-contained"), QStringLiteral("self-contained"));
    m_playerScripts->setToolTip(
        tr("cdn: small page loading the player from a CDN (integrity-checked).\n"
           "self-contained: the player is copied beside the page; works offline."));
    auto* playerRow = new QHBoxLayout;
    playerRow->addWidget(m_playerPage);
    playerRow->addWidget(m_playerScripts, 1);
    form->addRow(tr("Player:"), playerRow);
    m_measureQuality = new QCheckBox(tr("Measure PSNR and SSIM of every rung"), this);
    m_measureQuality->setObjectName(QStringLiteral("measureQuality"));
    m_measureQuality->setToolTip(
        tr("Compares each rung with the source scaled to its size, overall and per segment, "
           "from frames the encode already has; writes quality.json beside master.m3u8 and "
           "shows a chart in the details"));
    form->addRow(tr("&Quality:"), m_measureQuality);
    m_thumbnails = new QCheckBox(tr("Seek thumbnails"), this);
    m_thumbnails->setObjectName(QStringLiteral("thumbnails"));
    m_thumbnails->setToolTip(
        tr("A small picture every 2-10 s in JPEG sprite sheets (thumbs/), for the seek bar: a "
           "WebVTT thumbnails track and an image playlist in master.m3u8"));
    form->addRow(tr("&Trick play:"), m_thumbnails);
    layout->addLayout(form);

    m_referenceLabel = new QLabel(this);
    m_referenceLabel->setWordWrap(true);
    layout->addWidget(m_referenceLabel);
    m_validationLabel = new QLabel(this);
    m_validationLabel->setWordWrap(true);
    m_validationLabel->setTextFormat(Qt::PlainText);
    layout->addWidget(m_validationLabel);

    connect(m_presetCombo, &QComboBox::activated, this, [this](int index) {
        const QString name = m_presetCombo->itemData(index).toString();
        if (name != kCustomName)
            choosePreset(name);
        else
            m_presetCombo->setCurrentIndex(m_presetCombo->findData(m_name));
    });
    connect(loadButton, &QToolButton::clicked, this, &LadderEditor::loadWithDialog);
    connect(saveButton, &QToolButton::clicked, this, &LadderEditor::saveWithDialog);
    connect(addButton, &QToolButton::clicked, this, &LadderEditor::addRung);
    connect(duplicateButton, &QToolButton::clicked, this, &LadderEditor::duplicateRung);
    connect(removeButton, &QToolButton::clicked, this, &LadderEditor::removeRung);
    // Delete removes a rung while the rung table has focus (the queue has its own Delete).
    auto* removeShortcut = new QAction(tr("Remove rung"), m_table);
    removeShortcut->setShortcut(QKeySequence::Delete);
    removeShortcut->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_table->addAction(removeShortcut);
    connect(removeShortcut, &QAction::triggered, this, &LadderEditor::removeRung);
    connect(m_segmentSeconds, &QDoubleSpinBox::valueChanged, this, [this](double seconds) {
        if (!m_syncing)
            m_model->setSegmentSeconds(seconds);
    });
    connect(m_segmentFormat, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (!m_syncing && index >= 0)
            m_model->setSegmentFormat(SegmentFormat(m_segmentFormat->itemData(index).toInt()));
    });
    connect(m_x264Preset, &QComboBox::currentTextChanged, this, [this](const QString& preset) {
        if (!m_syncing)
            m_model->setX264Preset(preset);
    });
    connect(m_x265Preset, &QComboBox::currentTextChanged, this, [this](const QString& preset) {
        if (!m_syncing)
            m_model->setX265Preset(preset);
    });
    connect(m_svtAv1Preset, &QSpinBox::valueChanged, this, [this](int preset) {
        if (!m_syncing)
            m_model->setSvtAv1Preset(preset);
    });
    connect(m_audioKbps, &QSpinBox::valueChanged, this, [this](int kbps) {
        if (!m_syncing)
            m_model->setAudioKbps(kbps);
    });
    auto applyProgressive = [this] {
        if (!m_syncing)
            m_model->setProgressive(m_progressive->isChecked(),
                                    m_progressiveRung->currentData().toString());
    };
    connect(m_progressive, &QCheckBox::toggled, this, applyProgressive);
    connect(m_progressiveRung, &QComboBox::activated, this, applyProgressive);
    connect(m_playerPage, &QCheckBox::toggled, this, [this](bool enabled) {
        if (!m_syncing)
            m_model->setPlayerPage(enabled);
    });
    connect(m_measureQuality, &QCheckBox::toggled, this, [this](bool enabled) {
        if (!m_syncing)
            m_model->setMeasureQuality(enabled);
    });
    connect(m_thumbnails, &QCheckBox::toggled, this, [this](bool enabled) {
        if (!m_syncing)
            m_model->setThumbnails(enabled);
    });
    connect(m_playerScripts, &QComboBox::activated, this, [this](int index) {
        if (!m_syncing)
            m_model->setPlayerScripts(m_playerScripts->itemData(index).toString());
    });
    connect(m_model, &LadderModel::ladderChanged, this, &LadderEditor::onModelChanged);

    setReferenceSize({}, {});
    const LadderPreset* fallback = findLadderPreset(QStringLiteral("web"));
    setLadder(fallback ? fallback->ladder : ladderPresets().first().ladder,
              fallback ? fallback->name : ladderPresets().first().name);
}

const Ladder& LadderEditor::ladder() const {
    return m_model->ladder();
}

void LadderEditor::setLadder(const Ladder& ladder, const QString& name) {
    m_name = name.isEmpty() ? kCustomName : name;
    m_syncing = true;           // the reset below must not turn the name into "custom"
    m_model->setLadder(ladder); // → onModelChanged
    m_syncing = false;
}

bool LadderEditor::applyPreset(const QString& presetName) {
    const LadderPreset* preset = findLadderPreset(presetName);
    if (!preset)
        return false;
    setLadder(preset->ladder, preset->name);
    return true;
}

bool LadderEditor::choosePreset(const QString& presetName) {
    const LadderPreset* preset = findLadderPreset(presetName);
    if (!preset)
        return false;
    if (m_name == kCustomName && ladder().toJson() != preset->ladder.toJson()) {
        // Edited rungs are work; a preset replaces all of them.
        bool replace = false;
        if (m_confirmReplace) {
            replace = m_confirmReplace(preset->name);
        } else {
            QMessageBox box(QMessageBox::Question, tr("Replace your ladder?"),
                            tr("The \"%1\" preset replaces your custom ladder (%n rungs).", nullptr,
                               int(ladder().renditions.size()))
                                .arg(preset->name),
                            QMessageBox::NoButton, this);
            box.setInformativeText(tr("Save it first (Ladder > Save ladder…) to keep it."));
            QPushButton* ok =
                box.addButton(tr("Use %1").arg(preset->name), QMessageBox::AcceptRole);
            box.addButton(QMessageBox::Cancel);
            box.setDefaultButton(QMessageBox::Cancel);
            box.exec();
            replace = box.clickedButton() == ok;
        }
        if (!replace) {
            m_presetCombo->setCurrentIndex(m_presetCombo->findData(kCustomName));
            return false;
        }
    }
    setLadder(preset->ladder, preset->name);
    return true;
}

void LadderEditor::onModelChanged() {
    if (!m_syncing)
        m_name = kCustomName;
    syncFieldsFromModel();
    fitTableWidth();
    const int comboIndex = m_presetCombo->findData(m_name);
    m_presetCombo->setCurrentIndex(comboIndex >= 0 ? comboIndex
                                                   : m_presetCombo->findData(kCustomName));
    const LadderPreset* preset = findLadderPreset(m_name);
    m_presetDescription->setText(preset ? preset->description
                                        : tr("Your own ladder: save it to reuse it with the CLI."));
    const QString problem = validationMessage();
    if (problem.isEmpty()) {
        const Ladder& l = ladder();
        m_validationLabel->setStyleSheet(QStringLiteral("color: #2e7d32;"));
        m_validationLabel->setText(tr("✓ %n rungs, %1 s %2 segments, keyframe every %3 s", nullptr,
                                      int(l.renditions.size()))
                                       .arg(l.segmentSeconds)
                                       .arg(segmentFormatName(l.segmentFormat))
                                       .arg(l.gopSeconds(), 0, 'g', 3));
    } else {
        m_validationLabel->setStyleSheet(QStringLiteral("color: #c62828; font-weight: bold;"));
        m_validationLabel->setText(QStringLiteral("⚠ ") + problem);
    }
    emit ladderChanged();
}

void LadderEditor::syncFieldsFromModel() {
    const bool wasSyncing = m_syncing;
    m_syncing = true;
    const Ladder& l = ladder();
    m_segmentSeconds->setValue(l.segmentSeconds);
    m_segmentFormat->setCurrentIndex(m_segmentFormat->findData(int(l.segmentFormat)));
    m_x264Preset->setCurrentText(l.x264Preset);
    m_x265Preset->setCurrentText(l.x265Preset);
    m_svtAv1Preset->setValue(l.svtAv1Preset);
    // Each encoder's speed only matters when some rung uses that encoder.
    m_x264Preset->setEnabled(l.renditions.isEmpty() || l.hasCodec(VideoCodec::H264));
    m_x265Preset->setEnabled(l.hasCodec(VideoCodec::Hevc));
    m_svtAv1Preset->setEnabled(l.hasCodec(VideoCodec::Av1));
    m_audioKbps->setValue(l.audioKbps);
    // The rung list follows the rungs; a name the ladder names but lacks stays listed so
    // the validation line can point at it.
    m_progressiveRung->clear();
    m_progressiveRung->addItem(tr("auto (≤ 720p)"), QString());
    for (const Rendition& r : l.renditions) {
        const QString name = r.effectiveName();
        m_progressiveRung->addItem(name, name);
    }
    if (!l.progressiveRung.isEmpty() && m_progressiveRung->findData(l.progressiveRung) < 0)
        m_progressiveRung->addItem(l.progressiveRung, l.progressiveRung);
    m_progressiveRung->setCurrentIndex(std::max(0, m_progressiveRung->findData(l.progressiveRung)));
    m_progressive->setChecked(l.progressive);
    m_progressiveRung->setEnabled(l.progressive);
    m_playerPage->setChecked(l.playerPage);
    m_playerScripts->setCurrentIndex(std::max(0, m_playerScripts->findData(l.playerScripts)));
    m_playerScripts->setEnabled(l.playerPage);
    m_measureQuality->setChecked(l.measureQuality);
    m_thumbnails->setChecked(l.thumbnails);
    m_syncing = wasSyncing;
}

Status LadderEditor::validation() const {
    return ladder().validate();
}

QString LadderEditor::validationMessage() const {
    const Status status = validation();
    return status.isOk() ? QString() : explain(status, ladder());
}

QString LadderEditor::explain(const Status& status, const Ladder& ladder) {
    QString text = status.message();
    static const QRegularExpression rungField(QStringLiteral("^renditions\\[(\\d+)\\]\\.(\\w+): "));
    const QRegularExpressionMatch match = rungField.match(text);
    if (match.hasMatch()) {
        const int index = match.captured(1).toInt();
        QString field = match.captured(2);
        if (field == QLatin1String("videoKbps"))
            field = tr("video kb/s");
        else if (field == QLatin1String("maxKbps"))
            field = tr("max kb/s");
        else if (field == QLatin1String("codec"))
            field = tr("codec");
        else if (field == QLatin1String("hdr"))
            field = tr("codec (HDR)");
        QString rung = tr("Rung %1").arg(index + 1);
        if (index < ladder.renditions.size()) {
            const Rendition& r = ladder.renditions[index];
            rung += QStringLiteral(" (%1)").arg(r.effectiveName());
        }
        return QStringLiteral("%1: %2 %3").arg(rung, field, text.mid(match.capturedLength()));
    }
    static const QList<QPair<QString, QString>> topFields = {
        {QStringLiteral("segmentSeconds: "), tr("Segment duration ")},
        {QStringLiteral("audioKbps: "), tr("Audio kb/s ")},
        {QStringLiteral("x264Preset: "), tr("x264 preset: ")},
        {QStringLiteral("x265Preset: "), tr("x265 preset: ")},
        {QStringLiteral("svtAv1Preset: "), tr("SVT-AV1 preset ")},
        {QStringLiteral("renditions: "), tr("The ladder ")},
        {QStringLiteral("progressive: "), tr("Progressive MP4: ")},
        {QStringLiteral("playerScripts: "), tr("Player scripts: ")},
    };
    for (const auto& [key, words] : topFields) {
        if (text.startsWith(key))
            return words + text.mid(key.size());
    }
    return text;
}

Status LadderEditor::loadFromFile(const QString& path) {
    StatusOr<Ladder> loaded = Ladder::load(path);
    if (!loaded.isOk())
        return loaded.status();
    setLadder(loaded.value(), kCustomName);
    return Status::ok();
}

Status LadderEditor::saveToFile(const QString& path) const {
    return ladder().save(path);
}

void LadderEditor::loadWithDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Load ladder"), QString(),
                                                      tr("Ladder JSON (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    const Status status = loadFromFile(path);
    if (!status.isOk())
        QMessageBox::warning(this, tr("Load ladder"), status.message());
}

void LadderEditor::saveWithDialog() {
    if (!validation().isOk()) {
        QMessageBox::warning(this, tr("Save ladder"),
                             tr("This ladder cannot be saved yet:\n%1").arg(validationMessage()));
        return;
    }
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save ladder"), m_name + QStringLiteral(".json"), tr("Ladder JSON (*.json)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        path += QStringLiteral(".json");
    const Status status = saveToFile(path);
    if (!status.isOk())
        QMessageBox::warning(this, tr("Save ladder"), status.message());
}

void LadderEditor::addRung() {
    const QModelIndex current = m_table->currentIndex();
    const int row = m_model->addRung(current.isValid() ? current.row() : -1);
    m_table->selectRow(row);
}

void LadderEditor::duplicateRung() {
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return;
    m_table->selectRow(m_model->duplicateRung(current.row()));
}

void LadderEditor::removeRung() {
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return;
    m_model->removeRung(current.row());
}

void LadderEditor::setReferenceSize(QSize displaySize, const QString& description) {
    m_model->setReferenceSize(displaySize);
    const QSize size = m_model->referenceSize();
    m_referenceLabel->setText(
        description.isEmpty()
            ? tr("Output sizes shown for 16:9 (%1×%2); select a file to see its own.")
                  .arg(size.width())
                  .arg(size.height())
            : tr("Output sizes shown for %1 (%2×%3); grey rungs are skipped for it.")
                  .arg(description)
                  .arg(size.width())
                  .arg(size.height()));
}

void LadderEditor::fitTableWidth() {
    // Every rung column visible without scrolling sideways (a "Max kb/s" cut to "auto (55" hid
    // the value): as wide as the columns' contents, not a fixed guess — the Codec column and
    // longer names ("2160p-hevc") made the old 400 px too narrow.
    // Each column as the header sizes it (ResizeToContents: contents, header text, grid line),
    // and never less than its hints.
    int columns = 0;
    QHeaderView* header = m_table->horizontalHeader();
    for (int c = 0; c < m_model->columnCount(); ++c) {
        if (header->isSectionHidden(c))
            continue;
        const int hinted =
            std::max(static_cast<const QAbstractItemView*>(m_table)->sizeHintForColumn(c),
                     header->sectionSizeHint(c)) +
            (m_table->showGrid() ? 1 : 0);
        columns +=
            c == m_model->columnCount() - 1 ? hinted : std::max(hinted, header->sectionSize(c));
    }
    const int table =
        columns + 2 * m_table->frameWidth() + m_table->verticalScrollBar()->sizeHint().width();
    const QMargins margins = layout() ? layout()->contentsMargins() : QMargins();
    int width = table + margins.left() + margins.right();
    // On a small or scaled screen (1280x760 at 1.5x is 853 logical pixels wide) the window must
    // still fit: there the table scrolls sideways rather than push the window off the screen.
    // Up to half the screen: at 2/5 the web ladder's "Max kb/s" ("auto (5500)") was cut at
    // 1.5x; the queue beside it steps its least needed columns aside instead.
    if (const QScreen* screen = this->screen())
        width = std::min(width, screen->availableGeometry().width() / 2);
    if (width != minimumWidth()) {
        setMinimumWidth(width);
        emit minimumWidthChanged();
    }
}

} // namespace hlsforge::gui
