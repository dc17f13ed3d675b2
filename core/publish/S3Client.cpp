#include "publish/S3Client.h"

#include <QDateTime>
#include <QEventLoop>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>
#include <QXmlStreamReader>

#include <algorithm>

namespace hlsforge::publish {

StatusOr<S3Target> S3Target::fromUri(const QString& uri) {
    if (!uri.startsWith(QLatin1String("s3://")))
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("%1: not an s3:// address").arg(uri));
    const QString rest = uri.mid(5);
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    S3Target target;
    target.bucket = slash < 0 ? rest : rest.left(slash);
    QString prefix = slash < 0 ? QString() : rest.mid(slash + 1);
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    target.prefix = prefix;
    static const QRegularExpression bucketName(
        QStringLiteral("^[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]$"));
    if (!bucketName.match(target.bucket).hasMatch())
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("%1: '%2' is not a valid bucket name").arg(uri, target.bucket));
    return target;
}

QUrl S3Target::effectiveEndpoint() const {
    if (!endpoint.isEmpty())
        return endpoint;
    return QUrl(QStringLiteral("https://s3.%1.amazonaws.com").arg(region));
}

bool S3Target::usesPathStyle() const {
    if (addressing != Addressing::Auto)
        return addressing == Addressing::PathStyle;
    const QString host = effectiveEndpoint().host();
    QHostAddress address;
    return address.setAddress(host) || host == QLatin1String("localhost") ||
           host.endsWith(QLatin1String(".localhost")) || bucket.contains(QLatin1Char('.'));
}

QString S3Target::keyFor(const QString& relativePath) const {
    return prefix.isEmpty() ? relativePath : prefix + QLatin1Char('/') + relativePath;
}

QUrl S3Target::url(const QString& key, const QByteArray& encodedQuery) const {
    const QUrl base = effectiveEndpoint();
    QByteArray path;
    QString host = base.host();
    if (usesPathStyle()) {
        path = "/" + awsUriEncode(bucket.toUtf8(), false);
        if (!key.isEmpty())
            path += "/" + awsUriEncode(key.toUtf8(), true);
    } else {
        host = bucket + QLatin1Char('.') + host;
        path = "/" + awsUriEncode(key.toUtf8(), true);
    }
    QByteArray text = base.scheme().toLatin1() + "://" + QUrl::toAce(host);
    if (base.port() != -1)
        text += ":" + QByteArray::number(base.port());
    text += path;
    if (!encodedQuery.isEmpty())
        text += "?" + encodedQuery;
    return QUrl::fromEncoded(text, QUrl::StrictMode);
}

QString S3Target::displayName() const {
    return prefix.isEmpty() ? QStringLiteral("s3://%1").arg(bucket)
                            : QStringLiteral("s3://%1/%2").arg(bucket, prefix);
}

bool S3Response::isRetryable() const {
    if (cancelled)
        return false;
    static const QStringList transientCodes{
        QStringLiteral("SlowDown"), QStringLiteral("RequestTimeout"),
        QStringLiteral("InternalError"), QStringLiteral("ServiceUnavailable")};
    if (transientCodes.contains(errorCode))
        return true;
    if (httpStatus == 0) {
        switch (networkError) {
        case QNetworkReply::HostNotFoundError:
        case QNetworkReply::SslHandshakeFailedError:
        case QNetworkReply::ProtocolUnknownError:
        case QNetworkReply::ProtocolInvalidOperationError:
            return false;
        default:
            return true; // closed, reset, timed out, refused: the server may be back in a moment
        }
    }
    return httpStatus == 500 || httpStatus == 502 || httpStatus == 503 || httpStatus == 504 ||
           httpStatus == 429;
}

QByteArray S3Response::etag() const {
    QByteArray value = headers.value("etag");
    value.replace('"', "");
    return value;
}

QString xmlFirstText(const QByteArray& xml, const QString& element) {
    QXmlStreamReader reader(xml);
    while (!reader.atEnd()) {
        if (reader.readNext() == QXmlStreamReader::StartElement && reader.name() == element)
            return reader.readElementText(QXmlStreamReader::IncludeChildElements);
    }
    return {};
}

QString describeS3Failure(const S3Response& r, const QString& what) {
    if (r.httpStatus == 0)
        return QStringLiteral("%1: no answer from the server (%2)").arg(what, r.networkErrorText);
    QString hint;
    const QString& code = r.errorCode;
    if (code == QLatin1String("SignatureDoesNotMatch"))
        hint = QStringLiteral("the secret access key does not match the access key ID");
    else if (code == QLatin1String("InvalidAccessKeyId"))
        hint = QStringLiteral("the access key ID is not known to this service");
    else if (code == QLatin1String("AccessDenied"))
        hint = QStringLiteral("these credentials may not write to this bucket");
    else if (code == QLatin1String("NoSuchBucket"))
        hint = QStringLiteral("the bucket does not exist at this endpoint");
    else if (code == QLatin1String("AuthorizationHeaderMalformed") ||
             code == QLatin1String("PermanentRedirect") || r.httpStatus == 301)
        hint = QStringLiteral("the bucket is in another region: set the region");
    else if (code == QLatin1String("RequestTimeTooSkewed"))
        hint = QStringLiteral("this computer's clock is wrong");
    else if (code == QLatin1String("ExpiredToken") || code == QLatin1String("InvalidToken"))
        hint = QStringLiteral("the session token has expired");
    QString text = QStringLiteral("%1: HTTP %2").arg(what).arg(r.httpStatus);
    if (!code.isEmpty())
        text += QLatin1Char(' ') + code;
    if (!r.errorMessage.isEmpty())
        text += QStringLiteral(" (%1)").arg(r.errorMessage);
    if (!hint.isEmpty())
        text += QStringLiteral(": ") + hint;
    return text;
}

QUrl presignGetUrl(const S3Target& target, const QString& key, const AwsCredentials& credentials,
                   int expiresSeconds, const QDateTime& nowUtc) {
    const QUrl url = target.url(key);
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    const bool defaultPort = url.port() == -1 ||
                             (url.scheme() == QLatin1String("http") && url.port() == 80) ||
                             (url.scheme() == QLatin1String("https") && url.port() == 443);
    if (!defaultPort)
        host += ':' + QByteArray::number(url.port());
    const QByteArray amzDate =
        nowUtc.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
    const QByteArray region = target.region.toUtf8();
    SignableRequest signable;
    signable.method = "GET";
    signable.path = QByteArray::fromPercentEncoding(url.path(QUrl::FullyEncoded).toLatin1());
    signable.query = {
        {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
        {"X-Amz-Credential", credentials.accessKeyId.toUtf8() + '/' + amzDate.left(8) + '/' +
                                 region + "/s3/aws4_request"},
        {"X-Amz-Date", amzDate},
        {"X-Amz-Expires", QByteArray::number(std::clamp(expiresSeconds, 1, 7 * 24 * 3600))},
        {"X-Amz-SignedHeaders", "host"}};
    if (!credentials.sessionToken.isEmpty())
        signable.query.append(std::pair<QByteArray, QByteArray>("X-Amz-Security-Token",
                                                                credentials.sessionToken.toUtf8()));
    signable.headers = {{"host", host}};
    signable.payloadSha256Hex = "UNSIGNED-PAYLOAD";
    const SigV4Signature sig =
        signRequest(signable, credentials, {amzDate, region, "s3"}, PathRule::S3);
    return target.url(key, canonicalQuery(signable.query) + "&X-Amz-Signature=" + sig.signatureHex);
}

S3Client::S3Client(S3Target target, AwsCredentials credentials, RetryPolicy retry,
                   const std::atomic_bool* cancel)
    : m_target(std::move(target)), m_credentials(std::move(credentials)), m_retry(retry),
      m_cancel(cancel), m_network(std::make_unique<QNetworkAccessManager>()) {
    // S3 answers redirects only for a wrong region; following them would re-send unsigned.
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

S3Client::~S3Client() = default;

S3Response S3Client::send(const S3Request& request) {
    S3Response out;
    QByteArray encodedQuery;
    for (const auto& [name, value] : request.query) {
        if (!encodedQuery.isEmpty())
            encodedQuery += '&';
        encodedQuery += awsUriEncode(name, false);
        if (!value.isEmpty())
            encodedQuery += '=' + awsUriEncode(value, false);
    }
    const QUrl url = m_target.url(request.key, encodedQuery);
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    const bool defaultPort = url.port() == -1 ||
                             (url.scheme() == QLatin1String("http") && url.port() == 80) ||
                             (url.scheme() == QLatin1String("https") && url.port() == 443);
    if (!defaultPort)
        host += ':' + QByteArray::number(url.port());

    const QByteArray amzDate =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")).toLatin1();
    SignableRequest signable;
    signable.method = request.method;
    signable.path = QByteArray::fromPercentEncoding(url.path(QUrl::FullyEncoded).toLatin1());
    signable.query = request.query;
    signable.payloadSha256Hex = sha256Hex(request.body);
    signable.headers = {{"host", host},
                        {"x-amz-date", amzDate},
                        {"x-amz-content-sha256", signable.payloadSha256Hex}};
    if (!m_credentials.sessionToken.isEmpty())
        signable.headers.append(std::pair<QByteArray, QByteArray>(
            "x-amz-security-token", m_credentials.sessionToken.toUtf8()));
    signable.headers.append(request.headers);
    const SigV4Signature sig = signRequest(signable, m_credentials,
                                           {amzDate, m_target.region.toUtf8(), "s3"}, PathRule::S3);

    QNetworkRequest networkRequest(url);
    for (const auto& [name, value] : signable.headers) {
        if (name != "host") // Qt writes Host from the URL, the same value as signed
            networkRequest.setRawHeader(name, value);
    }
    networkRequest.setRawHeader("Authorization", sig.authorization);
    networkRequest.setTransferTimeout(m_retry.transferTimeoutMs);

    QNetworkReply* reply =
        request.method == "HEAD"
            ? m_network->head(networkRequest)
            : m_network->sendCustomRequest(networkRequest, request.method, request.body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer cancelPoll;
    QObject::connect(&cancelPoll, &QTimer::timeout, &loop, [&] {
        if (m_cancel && m_cancel->load()) {
            out.cancelled = true;
            reply->abort();
        }
    });
    cancelPoll.start(50);
    if (!reply->isFinished())
        loop.exec();
    cancelPoll.stop();

    out.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.networkError = reply->error();
    out.networkErrorText = reply->errorString();
    out.body = reply->readAll();
    for (const auto& [name, value] : reply->rawHeaderPairs())
        out.headers.insert(name.toLower(), value);
    // Deleted now, not with deleteLater(): a worker thread runs no outer event loop, so
    // deferred deletes (and the request bodies they hold) would pile up until it ends.
    delete reply;
    if (out.body.contains("<Error>")) {
        out.errorCode = xmlFirstText(out.body, QStringLiteral("Code"));
        out.errorMessage = xmlFirstText(out.body, QStringLiteral("Message"));
    }
    return out;
}

StatusOr<S3Response> S3Client::call(const S3Request& request, const QString& what) {
    for (int attempt = 1;; ++attempt) {
        if (m_cancel && m_cancel->load())
            return Status::cancelled();
        S3Response response = send(request);
        if (response.cancelled)
            return Status::cancelled();
        if (response.isSuccess())
            return response;
        if (!response.isRetryable() || attempt >= m_retry.maxAttempts) {
            QString message = describeS3Failure(response, what);
            if (response.isRetryable())
                message += QStringLiteral(" (gave up after %1 attempts)").arg(attempt);
            return Status::error(Status::Code::NetworkError, message, response.networkErrorText);
        }
        if (m_retryCounter)
            ++*m_retryCounter;
        // Exponential backoff with "equal jitter": half fixed, half random, so many workers
        // hit by the same SlowDown do not come back in step.
        const qint64 ceilingMs =
            std::min<qint64>(m_retry.maxDelayMs, qint64(m_retry.baseDelayMs) << (attempt - 1));
        qint64 waitMs = ceilingMs / 2 + QRandomGenerator::global()->bounded(ceilingMs / 2 + 1);
        while (waitMs > 0) {
            if (m_cancel && m_cancel->load())
                return Status::cancelled();
            const qint64 sliceMs = std::min<qint64>(waitMs, 50);
            QThread::msleep(static_cast<unsigned long>(sliceMs));
            waitMs -= sliceMs;
        }
    }
}

} // namespace hlsforge::publish
