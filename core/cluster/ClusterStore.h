#pragma once
// The shared store of a chunked encode when it is S3 (or any S3-compatible service):
// plan.json, the chunks' segments and sidecars and the assembled ladder under s3://BUCKET/PREFIX,
// and an s3:// source read by libavformat through a presigned GET URL (it seeks with Range
// requests). Endpoint, region and credentials come from where `publish` takes them (the AWS
// CLI order: a profile, AWS_ACCESS_KEY_ID..., AWS_PROFILE), plus AWS_ENDPOINT_URL[_S3], which
// the AWS SDKs read, so a container on AWS Batch or Kubernetes needs only its environment.
// Every call blocks (S3Client: one thread, retried with backoff); messages name s3:// addresses,
// never a presigned URL or a secret.

#include "cluster/ClusterPlan.h"
#include "publish/S3Client.h"
#include "publish/SigV4Signer.h"
#include "util/Status.h"

#include <QHash>
#include <QStringList>
#include <QUrl>

#include <atomic>

namespace hlsforge::cluster {

struct S3Settings {
    QUrl endpoint;   // empty: AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL, else AWS's own
    QString region;  // empty: AWS_REGION / AWS_DEFAULT_REGION / the profile's, else us-east-1
    QString profile; // empty: the environment's keys, then AWS_PROFILE (as publish)
};

bool isS3Uri(const QString& text);

// An s3:// address resolved: the bucket, the key or key prefix (target.prefix) and how to sign.
struct S3Place {
    publish::S3Target target;
    publish::AwsCredentials credentials;
    publish::RetryPolicy retry;
    QString uri; // "s3://bucket/prefix", for messages
};

StatusOr<S3Place> resolveS3(const QString& uri, const S3Settings& settings);

// Keys are full object keys. Messages name s3://bucket/key.
StatusOr<QByteArray> getObject(const S3Place& place, const QString& key);
Status putObject(const S3Place& place, const QString& key, const QByteArray& body,
                 const QByteArray& contentType);
Status deleteObject(const S3Place& place, const QString& key);
// Every object under `keyPrefix`: key -> size in bytes.
StatusOr<QHash<QString, qint64>> listObjects(const S3Place& place, const QString& keyPrefix);

// The source as libavformat opens it: a path as given; an s3:// object is first asked for
// (HEAD: a missing or forbidden object is named at once) and then presigned for
// `validSeconds`.
StatusOr<QString> openableSource(const QString& source, const S3Settings& settings,
                                 int validSeconds = 12 * 3600);

// plan.json from a path or an s3:// address (of plan.json itself, or of its folder).
StatusOr<ClusterPlan> loadPlan(const QString& location, const S3Settings& settings);
// plan.output/plan.json, a folder or s3://.
Status savePlan(const ClusterPlan& plan, const S3Settings& settings);

// The subtitle files named at plan time, stored beside plan.json as inputs/<file name> (copied
// into the folder, or uploaded to s3://), so a worker on another machine reads them where it
// reads the plan; plan->subtitleFiles lists them by those relative paths. Before savePlan().
// A file that cannot be read is named (InvalidArgument), nothing listed.
Status storePlanInputs(ClusterPlan* plan, const QVector<subtitles::SubtitleInput>& files,
                       const S3Settings& settings);
// The plan's subtitle files as local paths a worker opens: in the plan's folder, or downloaded
// from s3:// into `scratchDir`.
StatusOr<QVector<subtitles::SubtitleInput>>
fetchPlanInputs(const ClusterPlan& plan, const QString& scratchDir, const S3Settings& settings);

// Uploads `files` (paths relative to `localDir`, '/'-separated) under place's prefix with
// publish's engine (Content-Type, Cache-Control, Content-MD5, retries): segments first, media
// playlists next, the page, the master playlist, then `last` after everything else.
Status uploadFiles(const S3Place& place, const QString& localDir, const QStringList& files,
                   const QStringList& last, const std::atomic_bool& cancel);

// Every object under place's prefix but those in `skip` (relative names) into `localDir`;
// returns the relative paths written.
StatusOr<QStringList> downloadAll(const S3Place& place, const QString& localDir,
                                  const QStringList& skip, const std::atomic_bool& cancel);

} // namespace hlsforge::cluster
