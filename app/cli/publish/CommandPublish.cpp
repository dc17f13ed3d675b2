// hlsforge-cli publish DIR --to s3://BUCKET/PREFIX | --to FOLDER: put a finished ladder
// where viewers can reach it. Progress on stderr (text or JSON lines), the playback URL on
// stdout, exit status non-zero with the reason on failure.

#include "CliCommand.h"
#include "JobRunner.h"

#include "publish/Credentials.h"
#include "publish/PublishJob.h"
#include "util/Format.h"

#include <QUrl>

#include <optional>

namespace hlsforge::cli {
namespace {

using namespace hlsforge::publish;

const char* kUsage =
    "Usage: hlsforge-cli publish DIR --to s3://BUCKET/PREFIX [options]\n"
    "       hlsforge-cli publish DIR --to FOLDER\n"
    "\n"
    "Publishes a ladder folder: segments first, then media playlists, the master playlist\n"
    "(and index.html/poster.jpg) last. Files already there with the same size and MD5 are\n"
    "skipped, so re-running after an interruption uploads only what is missing.\n"
    "\n"
    "S3 options:\n"
    "  --endpoint URL          S3-compatible endpoint (default https://s3.REGION.amazonaws.com)\n"
    "  --region R              region (default AWS_REGION, the profile's, or us-east-1)\n"
    "  --path-style            force path-style URLs (automatic for IP/localhost endpoints)\n"
    "  --virtual-hosted        force virtual-hosted URLs\n"
    "  --profile NAME          credentials from this profile of ~/.aws/credentials\n"
    "                          (default: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, then "
    "AWS_PROFILE)\n"
    "  --parallel N            files and parts in flight (default 8)\n"
    "  --public-read           x-amz-acl: public-read on every object\n"
    "  --part-size-mib N       multipart part size (default 8, at least 5)\n"
    "  --multipart-threshold-mib N  multipart from this size (default 8)\n"
    "  --attempts N            attempts per request on transient errors (default 5)\n"
    "  --retry-base-ms N       first backoff delay (default 200)\n"
    "Both:\n"
    "  --public-base-url URL   URL of the published folder as viewers see it (CDN)\n"
    "  --cache-segments VALUE  Cache-Control of segments (default \"max-age=31536000, "
    "immutable\")\n"
    "  --cache-playlists VALUE Cache-Control of playlists and page (default \"max-age=60\")\n"
    "%1"
    "\n"
    "Prints \"playback: URL\" (and \"page: URL\" when index.html exists) on stdout.\n"
    "Exit status: 0 done, 1 failed, 2 usage error, 130 interrupted.\n";

QString usageText() {
    return QString::fromLatin1(kUsage).arg(QLatin1String(kProgressOptionHelp));
}

int usageError(const QString& message) {
    printErr(QStringLiteral("hlsforge-cli publish: %1\n%2").arg(message, usageText()));
    return 2;
}

int runPublish(const QStringList& argsIn) {
    if (argsIn.isEmpty() || argsIn.contains(QStringLiteral("--help"))) {
        printOut(usageText());
        return argsIn.isEmpty() ? 2 : 0;
    }
    PublishOptions options;
    QString to, endpoint, region, profile;
    // Unset: the bar on a terminal, else a text line a second (a log for scripts).
    std::optional<ProgressStyle> progressStyle;
    QStringList args = argsIn;
    QStringList positional;
    auto takeValue = [&](int& i, QString* out) {
        if (i + 1 >= args.size())
            return false;
        *out = args[++i];
        return true;
    };
    auto takeInt = [&](int& i, int minimum, int* out) {
        QString text;
        bool ok = false;
        if (!takeValue(i, &text))
            return false;
        const int value = text.toInt(&ok);
        if (!ok || value < minimum)
            return false;
        *out = value;
        return true;
    };
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        int number = 0;
        QString text;
        if (a == QLatin1String("--to")) {
            if (!takeValue(i, &to))
                return usageError(QStringLiteral("--to needs a destination"));
        } else if (a == QLatin1String("--endpoint")) {
            if (!takeValue(i, &endpoint))
                return usageError(QStringLiteral("--endpoint needs a URL"));
        } else if (a == QLatin1String("--region")) {
            if (!takeValue(i, &region))
                return usageError(QStringLiteral("--region needs a name"));
        } else if (a == QLatin1String("--profile")) {
            if (!takeValue(i, &profile))
                return usageError(QStringLiteral("--profile needs a name"));
        } else if (a == QLatin1String("--path-style")) {
            options.s3.addressing = S3Target::Addressing::PathStyle;
        } else if (a == QLatin1String("--virtual-hosted")) {
            options.s3.addressing = S3Target::Addressing::VirtualHosted;
        } else if (a == QLatin1String("--parallel")) {
            if (!takeInt(i, 1, &options.parallelRequests) || options.parallelRequests > 64)
                return usageError(QStringLiteral("--parallel needs a number from 1 to 64"));
        } else if (a == QLatin1String("--public-read")) {
            options.publicRead = true;
        } else if (a == QLatin1String("--part-size-mib")) {
            if (!takeInt(i, 5, &number))
                return usageError(QStringLiteral("--part-size-mib needs a number of at least 5"));
            options.partSizeBytes = qint64(number) * 1024 * 1024;
        } else if (a == QLatin1String("--multipart-threshold-mib")) {
            if (!takeInt(i, 5, &number))
                return usageError(
                    QStringLiteral("--multipart-threshold-mib needs a number of at least 5"));
            options.multipartThresholdBytes = qint64(number) * 1024 * 1024;
        } else if (a == QLatin1String("--attempts")) {
            if (!takeInt(i, 1, &options.retry.maxAttempts))
                return usageError(QStringLiteral("--attempts needs a number of at least 1"));
        } else if (a == QLatin1String("--retry-base-ms")) {
            if (!takeInt(i, 1, &options.retry.baseDelayMs))
                return usageError(QStringLiteral("--retry-base-ms needs a positive number"));
        } else if (a == QLatin1String("--public-base-url")) {
            if (!takeValue(i, &options.publicBaseUrl))
                return usageError(QStringLiteral("--public-base-url needs a URL"));
        } else if (a == QLatin1String("--cache-segments")) {
            if (!takeValue(i, &options.contentPolicy.segmentCacheControl))
                return usageError(QStringLiteral("--cache-segments needs a value"));
        } else if (a == QLatin1String("--cache-playlists")) {
            if (!takeValue(i, &text))
                return usageError(QStringLiteral("--cache-playlists needs a value"));
            options.contentPolicy.playlistCacheControl = text;
            options.contentPolicy.pageCacheControl = text;
        } else if (a == QLatin1String("--progress")) {
            if (!takeValue(i, &text) || !(progressStyle = parseProgressStyle(text)))
                return usageError(QStringLiteral("--progress is bar, text, json or none"));
        } else if (a.startsWith(QLatin1String("--"))) {
            return usageError(QStringLiteral("unknown option %1").arg(a));
        } else {
            positional.append(a);
        }
    }
    if (positional.size() != 1)
        return usageError(QStringLiteral("give exactly one ladder folder"));
    if (to.isEmpty())
        return usageError(QStringLiteral("--to is required"));
    options.sourceDir = positional.first();

    if (to.startsWith(QLatin1String("s3://"))) {
        options.destination = PublishOptions::Destination::S3;
        StatusOr<S3Target> target = S3Target::fromUri(to);
        if (!target.isOk())
            return usageError(target.status().message());
        const auto addressing = options.s3.addressing;
        options.s3 = target.value();
        options.s3.addressing = addressing;
        if (!endpoint.isEmpty()) {
            const QUrl url(endpoint, QUrl::StrictMode);
            if (!url.isValid() || url.host().isEmpty() ||
                (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
                return usageError(
                    QStringLiteral("--endpoint %1 is not an http(s) URL").arg(endpoint));
            options.s3.endpoint = url;
        }
        StatusOr<ResolvedCredentials> credentials = resolveCredentials(profile);
        if (!credentials.isOk()) {
            printErr(QStringLiteral("error: %1\n").arg(credentials.status().message()));
            return 1;
        }
        options.credentials = credentials->credentials;
        options.s3.region = !region.isEmpty()                ? region
                            : !credentials->region.isEmpty() ? credentials->region
                                                             : QStringLiteral("us-east-1");
    } else {
        if (!endpoint.isEmpty() || !profile.isEmpty() || options.publicRead)
            return usageError(QStringLiteral(
                "--endpoint, --profile and --public-read are for s3:// destinations"));
        options.destination = PublishOptions::Destination::Folder;
        options.folderPath = to.startsWith(QLatin1String("file://")) ? QUrl(to).toLocalFile() : to;
    }

    const ProgressStyle style =
        progressStyle ? *progressStyle : defaultProgressStyle(ProgressStyle::Text);
    JobRunner runner(style);
    auto* job = new PublishJob(options);
    runner.add(job);
    runner.onFinished = [&](Job&) {
        const PublishResult result = job->result();
        if (result.status.isCancelled())
            printErr(
                QStringLiteral("publish: interrupted; run the same command again to finish\n"));
        else if (!result.status.isOk())
            printErr(QStringLiteral("error: %1\n").arg(result.status.message()));
        else if (style != ProgressStyle::Json)
            printErr(
                QStringLiteral("publish: done in %1 s: %2 files uploaded, %3 unchanged, %4 sent\n")
                    .arg(result.seconds, 0, 'f', 1)
                    .arg(result.filesUploaded)
                    .arg(result.filesSkipped)
                    .arg(formatBytes(result.bytesTransferred)));
    };
    const int exitCode = runner.exec(); // the JSON result line is the last one on stderr
    if (exitCode != kExitOk)
        return exitCode;
    const PublishResult result = job->result();
    if (!result.playbackUrl.isEmpty())
        printOut(QStringLiteral("playback: %1\n").arg(result.playbackUrl));
    if (!result.pageUrl.isEmpty())
        printOut(QStringLiteral("page: %1\n").arg(result.pageUrl));
    return kExitOk;
}

CliRegistration registration{
    {QStringLiteral("publish"), QStringLiteral("publish DIR --to s3://BUCKET/PREFIX|FOLDER"),
     QStringLiteral("Upload a finished ladder to S3-compatible storage or copy it to a folder"),
     runPublish, 60}};

} // namespace
} // namespace hlsforge::cli
