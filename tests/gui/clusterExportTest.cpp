// File > "Export cluster job…": the dialog plans the file with the ladder and writes plan.json and
// the job files, filled in for this plan (read back: plan.json by the core's reader, the
// Kubernetes manifest by PyYAML, the AWS Batch definition as JSON); a missing folder and a file
// that is not video are said in its status line, nothing written.

#include "ClusterExportDialog.h"
#include "TestMedia.h"

#include "cluster/ClusterPlan.h"

#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace hlsforge;
using namespace hlsforge::gui;

namespace {

Ladder smallLadder() {
    Ladder ladder;
    ladder.segmentSeconds = 2;
    Rendition r;
    r.name = QStringLiteral("180p");
    r.height = 180;
    r.videoKbps = 300;
    ladder.renditions = {r};
    return ladder;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class ClusterExportTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private slots:
    void exportsPlanAndJobFiles() {
        const QString source = m_tmp.filePath(QStringLiteral("clip.mp4"));
        QVERIFY(test::ffmpeg(
            {QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
             QStringLiteral("testsrc2=s=320x180:r=25"), QStringLiteral("-f"),
             QStringLiteral("lavfi"), QStringLiteral("-i"), QStringLiteral("sine=r=48000"),
             QStringLiteral("-t"), QStringLiteral("6"), QStringLiteral("-c:v"),
             QStringLiteral("libx264"), QStringLiteral("-preset"), QStringLiteral("ultrafast"),
             QStringLiteral("-c:a"), QStringLiteral("aac"), source}));
        ClusterExportDialog dialog(source, smallLadder());
        dialog.workerSourceEdit()->setText(QStringLiteral("s3://media/in/clip.mp4"));
        dialog.outputEdit()->setText(QStringLiteral("s3://media/out/clip/"));
        dialog.chunkSecondsBox()->setValue(2);
        dialog.parallelismBox()->setValue(3);
        const QString folder = m_tmp.filePath(QStringLiteral("job"));
        dialog.folderEdit()->setText(folder);
        dialog.show();
        dialog.findChild<QPushButton*>(QStringLiteral("export"))->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY2(
            dialog.statusLabel()->text().contains(QLatin1String("4 indices (3 chunks + audio)")),
            qPrintable(dialog.statusLabel()->text()));

        // plan.json: the workers' source and output, 3 chunks of one 2 s segment, + audio.
        const StatusOr<cluster::ClusterPlan> plan = cluster::ClusterPlan::fromJson(
            QJsonDocument::fromJson(readAll(folder + QStringLiteral("/plan.json"))).object());
        QVERIFY2(plan.isOk(), qPrintable(plan.status().message()));
        QCOMPARE(plan->source, QStringLiteral("s3://media/in/clip.mp4"));
        QCOMPARE(plan->output, QStringLiteral("s3://media/out/clip"));
        QCOMPARE(plan->chunks.size(), 3);
        QCOMPARE(plan->indexCount(), 4);

        // The Indexed Job, as PyYAML reads it: completions = the indices, the parallelism asked.
        const QByteArray manifest = readAll(folder + QStringLiteral("/kubernetes-encode.yaml"));
        QVERIFY(!manifest.contains("${"));
        const test::ProcessResult parsed = test::runProcess(
            QStringLiteral("python3"),
            {QStringLiteral("-c"),
             QStringLiteral("import sys, yaml\n"
                            "docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]\n"
                            "job = docs[-1]['spec']\n"
                            "pod = job['template']['spec']['containers'][0]\n"
                            "print(docs[0]['kind'], job['completionMode'], job['completions'],\n"
                            "      job['parallelism'], ' '.join(pod['args']))\n"),
             folder + QStringLiteral("/kubernetes-encode.yaml")});
        QVERIFY2(parsed.ok(), parsed.err.constData());
        QCOMPARE(
            parsed.out.trimmed(),
            QByteArray("ServiceAccount Indexed 4 3 encode --plan s3://media/out/clip/plan.json "
                       "--progress text"));
        QVERIFY(readAll(folder + QStringLiteral("/kubernetes-assemble.yaml"))
                    .contains("args: [assemble, --plan, \"s3://media/out/clip/plan.json\"]"));
        // AWS Batch: the plan parameter filled in; the submit script's array job of 4.
        const QJsonObject definition =
            QJsonDocument::fromJson(
                readAll(folder + QStringLiteral("/aws-batch-job-definition.json")))
                .object();
        QCOMPARE(definition.value(QStringLiteral("parameters"))
                     .toObject()
                     .value(QStringLiteral("plan"))
                     .toString(),
                 QStringLiteral("s3://media/out/clip/plan.json"));
        const QByteArray submit = readAll(folder + QStringLiteral("/submit-aws-batch.sh"));
        QVERIFY(submit.contains("--array-properties size=4"));
        QVERIFY(submit.contains("aws s3 cp \"$here/plan.json\" 's3://media/out/clip/plan.json'"));
        QVERIFY(QFileInfo(folder + QStringLiteral("/submit-aws-batch.sh")).isExecutable());
        const test::ProcessResult syntax = test::runProcess(
            QStringLiteral("bash"),
            {QStringLiteral("-n"), folder + QStringLiteral("/submit-aws-batch.sh")});
        QVERIFY2(syntax.ok(), syntax.err.constData());
    }

    void saysWhatIsWrong() {
        const QString text = m_tmp.filePath(QStringLiteral("notes.mp4"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a video");
        f.close();
        ClusterExportDialog dialog(text, smallLadder());
        QVERIFY(!dialog.exportFiles().isOk());
        QVERIFY2(dialog.statusLabel()->text().contains(QLatin1String("folder")),
                 qPrintable(dialog.statusLabel()->text()));
        const QString folder = m_tmp.filePath(QStringLiteral("nothing"));
        dialog.folderEdit()->setText(folder);
        QVERIFY(!dialog.exportFiles().isOk());
        QVERIFY2(dialog.statusLabel()->text().contains(QLatin1String("notes.mp4")),
                 qPrintable(dialog.statusLabel()->text()));
        QVERIFY(!QFileInfo::exists(folder));
    }
};

QTEST_MAIN(ClusterExportTest)
#include "clusterExportTest.moc"
