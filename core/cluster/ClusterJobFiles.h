#pragma once
// "Export cluster job…": a planned chunked encode written as the files an engine runs — plan.json,
// the Kubernetes Indexed Job (completions = the plan's indices) with its assemble Job, the AWS
// Batch job definition and a submit script (an array job of that size, assemble depending on
// it), and a README with the steps. The manifests are installer/cluster/'s own (compiled in),
// filled in for this plan; no credentials are written (the platform gives them).

#include "cluster/ClusterPlan.h"
#include "util/Status.h"

#include <QStringList>

namespace hlsforge::cluster {

struct ClusterJobOptions {
    QString image;        // empty: registry.example.com/hlsforge:<this version>
    int parallelism = 10; // Kubernetes: pods at once
    QString jobQueue = QStringLiteral("my-queue"); // AWS Batch
};

// Writes into `folder` (made if missing); returns the file names written. The plan's output is
// where the workers write: s3://, or a folder every machine mounts (NFS, EFS).
StatusOr<QStringList> writeClusterJobFiles(const ClusterPlan& plan, const QString& folder,
                                           const ClusterJobOptions& options = {});

} // namespace hlsforge::cluster
