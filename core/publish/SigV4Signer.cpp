#include "publish/SigV4Signer.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include <openssl/evp.h>

#include <algorithm>
#include <map>

namespace hlsforge::publish {
namespace {

bool isUnreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// AWS: trim, and squeeze runs of spaces/tabs into one space.
QByteArray normaliseHeaderValue(const QByteArray& value) {
    QByteArray out;
    out.reserve(value.size());
    bool pendingSpace = false;
    for (char c : value.trimmed()) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            pendingSpace = true;
            continue;
        }
        if (pendingSpace && !out.isEmpty())
            out.append(' ');
        pendingSpace = false;
        out.append(c);
    }
    return out;
}

} // namespace

QByteArray awsUriEncode(const QByteArray& bytes, bool keepSlash) {
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(bytes.size() * 3);
    for (char c : bytes) {
        if (isUnreserved(c) || (keepSlash && c == '/')) {
            out.append(c);
        } else {
            const auto u = static_cast<unsigned char>(c);
            out.append('%');
            out.append(hex[u >> 4]);
            out.append(hex[u & 0xF]);
        }
    }
    return out;
}

QByteArray percentDecode(const QByteArray& bytes) {
    QByteArray out;
    out.reserve(bytes.size());
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '%' && i + 2 < bytes.size()) {
            const int hi = hexValue(bytes[i + 1]);
            const int lo = hexValue(bytes[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.append(static_cast<char>(hi * 16 + lo));
                i += 2;
                continue;
            }
        }
        out.append(bytes[i]);
    }
    return out;
}

QByteArray canonicalPath(const QByteArray& rawPath, PathRule rule) {
    // An S3 key is literal ("100%.ts" is a valid key), so it is never decoded first.
    if (rule == PathRule::S3)
        return awsUriEncode(rawPath.isEmpty() ? QByteArray("/") : rawPath, /*keepSlash=*/true);
    const QByteArray decoded = percentDecode(rawPath.isEmpty() ? QByteArray("/") : rawPath);

    QList<QByteArray> kept;
    for (const QByteArray& segment : decoded.split('/')) {
        if (segment.isEmpty() || segment == ".")
            continue;
        if (segment == "..") {
            if (!kept.isEmpty())
                kept.removeLast();
            continue;
        }
        kept.append(awsUriEncode(segment, false));
    }
    QByteArray out = "/" + kept.join('/');
    if (!kept.isEmpty() && decoded.endsWith('/'))
        out.append('/');
    return out;
}

QByteArray canonicalQuery(const HeaderList& query) {
    QList<std::pair<QByteArray, QByteArray>> encoded;
    encoded.reserve(query.size());
    for (const auto& [name, value] : query)
        encoded.append({awsUriEncode(name, false), awsUriEncode(value, false)});
    std::sort(encoded.begin(), encoded.end());
    QByteArray out;
    for (const auto& [name, value] : encoded) {
        if (!out.isEmpty())
            out.append('&');
        out.append(name).append('=').append(value);
    }
    return out;
}

std::pair<QByteArray, QByteArray> canonicalHeaders(const HeaderList& headers) {
    std::map<QByteArray, QList<QByteArray>> merged; // sorted by lowercase name
    for (const auto& [name, value] : headers)
        merged[name.trimmed().toLower()].append(normaliseHeaderValue(value));
    QByteArray canonical;
    QByteArray signedNames;
    for (const auto& [name, value] : merged) {
        canonical.append(name).append(':').append(value.join(',')).append('\n');
        if (!signedNames.isEmpty())
            signedNames.append(';');
        signedNames.append(name);
    }
    return {canonical, signedNames};
}

QByteArray sha256Hex(const QByteArray& bytes) {
    // Every payload is hashed for x-amz-content-sha256. Qt 6.4's SHA-256 is portable C
    // (~120 MB/s here); OpenSSL's uses the CPU's SHA extensions (~1 GB/s), which keeps
    // hashing off the critical path of an upload.
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(bytes.constData(), static_cast<size_t>(bytes.size()), digest, &length,
                   EVP_sha256(), nullptr) != 1)
        return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    return QByteArray(reinterpret_cast<const char*>(digest), static_cast<qsizetype>(length))
        .toHex();
}

QByteArray hmacSha256(const QByteArray& key, const QByteArray& message) {
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

QByteArray signatureForStringToSign(const QByteArray& stringToSign,
                                    const AwsCredentials& credentials, const SigV4Scope& scope) {
    const QByteArray kDate =
        hmacSha256("AWS4" + credentials.secretAccessKey.toUtf8(), scope.amzDate.left(8));
    const QByteArray kRegion = hmacSha256(kDate, scope.region);
    const QByteArray kService = hmacSha256(kRegion, scope.service);
    const QByteArray kSigning = hmacSha256(kService, "aws4_request");
    return hmacSha256(kSigning, stringToSign).toHex();
}

SigV4Signature signRequest(const SignableRequest& request, const AwsCredentials& credentials,
                           const SigV4Scope& scope, PathRule rule) {
    SigV4Signature sig;
    const auto [headerBlock, signedNames] = canonicalHeaders(request.headers);
    sig.signedHeaders = signedNames;
    sig.canonicalRequest = request.method + '\n' + canonicalPath(request.path, rule) + '\n' +
                           canonicalQuery(request.query) + '\n' + headerBlock + '\n' + signedNames +
                           '\n' + request.payloadSha256Hex;

    const QByteArray date = scope.amzDate.left(8);
    const QByteArray credentialScope =
        date + '/' + scope.region + '/' + scope.service + "/aws4_request";
    sig.stringToSign = "AWS4-HMAC-SHA256\n" + scope.amzDate + '\n' + credentialScope + '\n' +
                       sha256Hex(sig.canonicalRequest);

    sig.signatureHex = signatureForStringToSign(sig.stringToSign, credentials, scope);

    sig.authorization = "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId.toUtf8() + '/' +
                        credentialScope + ", SignedHeaders=" + signedNames +
                        ", Signature=" + sig.signatureHex;
    return sig;
}

} // namespace hlsforge::publish
