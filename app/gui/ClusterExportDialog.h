#pragma once
// File > "Export cluster job…": the chosen file and the editor's ladder planned as a chunked
// encode (core/cluster), written with the job files an engine runs (plan.json, the Kubernetes
// Indexed Job, the AWS Batch job definition and submit script, a README) into a folder the user
// picks. The source is probed here; the plan names it as the workers will read it (s3://…, or
// a path every machine mounts), as does the output.

#include "ladder/Ladder.h"
#include "util/Status.h"

#include <QDialog>
#include <QStringList>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace hlsforge::gui {

class ClusterExportDialog : public QDialog {
    Q_OBJECT
public:
    ClusterExportDialog(const QString& sourcePath, const Ladder& ladder, QWidget* parent = nullptr);

    // Plans with the fields' values and writes the files; the status line says what happened.
    StatusOr<QStringList> exportFiles();

    QLineEdit* workerSourceEdit() const { return m_workerSource; }
    QLineEdit* outputEdit() const { return m_output; }
    QLineEdit* folderEdit() const { return m_folder; }
    QDoubleSpinBox* chunkSecondsBox() const { return m_chunkSeconds; }
    QSpinBox* parallelismBox() const { return m_parallelism; }
    QLabel* statusLabel() const { return m_status; }

private:
    QString m_sourcePath;
    Ladder m_ladder;
    QLineEdit* m_workerSource;
    QLineEdit* m_output;
    QLineEdit* m_folder;
    QLineEdit* m_image;
    QDoubleSpinBox* m_chunkSeconds;
    QSpinBox* m_parallelism;
    QLabel* m_status;
};

} // namespace hlsforge::gui
