#pragma once
// MD5 digests as S3 uses them: Content-MD5 (base64 of the raw digest) on every PUT and
// part, and the ETag S3 returns: hex MD5 of the body for a single PUT, or
// hex MD5(concatenated raw part MD5s) + "-N" for an N-part multipart upload.

#include "util/Status.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <atomic>

namespace hlsforge::publish {

struct FileDigest {
    qint64 sizeBytes = 0;
    QByteArray md5;             // raw 16 bytes of the whole file
    QList<QByteArray> partMd5s; // raw digests of each part (empty when not multipart)
    QString etag() const;       // the ETag S3 will report for this upload layout
};

QByteArray md5Raw(const QByteArray& bytes);
QByteArray contentMd5Header(const QByteArray& bytes); // base64 of the raw MD5
QString multipartEtag(const QList<QByteArray>& partMd5sRaw);

// Number of parts for a multipart upload of `sizeBytes` in `partSizeBytes` parts.
qint64 partCount(qint64 sizeBytes, qint64 partSizeBytes);

// Streams the file once (1 MiB reads): whole-file MD5 and, if partSizeBytes > 0, per-part
// MD5s. `cancel` is checked between reads.
StatusOr<FileDigest> digestFile(const QString& path, qint64 partSizeBytes,
                                const std::atomic_bool* cancel = nullptr);

} // namespace hlsforge::publish
