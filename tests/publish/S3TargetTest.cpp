// S3TargetTest: addressing (path-style for IP/localhost/dotted buckets, virtual-hosted
// otherwise), key and URL encoding, s3:// parsing, and where credentials come from
// (environment, profiles in an AWS_SHARED_CREDENTIALS_FILE, the keychain secret format),
// with no secret in any message.

#include "publish/Credentials.h"
#include "publish/S3Client.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge::publish;

class S3TargetTest : public QObject {
    Q_OBJECT
private slots:
    void addressing_data();
    void addressing();
    void parseUri();
    void credentialsFromProfileFile();
    void environmentWins();
    void keychainSecretRoundTrip();
    void failureMessages();
};

void S3TargetTest::addressing_data() {
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("bucket");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("url");
    QTest::newRow("aws default") << QString() << "media"
                                 << "show/master.m3u8"
                                 << "https://media.s3.us-east-1.amazonaws.com/show/master.m3u8";
    QTest::newRow("ip endpoint") << "http://127.0.0.1:9000"
                                 << "media"
                                 << "a b+c.ts"
                                 << "http://127.0.0.1:9000/media/a%20b%2Bc.ts";
    QTest::newRow("localhost") << "http://localhost:9000"
                               << "media"
                               << "x/\xc3\xbc.ts"
                               << "http://localhost:9000/media/x/%C3%BC.ts";
    QTest::newRow("dotted bucket") << "https://s3.eu-west-1.amazonaws.com"
                                   << "media.example.com"
                                   << "k"
                                   << "https://s3.eu-west-1.amazonaws.com/media.example.com/k";
    QTest::newRow("r2-like host") << "https://acct.r2.cloudflarestorage.com"
                                  << "media"
                                  << "k"
                                  << "https://media.acct.r2.cloudflarestorage.com/k";
}

void S3TargetTest::addressing() {
    QFETCH(QString, endpoint);
    QFETCH(QString, bucket);
    QFETCH(QString, key);
    QFETCH(QString, url);
    S3Target target;
    target.bucket = bucket;
    target.endpoint = QUrl(endpoint);
    QCOMPARE(target.url(key).toString(QUrl::FullyEncoded), url);
}

void S3TargetTest::parseUri() {
    auto t = S3Target::fromUri(QStringLiteral("s3://my-bucket/videos/show/"));
    QVERIFY(t.isOk());
    QCOMPARE(t->bucket, QStringLiteral("my-bucket"));
    QCOMPARE(t->prefix, QStringLiteral("videos/show"));
    QCOMPARE(t->keyFor(QStringLiteral("master.m3u8")), QStringLiteral("videos/show/master.m3u8"));
    auto bare = S3Target::fromUri(QStringLiteral("s3://my-bucket"));
    QVERIFY(bare.isOk());
    QCOMPARE(bare->keyFor(QStringLiteral("master.m3u8")), QStringLiteral("master.m3u8"));
    QVERIFY(!S3Target::fromUri(QStringLiteral("s3://Bad_Bucket/x")).isOk());
    QVERIFY(!S3Target::fromUri(QStringLiteral("http://x/y")).isOk());
    S3Target forced = bare.value();
    forced.addressing = S3Target::Addressing::PathStyle;
    QVERIFY(forced.usesPathStyle());
}

void S3TargetTest::credentialsFromProfileFile() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("credentials"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[default]\naws_access_key_id = AKDEFAULT\naws_secret_access_key = s3cr3tDefault\n\n"
            "# comment\n[publisher]\naws_access_key_id=AKPUB\naws_secret_access_key=s3cr3tPub\n"
            "aws_session_token = tok\nregion = eu-west-3\n[broken]\naws_access_key_id = AKONLY\n");
    f.close();
    qputenv("AWS_SHARED_CREDENTIALS_FILE", path.toUtf8());
    qunsetenv("AWS_ACCESS_KEY_ID");
    qunsetenv("AWS_SECRET_ACCESS_KEY");
    qunsetenv("AWS_PROFILE");
    qunsetenv("AWS_REGION");
    qunsetenv("AWS_DEFAULT_REGION");

    auto pub = resolveCredentials(QStringLiteral("publisher"));
    QVERIFY(pub.isOk());
    QCOMPARE(pub->credentials.accessKeyId, QStringLiteral("AKPUB"));
    QCOMPARE(pub->credentials.secretAccessKey, QStringLiteral("s3cr3tPub"));
    QCOMPARE(pub->credentials.sessionToken, QStringLiteral("tok"));
    QCOMPARE(pub->region, QStringLiteral("eu-west-3"));
    QVERIFY(!pub->source.contains(QStringLiteral("s3cr3t")));

    auto def = resolveCredentials();
    QVERIFY(def.isOk());
    QCOMPARE(def->credentials.accessKeyId, QStringLiteral("AKDEFAULT"));

    auto broken = resolveCredentials(QStringLiteral("broken"));
    QVERIFY(!broken.isOk());
    QVERIFY(broken.status().message().contains(QStringLiteral("lacks")));
    auto missing = resolveCredentials(QStringLiteral("nope"));
    QVERIFY(!missing.isOk());
    QVERIFY(!missing.status().message().contains(QStringLiteral("s3cr3t")));
    qunsetenv("AWS_SHARED_CREDENTIALS_FILE");
}

void S3TargetTest::environmentWins() {
    qputenv("AWS_ACCESS_KEY_ID", "AKENV");
    qputenv("AWS_SECRET_ACCESS_KEY", "envsecret");
    qputenv("AWS_REGION", "ap-south-1");
    auto env = resolveCredentials();
    QVERIFY(env.isOk());
    QCOMPARE(env->credentials.accessKeyId, QStringLiteral("AKENV"));
    QCOMPARE(env->region, QStringLiteral("ap-south-1"));
    QCOMPARE(env->source, QStringLiteral("environment"));
    qunsetenv("AWS_ACCESS_KEY_ID");
    qunsetenv("AWS_SECRET_ACCESS_KEY");
    qunsetenv("AWS_REGION");
}

void S3TargetTest::keychainSecretRoundTrip() {
    const AwsCredentials c{QStringLiteral("AK"), QStringLiteral("se\"cret/+="), QStringLiteral("")};
    auto back = decodeCredentialsSecret(encodeCredentialsSecret(c));
    QVERIFY(back.isOk());
    QCOMPARE(back->secretAccessKey, c.secretAccessKey);
    QVERIFY(!decodeCredentialsSecret("{}").isOk());
}

void S3TargetTest::failureMessages() {
    S3Response r;
    r.httpStatus = 403;
    r.errorCode = QStringLiteral("SignatureDoesNotMatch");
    QVERIFY(!r.isRetryable());
    QVERIFY(describeS3Failure(r, QStringLiteral("uploading k"))
                .contains(QStringLiteral("secret access key")));
    r.errorCode = QStringLiteral("SlowDown");
    r.httpStatus = 503;
    QVERIFY(r.isRetryable());
    r = {};
    r.httpStatus = 400;
    r.errorCode = QStringLiteral("RequestTimeout");
    QVERIFY(r.isRetryable());
    r = {};
    r.networkError = QNetworkReply::RemoteHostClosedError;
    QVERIFY(r.isRetryable());
    r.networkError = QNetworkReply::HostNotFoundError;
    QVERIFY(!r.isRetryable());
    r = {};
    r.httpStatus = 404;
    r.errorCode = QStringLiteral("NoSuchBucket");
    QVERIFY(!r.isRetryable());
    QVERIFY(
        describeS3Failure(r, QStringLiteral("listing")).contains(QStringLiteral("does not exist")));
}

QTEST_GUILESS_MAIN(S3TargetTest)
#include "S3TargetTest.moc"
