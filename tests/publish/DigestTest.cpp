// DigestTest: Content-MD5 and the ETags S3 reports (single PUT and multipart), with
// expected values computed independently (Python hashlib) and kept as literals.

#include "publish/Digest.h"
#include "publish/ContentPolicy.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge::publish;

class DigestTest : public QObject {
    Q_OBJECT
private slots:
    void contentMd5();
    void multipartEtagOfFile();
    void partCounts();
    void contentTypesAndPhases();
};

void DigestTest::contentMd5() {
    // base64 of the raw digest, not of the hex.
    QCOMPARE(contentMd5Header(""), QByteArray("1B2M2Y8AsgTpgAmY7PhCfg=="));
    QCOMPARE(md5Raw("abc").toHex(), QByteArray("900150983cd24fb0d6963f7d28e17f72"));
}

void DigestTest::multipartEtagOfFile() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.bin"));
    QByteArray data(12 * 1024 * 1024 + 3, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = static_cast<char>(i % 251);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
    f.close();

    auto multi = digestFile(path, 5 * 1024 * 1024);
    QVERIFY(multi.isOk());
    QCOMPARE(multi->partMd5s.size(), 3);
    QCOMPARE(multi->etag(), QStringLiteral("8a2292e82276e6cbc2dbe5182388c897-3"));
    QCOMPARE(multi->md5.toHex(), QByteArray("f387e5dea23cb05c7802ceec39e22505"));

    auto single = digestFile(path, 0);
    QVERIFY(single.isOk());
    QCOMPARE(single->etag(), QStringLiteral("f387e5dea23cb05c7802ceec39e22505"));
    QCOMPARE(single->sizeBytes, data.size());

    QVERIFY(!digestFile(dir.filePath(QStringLiteral("missing")), 0).isOk());
}

void DigestTest::partCounts() {
    const qint64 mib = 1024 * 1024;
    QCOMPARE(partCount(20 * mib, 8 * mib), 3);
    QCOMPARE(partCount(16 * mib, 8 * mib), 2);
    QCOMPARE(partCount(0, 8 * mib), 1);
}

void DigestTest::contentTypesAndPhases() {
    ContentPolicy policy;
    QCOMPARE(policy.contentTypeFor(QStringLiteral("v/seg_001.ts")), QStringLiteral("video/mp2t"));
    QCOMPARE(policy.contentTypeFor(QStringLiteral("master.m3u8")),
             QStringLiteral("application/vnd.apple.mpegurl"));
    QCOMPARE(policy.contentTypeFor(QStringLiteral("a/init.MP4")), QStringLiteral("video/mp4"));
    QCOMPARE(policy.contentTypeFor(QStringLiteral("x.m4s")), QStringLiteral("video/iso.segment"));
    QCOMPARE(policy.contentTypeFor(QStringLiteral("index.html")),
             QStringLiteral("text/html; charset=utf-8"));
    QCOMPARE(policy.contentTypeFor(QStringLiteral("blob.xyz")),
             QStringLiteral("application/octet-stream"));
    // The preview server's table: subtitles, audio-only renditions and sidecars too.
    QCOMPARE(policy.contentTypeFor(QStringLiteral("subs/en.vtt")),
             QStringLiteral("text/vtt; charset=utf-8"));
    QCOMPARE(policy.contentTypeFor(QStringLiteral("audio/seg_001.m4a")),
             QStringLiteral("audio/mp4"));
    QCOMPARE(policy.contentTypeFor(QStringLiteral("poster.JPG")), QStringLiteral("image/jpeg"));
    QCOMPARE(policy.contentTypeFor(QStringLiteral("info.json")),
             QStringLiteral("application/json"));

    const FileKind master =
        classifyFile(QStringLiteral("master.m3u8"), "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n");
    const FileKind media =
        classifyFile(QStringLiteral("v0/index.m3u8"), "#EXTM3U\n#EXTINF:6.0,\nseg.ts\n");
    QCOMPARE(master, FileKind::MasterPlaylist);
    QCOMPARE(media, FileKind::MediaPlaylist);
    QVERIFY(publishPhase(classifyFile(QStringLiteral("v0/seg.ts"), {})) < publishPhase(media));
    QVERIFY(publishPhase(media) < publishPhase(master));
    QVERIFY(publishPhase(classifyFile(QStringLiteral("index.html"), {})) < publishPhase(master));
    QVERIFY(publishPhase(media) < publishPhase(classifyFile(QStringLiteral("poster.jpg"), {})));
    QCOMPARE(policy.cacheControlFor(FileKind::Segment),
             QStringLiteral("max-age=31536000, immutable"));
    QCOMPARE(policy.cacheControlFor(master), QStringLiteral("max-age=60"));
}

QTEST_GUILESS_MAIN(DigestTest)
#include "DigestTest.moc"
