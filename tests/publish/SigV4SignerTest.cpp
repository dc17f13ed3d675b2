// SigV4SignerTest: every case of AWS's Signature V4 test suite (canonical request, string
// to sign, Authorization) and the S3 examples, read from tests/publish/aws-sig-v4-test-suite
// (in the repository, with AWS's licence and notice); plus the S3 path rule for keys with spaces,
// '+' and unicode.

#include "publish/SigV4Signer.h"
#include "publish/S3Client.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

using namespace hlsforge::publish;

namespace {

// Set by tests/publish/CMakeLists.txt to the copy in the source tree, so the test passes
// wherever the repository is cloned.
QString suiteRoot() {
    return QStringLiteral(HLSFORGE_SIGV4_SUITE_DIR);
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

struct ParsedReq {
    SignableRequest request;
    QByteArray amzDate;
};

// The suite's .req files are raw HTTP: "METHOD URI HTTP/1.1", headers (a line starting with
// whitespace continues the previous header as another value), a blank line, the body.
ParsedReq parseReq(const QByteArray& text) {
    ParsedReq out;
    const qsizetype blank = text.indexOf("\n\n");
    const QByteArray head = blank < 0 ? text : text.left(blank);
    const QByteArray body = blank < 0 ? QByteArray() : text.mid(blank + 2);
    QList<QByteArray> lines = head.split('\n');
    QByteArray requestLine = lines.takeFirst();
    out.request.method = requestLine.left(requestLine.indexOf(' '));
    QByteArray uri = requestLine.mid(out.request.method.size() + 1);
    uri.chop(QByteArray(" HTTP/1.1").size());
    const qsizetype q = uri.indexOf('?');
    out.request.path = q < 0 ? uri : uri.left(q);
    if (q >= 0) {
        for (const QByteArray& pair : uri.mid(q + 1).split('&')) {
            if (pair.isEmpty())
                continue;
            const qsizetype eq = pair.indexOf('=');
            out.request.query.append({percentDecode(eq < 0 ? pair : pair.left(eq)),
                                      percentDecode(eq < 0 ? QByteArray() : pair.mid(eq + 1))});
        }
    }
    QByteArray lastName;
    for (const QByteArray& line : lines) {
        if (!line.isEmpty() && (line[0] == ' ' || line[0] == '\t')) {
            out.request.headers.append({lastName, line});
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        lastName = line.left(colon);
        out.request.headers.append({lastName, line.mid(colon + 1)});
        if (lastName.toLower() == "x-amz-date")
            out.amzDate = line.mid(colon + 1).trimmed();
    }
    out.request.payloadSha256Hex = sha256Hex(body);
    return out;
}

const AwsCredentials kSuiteCredentials{
    QStringLiteral("AKIDEXAMPLE"), QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), {}};
const AwsCredentials kS3Credentials{QStringLiteral("AKIAIOSFODNN7EXAMPLE"),
                                    QStringLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                                    {}};

} // namespace

class SigV4SignerTest : public QObject {
    Q_OBJECT
private slots:
    void awsSuite_data();
    void awsSuite();
    void s3Examples_data();
    void s3Examples();
    void s3KeyEncoding_data();
    void s3KeyEncoding();
    void genericPathNormalisation();
    void presignedGetUrl();
};

void SigV4SignerTest::awsSuite_data() {
    QTest::addColumn<QString>("caseDir");
    const QString root = suiteRoot() + QStringLiteral("/aws-sig-v4-test-suite");
    QVERIFY2(QDir(root).exists(),
             qPrintable(QStringLiteral("AWS SigV4 test suite not found at ") + root));
    QDirIterator it(root, {QStringLiteral("*.req")}, QDir::Files, QDirIterator::Subdirectories);
    QStringList cases;
    while (it.hasNext())
        cases.append(QFileInfo(it.next()).absolutePath());
    cases.sort();
    // The published suite has 31 cases; fewer means the tree is incomplete, not a pass.
    QVERIFY2(cases.size() >= 31,
             qPrintable(QStringLiteral("only %1 cases found").arg(cases.size())));
    for (const QString& dir : cases)
        QTest::newRow(qPrintable(QDir(root).relativeFilePath(dir))) << dir;
}

void SigV4SignerTest::awsSuite() {
    QFETCH(QString, caseDir);
    const QString base = caseDir + QLatin1Char('/') + QFileInfo(caseDir).fileName();
    const ParsedReq req = parseReq(readAll(base + QStringLiteral(".req")));
    const SigV4Signature sig = signRequest(
        req.request, kSuiteCredentials, {req.amzDate, "us-east-1", "service"}, PathRule::Generic);
    QCOMPARE(sig.canonicalRequest, readAll(base + QStringLiteral(".creq")));

    const QByteArray sts = readAll(base + QStringLiteral(".sts"));
    const QByteArray authz = readAll(base + QStringLiteral(".authz"));
    // Two cases of the published suite are inconsistent: their .creq was updated (it signs
    // content-length, and "charset=utf-8") while their .sts/.authz still come from the older
    // request (no content-length, "charset=utf8"). For those the .creq is checked as above
    // and the signature is checked from their own .sts; every other case must match fully.
    static const QStringList knownInconsistent{
        QStringLiteral("post-x-www-form-urlencoded"),
        QStringLiteral("post-x-www-form-urlencoded-parameters")};
    if (knownInconsistent.contains(QFileInfo(caseDir).fileName())) {
        QVERIFY(sig.stringToSign != sts); // when AWS fixes the files, drop the exception
        const QByteArray signature =
            signatureForStringToSign(sts, kSuiteCredentials, {req.amzDate, "us-east-1", "service"});
        QVERIFY2(authz.endsWith("Signature=" + signature), authz.constData());
        return;
    }
    QCOMPARE(sig.stringToSign, sts);
    QCOMPARE(sig.authorization, authz);
}

void SigV4SignerTest::s3Examples_data() {
    QTest::addColumn<QByteArray>("requestLine");
    QTest::addColumn<QByteArray>("extraHeader");
    QTest::addColumn<QByteArray>("expectedSignature");
    const QByteArray md = readAll(suiteRoot() + QStringLiteral("/S3-EXAMPLES.md"));
    QVERIFY2(!md.isEmpty(), "S3-EXAMPLES.md not found");
    // Rows look like: | `GET /test.txt` | `range: bytes=0-9` | `f0e8...` |
    static const QRegularExpression row(
        QStringLiteral(R"(^\|\s*`([^`]+)`\s*\|\s*(?:`([^`]+)`|none)\s*\|\s*`([0-9a-f]{64})`)"),
        QRegularExpression::MultilineOption);
    int rows = 0;
    for (auto it = row.globalMatch(QString::fromUtf8(md)); it.hasNext(); ++rows) {
        const auto m = it.next();
        QTest::newRow(qPrintable(m.captured(1)))
            << m.captured(1).toUtf8() << m.captured(2).toUtf8() << m.captured(3).toUtf8();
    }
    QCOMPARE(rows, 3);
}

void SigV4SignerTest::s3Examples() {
    QFETCH(QByteArray, requestLine);
    QFETCH(QByteArray, extraHeader);
    QFETCH(QByteArray, expectedSignature);
    SignableRequest r;
    r.method = requestLine.left(requestLine.indexOf(' '));
    const QByteArray uri = requestLine.mid(r.method.size() + 1);
    const qsizetype q = uri.indexOf('?');
    r.path = q < 0 ? uri : uri.left(q);
    if (q >= 0) {
        for (const QByteArray& pair : uri.mid(q + 1).split('&')) {
            const qsizetype eq = pair.indexOf('=');
            r.query.append(
                {eq < 0 ? pair : pair.left(eq), eq < 0 ? QByteArray() : pair.mid(eq + 1)});
        }
    }
    r.payloadSha256Hex = sha256Hex({});
    r.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                 {"x-amz-date", "20130524T000000Z"},
                 {"x-amz-content-sha256", r.payloadSha256Hex}};
    if (!extraHeader.isEmpty()) {
        const qsizetype colon = extraHeader.indexOf(':');
        r.headers.append({extraHeader.left(colon), extraHeader.mid(colon + 1)});
    }
    const SigV4Signature sig =
        signRequest(r, kS3Credentials, {"20130524T000000Z", "us-east-1", "s3"}, PathRule::S3);
    QCOMPARE(sig.signatureHex, expectedSignature);
    QVERIFY(sig.signedHeaders.contains("x-amz-content-sha256"));
}

void SigV4SignerTest::s3KeyEncoding_data() {
    QTest::addColumn<QByteArray>("rawPath");
    QTest::addColumn<QByteArray>("canonical");
    QTest::newRow("space") << QByteArray("/b/my video/seg 1.ts")
                           << QByteArray("/b/my%20video/seg%201.ts");
    QTest::newRow("plus") << QByteArray("/b/a+b.ts") << QByteArray("/b/a%2Bb.ts");
    QTest::newRow("unicode") << QByteArray("/b/\xc3\xbc\xe1\x88\xb4.m3u8")
                             << QByteArray("/b/%C3%BC%E1%88%B4.m3u8");
    QTest::newRow("reserved") << QByteArray("/b/a(1)!*'=&.ts")
                              << QByteArray("/b/a%281%29%21%2A%27%3D%26.ts");
    QTest::newRow("unreserved kept") << QByteArray("/b/A-z_0.9~") << QByteArray("/b/A-z_0.9~");
    // S3 keys are literal: no dot-segment removal, no slash collapsing.
    QTest::newRow("no normalisation")
        << QByteArray("/b/x//y/../z/./w") << QByteArray("/b/x//y/../z/./w");
    // A key is literal: "100%20.ts" names a file with a percent sign in it.
    QTest::newRow("literal percent") << QByteArray("/b/100%20.ts") << QByteArray("/b/100%2520.ts");
}

void SigV4SignerTest::s3KeyEncoding() {
    QFETCH(QByteArray, rawPath);
    QFETCH(QByteArray, canonical);
    QCOMPARE(canonicalPath(rawPath, PathRule::S3), canonical);
}

void SigV4SignerTest::genericPathNormalisation() {
    QCOMPARE(canonicalPath("/a/./b/../c//d/", PathRule::Generic), QByteArray("/a/c/d/"));
    QCOMPARE(canonicalPath("", PathRule::Generic), QByteArray("/"));
    QCOMPARE(canonicalQuery({{"b", "2"}, {"a", "x y"}, {"a", "1"}}), QByteArray("a=1&a=x%20y&b=2"));
}

// AWS's worked example of a presigned GET ("Authenticating Requests: Using Query Parameters"):
// examplebucket/test.txt, 24 hours from 2013-05-24 00:00:00 UTC.
void SigV4SignerTest::presignedGetUrl() {
    S3Target target;
    target.bucket = QStringLiteral("examplebucket");
    target.endpoint = QUrl(QStringLiteral("https://s3.amazonaws.com"));
    target.addressing = S3Target::Addressing::VirtualHosted;
    const QUrl url = presignGetUrl(target, QStringLiteral("test.txt"), kS3Credentials, 86400,
                                   QDateTime(QDate(2013, 5, 24), QTime(0, 0), QTimeZone::utc()));
    QCOMPARE(url.toString(QUrl::FullyEncoded),
             QStringLiteral("https://examplebucket.s3.amazonaws.com/test.txt"
                            "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F"
                            "aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
                            "&X-Amz-SignedHeaders=host&X-Amz-Signature="
                            "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
}

QTEST_GUILESS_MAIN(SigV4SignerTest)
#include "SigV4SignerTest.moc"
