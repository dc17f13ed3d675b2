#pragma once
// A blocking S3 REST client for one worker thread: builds the URL (path-style or
// virtual-hosted), signs every attempt with SigV4 (x-amz-content-sha256 signed), and
// retries what S3 says is transient (500/502/503/504, SlowDown, RequestTimeout, dropped
// connections) with exponential backoff and jitter. Other 4xx stop at once with a message
// a user can act on. Secrets never appear in messages.
//
// Owns a QNetworkAccessManager, so it must be created, used and destroyed on one thread;
// each request runs a local event loop. One client per worker gives one connection each.

#include "publish/SigV4Signer.h"
#include "util/Status.h"

#include <QDateTime>
#include <QHash>
#include <QNetworkReply>
#include <QString>
#include <QUrl>

#include <atomic>
#include <memory>

class QNetworkAccessManager;

namespace hlsforge::publish {

struct S3Target {
    enum class Addressing { Auto, PathStyle, VirtualHosted };

    QString bucket;
    QString prefix; // key prefix without leading or trailing '/', may be empty
    QString region = QStringLiteral("us-east-1");
    QUrl endpoint; // empty: https://s3.<region>.amazonaws.com
    Addressing addressing = Addressing::Auto;

    // "s3://bucket/some/prefix" → bucket + prefix.
    static StatusOr<S3Target> fromUri(const QString& uri);

    QUrl effectiveEndpoint() const;
    // Auto: path-style for IP addresses, localhost and bucket names with dots (TLS
    // wildcard certificates do not cover them), virtual-hosted otherwise.
    bool usesPathStyle() const;
    QString keyFor(const QString& relativePath) const; // prefix + "/" + relativePath
    // Percent-encoded URL of an object (or of the bucket for an empty key), with a
    // percent-encoded query string appended as given.
    QUrl url(const QString& key, const QByteArray& encodedQuery = {}) const;
    QString displayName() const; // "s3://bucket/prefix"
};

struct RetryPolicy {
    int maxAttempts = 5;
    int baseDelayMs = 200;
    int maxDelayMs = 10000;
    int transferTimeoutMs = 60000; // no byte moved for this long → the attempt failed
};

struct S3Request {
    QByteArray method;
    QString key;        // empty: the bucket itself
    HeaderList query;   // decoded name/value pairs
    HeaderList headers; // extra headers, all signed (content-type, cache-control, ...)
    QByteArray body;
};

struct S3Response {
    int httpStatus = 0; // 0: no HTTP answer (connection error)
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorText;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lowercase names
    QString errorCode;                     // S3 <Code> from an error body
    QString errorMessage;                  // S3 <Message>
    bool cancelled = false;

    bool isSuccess() const { return httpStatus >= 200 && httpStatus < 300 && errorCode.isEmpty(); }
    bool isRetryable() const;
    QByteArray etag() const; // without quotes
};

class S3Client {
public:
    // `cancel` may be null (for cleanup requests that must run after a cancel).
    S3Client(S3Target target, AwsCredentials credentials, RetryPolicy retry,
             const std::atomic_bool* cancel);
    ~S3Client();
    S3Client(const S3Client&) = delete;
    S3Client& operator=(const S3Client&) = delete;

    // One attempt.
    S3Response send(const S3Request& request);
    // Up to retry.maxAttempts; the Status names the operation (`what`) and the cause.
    StatusOr<S3Response> call(const S3Request& request, const QString& what);

    // Every retry is also counted here (progress shows them); may be null.
    void setRetryCounter(std::atomic<int>* counter) { m_retryCounter = counter; }
    const S3Target& target() const { return m_target; }

private:
    S3Target m_target;
    AwsCredentials m_credentials;
    RetryPolicy m_retry;
    const std::atomic_bool* m_cancel;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::atomic<int>* m_retryCounter = nullptr;
};

// A presigned GET URL of `key` (SigV4 in the query string, only `host` signed, the payload
// UNSIGNED-PAYLOAD), valid for `expiresSeconds` (at most 7 days) from `nowUtc`. Lets a reader
// that knows no SigV4 — libavformat's HTTP protocol — read an object and seek in it with
// Range requests. The URL carries a signature, not the secret: do not log it all the same.
QUrl presignGetUrl(const S3Target& target, const QString& key, const AwsCredentials& credentials,
                   int expiresSeconds, const QDateTime& nowUtc);

// Turns a failed response into a user-facing message with a hint (never a secret).
QString describeS3Failure(const S3Response& response, const QString& what);

// Minimal XML helpers for S3 bodies.
QString xmlFirstText(const QByteArray& xml, const QString& element);

} // namespace hlsforge::publish
