// The player page writer: the page text (escaping, relative URLs, rungs, CDN URL + SRI) and the
// files of a self-contained page. SRI values are recomputed here from the npm package's own
// dist files, which are what jsDelivr serves, not from the build's copies.

#include "TestMedia.h"
#include "web/PlayerPage.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge;

namespace {

const QByteArray kMaster =
    "#EXTM3U\n"
    "#EXT-X-VERSION:4\n"
    "#EXT-X-INDEPENDENT-SEGMENTS\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=1100000,AVERAGE-BANDWIDTH=900000,"
    "CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720,FRAME-RATE=30.000\n"
    "720p/index.m3u8\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=700000,AVERAGE-BANDWIDTH=600000,"
    "CODECS=\"avc1.64001e,mp4a.40.2\",RESOLUTION=640x360,FRAME-RATE=30.000\n"
    "360p/index.m3u8\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=200000,AVERAGE-BANDWIDTH=180000,"
    "CODECS=\"avc1.64000d,mp4a.40.2\",RESOLUTION=256x144,FRAME-RATE=30.000\n"
    "low/index.m3u8\n";

bool writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString readPage(const QString& dir) {
    return QString::fromUtf8(readFile(QDir(dir).filePath(QStringLiteral("index.html"))));
}

QString sri(const QByteArray& bytes) {
    return QStringLiteral("sha384-") +
           QString::fromLatin1(
               QCryptographicHash::hash(bytes, QCryptographicHash::Sha384).toBase64());
}

// The npm package as installed by the build (node_modules/video.js).
QString npmPackageDir() {
    return qEnvironmentVariable("HLSFORGE_VIDEOJS_NPM_DIR");
}

// Undoes htmlEscaped() the way a browser would for the entities the writer uses.
QString htmlUnescaped(QString text) {
    text.replace(QLatin1String("&lt;"), QLatin1String("<"));
    text.replace(QLatin1String("&gt;"), QLatin1String(">"));
    text.replace(QLatin1String("&quot;"), QLatin1String("\""));
    text.replace(QLatin1String("&#39;"), QLatin1String("'"));
    text.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return text;
}

QString firstCapture(const QString& text, const QString& pattern) {
    const QRegularExpressionMatch m =
        QRegularExpression(pattern, QRegularExpression::DotMatchesEverythingOption).match(text);
    return m.hasMatch() ? m.captured(1) : QString();
}

// Every src= / href= value in the page.
QStringList urlAttributes(const QString& page) {
    QStringList urls;
    auto it =
        QRegularExpression(QStringLiteral("\\b(?:src|href|poster|data-thumbnails)=\"([^\"]*)\""))
            .globalMatch(page);
    while (it.hasNext())
        urls << it.next().captured(1);
    return urls;
}

} // namespace

class PlayerPageTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    int m_dirCount = 0;

    // A fresh output folder holding a ladder's master playlist and a poster.
    QString makeOutputDir(const QByteArray& master = kMaster) {
        const QString dir = m_tmp.filePath(QStringLiteral("out%1").arg(++m_dirCount));
        writeFile(QDir(dir).filePath(QStringLiteral("master.m3u8")), master);
        writeFile(QDir(dir).filePath(QStringLiteral("poster.jpg")), "jpeg");
        return dir;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(
            QFile::exists(npmPackageDir() + QStringLiteral("/dist/video.min.js")),
            qPrintable(QStringLiteral("no Video.js npm package at '%1'").arg(npmPackageDir())));
    }

    void scriptsNames() {
        PlayerScripts s = PlayerScripts::SelfContained;
        QVERIFY(parsePlayerScripts(QStringLiteral("cdn"), &s));
        QCOMPARE(s, PlayerScripts::Cdn);
        QVERIFY(parsePlayerScripts(QStringLiteral("self-contained"), &s));
        QCOMPARE(s, PlayerScripts::SelfContained);
        QCOMPARE(playerScriptsName(PlayerScripts::Cdn), QStringLiteral("cdn"));
        QCOMPARE(playerScriptsName(PlayerScripts::SelfContained), QStringLiteral("self-contained"));
        for (const char* bad : {"", "CDN", "selfcontained", "self_contained", "local"}) {
            s = PlayerScripts::SelfContained;
            QVERIFY2(!parsePlayerScripts(QString::fromLatin1(bad), &s), bad);
            QCOMPARE(s, PlayerScripts::SelfContained); // untouched on failure
        }
    }

    void cdnScriptsArePinnedWithIntegrity() {
        const QString dir = makeOutputDir();
        PlayerPageOptions options;
        options.title = QStringLiteral("clip");
        const Status status = writePlayerPage(dir, options);
        QVERIFY2(status.isOk(), qPrintable(status.message()));
        const QString page = readPage(dir);

        const QJsonObject pkg =
            QJsonDocument::fromJson(readFile(npmPackageDir() + QStringLiteral("/package.json")))
                .object();
        const QString version = pkg.value(QStringLiteral("version")).toString();
        QVERIFY2(version.startsWith(QLatin1String("8.")), qPrintable(version));
        QCOMPARE(playerVideoJsVersion(), version);
        const QString base =
            QStringLiteral("https://cdn.jsdelivr.net/npm/video.js@%1/").arg(version);

        const QRegularExpressionMatch script =
            QRegularExpression(QStringLiteral("<script src=\"([^\"]+)\" integrity=\"([^\"]+)\" "
                                              "crossorigin=\"anonymous\"></script>"))
                .match(page);
        QVERIFY(script.hasMatch());
        QCOMPARE(script.captured(1), base + QStringLiteral("dist/video.min.js"));
        QCOMPARE(script.captured(2),
                 sri(readFile(npmPackageDir() + QStringLiteral("/dist/video.min.js"))));

        const QRegularExpressionMatch style =
            QRegularExpression(QStringLiteral("<link rel=\"stylesheet\" href=\"([^\"]+)\" "
                                              "integrity=\"([^\"]+)\" crossorigin=\"anonymous\">"))
                .match(page);
        QVERIFY(style.hasMatch());
        QCOMPARE(style.captured(1), base + QStringLiteral("dist/video-js.min.css"));
        QCOMPARE(style.captured(2),
                 sri(readFile(npmPackageDir() + QStringLiteral("/dist/video-js.min.css"))));
        // The CDN mode copies nothing.
        QVERIFY(!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("player"))));
    }

    void titleIsEscaped_data() {
        QTest::addColumn<QString>("title");
        QTest::newRow("script") << QStringLiteral("<script>alert(1)</script>");
        QTest::newRow("quotes and ampersand") << QStringLiteral("Tom & Jerry \"take\" 'two'");
        QTest::newRow("attribute breakout") << QStringLiteral("\"><img src=x onerror=alert(1)>");
        QTest::newRow("placeholder text") << QStringLiteral("{{PAGE_JS}} {{RUNGS_JSON}}");
        QTest::newRow("unicode") << QStringLiteral("Café – 東京 🎬");
        QTest::newRow("entity lookalike") << QStringLiteral("&lt;b&gt; &amp;");
    }

    void titleIsEscaped() {
        QFETCH(QString, title);
        const QString dir = makeOutputDir();
        PlayerPageOptions options;
        options.title = title;
        QVERIFY(writePlayerPage(dir, options).isOk());
        const QString page = readPage(dir);
        const QString inTitle = firstCapture(page, QStringLiteral("<title>(.*?)</title>"));
        const QString inHeading = firstCapture(page, QStringLiteral("<h1 id=\"title\">(.*?)</h1>"));
        QCOMPARE(htmlUnescaped(inTitle), title);
        QCOMPARE(inHeading, inTitle);
        for (const QChar c : {u'<', u'>', u'"', u'\''})
            QVERIFY2(!inTitle.contains(c), qPrintable(inTitle));
        // Exactly the template's <script> elements: none came from the title.
        QCOMPARE(page.count(QStringLiteral("<script")), 3);
        QCOMPARE(page.count(QStringLiteral("</script>")), 3);
        // The placeholders in the title stayed text; the real ones were all filled.
        QVERIFY(!page.contains(QLatin1String("{{VIDEOJS_")));
        if (!title.contains(QLatin1String("{{")))
            QVERIFY(!page.contains(QLatin1String("{{")));
    }

    void urlsAreRelativeAndEncoded() {
        const QString dir = makeOutputDir();
        writeFile(QDir(dir).filePath(QStringLiteral("take #2 & more.mp4")), "mp4");
        writeFile(QDir(dir).filePath(QStringLiteral("art/poster 1.jpg")), "jpeg");
        writeFile(QDir(dir).filePath(QStringLiteral("thumbs #1/thumbnails.vtt")), "WEBVTT\n");
        PlayerPageOptions options;
        options.title = QStringLiteral("take #2");
        options.thumbnailsVtt = QStringLiteral("thumbs #1/thumbnails.vtt");
        options.poster = QStringLiteral("art/poster 1.jpg");
        options.progressiveMp4 = QStringLiteral("take #2 & more.mp4");
        const Status status = writePlayerPage(dir, options);
        QVERIFY2(status.isOk(), qPrintable(status.message()));
        const QString page = readPage(dir);

        // The same type the preview server and the publisher send for the playlist.
        QVERIFY(page.contains(QLatin1String("<source src=\"master.m3u8\" "
                                            "type=\"application/vnd.apple.mpegurl\">")));
        QVERIFY(page.contains(QLatin1String(" poster=\"art/poster%201.jpg\"")));
        QVERIFY(page.contains(QLatin1String(" data-thumbnails=\"thumbs%20%231/thumbnails.vtt\"")));
        QVERIFY(
            page.contains(QLatin1String("<a id=\"download\" href=\"take%20%232%20%26%20more.mp4\" "
                                        "type=\"video/mp4\" download>")));
        for (const QString& url : urlAttributes(page)) {
            if (url.startsWith(QLatin1String("https://cdn.jsdelivr.net/npm/video.js@")) ||
                url == QLatin1String("data:,"))
                continue; // the pinned CDN scripts; the empty favicon (saves a 404)
            QVERIFY2(!url.contains(QLatin1Char(':')) && !url.startsWith(QLatin1Char('/')) &&
                         !url.contains(QLatin1String("..")),
                     qPrintable(url));
        }
    }

    void refusesPathsOutsideTheFolder_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("path");
        const QStringList bad = {QStringLiteral("/abs/master.m3u8"),
                                 QStringLiteral("http://example.com/master.m3u8"),
                                 QStringLiteral("//example.com/master.m3u8"),
                                 QStringLiteral("../master.m3u8"),
                                 QStringLiteral("a/../../master.m3u8"),
                                 QStringLiteral("./master.m3u8"),
                                 QStringLiteral("C:/video/master.m3u8"),
                                 QStringLiteral("hls\\master.m3u8"),
                                 QStringLiteral("javascript:alert(1)")};
        for (const char* field : {"master", "poster", "mp4", "thumbnails"}) {
            for (const QString& path : bad)
                QTest::addRow("%s %s", field, qPrintable(path))
                    << QString::fromLatin1(field) << path;
        }
        QTest::newRow("master empty") << QStringLiteral("master") << QString();
    }

    void refusesPathsOutsideTheFolder() {
        QFETCH(QString, field);
        QFETCH(QString, path);
        const QString dir = makeOutputDir();
        PlayerPageOptions options;
        if (field == QLatin1String("master"))
            options.masterPlaylist = path;
        else if (field == QLatin1String("poster"))
            options.poster = path;
        else if (field == QLatin1String("thumbnails"))
            options.thumbnailsVtt = path;
        else
            options.progressiveMp4 = path;
        const Status status = writePlayerPage(dir, options);
        QCOMPARE(status.code(), Status::Code::InvalidArgument);
        QVERIFY2(status.message().contains(path), qPrintable(status.message()));
        QVERIFY(!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("index.html"))));
    }

    void refusesMissingFiles() {
        const QString dir = makeOutputDir();
        PlayerPageOptions options;
        options.progressiveMp4 = QStringLiteral("clip.mp4");
        Status status = writePlayerPage(dir, options);
        QCOMPARE(status.code(), Status::Code::InvalidArgument);
        QVERIFY2(status.message().contains(QLatin1String("clip.mp4")),
                 qPrintable(status.message()));

        options = {};
        options.poster = QStringLiteral("thumb.jpg");
        status = writePlayerPage(dir, options);
        QCOMPARE(status.code(), Status::Code::InvalidArgument);
        QVERIFY2(status.message().contains(QLatin1String("thumb.jpg")),
                 qPrintable(status.message()));

        options = {};
        options.thumbnailsVtt = QStringLiteral("thumbs/thumbnails.vtt");
        status = writePlayerPage(dir, options);
        QCOMPARE(status.code(), Status::Code::InvalidArgument);
        QVERIFY2(status.message().contains(QLatin1String("thumbs/thumbnails.vtt")),
                 qPrintable(status.message()));

        const QString empty = m_tmp.filePath(QStringLiteral("empty"));
        QDir().mkpath(empty);
        status = writePlayerPage(empty, PlayerPageOptions{});
        QCOMPARE(status.code(), Status::Code::InvalidArgument); // no poster.jpg, no master
        options = {};
        options.poster.clear();
        status = writePlayerPage(empty, options);
        QCOMPARE(status.code(), Status::Code::InvalidArgument);
        QVERIFY2(status.message().contains(QLatin1String("master.m3u8")),
                 qPrintable(status.message()));
        QVERIFY(!QFileInfo::exists(QDir(empty).filePath(QStringLiteral("index.html"))));
    }

    void noPosterNoDownload() {
        const QString dir = makeOutputDir();
        PlayerPageOptions options;
        options.title = QStringLiteral("clip");
        options.poster.clear();
        QVERIFY(writePlayerPage(dir, options).isOk());
        const QString page = readPage(dir);
        QVERIFY(!page.contains(QLatin1String("poster=")));
        QVERIFY(!page.contains(QLatin1String("id=\"download\"")));
        QVERIFY(!page.contains(QLatin1String("<a ")));
        QVERIFY(!page.contains(QLatin1String(" data-thumbnails=")));

        options.poster = QStringLiteral("poster.jpg");
        QVERIFY(writePlayerPage(dir, options).isOk());
        QVERIFY(readPage(dir).contains(QLatin1String(" poster=\"poster.jpg\"")));
    }

    // The rungs embedded for the quality menu are the master playlist's, in its order, and no
    // URI text can end the <script> block they sit in.
    void rungsComeFromTheMasterPlaylist() {
        QByteArray master = kMaster;
        master += "#EXT-X-STREAM-INF:BANDWIDTH=100000,RESOLUTION=128x72\n"
                  "x</script><script>alert(1)</script><!--/index.m3u8\n";
        const QString dir = makeOutputDir(master);
        QVERIFY(writePlayerPage(dir, PlayerPageOptions{}).isOk());
        const QString page = readPage(dir);
        QCOMPARE(page.count(QStringLiteral("</script>")), 3);
        QVERIFY(!page.contains(QLatin1String("<!--")));

        const QString json = firstCapture(
            page, QStringLiteral(
                      "<script type=\"application/json\" id=\"hlsforge-rungs\">(.*?)</script>"));
        QJsonParseError error;
        const QJsonArray rungs = QJsonDocument::fromJson(json.toUtf8(), &error).array();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(rungs.size(), 4);
        const QString hostile =
            QStringLiteral("x</script><script>alert(1)</script><!--/index.m3u8");
        // A rung is named after its folder: the URI's first segment.
        const QStringList names = {QStringLiteral("720p"), QStringLiteral("360p"),
                                   QStringLiteral("low"), QStringLiteral("x<")};
        const QStringList uris = {QStringLiteral("720p/index.m3u8"),
                                  QStringLiteral("360p/index.m3u8"),
                                  QStringLiteral("low/index.m3u8"), hostile};
        const QList<int> heights = {720, 360, 144, 72};
        const QList<double> bandwidths = {1100000, 700000, 200000, 100000};
        for (int i = 0; i < rungs.size(); ++i) {
            const QJsonObject rung = rungs[i].toObject();
            QCOMPARE(rung.value(QStringLiteral("name")).toString(), names[i]);
            QCOMPARE(rung.value(QStringLiteral("uri")).toString(), uris[i]);
            QCOMPARE(rung.value(QStringLiteral("height")).toInt(), heights[i]);
            QCOMPARE(rung.value(QStringLiteral("bandwidth")).toDouble(), bandwidths[i]);
        }
        QCOMPARE(rungs[0].toObject().value(QStringLiteral("averageBandwidth")).toDouble(),
                 900000.0);
        QCOMPARE(rungs[0].toObject().value(QStringLiteral("width")).toInt(), 1280);
    }

    void masterWithoutRungsIsRefused() {
        const QString dir = makeOutputDir("#EXTM3U\n#EXT-X-VERSION:4\n");
        const Status status = writePlayerPage(dir, PlayerPageOptions{});
        QCOMPARE(status.code(), Status::Code::InvalidArgument);
        QVERIFY(!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("index.html"))));
    }

    void selfContainedCopiesThePlayer() {
        const QString dir = makeOutputDir();
        PlayerPageOptions options;
        options.title = QStringLiteral("offline");
        options.scripts = PlayerScripts::SelfContained;
        const Status status = writePlayerPage(dir, options);
        QVERIFY2(status.isOk(), qPrintable(status.message()));
        const QString page = readPage(dir);
        for (const QString& name :
             {QStringLiteral("video.min.js"), QStringLiteral("video-js.min.css")}) {
            const QByteArray copied =
                readFile(QDir(dir).filePath(QStringLiteral("player/") + name));
            QVERIFY2(!copied.isEmpty(), qPrintable(name));
            QVERIFY2(copied == readFile(npmPackageDir() + QStringLiteral("/dist/") + name),
                     qPrintable(name));
        }
        QVERIFY(QFileInfo::exists(QDir(dir).filePath(QStringLiteral("player/LICENSE"))));
        QVERIFY(page.contains(QLatin1String("<script src=\"player/video.min.js\"></script>")));
        QVERIFY(page.contains(
            QLatin1String("<link rel=\"stylesheet\" href=\"player/video-js.min.css\">")));
        QVERIFY(!page.contains(QLatin1String("cdn.jsdelivr.net")));
        for (const QString& url : urlAttributes(page))
            QVERIFY2(!url.contains(QLatin1String("//")), qPrintable(url));
        // The stylesheet carries its icon font inline, so nothing else needs copying.
        const QByteArray css =
            readFile(QDir(dir).filePath(QStringLiteral("player/video-js.min.css")));
        QVERIFY(!QRegularExpression(QStringLiteral("url\\((?!data:)"))
                     .match(QString::fromUtf8(css))
                     .hasMatch());

        // Writing again (as a CDN page) replaces the page.
        options.scripts = PlayerScripts::Cdn;
        QVERIFY(writePlayerPage(dir, options).isOk());
        QVERIFY(readPage(dir).contains(QLatin1String("cdn.jsdelivr.net")));
    }

    // A folder whose files are not this build's Video.js (another version, a damaged copy) is
    // passed over in favour of the genuine files.
    void staleVideoJsFolderIsSkipped() {
        const QString fake = m_tmp.filePath(QStringLiteral("fake-videojs"));
        QVERIFY(writeFile(fake + QStringLiteral("/video.min.js"), "/* not video.js */"));
        QVERIFY(writeFile(fake + QStringLiteral("/video-js.min.css"), "/* nor this */"));
        qputenv("HLSFORGE_VIDEOJS_DIR", fake.toUtf8());
        const QString found = playerVideoJsDistDir();
        const QString dir = makeOutputDir();
        PlayerPageOptions options;
        options.scripts = PlayerScripts::SelfContained;
        const Status status = writePlayerPage(dir, options);
        qunsetenv("HLSFORGE_VIDEOJS_DIR");
        QVERIFY(!found.isEmpty());
        QVERIFY(found != QDir(fake).absolutePath());
        QVERIFY2(status.isOk(), qPrintable(status.message()));
        QCOMPARE(readFile(QDir(dir).filePath(QStringLiteral("player/video.min.js"))),
                 readFile(npmPackageDir() + QStringLiteral("/dist/video.min.js")));
    }

    // A genuine copy (as installed under share/hlsforge/videojs) named by HLSFORGE_VIDEOJS_DIR
    // is used ahead of the build tree.
    void installedVideoJsFolderIsUsed() {
        const QString installed = m_tmp.filePath(QStringLiteral("share/hlsforge/videojs"));
        for (const char* name : {"video.min.js", "video-js.min.css"})
            QVERIFY(writeFile(
                installed + QLatin1Char('/') + QLatin1String(name),
                readFile(npmPackageDir() + QStringLiteral("/dist/") + QLatin1String(name))));
        qputenv("HLSFORGE_VIDEOJS_DIR", installed.toUtf8());
        const QString found = playerVideoJsDistDir();
        qunsetenv("HLSFORGE_VIDEOJS_DIR");
        QCOMPARE(found, QDir(installed).absolutePath());
    }

    void unwritablePageIsAnIoError() {
        const QString dir = makeOutputDir();
        // A folder where index.html should go: no rename can replace it, even as root.
        QVERIFY(QDir().mkpath(QDir(dir).filePath(QStringLiteral("index.html"))));
        const Status status = writePlayerPage(dir, PlayerPageOptions{});
        QCOMPARE(status.code(), Status::Code::IoError);
        QVERIFY2(status.message().contains(QLatin1String("index.html")),
                 qPrintable(status.message()));
    }

    // The page's own script is valid JavaScript (node parses it without running it).
    void pageScriptParses() {
        const QString dir = makeOutputDir();
        QVERIFY(writePlayerPage(dir, PlayerPageOptions{}).isOk());
        const QString page = readPage(dir);
        const QString js = firstCapture(page, QStringLiteral("<script>\\n(.*?)</script>"));
        QVERIFY(js.contains(QLatin1String("representations()")));
        const QString path = QDir(dir).filePath(QStringLiteral("page.js"));
        QVERIFY(writeFile(path, js.toUtf8()));
        const test::ProcessResult node =
            test::runProcess(QStringLiteral("node"), {QStringLiteral("--check"), path}, 30000);
        QVERIFY2(node.ok(), node.err.constData());
    }
};

QTEST_GUILESS_MAIN(PlayerPageTest)
#include "tst_playerpage.moc"
