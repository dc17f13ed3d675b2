// hlsforge-cli publish DIR --to s3://BUCKET/PREFIX | --to FOLDER: put a finished ladder
// where viewers can reach it. Progress on stderr (text or JSON lines), the playback URL on
// stdout, exit status non-zero with the reason on failure.

#include "CliCommand.h"
#include "JobRunner.h"

#include "publish/Credentials.h"
#include "publish/PublishJob.h"
#include "util/Format.h"

#include <QCommandLineParser>
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
    // QCommandLineParser: every option here takes a value or none, never an optional one.
    QCommandLineParser parser;
    const QCommandLineOption toOption(QStringLiteral("to"), {}, QStringLiteral("DEST"));
    const QCommandLineOption endpointOption(QStringLiteral("endpoint"), {}, QStringLiteral("URL"));
    const QCommandLineOption regionOption(QStringLiteral("region"), {}, QStringLiteral("R"));
    const QCommandLineOption profileOption(QStringLiteral("profile"), {}, QStringLiteral("NAME"));
    const QCommandLineOption pathStyleOption(QStringLiteral("path-style"));
    const QCommandLineOption virtualHostedOption(QStringLiteral("virtual-hosted"));
    const QCommandLineOption parallelOption(QStringLiteral("parallel"), {}, QStringLiteral("N"));
    const QCommandLineOption publicReadOption(QStringLiteral("public-read"));
    const QCommandLineOption partSizeOption(QStringLiteral("part-size-mib"), {},
                                            QStringLiteral("N"));
    const QCommandLineOption thresholdOption(QStringLiteral("multipart-threshold-mib"), {},
                                             QStringLiteral("N"));
    const QCommandLineOption attemptsOption(QStringLiteral("attempts"), {}, QStringLiteral("N"));
    const QCommandLineOption retryBaseOption(QStringLiteral("retry-base-ms"), {},
                                             QStringLiteral("N"));
    const QCommandLineOption publicBaseOption(QStringLiteral("public-base-url"), {},
                                              QStringLiteral("URL"));
    const QCommandLineOption cacheSegmentsOption(QStringLiteral("cache-segments"), {},
                                                 QStringLiteral("VALUE"));
    const QCommandLineOption cachePlaylistsOption(QStringLiteral("cache-playlists"), {},
                                                  QStringLiteral("VALUE"));
    const QCommandLineOption progressOption = progressCommandLineOption();
    parser.addOptions({toOption, endpointOption, regionOption, profileOption, pathStyleOption,
                       virtualHostedOption, parallelOption, publicReadOption, partSizeOption,
                       thresholdOption, attemptsOption, retryBaseOption, publicBaseOption,
                       cacheSegmentsOption, cachePlaylistsOption, progressOption});
    parser.addPositionalArgument(QStringLiteral("DIR"), {});
    if (!parser.parse(QStringList{QStringLiteral("publish")} + argsIn))
        return usageError(parser.errorText());
    // An option's whole-number value within [minimum, maximum]; unset leaves `out` alone.
    auto intValue = [&](const QCommandLineOption& option, int minimum, int maximum, int* out) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value < minimum || value > maximum)
            return false;
        *out = value;
        return true;
    };

    PublishOptions options;
    const QString to = parser.value(toOption);
    const QString endpoint = parser.value(endpointOption);
    const QString region = parser.value(regionOption);
    const QString profile = parser.value(profileOption);
    if (parser.isSet(pathStyleOption))
        options.s3.addressing = S3Target::Addressing::PathStyle;
    if (parser.isSet(virtualHostedOption))
        options.s3.addressing = S3Target::Addressing::VirtualHosted;
    if (!intValue(parallelOption, 1, 64, &options.parallelRequests))
        return usageError(QStringLiteral("--parallel needs a number from 1 to 64"));
    options.publicRead = parser.isSet(publicReadOption);
    int mib = 0;
    if (!intValue(partSizeOption, 5, 1024 * 1024, &mib))
        return usageError(QStringLiteral("--part-size-mib needs a number of at least 5"));
    if (mib > 0)
        options.partSizeBytes = qint64(mib) * 1024 * 1024;
    mib = 0;
    if (!intValue(thresholdOption, 5, 1024 * 1024, &mib))
        return usageError(QStringLiteral("--multipart-threshold-mib needs a number of at least 5"));
    if (mib > 0)
        options.multipartThresholdBytes = qint64(mib) * 1024 * 1024;
    if (!intValue(attemptsOption, 1, 1000, &options.retry.maxAttempts))
        return usageError(QStringLiteral("--attempts needs a number of at least 1"));
    if (!intValue(retryBaseOption, 1, 3600 * 1000, &options.retry.baseDelayMs))
        return usageError(QStringLiteral("--retry-base-ms needs a positive number"));
    if (parser.isSet(publicBaseOption))
        options.publicBaseUrl = parser.value(publicBaseOption);
    if (parser.isSet(cacheSegmentsOption))
        options.contentPolicy.segmentCacheControl = parser.value(cacheSegmentsOption);
    if (parser.isSet(cachePlaylistsOption)) {
        options.contentPolicy.playlistCacheControl = parser.value(cachePlaylistsOption);
        options.contentPolicy.pageCacheControl = parser.value(cachePlaylistsOption);
    }
    // Unset: the bar on a terminal, else a text line a second (a log for scripts).
    QString progressError;
    const std::optional<ProgressStyle> style =
        progressStyleFrom(parser, progressOption, ProgressStyle::Text, &progressError);
    if (!style)
        return usageError(progressError);
    const QStringList positional = parser.positionalArguments();
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

    JobRunner runner(*style);
    auto* job = new PublishJob(options);
    runner.add(job);
    runner.onFinished = [&](Job&) {
        const PublishResult result = job->result();
        if (result.status.isCancelled())
            printErr(
                QStringLiteral("publish: interrupted; run the same command again to finish\n"));
        else if (!result.status.isOk())
            printErr(QStringLiteral("error: %1\n").arg(result.status.message()));
        else if (*style != ProgressStyle::Json)
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
