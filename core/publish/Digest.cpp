#include "publish/Digest.h"

#include <QCryptographicHash>
#include <QFile>

namespace hlsforge::publish {

QByteArray md5Raw(const QByteArray& bytes) {
    return QCryptographicHash::hash(bytes, QCryptographicHash::Md5);
}

QByteArray contentMd5Header(const QByteArray& bytes) {
    return md5Raw(bytes).toBase64();
}

QString multipartEtag(const QList<QByteArray>& partMd5sRaw) {
    QCryptographicHash all(QCryptographicHash::Md5);
    for (const QByteArray& part : partMd5sRaw)
        all.addData(part);
    return QString::fromLatin1(all.result().toHex()) + QLatin1Char('-') +
           QString::number(partMd5sRaw.size());
}

QString FileDigest::etag() const {
    return partMd5s.isEmpty() ? QString::fromLatin1(md5.toHex()) : multipartEtag(partMd5s);
}

qint64 partCount(qint64 sizeBytes, qint64 partSizeBytes) {
    if (partSizeBytes <= 0)
        return 0;
    return std::max<qint64>(1, (sizeBytes + partSizeBytes - 1) / partSizeBytes);
}

StatusOr<FileDigest> digestFile(const QString& path, qint64 partSizeBytes,
                                const std::atomic_bool* cancel) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Status::error(Status::Code::IoError,
                             QStringLiteral("%1: cannot read (%2)").arg(path, file.errorString()));
    FileDigest digest;
    digest.sizeBytes = file.size();
    QCryptographicHash whole(QCryptographicHash::Md5);
    QCryptographicHash part(QCryptographicHash::Md5);
    qint64 inPart = 0;
    constexpr qint64 readBytes = 1 << 20;
    QByteArray buffer;
    while (true) {
        if (cancel && cancel->load())
            return Status::cancelled();
        qint64 want = readBytes;
        if (partSizeBytes > 0)
            want = std::min(want, partSizeBytes - inPart);
        buffer = file.read(want);
        if (buffer.isEmpty()) {
            if (file.error() != QFileDevice::NoError)
                return Status::error(
                    Status::Code::IoError,
                    QStringLiteral("%1: read failed (%2)").arg(path, file.errorString()));
            break;
        }
        whole.addData(buffer);
        if (partSizeBytes > 0) {
            part.addData(buffer);
            inPart += buffer.size();
            if (inPart == partSizeBytes) {
                digest.partMd5s.append(part.result());
                part.reset();
                inPart = 0;
            }
        }
    }
    if (partSizeBytes > 0 && (inPart > 0 || digest.partMd5s.isEmpty()))
        digest.partMd5s.append(part.result());
    digest.md5 = whole.result();
    return digest;
}

} // namespace hlsforge::publish
