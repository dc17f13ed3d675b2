#include "cluster/ClusterJobFiles.h"

#include "cluster/ClusterStore.h"
#include "util/Version.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>

namespace hlsforge::cluster {

namespace {

QByteArray resource(const QString& name) {
    QFile f(QStringLiteral(":/hlsforge/cluster/") + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

Status writeFile(const QString& path, const QByteArray& bytes, bool executable = false) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) < 0 || !file.commit())
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot write (%2)")
                                 .arg(QDir::toNativeSeparators(path), file.errorString()));
    if (executable)
        QFile::setPermissions(path, QFile::permissions(path) | QFileDevice::ExeOwner |
                                        QFileDevice::ExeGroup | QFileDevice::ExeOther);
    return Status::ok();
}

// A Kubernetes name part from the output's last path segment: lower case, [a-z0-9-].
QString runName(const QString& output) {
    QString name = output.section(QLatin1Char('/'), -1).toLower();
    name.replace(QRegularExpression(QStringLiteral("[^a-z0-9-]+")), QStringLiteral("-"));
    name = name.left(30);
    while (name.startsWith(QLatin1Char('-')))
        name.remove(0, 1);
    while (name.endsWith(QLatin1Char('-')))
        name.chop(1);
    return name.isEmpty() ? QStringLiteral("export") : name;
}

QString shellQuoted(const QString& text) {
    QString out = text;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

} // namespace

StatusOr<QStringList> writeClusterJobFiles(const ClusterPlan& plan, const QString& folder,
                                           const ClusterJobOptions& options) {
    const QByteArray manifest = resource(QStringLiteral("kubernetes.yaml"));
    const QByteArray definitionText = resource(QStringLiteral("aws-batch-job-definition.json"));
    if (manifest.isEmpty() || definitionText.isEmpty())
        return Status::error(Status::Code::Internal,
                             QStringLiteral("the cluster job templates are not compiled in"));
    if (!QDir().mkpath(folder))
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot create the folder").arg(QDir::toNativeSeparators(folder)));
    const bool s3 = isS3Uri(plan.output);
    const QString planLocation = s3 ? plan.output + QStringLiteral("/plan.json")
                                    : QDir(plan.output).filePath(QStringLiteral("plan.json"));
    const QString image = options.image.isEmpty()
                              ? QStringLiteral("registry.example.com/hlsforge:%1")
                                    .arg(QLatin1String(HLSFORGE_VERSION))
                              : options.image;
    const QString run = runName(plan.output);
    const QHash<QString, QString> values{
        {QStringLiteral("IMAGE"), image},
        {QStringLiteral("SOURCE"), plan.source},
        {QStringLiteral("OUTPUT"), plan.output},
        {QStringLiteral("LADDER"), QStringLiteral("planned")},
        {QStringLiteral("INDICES"), QString::number(plan.indexCount())},
        {QStringLiteral("PARALLELISM"), QString::number(std::max(1, options.parallelism))},
        {QStringLiteral("CHUNK_SECONDS"), QStringLiteral("60")},
        {QStringLiteral("RUN"), run},
        {QStringLiteral("ROLE_ARN"), QStringLiteral("arn:aws:iam::ACCOUNT:role/hlsforge")}};
    QString text = QString::fromUtf8(manifest);
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        text.replace(QStringLiteral("${%1}").arg(it.key()), it.value());
    // The template's documents: 0 the ServiceAccount (after the header), 1 plan (done here),
    // 2 the Indexed Job, 3 assemble.
    const QStringList docs = text.split(QStringLiteral("\n---\n"));
    if (docs.size() != 4)
        return Status::error(
            Status::Code::Internal,
            QStringLiteral("kubernetes.yaml: %1 documents, not 4").arg(docs.size()));

    QJsonObject definition = QJsonDocument::fromJson(definitionText).object();
    QJsonObject container = definition.value(QStringLiteral("containerProperties")).toObject();
    container[QStringLiteral("image")] = image;
    definition[QStringLiteral("containerProperties")] = container;
    definition[QStringLiteral("parameters")] = QJsonObject{{QStringLiteral("plan"), planLocation}};

    const int indices = plan.indexCount();
    const QString copyPlan =
        s3 ? QStringLiteral("aws s3 cp \"$here/plan.json\" %1").arg(shellQuoted(planLocation))
           : QStringLiteral("mkdir -p %1 && cp \"$here/plan.json\" %2")
                 .arg(shellQuoted(plan.output), shellQuoted(planLocation));
    const QString encodeJob =
        indices >= 2
            ? QStringLiteral("--array-properties size=%1").arg(indices)
            : QStringLiteral("--container-overrides '{\"command\":[\"encode\",\"--plan\",\"%1\","
                             "\"--index\",\"0\"]}'")
                  .arg(planLocation);
    const QString submit =
        QStringLiteral(
            "#!/usr/bin/env bash\n"
            "# Made by HLS Forge's \"Export cluster job…\": %1 -> %2, %3 indices (%4 chunks%5).\n"
            "# AWS Batch: the plan where the workers read it, the job definition, an array job of\n"
            "# %3 children (AWS_BATCH_JOB_ARRAY_INDEX) and assemble depending on all of them.\n"
            "# Usage: submit-aws-batch.sh [JOB_QUEUE]\n"
            "set -euo pipefail\n"
            "here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
            "QUEUE=${1:-%6}\n"
            "%7\n"
            "aws batch register-job-definition --cli-input-json "
            "\"file://$here/aws-batch-job-definition.json\" >/dev/null\n"
            "ENCODE=$(aws batch submit-job --job-name hlsforge-%8-encode --job-queue \"$QUEUE\" "
            "\\\n"
            "  --job-definition hlsforge %9 --query jobId --output text)\n"
            "ASSEMBLE=$(aws batch submit-job --job-name hlsforge-%8-assemble --job-queue "
            "\"$QUEUE\" \\\n"
            "  --job-definition hlsforge --depends-on \"jobId=$ENCODE\" \\\n"
            "  --container-overrides '{\"command\":[\"assemble\",\"--plan\",\"%10\"]}' \\\n"
            "  --query jobId --output text)\n"
            "echo \"encode $ENCODE, assemble $ASSEMBLE\"\n")
            .arg(plan.source, plan.output, QString::number(indices),
                 QString::number(plan.chunks.size()),
                 plan.hasAudio ? QStringLiteral(" + audio") : QString(), options.jobQueue, copyPlan,
                 run, encodeJob, planLocation);
    const QString readme =
        QStringLiteral(
            "A chunked encode planned by HLS Forge %1\n\n"
            "  source  %2\n  output  %3\n  %4 indices: %5 video chunks%6, %7 segments of %8 s\n\n"
            "Kubernetes (an Indexed Job of %4 completions, %9 pods at once):\n"
            "  %10\n"
            "  kubectl apply -f kubernetes-encode.yaml\n"
            "  kubectl wait --for=condition=complete --timeout=24h job/hlsforge-encode-%11\n"
            "  kubectl apply -f kubernetes-assemble.yaml\n\n"
            "AWS Batch (an array job of %4 children, assemble depending on it):\n"
            "  ./submit-aws-batch.sh JOB_QUEUE\n\n"
            "Or anywhere with hlsforge-cli (one index per process, on any machine):\n"
            "  hlsforge-cli encode --plan %12 --index I     # I = 0 .. %13\n"
            "  hlsforge-cli assemble --plan %12\n\n"
            "Credentials come from the platform (an IAM role: IRSA, EKS Pod Identity, the Batch "
            "job\nrole; or a Secret named hlsforge-s3). Set the ServiceAccount's role ARN in "
            "kubernetes-encode.yaml.\nThe image: installer/cluster/Dockerfile.\n")
            .arg(QLatin1String(HLSFORGE_VERSION), plan.source, plan.output,
                 QString::number(indices), QString::number(plan.chunks.size()),
                 plan.hasAudio ? QStringLiteral(" + the audio index") : QString(),
                 QString::number(plan.segmentCount), QString::number(plan.keyframes.segmentSeconds),
                 QString::number(std::max(1, options.parallelism)),
                 QString(copyPlan).replace(QStringLiteral("\"$here/plan.json\""),
                                           QStringLiteral("plan.json")),
                 run, planLocation, QString::number(indices - 1));

    const QDir dir(folder);
    const QList<std::pair<QString, QByteArray>> files{
        {QStringLiteral("plan.json"), QJsonDocument(plan.toJson()).toJson(QJsonDocument::Indented)},
        {QStringLiteral("kubernetes-encode.yaml"),
         (QStringLiteral(
              "# Exported by HLS Forge for %1: plan.json is made (copy it there first),\n"
              "# so only the ServiceAccount and the encode Job are here.\n")
              .arg(plan.output) +
          docs[0] + QStringLiteral("\n---\n") + docs[2] + QLatin1Char('\n'))
             .toUtf8()},
        {QStringLiteral("kubernetes-assemble.yaml"),
         (QStringLiteral("# The assemble step of %1: apply once the encode Job is complete.\n")
              .arg(plan.output) +
          docs[3])
             .toUtf8()},
        {QStringLiteral("aws-batch-job-definition.json"),
         QJsonDocument(definition).toJson(QJsonDocument::Indented)},
        {QStringLiteral("README.txt"), readme.toUtf8()}};
    QStringList written;
    for (const auto& [name, bytes] : files) {
        Status s = writeFile(dir.filePath(name), bytes);
        if (!s.isOk())
            return s;
        written << name;
    }
    Status s =
        writeFile(dir.filePath(QStringLiteral("submit-aws-batch.sh")), submit.toUtf8(), true);
    if (!s.isOk())
        return s;
    written << QStringLiteral("submit-aws-batch.sh");
    return written;
}

} // namespace hlsforge::cluster
