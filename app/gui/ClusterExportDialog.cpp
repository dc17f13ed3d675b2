#include "ClusterExportDialog.h"

#include "cluster/ClusterJobFiles.h"
#include "cluster/ClusterPlan.h"
#include "probe/MediaProbe.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace hlsforge::gui {

ClusterExportDialog::ClusterExportDialog(const QString& sourcePath, const Ladder& ladder,
                                         QWidget* parent)
    : QDialog(parent), m_sourcePath(sourcePath), m_ladder(ladder) {
    setWindowTitle(tr("Export cluster job"));
    const QString stem = QFileInfo(sourcePath).completeBaseName();
    m_workerSource = new QLineEdit(QFileInfo(sourcePath).absoluteFilePath(), this);
    m_workerSource->setObjectName(QStringLiteral("workerSource"));
    m_workerSource->setToolTip(tr("Where the workers read the source: s3://bucket/key once it is "
                                  "uploaded, or a path every machine mounts"));
    m_output = new QLineEdit(QStringLiteral("s3://my-bucket/hls/%1").arg(stem), this);
    m_output->setObjectName(QStringLiteral("output"));
    m_output->setToolTip(tr("Where the chunks and the ladder go: s3://bucket/prefix or a shared "
                            "folder"));
    m_chunkSeconds = new QDoubleSpinBox(this);
    m_chunkSeconds->setRange(1, 3600);
    m_chunkSeconds->setValue(60);
    m_chunkSeconds->setSuffix(tr(" s"));
    m_parallelism = new QSpinBox(this);
    m_parallelism->setRange(1, 1000);
    m_parallelism->setValue(10);
    m_parallelism->setToolTip(tr("Kubernetes: pods at once"));
    m_image = new QLineEdit(this);
    m_image->setPlaceholderText(tr("registry.example.com/hlsforge:version"));
    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("folder"));
    auto* browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the job files"),
                                                              m_folder->text());
        if (!dir.isEmpty())
            m_folder->setText(dir);
    });
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow(tr("Source file:"), new QLabel(QDir::toNativeSeparators(sourcePath), this));
    form->addRow(tr("Workers read it at:"), m_workerSource);
    form->addRow(tr("Output:"), m_output);
    form->addRow(tr("Chunks of about:"), m_chunkSeconds);
    form->addRow(tr("Workers at once:"), m_parallelism);
    form->addRow(tr("Container image:"), m_image);
    form->addRow(tr("Write the files to:"), folderRow);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* exportButton = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    exportButton->setObjectName(QStringLiteral("export"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        if (exportFiles().isOk())
            accept();
    });
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
}

StatusOr<QStringList> ClusterExportDialog::exportFiles() {
    const auto fail = [this](const Status& s) {
        m_status->setText(tr("Not exported: %1").arg(s.message()));
        return s;
    };
    if (m_folder->text().trimmed().isEmpty())
        return fail(
            Status::error(Status::Code::InvalidArgument, tr("choose a folder for the job files")));
    StatusOr<MediaInfo> media = probeFile(m_sourcePath);
    if (!media.isOk())
        return fail(media.status());
    media.value().path = m_workerSource->text().trimmed();
    QString output = m_output->text().trimmed();
    while (output.endsWith(QLatin1Char('/')))
        output.chop(1);
    const StatusOr<cluster::ClusterPlan> plan =
        cluster::planChunks(media.value(), output, m_ladder, m_chunkSeconds->value());
    if (!plan.isOk())
        return fail(plan.status());
    cluster::ClusterJobOptions options;
    options.image = m_image->text().trimmed();
    options.parallelism = m_parallelism->value();
    const StatusOr<QStringList> written =
        cluster::writeClusterJobFiles(plan.value(), m_folder->text().trimmed(), options);
    if (!written.isOk())
        return fail(written.status());
    m_status->setText(tr("%1 indices (%2 chunks%3); wrote %4 in %5. README.txt says what to run.")
                          .arg(plan->indexCount())
                          .arg(plan->chunks.size())
                          .arg(plan->hasAudio ? tr(" + audio") : QString())
                          .arg(written->join(QStringLiteral(", ")),
                               QDir::toNativeSeparators(m_folder->text().trimmed())));
    return written;
}

} // namespace hlsforge::gui
