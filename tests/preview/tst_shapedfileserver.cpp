// Conformance of the preview server over real sockets: RFC 9110 Range (after Go's net/http
// ServeContent tests and nginx's range.t), validators, HEAD, content types, CORS, path
// escapes, concurrent clients, request events and prompt stop.

#include "HttpTestClient.h"
#include "TestMedia.h"

#include "preview/RenditionMap.h"
#include "preview/ShapedFileServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrent>

#include <unistd.h>

using namespace hlsforge::preview;
using hlsforge::test::httpRequest;
using hlsforge::test::HttpResponse;
using Headers = QList<QPair<QByteArray, QByteArray>>;

namespace {

constexpr int kFileLength = 100;

QByteArray fileBytes() {
    QByteArray data;
    for (int i = 0; i < kFileLength; ++i)
        data.append(char('A' + i % 26) + (i / 26)); // distinct enough to catch off-by-one
    return data;
}

bool writeFile(const QString& path, const QByteArray& data) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

// "0-4,10-14" -> the bytes those ranges select, for comparing bodies.
QList<QPair<qint64, qint64>> parseSpans(const QString& spans) {
    QList<QPair<qint64, qint64>> out;
    for (const QString& s : spans.split(QLatin1Char(','), Qt::SkipEmptyParts))
        out.append({s.section(QLatin1Char('-'), 0, 0).toLongLong(),
                    s.section(QLatin1Char('-'), 1, 1).toLongLong()});
    return out;
}

} // namespace

class TestShapedFileServer : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void range_data();
    void range();
    void multipartBody();
    void head();
    void contentTypes_data();
    void contentTypes();
    void validators();
    void ifRange_data();
    void ifRange();
    void cors();
    void methods();
    void pathEscapes_data();
    void pathEscapes();
    void symlinks();
    void renditionEvents();
    void rungMaster();
    void concurrentClients();
    void startErrors();
    void stopIsPrompt();

private:
    QTemporaryDir m_root;
    QTemporaryDir m_outside;
    std::unique_ptr<ShapedFileServer> m_server;
    quint16 m_port = 0;
};

void TestShapedFileServer::initTestCase() {
    QVERIFY(m_root.isValid() && m_outside.isValid());
    const QString root = m_root.path();
    QVERIFY(writeFile(root + "/file.ts", fileBytes()));
    QVERIFY(writeFile(root + "/empty.ts", {}));
    QVERIFY(writeFile(root + "/master.m3u8",
                      "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-INDEPENDENT-SEGMENTS\n"
                      "#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720\nhi/index.m3u8\n"
                      "#EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION=640x360\nlo/index.m3u8\n"));
    const QByteArray media =
        "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:2\n"
        "#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI=\"init.mp4\"\n"
        "#EXTINF:2.0,\nseg_000.m4s\n#EXTINF:2.0,\nseg_001.m4s\n#EXT-X-ENDLIST\n";
    for (const char* rung : {"hi", "lo"}) {
        QVERIFY(writeFile(root + "/" + rung + "/index.m3u8", media));
        QVERIFY(writeFile(root + "/" + rung + "/init.mp4", QByteArray(50, 'i')));
        QVERIFY(writeFile(root + "/" + rung + "/seg_000.m4s", QByteArray(1000, 's')));
        QVERIFY(writeFile(root + "/" + rung + "/seg_001.m4s", QByteArray(1000, 't')));
    }
    for (const char* name : {"a.vtt", "index.html", "app.js", "style.css", "thumb.jpg", "info.json",
                             "blob.bin", "dir/x.ts", "UPPER.M3U8", "audio/seg.m4a", "poster.png"})
        QVERIFY(writeFile(root + "/" + name, "x"));
    QVERIFY(writeFile(m_outside.path() + "/secret.txt", "secret"));

    m_server = std::make_unique<ShapedFileServer>(root);
    const hlsforge::Status started = m_server->start();
    QVERIFY2(started.isOk(), qPrintable(started.message()));
    m_port = m_server->port();
    QVERIFY(m_port > 0);
    QCOMPARE(m_server->url(QStringLiteral("master.m3u8")).host(), QStringLiteral("127.0.0.1"));
}

void TestShapedFileServer::cleanupTestCase() {
    m_server.reset();
}

void TestShapedFileServer::range_data() {
    QTest::addColumn<QByteArray>("range");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentRange");
    QTest::addColumn<QString>("spans"); // what the body holds; "0-99" for the whole file

    auto whole = QStringLiteral("0-99");
    QTest::newRow("no range") << QByteArray() << 200 << QByteArray() << whole;
    QTest::newRow("0-4") << QByteArray("bytes=0-4") << 206 << QByteArray("bytes 0-4/100") << "0-4";
    QTest::newRow("2-") << QByteArray("bytes=2-") << 206 << QByteArray("bytes 2-99/100") << "2-99";
    QTest::newRow("-5") << QByteArray("bytes=-5") << 206 << QByteArray("bytes 95-99/100")
                        << "95-99";
    QTest::newRow("end clamped") << QByteArray("bytes=5-1000") << 206
                                 << QByteArray("bytes 5-99/100") << "5-99";
    QTest::newRow("last byte") << QByteArray("bytes=99-") << 206 << QByteArray("bytes 99-99/100")
                               << "99-99";
    QTest::newRow("suffix past start")
        << QByteArray("bytes=-1000") << 206 << QByteArray("bytes 0-99/100") << whole;
    QTest::newRow("u64 max") << QByteArray("bytes=0-18446744073709551615") << 206
                             << QByteArray("bytes 0-99/100") << whole;
    QTest::newRow("past u64") << QByteArray("bytes=5-99999999999999999999999999") << 206
                              << QByteArray("bytes 5-99/100") << "5-99";
    QTest::newRow("one left of two")
        << QByteArray("bytes=0-4,500-600") << 206 << QByteArray("bytes 0-4/100") << "0-4";
    QTest::newRow("LEN-") << QByteArray("bytes=100-") << 416 << QByteArray("bytes */100") << "";
    QTest::newRow("far past end") << QByteArray("bytes=1000-2000") << 416
                                  << QByteArray("bytes */100") << "";
    QTest::newRow("-0") << QByteArray("bytes=-0") << 416 << QByteArray("bytes */100") << "";
    QTest::newRow("last < first") << QByteArray("bytes=5-1") << 416 << QByteArray("bytes */100")
                                  << "";
    QTest::newRow("huge start") << QByteArray("bytes=18446744073709551616-") << 416
                                << QByteArray("bytes */100") << "";
    QTest::newRow("overlapping") << QByteArray("bytes=0-60,50-99") << 200 << QByteArray() << whole;
    QTest::newRow("more than file") << QByteArray("bytes=0-99,-50") << 200 << QByteArray() << whole;
    QTest::newRow("17 ranges") << QByteArray("bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,"
                                             "18-18,20-20,22-22,24-24,26-26,28-28,30-30,32-32")
                               << 200 << QByteArray() << whole;
    QTest::newRow("empty spec") << QByteArray("bytes=") << 200 << QByteArray() << whole;
    QTest::newRow("letters") << QByteArray("bytes=abc") << 200 << QByteArray() << whole;
    QTest::newRow("--6") << QByteArray("bytes=--6") << 200 << QByteArray() << whole;
    QTest::newRow("items unit") << QByteArray("items=0-1") << 200 << QByteArray() << whole;
    QTest::newRow("no equals") << QByteArray("bytes 0-4") << 200 << QByteArray() << whole;
}

void TestShapedFileServer::range() {
    QFETCH(QByteArray, range);
    QFETCH(int, status);
    QFETCH(QByteArray, contentRange);
    QFETCH(QString, spans);
    Headers headers;
    if (!range.isEmpty())
        headers.append({"Range", range});
    const HttpResponse r = httpRequest(m_port, "GET", "/file.ts", headers);
    QVERIFY(r.ok);
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("Content-Range"), contentRange);
    QCOMPARE(r.header("Accept-Ranges"), QByteArray("bytes"));
    QByteArray expected;
    for (const auto& [first, last] : parseSpans(spans))
        expected += fileBytes().mid(first, last - first + 1);
    QCOMPARE(r.body, expected);
    QCOMPARE(r.header("Content-Length").toLongLong(), qint64(expected.size()));
    if (status != 416)
        QCOMPARE(r.header("Content-Type"), QByteArray("video/mp2t"));
}

void TestShapedFileServer::multipartBody() {
    const HttpResponse r =
        httpRequest(m_port, "GET", "/file.ts", {{"Range", "bytes=0-4, 10-14,-3"}});
    QVERIFY(r.ok);
    QCOMPARE(r.status, 206);
    QVERIFY(r.header("Content-Range").isEmpty());
    const QByteArray type = r.header("Content-Type");
    QVERIFY2(type.startsWith("multipart/byteranges; boundary="), type.constData());
    const QByteArray boundary = type.mid(type.indexOf('=') + 1);
    QCOMPARE(r.header("Content-Length").toInt(), r.body.size());
    // Parse the parts independently of how the server built them.
    QByteArray rest = r.body;
    QList<QPair<QByteArray, QByteArray>> parts; // Content-Range, payload
    QCOMPARE(rest.left(boundary.size() + 4), "--" + boundary + "\r\n");
    int pos = 0;
    while (true) {
        const int start = rest.indexOf("--" + boundary, pos);
        QVERIFY(start >= 0);
        const int afterDelimiter = start + 2 + boundary.size();
        if (rest.mid(afterDelimiter, 2) == "--")
            break;
        const int headerEnd = rest.indexOf("\r\n\r\n", afterDelimiter);
        const QByteArray headers = rest.mid(afterDelimiter, headerEnd - afterDelimiter);
        QVERIFY(headers.contains("Content-Type: video/mp2t"));
        const int crPos = headers.indexOf("Content-Range: ");
        const QByteArray contentRange = headers.mid(crPos + 15).split('\r').first();
        const int next = rest.indexOf("\r\n--" + boundary, headerEnd + 4);
        parts.append({contentRange, rest.mid(headerEnd + 4, next - headerEnd - 4)});
        pos = next + 2;
    }
    QCOMPARE(parts.size(), 3);
    QCOMPARE(parts[0].first, QByteArray("bytes 0-4/100"));
    QCOMPARE(parts[0].second, fileBytes().mid(0, 5));
    QCOMPARE(parts[1].first, QByteArray("bytes 10-14/100"));
    QCOMPARE(parts[1].second, fileBytes().mid(10, 5));
    QCOMPARE(parts[2].first, QByteArray("bytes 97-99/100"));
    QCOMPARE(parts[2].second, fileBytes().mid(97, 3));
    QVERIFY(r.body.endsWith("\r\n--" + boundary + "--\r\n"));
}

void TestShapedFileServer::head() {
    const HttpResponse get = httpRequest(m_port, "GET", "/file.ts");
    const HttpResponse head = httpRequest(m_port, "HEAD", "/file.ts");
    QCOMPARE(head.status, 200);
    QVERIFY(head.body.isEmpty());
    for (const char* name : {"Content-Length", "Content-Type", "ETag", "Last-Modified",
                             "Accept-Ranges", "Access-Control-Allow-Origin"})
        QCOMPARE(head.header(name), get.header(name));
    QCOMPARE(head.header("Content-Length"), QByteArray("100"));
    const HttpResponse headRange = httpRequest(m_port, "HEAD", "/file.ts", {{"Range", "bytes=-5"}});
    QCOMPARE(headRange.status, 206);
    QCOMPARE(headRange.header("Content-Range"), QByteArray("bytes 95-99/100"));
    QCOMPARE(headRange.header("Content-Length"), QByteArray("5"));
    QVERIFY(headRange.body.isEmpty());
    const HttpResponse empty = httpRequest(m_port, "GET", "/empty.ts", {{"Range", "bytes=0-4"}});
    QCOMPARE(empty.status, 200);
    QCOMPARE(empty.header("Content-Length"), QByteArray("0"));
    QCOMPARE(httpRequest(m_port, "HEAD", "/missing.ts").status, 404);
}

void TestShapedFileServer::contentTypes_data() {
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("type");
    QTest::newRow("m3u8") << QByteArray("/master.m3u8")
                          << QByteArray("application/vnd.apple.mpegurl");
    QTest::newRow("M3U8 upper") << QByteArray("/UPPER.M3U8")
                                << QByteArray("application/vnd.apple.mpegurl");
    QTest::newRow("ts") << QByteArray("/file.ts") << QByteArray("video/mp2t");
    QTest::newRow("m4s") << QByteArray("/hi/seg_000.m4s") << QByteArray("video/iso.segment");
    QTest::newRow("mp4") << QByteArray("/hi/init.mp4") << QByteArray("video/mp4");
    QTest::newRow("vtt") << QByteArray("/a.vtt") << QByteArray("text/vtt; charset=utf-8");
    QTest::newRow("m4a") << QByteArray("/audio/seg.m4a") << QByteArray("audio/mp4");
    QTest::newRow("png") << QByteArray("/poster.png") << QByteArray("image/png");
    QTest::newRow("html") << QByteArray("/index.html") << QByteArray("text/html; charset=utf-8");
    QTest::newRow("js") << QByteArray("/app.js") << QByteArray("application/javascript");
    QTest::newRow("css") << QByteArray("/style.css") << QByteArray("text/css");
    QTest::newRow("jpg") << QByteArray("/thumb.jpg") << QByteArray("image/jpeg");
    QTest::newRow("json") << QByteArray("/info.json") << QByteArray("application/json");
    QTest::newRow("unknown") << QByteArray("/blob.bin") << QByteArray("application/octet-stream");
    QTest::newRow("query ignored") << QByteArray("/file.ts?v=2") << QByteArray("video/mp2t");
}

void TestShapedFileServer::contentTypes() {
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, type);
    const HttpResponse r = httpRequest(m_port, "GET", path);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Type"), type);
    // No compression may change bytes or lengths that byte-range playlists rely on.
    const HttpResponse gz = httpRequest(m_port, "GET", path, {{"Accept-Encoding", "gzip, br"}});
    QVERIFY(gz.header("Content-Encoding").isEmpty());
    QCOMPARE(gz.body, r.body);
}

void TestShapedFileServer::validators() {
    const HttpResponse first = httpRequest(m_port, "GET", "/file.ts");
    const QByteArray etag = first.header("ETag");
    const QByteArray lastModified = first.header("Last-Modified");
    QVERIFY(etag.startsWith('"') && etag.endsWith('"') && etag.size() > 4);
    QVERIFY(QLocale::c()
                .toDateTime(QString::fromLatin1(lastModified),
                            QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                .isValid());
    QVERIFY(lastModified.endsWith(" GMT"));
    QCOMPARE(httpRequest(m_port, "GET", "/file.ts").header("ETag"), etag); // stable

    const HttpResponse cached = httpRequest(m_port, "GET", "/file.ts", {{"If-None-Match", etag}});
    QCOMPARE(cached.status, 304);
    QVERIFY(cached.body.isEmpty());
    QCOMPARE(cached.header("ETag"), etag);
    QCOMPARE(httpRequest(m_port, "GET", "/file.ts", {{"If-None-Match", "\"x\", " + etag}}).status,
             304);
    QCOMPARE(httpRequest(m_port, "GET", "/file.ts", {{"If-None-Match", "W/" + etag}}).status, 304);
    QCOMPARE(httpRequest(m_port, "GET", "/file.ts", {{"If-None-Match", "*"}}).status, 304);
    QCOMPARE(httpRequest(m_port, "GET", "/file.ts", {{"If-None-Match", "\"other\""}}).status, 200);
    QCOMPARE(httpRequest(m_port, "GET", "/file.ts", {{"If-Modified-Since", lastModified}}).status,
             304);
    QCOMPARE(httpRequest(m_port, "GET", "/file.ts",
                         {{"If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT"}})
                 .status,
             200);
    // If-None-Match takes precedence over If-Modified-Since.
    QCOMPARE(httpRequest(m_port, "GET", "/file.ts",
                         {{"If-None-Match", "\"other\""}, {"If-Modified-Since", lastModified}})
                 .status,
             200);

    // A changed file gets a new ETag.
    const QString path = m_root.path() + "/changing.ts";
    QVERIFY(writeFile(path, "one"));
    const QByteArray before = httpRequest(m_port, "GET", "/changing.ts").header("ETag");
    QVERIFY(writeFile(path, "three"));
    const HttpResponse after =
        httpRequest(m_port, "GET", "/changing.ts", {{"If-None-Match", before}});
    QCOMPARE(after.status, 200);
    QCOMPARE(after.body, QByteArray("three"));
    QVERIFY(after.header("ETag") != before);
}

void TestShapedFileServer::ifRange_data() {
    QTest::addColumn<QByteArray>("validator"); // "etag", "date", or a literal
    QTest::addColumn<int>("status");
    QTest::newRow("matching etag") << QByteArray("etag") << 206;
    QTest::newRow("matching date") << QByteArray("date") << 206;
    QTest::newRow("other etag") << QByteArray("\"stale\"") << 200;
    QTest::newRow("weak etag") << QByteArray("weak") << 200;
    QTest::newRow("other date") << QByteArray("Mon, 01 Jan 2001 00:00:00 GMT") << 200;
}

void TestShapedFileServer::ifRange() {
    QFETCH(QByteArray, validator);
    QFETCH(int, status);
    const HttpResponse plain = httpRequest(m_port, "HEAD", "/file.ts");
    QByteArray value = validator;
    if (validator == "etag")
        value = plain.header("ETag");
    else if (validator == "date")
        value = plain.header("Last-Modified");
    else if (validator == "weak")
        value = "W/" + plain.header("ETag");
    const HttpResponse r =
        httpRequest(m_port, "GET", "/file.ts", {{"Range", "bytes=0-4"}, {"If-Range", value}});
    QCOMPARE(r.status, status);
    QCOMPARE(r.body.size(), status == 206 ? 5 : kFileLength);
}

void TestShapedFileServer::cors() {
    const HttpResponse r =
        httpRequest(m_port, "GET", "/master.m3u8", {{"Origin", "http://example.org"}});
    QCOMPARE(r.header("Access-Control-Allow-Origin"), QByteArray("*"));
    for (const char* exposed : {"Content-Range", "Content-Length", "Accept-Ranges"})
        QVERIFY(r.header("Access-Control-Expose-Headers").contains(exposed));
    const HttpResponse preflight = httpRequest(
        m_port, "OPTIONS", "/hi/seg_000.m4s",
        {{"Origin", "http://example.org"}, {"Access-Control-Request-Headers", "range"}});
    QCOMPARE(preflight.status, 204);
    QVERIFY(preflight.header("Access-Control-Allow-Headers").contains("Range"));
    QVERIFY(preflight.header("Access-Control-Allow-Methods").contains("GET"));
    // Errors carry CORS headers too, so a browser page can read the status.
    QCOMPARE(httpRequest(m_port, "GET", "/missing.ts").header("Access-Control-Allow-Origin"),
             QByteArray("*"));
    QCOMPARE(httpRequest(m_port, "GET", "/file.ts", {{"Range", "bytes=500-"}})
                 .header("Access-Control-Allow-Origin"),
             QByteArray("*"));
}

void TestShapedFileServer::methods() {
    for (const QByteArray& method : {QByteArray("POST"), QByteArray("PUT"), QByteArray("DELETE")}) {
        const HttpResponse r = httpRequest(m_port, method, "/file.ts");
        QCOMPARE(r.status, 405);
        QVERIFY(r.header("Allow").contains("GET"));
    }
    QVERIFY(QFile::exists(m_root.path() + "/file.ts"));
}

void TestShapedFileServer::pathEscapes_data() {
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::newRow("dotdot") << QByteArray("/../secret.txt") << 403;
    QTest::newRow("deep dotdot") << QByteArray("/../../../../../../etc/passwd") << 403;
    QTest::newRow("inner dotdot") << QByteArray("/hi/../../secret.txt") << 403;
    QTest::newRow("dotdot inside root")
        << QByteArray("/hi/../file.ts") << 403; // refused, not normalised
    QTest::newRow("%2e%2e") << QByteArray("/%2e%2e/%2e%2e/etc/passwd") << 403;
    QTest::newRow("%2E%2E upper") << QByteArray("/%2E%2E/etc/passwd") << 403;
    QTest::newRow(".%2e") << QByteArray("/.%2e/etc/passwd") << 403;
    QTest::newRow("..%2f") << QByteArray("/hi/..%2f..%2fetc/passwd") << 403;
    QTest::newRow("%2e%2e%2f") << QByteArray("/%2e%2e%2f%2e%2e%2fetc%2fpasswd") << 403;
    QTest::newRow("backslash") << QByteArray("/hi\\..\\..\\etc\\passwd") << 403;
    QTest::newRow("%5c") << QByteArray("/hi%5c..%5c..%5cetc%5cpasswd") << 403;
    QTest::newRow("nul") << QByteArray("/file.ts%00.m3u8") << 403;
    QTest::newRow("bad escape") << QByteArray("/file%zz.ts") << 403;
    QTest::newRow("absolute-form") << QByteArray("http://127.0.0.1/etc/passwd") << 403;
    QTest::newRow("no leading slash") << QByteArray("etc/passwd") << 403;
    QTest::newRow("double slash stays inside") << QByteArray("//etc/passwd") << 404;
    QTest::newRow("double encoded is a name") << QByteArray("/%252e%252e/secret.txt") << 404;
    QTest::newRow("directory") << QByteArray("/hi") << 404;
    QTest::newRow("root") << QByteArray("/") << 404;
    QTest::newRow("dot segment ok") << QByteArray("/./hi/./init.mp4") << 200;
    QTest::newRow("encoded name ok") << QByteArray("/%66ile.ts") << 200;
}

void TestShapedFileServer::pathEscapes() {
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    const HttpResponse r = httpRequest(m_port, "GET", target);
    QCOMPARE(r.status, status);
    QVERIFY(!r.body.contains("secret"));
    QVERIFY(!r.body.contains("root:"));
}

void TestShapedFileServer::symlinks() {
    const QString root = m_root.path();
    QVERIFY(QFile::link(m_outside.path() + "/secret.txt", root + "/escape.ts"));
    QVERIFY(QFile::link(m_outside.path(), root + "/escapedir"));
    QVERIFY(QFile::link(root + "/file.ts", root + "/inside.ts"));
    QCOMPARE(httpRequest(m_port, "GET", "/escape.ts").status, 403);
    QCOMPARE(httpRequest(m_port, "GET", "/escapedir/secret.txt").status, 403);
    const HttpResponse inside = httpRequest(m_port, "GET", "/inside.ts");
    QCOMPARE(inside.status, 200);
    QCOMPARE(inside.body, fileBytes());
}

void TestShapedFileServer::renditionEvents() {
    QTest::qWait(100); // let events of earlier requests arrive before the spy exists
    QSignalSpy spy(m_server.get(), &ShapedFileServer::requestFinished);
    QCOMPARE(httpRequest(m_port, "GET", "/lo/seg_001.m4s", {{"Range", "bytes=10-19"}}).status, 206);
    QCOMPARE(httpRequest(m_port, "GET", "/hi/index.m3u8").status, 200);
    QCOMPARE(httpRequest(m_port, "GET", "/hi/init.mp4").status, 200);
    QCOMPARE(httpRequest(m_port, "GET", "/master.m3u8").status, 200);
    QCOMPARE(httpRequest(m_port, "GET", "/nope.ts").status, 404);
    QHash<QString, RequestEvent> byPath;
    auto collect = [&] {
        for (const QList<QVariant>& args : spy)
            byPath.insert(args.at(0).value<RequestEvent>().path, args.at(0).value<RequestEvent>());
        return byPath.size();
    };
    QTRY_VERIFY_WITH_TIMEOUT(collect() >= 5, 5000);

    const RequestEvent seg = byPath.value(QStringLiteral("lo/seg_001.m4s"));
    QCOMPARE(seg.status, 206);
    QCOMPARE(seg.kind, QStringLiteral("segment"));
    QCOMPARE(seg.variantIndex, 1);
    QCOMPARE(seg.variantBandwidth, qint64(500000));
    QCOMPARE(seg.variantResolution, QStringLiteral("640x360"));
    QCOMPARE(seg.rangeFirst, qint64(10));
    QCOMPARE(seg.rangeLast, qint64(19));
    QCOMPARE(seg.bytesSent, qint64(10));
    QVERIFY(seg.complete);
    QVERIFY(seg.durationMs >= 0);
    QCOMPARE(seg.method, QStringLiteral("GET"));
    QCOMPARE(byPath.value(QStringLiteral("hi/index.m3u8")).kind, QStringLiteral("playlist"));
    QCOMPARE(byPath.value(QStringLiteral("hi/index.m3u8")).variantIndex, 0);
    QCOMPARE(byPath.value(QStringLiteral("hi/init.mp4")).kind, QStringLiteral("init"));
    QCOMPARE(byPath.value(QStringLiteral("master.m3u8")).kind, QStringLiteral("master"));
    QCOMPARE(byPath.value(QStringLiteral("master.m3u8")).variantIndex, -1);
    QCOMPARE(byPath.value(QStringLiteral("nope.ts")).status, 404);
    const QJsonObject json = seg.toJson();
    QCOMPARE(json.value(QStringLiteral("rendition")).toInt(), 1);
    QCOMPARE(json.value(QStringLiteral("bytes")).toInt(), 10);
    QCOMPARE(json.value(QStringLiteral("path")).toString(), QStringLiteral("lo/seg_001.m4s"));
}

void TestShapedFileServer::rungMaster() {
    const HttpResponse r =
        httpRequest(m_port, "GET", "/" + RenditionMap::rungMasterName(1).toUtf8());
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Type"), QByteArray("application/vnd.apple.mpegurl"));
    QVERIFY(r.body.startsWith("#EXTM3U\n"));
    QVERIFY(r.body.contains("lo/index.m3u8"));
    QVERIFY(!r.body.contains("hi/index.m3u8"));
    QCOMPARE(r.body.count("#EXT-X-STREAM-INF"), 1);
    QCOMPARE(httpRequest(m_port, "GET", "/master.rung-7.m3u8").status, 404);
    QCOMPARE(httpRequest(m_port, "GET", "/" + RenditionMap::rungMasterName(0).toUtf8(),
                         {{"Range", "bytes=0-6"}})
                 .body,
             QByteArray("#EXTM3U"));
}

void TestShapedFileServer::concurrentClients() {
    // 48 clients at once, more than a default cpp-httplib pool (8 threads) would serve in
    // parallel: every one must get exactly its bytes.
    QByteArray big(3 * 1024 * 1024 + 17, Qt::Uninitialized);
    for (int i = 0; i < big.size(); ++i)
        big[i] = char((qint64(i) * 7919) >> 3); // 64-bit: i * 7919 overflows int (UBSan)
    QVERIFY(writeFile(m_root.path() + "/big.ts", big));
    QList<QFuture<bool>> futures;
    QThreadPool pool;
    pool.setMaxThreadCount(48);
    for (int i = 0; i < 48; ++i) {
        futures.append(QtConcurrent::run(&pool, [this, i, &big] {
            const qint64 first = (i * 65537) % (big.size() - 1000);
            const Headers headers =
                i % 2 ? Headers{{"Range", "bytes=" + QByteArray::number(first) + "-" +
                                              QByteArray::number(first + 999)}}
                      : Headers{};
            const HttpResponse r = httpRequest(m_port, "GET", "/big.ts", headers, 30000);
            return r.ok && (i % 2 ? r.status == 206 && r.body == big.mid(first, 1000)
                                  : r.status == 200 && r.body == big);
        }));
    }
    int good = 0;
    for (QFuture<bool>& f : futures)
        good += f.result() ? 1 : 0;
    QCOMPARE(good, 48);
}

void TestShapedFileServer::startErrors() {
    ShapedFileServer missing(QStringLiteral("/nonexistent/folder"));
    const hlsforge::Status s = missing.start();
    QVERIFY(!s.isOk());
    QVERIFY(s.message().contains(QStringLiteral("/nonexistent/folder")));
    ShapedFileServer clash(m_root.path());
    const hlsforge::Status busy = clash.start(m_port); // already taken by m_server
    QVERIFY(!busy.isOk());
    QCOMPARE(busy.code(), hlsforge::Status::Code::NetworkError);
}

void TestShapedFileServer::stopIsPrompt() {
    ShapedFileServer server(m_root.path());
    server.setProfile(ShapingProfile::constant(64)); // 8 KB/s: the big file would take minutes
    QVERIFY(server.start().isOk());
    const quint16 port = server.port();
    QFuture<HttpResponse> slow =
        QtConcurrent::run([port] { return httpRequest(port, "GET", "/big.ts", {}, 10000); });
    QTest::qWait(300);
    QElapsedTimer clock;
    clock.start();
    server.stop();
    QVERIFY2(clock.elapsed() < hlsforge::test::timingBudgetMs(3000),
             qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!server.isRunning());
    const HttpResponse cut = slow.result();
    QVERIFY(cut.body.size() < 1024 * 1024); // cut off, not completed
    // The port can be served again at once.
    QVERIFY(server.start(port).isOk());
    QCOMPARE(httpRequest(port, "GET", "/file.ts").status, 200);
}

QTEST_GUILESS_MAIN(TestShapedFileServer)
#include "tst_shapedfileserver.moc"
