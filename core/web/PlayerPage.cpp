#include "web/PlayerPage.h"

#include "playlist/MasterPlaylist.h"
#include "util/ContentTypes.h"
#include "util/Version.h"
#include "web/VideoJsDist.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QUrl>

namespace hlsforge {

namespace {

const QString kCdnBase = QStringLiteral("https://cdn.jsdelivr.net/npm/video.js@%1/");
const QString kPlayerFolder = QStringLiteral("player");
const QString kScriptFile = QStringLiteral("video.min.js");
const QString kStyleFile = QStringLiteral("video-js.min.css");
const QString kLicenseFile = QStringLiteral("LICENSE");

// Escapes text for HTML element content and double- or single-quoted attribute values.
QString htmlEscaped(const QString& text) {
    QString out;
    out.reserve(text.size() + 16);
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '&':
            out += QLatin1String("&amp;");
            break;
        case '<':
            out += QLatin1String("&lt;");
            break;
        case '>':
            out += QLatin1String("&gt;");
            break;
        case '"':
            out += QLatin1String("&quot;");
            break;
        case '\'':
            out += QLatin1String("&#39;");
            break;
        default:
            out += c;
        }
    }
    return out;
}

// A relative path inside the output folder, e.g. "720p/index.m3u8". Refused: empty, absolute
// ("/x", "C:/x", "\\x"), with a scheme or host ("http://", "//host"), backslashes (a Windows
// path would become one odd file name on a web server), and "." / ".." segments that leave
// or obscure the folder.
Status checkRelative(const QString& path, const QString& what) {
    static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*:"));
    auto refuse = [&](const QString& why) {
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("player page: %1 \"%2\" %3").arg(what, path, why));
    };
    if (path.isEmpty())
        return refuse(QStringLiteral("is empty"));
    if (path.startsWith(QLatin1Char('/')) || scheme.match(path).hasMatch())
        return refuse(QStringLiteral("must be a relative path inside the output folder"));
    if (path.contains(QLatin1Char('\\')))
        return refuse(QStringLiteral("must use / between folders"));
    for (const QString& segment : path.split(QLatin1Char('/'))) {
        if (segment.isEmpty() || segment == QLatin1String(".") || segment == QLatin1String(".."))
            return refuse(QStringLiteral("must be a relative path inside the output folder"));
    }
    return Status::ok();
}

// The URL of a relative path: each segment percent-encoded, so names with spaces, '#' or '?'
// (an input called "take #2.mov") still point at the file.
QString relativeUrl(const QString& path) {
    QStringList segments;
    for (const QString& segment : path.split(QLatin1Char('/')))
        segments << QString::fromLatin1(QUrl::toPercentEncoding(segment));
    return segments.join(QLatin1Char('/'));
}

Status requireFile(const QString& outputDir, const QString& path, const QString& what) {
    if (!QFileInfo(QDir(outputDir).filePath(path)).isFile())
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("player page: %1 %2 does not exist in %3")
                                 .arg(what, path, QDir::toNativeSeparators(outputDir)));
    return Status::ok();
}

QString sriOf(const QByteArray& bytes) {
    return QStringLiteral("sha384-") +
           QString::fromLatin1(
               QCryptographicHash::hash(bytes, QCryptographicHash::Sha384).toBase64());
}

// A folder holds this build's Video.js when both files hash to the compiled-in SRI values: a
// stale install of another version is passed over instead of producing a page that mixes them.
bool holdsThisVideoJs(const QString& dir) {
    QFile script(QDir(dir).filePath(kScriptFile));
    QFile style(QDir(dir).filePath(kStyleFile));
    if (!script.open(QIODevice::ReadOnly) || !style.open(QIODevice::ReadOnly))
        return false;
    return sriOf(script.readAll()) == QLatin1String(videojs::kScriptIntegrity) &&
           sriOf(style.readAll()) == QLatin1String(videojs::kStyleIntegrity);
}

QStringList videoJsCandidateDirs() {
    QStringList dirs;
    const QString fromEnv = qEnvironmentVariable("HLSFORGE_VIDEOJS_DIR");
    if (!fromEnv.isEmpty())
        dirs << fromEnv;
    // A relocated install: <prefix>/bin/hlsforge-cli next to <prefix>/share/hlsforge/videojs.
    if (QCoreApplication::instance())
        dirs << QDir(QCoreApplication::applicationDirPath())
                    .filePath(QStringLiteral("../" HLSFORGE_VIDEOJS_INSTALL_RELDIR));
    dirs << QStringLiteral(HLSFORGE_VIDEOJS_INSTALL_DIR)
         << QStringLiteral(HLSFORGE_VIDEOJS_BUILD_DIR);
    return dirs;
}

QString readResource(const QString& name) {
    QFile file(QStringLiteral(":/hlsforge/web/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// Replaces {{NAME}} placeholders in one pass, so text inserted for one placeholder (a title
// that reads "{{PAGE_JS}}") is never expanded again.
QString fillTemplate(const QString& pattern, const QHash<QString, QString>& values) {
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{([A-Z_]+)\\}\\}"));
    QString out;
    qsizetype last = 0;
    auto it = placeholder.globalMatch(pattern);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out += QStringView(pattern).mid(last, m.capturedStart() - last);
        out += values.value(m.captured(1));
        last = m.capturedEnd();
    }
    out += QStringView(pattern).mid(last);
    return out;
}

QString rungName(const VariantStream& variant, int index) {
    const int slash = variant.uri.indexOf(QLatin1Char('/'));
    if (slash > 0)
        return variant.uri.left(slash);
    // Like the ladder's own names: the short side, so a portrait 720x1280 rung is "720p".
    const int shortSide = variant.width > 0 ? qMin(variant.width, variant.height) : variant.height;
    if (shortSide > 0)
        return QStringLiteral("%1p").arg(shortSide);
    return QStringLiteral("rung %1").arg(index + 1);
}

// JSON for a <script type="application/json"> block: '<', '>' and '&' become \u escapes so no
// rung URI can close the script element or open a comment.
QString rungsJson(const MasterPlaylist& master) {
    QJsonArray rungs;
    for (int i = 0; i < master.variants.size(); ++i) {
        const VariantStream& v = master.variants[i];
        // The audio-only variant (audioOnlyVariant) is no picture quality to choose.
        if (v.width == 0 && v.height == 0 && v.codecs.startsWith(QLatin1String("mp4a")))
            continue;
        rungs.append(QJsonObject{{QStringLiteral("name"), rungName(v, i)},
                                 {QStringLiteral("uri"), v.uri},
                                 {QStringLiteral("codecs"), v.codecs},
                                 {QStringLiteral("width"), v.width},
                                 {QStringLiteral("height"), v.height},
                                 {QStringLiteral("bandwidth"), double(v.bandwidth)},
                                 {QStringLiteral("averageBandwidth"), double(v.averageBandwidth)},
                                 {QStringLiteral("frameRate"), v.frameRate}});
    }
    QString json = QString::fromUtf8(QJsonDocument(rungs).toJson(QJsonDocument::Compact));
    json.replace(QLatin1Char('<'), QLatin1String("\\u003c"));
    json.replace(QLatin1Char('>'), QLatin1String("\\u003e"));
    json.replace(QLatin1Char('&'), QLatin1String("\\u0026"));
    return json;
}

Status copyPlayerFiles(const QString& outputDir) {
    const QString source = playerVideoJsDistDir();
    if (source.isEmpty())
        return Status::error(
            Status::Code::Internal,
            QStringLiteral("player page: the Video.js %1 files of this build were not found "
                           "(looked in %2)")
                .arg(QLatin1String(videojs::kVersion), videoJsCandidateDirs().join(u", ")));
    const QString target = QDir(outputDir).filePath(kPlayerFolder);
    if (!QDir().mkpath(target))
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot create the folder").arg(QDir::toNativeSeparators(target)));
    for (const QString& name : {kScriptFile, kStyleFile, kLicenseFile}) {
        const QString from = QDir(source).filePath(name);
        const QString to = QDir(target).filePath(name);
        QFile::remove(to);
        QFile in(from);
        if (!QFile::exists(from) && name == kLicenseFile)
            continue; // the license travels with the files when it is there; it is not needed
        if (!in.copy(to))
            return Status::error(Status::Code::IoError,
                                 QStringLiteral("%1: cannot write the player file (%2)")
                                     .arg(QDir::toNativeSeparators(to), in.errorString()));
    }
    return Status::ok();
}

} // namespace

QString playerScriptsName(PlayerScripts scripts) {
    return scripts == PlayerScripts::SelfContained ? QStringLiteral("self-contained")
                                                   : QStringLiteral("cdn");
}

bool parsePlayerScripts(const QString& name, PlayerScripts* scripts) {
    if (name == QLatin1String("cdn")) {
        *scripts = PlayerScripts::Cdn;
        return true;
    }
    if (name == QLatin1String("self-contained")) {
        *scripts = PlayerScripts::SelfContained;
        return true;
    }
    return false;
}

QString playerVideoJsVersion() {
    return QString::fromLatin1(videojs::kVersion);
}

QString playerVideoJsDistDir() {
    for (const QString& dir : videoJsCandidateDirs()) {
        if (holdsThisVideoJs(dir))
            return QDir::cleanPath(QDir(dir).absolutePath());
    }
    return {};
}

Status writePlayerPage(const QString& outputDir, const PlayerPageOptions& options) {
    Status status = checkRelative(options.masterPlaylist, QStringLiteral("master playlist"));
    if (!options.poster.isEmpty())
        status.update(checkRelative(options.poster, QStringLiteral("poster")));
    if (!options.progressiveMp4.isEmpty())
        status.update(checkRelative(options.progressiveMp4, QStringLiteral("progressive MP4")));
    if (!options.thumbnailsVtt.isEmpty())
        status.update(checkRelative(options.thumbnailsVtt, QStringLiteral("thumbnails track")));
    if (!status)
        return status;
    // A page that names a missing file shows a broken poster or a dead link: refuse early.
    if (!options.poster.isEmpty())
        status.update(requireFile(outputDir, options.poster, QStringLiteral("poster")));
    if (!options.progressiveMp4.isEmpty())
        status.update(
            requireFile(outputDir, options.progressiveMp4, QStringLiteral("progressive MP4")));
    if (!options.thumbnailsVtt.isEmpty())
        status.update(
            requireFile(outputDir, options.thumbnailsVtt, QStringLiteral("thumbnails track")));
    if (!status)
        return status;

    const StatusOr<MasterPlaylist> master =
        MasterPlaylist::load(QDir(outputDir).filePath(options.masterPlaylist));
    if (!master.isOk())
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("player page: %1").arg(master.status().message()),
                             master.status().detail());
    if (master->variants.isEmpty())
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("player page: %1 lists no rungs").arg(options.masterPlaylist));

    const QString pattern = readResource(QStringLiteral("index.html"));
    const QString pageJs = readResource(QStringLiteral("player.js"));
    const QString pageCss = readResource(QStringLiteral("player.css"));
    if (pattern.isEmpty() || pageJs.isEmpty() || pageCss.isEmpty())
        return Status::error(Status::Code::Internal,
                             QStringLiteral("player page: the page template is missing from "
                                            "this build"));

    QString scriptTag;
    QString styleTag;
    if (options.scripts == PlayerScripts::Cdn) {
        // crossorigin="anonymous" is what lets the browser check the integrity of a
        // cross-origin response (jsDelivr answers with Access-Control-Allow-Origin: *).
        const QString base = kCdnBase.arg(QLatin1String(videojs::kVersion));
        scriptTag = QStringLiteral("<script src=\"%1%2\" integrity=\"%3\" "
                                   "crossorigin=\"anonymous\"></script>")
                        .arg(base, QLatin1String(videojs::kScriptPath),
                             QLatin1String(videojs::kScriptIntegrity));
        styleTag = QStringLiteral("<link rel=\"stylesheet\" href=\"%1%2\" integrity=\"%3\" "
                                  "crossorigin=\"anonymous\">")
                       .arg(base, QLatin1String(videojs::kStylePath),
                            QLatin1String(videojs::kStyleIntegrity));
    } else {
        status = copyPlayerFiles(outputDir);
        if (!status)
            return status;
        scriptTag =
            QStringLiteral("<script src=\"%1/%2\"></script>").arg(kPlayerFolder, kScriptFile);
        styleTag = QStringLiteral("<link rel=\"stylesheet\" href=\"%1/%2\">")
                       .arg(kPlayerFolder, kStyleFile);
    }

    const QString title = options.title.isEmpty()
                              ? QFileInfo(QDir(outputDir).absolutePath()).fileName()
                              : options.title;
    QString download;
    if (!options.progressiveMp4.isEmpty())
        download =
            QStringLiteral("<a id=\"download\" href=\"%1\" type=\"%2\" download>Download MP4</a>")
                .arg(htmlEscaped(relativeUrl(options.progressiveMp4)),
                     QString::fromLatin1(contentTypeForPath(options.progressiveMp4)));
    const QString posterAttribute =
        options.poster.isEmpty()
            ? QString()
            : QStringLiteral(" poster=\"%1\"").arg(htmlEscaped(relativeUrl(options.poster)));

    // Read by the page's script before Video.js takes the element over.
    const QString thumbnailsAttribute =
        options.thumbnailsVtt.isEmpty() ? QString()
                                        : QStringLiteral(" data-thumbnails=\"%1\"")
                                              .arg(htmlEscaped(relativeUrl(options.thumbnailsVtt)));

    const QString page = fillTemplate(
        pattern, {{QStringLiteral("HLSFORGE_VERSION"), QStringLiteral(HLSFORGE_VERSION)},
                  {QStringLiteral("VIDEOJS_VERSION"), QLatin1String(videojs::kVersion)},
                  {QStringLiteral("TITLE"), htmlEscaped(title)},
                  {QStringLiteral("VIDEOJS_STYLE"), styleTag},
                  {QStringLiteral("PAGE_CSS"), pageCss.trimmed()},
                  {QStringLiteral("POSTER_ATTRIBUTE"), posterAttribute},
                  {QStringLiteral("THUMBNAILS_ATTRIBUTE"), thumbnailsAttribute},
                  {QStringLiteral("MASTER_URL"), htmlEscaped(relativeUrl(options.masterPlaylist))},
                  // The type the server sends too (core/util/ContentTypes); Video.js and
                  // Safari both recognise application/vnd.apple.mpegurl.
                  {QStringLiteral("MASTER_TYPE"),
                   QString::fromLatin1(contentTypeForPath(options.masterPlaylist))},
                  {QStringLiteral("DOWNLOAD_LINK"), download},
                  {QStringLiteral("RUNGS_JSON"), rungsJson(master.value())},
                  {QStringLiteral("VIDEOJS_SCRIPT"), scriptTag},
                  {QStringLiteral("PAGE_JS"), pageJs.trimmed()}});

    const QString path = QDir(outputDir).filePath(QStringLiteral("index.html"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(page.toUtf8()) < 0 || !file.commit())
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("%1: cannot write the player page").arg(QDir::toNativeSeparators(path)),
            file.errorString());
    return Status::ok();
}

} // namespace hlsforge
