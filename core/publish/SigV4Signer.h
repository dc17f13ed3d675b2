#pragma once
// AWS Signature Version 4, header form (AWS4-HMAC-SHA256 in `Authorization`).
// Pure functions over byte strings: no network, no clock, so every step can be checked
// against AWS's published test vectors (canonical request, string to sign, signature).
//
// Two path rules exist: the generic services normalise the path (remove `.`, `..`, `//`)
// and encode each segment; S3 keeps the key exactly as it is and encodes each segment once.

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace hlsforge::publish {

struct AwsCredentials {
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken; // empty unless temporary (STS) credentials
    bool isComplete() const { return !accessKeyId.isEmpty() && !secretAccessKey.isEmpty(); }
};

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

struct SignableRequest {
    QByteArray method;  // "GET", "PUT", ...
    QByteArray path;    // decoded (raw) path, e.g. "/bucket/my key.ts"; encoded by the signer
    HeaderList query;   // decoded name/value pairs; encoded and sorted by the signer
    HeaderList headers; // every header to sign, names in any case, values as sent
    QByteArray payloadSha256Hex; // lowercase hex SHA-256 of the body (or "UNSIGNED-PAYLOAD")
};

enum class PathRule {
    Generic, // normalise (RFC 3986 remove_dot_segments, collapse `//`), then encode segments
    S3,      // no normalisation: each segment encoded once, as the key is
};

struct SigV4Scope {
    QByteArray amzDate; // "20150830T123600Z" (the x-amz-date header value)
    QByteArray region;  // "us-east-1"
    QByteArray service; // "s3"
};

struct SigV4Signature {
    QByteArray canonicalRequest;
    QByteArray stringToSign;
    QByteArray signedHeaders; // "host;x-amz-content-sha256;x-amz-date"
    QByteArray signatureHex;
    QByteArray authorization; // full `Authorization` header value
};

// RFC 3986 percent-encoding as AWS specifies it: unreserved A-Z a-z 0-9 - _ . ~ stay,
// every other byte becomes %XX (uppercase). '/' is kept only when `keepSlash`.
QByteArray awsUriEncode(const QByteArray& bytes, bool keepSlash);

// Percent-decoding of a path or query component ('+' stays '+': S3 keys may contain it).
QByteArray percentDecode(const QByteArray& bytes);

QByteArray canonicalPath(const QByteArray& rawPath, PathRule rule);
QByteArray canonicalQuery(const HeaderList& query);
// Lowercased names, trimmed values with inner whitespace runs collapsed, repeated names
// joined with ',' in the order given; sorted by name. Returns {canonicalHeaders, signedHeaders}.
std::pair<QByteArray, QByteArray> canonicalHeaders(const HeaderList& headers);

SigV4Signature signRequest(const SignableRequest& request, const AwsCredentials& credentials,
                           const SigV4Scope& scope, PathRule rule);

// HMAC chain of SigV4: signing key from secret/date/region/service, then the hex signature.
QByteArray signatureForStringToSign(const QByteArray& stringToSign,
                                    const AwsCredentials& credentials, const SigV4Scope& scope);

QByteArray sha256Hex(const QByteArray& bytes);
QByteArray hmacSha256(const QByteArray& key, const QByteArray& message);

} // namespace hlsforge::publish
