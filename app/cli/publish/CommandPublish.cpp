// hlsforge-cli publish DIR --to s3://BUCKET/PREFIX | --to FOLDER: put a finished ladder
// where viewers can reach it. Progress on stderr (text or JSON lines), the playback URL on
// stdout, exit status non-zero with the reason on failure.

#include "CliCommand.h"
#include "CommandLine.h"
#include "JobRunner.h"

#include "publish/Credentials.h"
#include "publish/PublishJob.h"
#include "util/Format.h"

#include <QUrl>

#include <optional>

namespace hlsforge::cli {
namespace {

using namespace hlsforge::publish;

int runPublish(const QStringList& args) {
    CommandLine cl(
        QStringLiteral("publish"),
        {QStringLiteral("DIR --to s3://BUCKET/PREFIX [options]"),
         QStringLiteral("DIR --to FOLDER")},
        QStringLiteral("Publishes a ladder folder: segments first, then media playlists, the "
                       "master playlist (and index.html/poster.jpg) last. Files already there "
                       "with the same size and MD5 are skipped, so re-running after an "
                       "interruption uploads only what is missing."));
    const QCommandLineOption toOption =
        cl.addOption(QStringLiteral("to"), QStringLiteral("DEST"),
                     QStringLiteral("s3://BUCKET/PREFIX or a folder (required)"));
    cl.addSection(QStringLiteral("S3 options:"));
    const QCommandLineOption endpointOption = cl.addOption(
        QStringLiteral("endpoint"), QStringLiteral("URL"), QStringLiteral("S3-compatible endpoint"),
        QStringLiteral("https://s3.REGION.amazonaws.com"));
    const QCommandLineOption regionOption =
        cl.addOption(QStringLiteral("region"), QStringLiteral("R"), QStringLiteral("region"),
                     QStringLiteral("AWS_REGION, the profile's, or us-east-1"));
    const QCommandLineOption pathStyleOption =
        cl.addFlag(QStringLiteral("path-style"),
                   QStringLiteral("force path-style URLs (automatic for IP/localhost endpoints)"));
    const QCommandLineOption virtualHostedOption =
        cl.addFlag(QStringLiteral("virtual-hosted"), QStringLiteral("force virtual-hosted URLs"));
    const QCommandLineOption profileOption =
        cl.addOption(QStringLiteral("profile"), QStringLiteral("NAME"),
                     QStringLiteral("credentials from this profile of ~/.aws/credentials"),
                     QStringLiteral("AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, then AWS_PROFILE"));
    const PublishOptions defaults;
    const QCommandLineOption parallelOption =
        cl.addOption(QStringLiteral("parallel"), QStringLiteral("N"),
                     QStringLiteral("files and parts in flight"),
                     QString::number(defaults.parallelRequests), CommandLine::wholeNumber(1, 64));
    const QCommandLineOption publicReadOption = cl.addFlag(
        QStringLiteral("public-read"), QStringLiteral("x-amz-acl: public-read on every object"));
    const QCommandLineOption partSizeOption =
        cl.addOption(QStringLiteral("part-size-mib"), QStringLiteral("N"),
                     QStringLiteral("multipart part size in MiB"),
                     QString::number(defaults.partSizeBytes / (1024 * 1024)),
                     CommandLine::wholeNumber(5, 1024 * 1024));
    const QCommandLineOption thresholdOption =
        cl.addOption(QStringLiteral("multipart-threshold-mib"), QStringLiteral("N"),
                     QStringLiteral("multipart from this size in MiB"),
                     QString::number(defaults.multipartThresholdBytes / (1024 * 1024)),
                     CommandLine::wholeNumber(5, 1024 * 1024));
    const QCommandLineOption attemptsOption = cl.addOption(
        QStringLiteral("attempts"), QStringLiteral("N"),
        QStringLiteral("attempts per request on transient errors"),
        QString::number(defaults.retry.maxAttempts), CommandLine::wholeNumber(1, 1000));
    const QCommandLineOption retryBaseOption = cl.addOption(
        QStringLiteral("retry-base-ms"), QStringLiteral("N"),
        QStringLiteral("first backoff delay in ms"), QString::number(defaults.retry.baseDelayMs),
        CommandLine::wholeNumber(1, 3600 * 1000));
    cl.addSection(QStringLiteral("Both:"));
    const QCommandLineOption publicBaseOption =
        cl.addOption(QStringLiteral("public-base-url"), QStringLiteral("URL"),
                     QStringLiteral("URL of the published folder as viewers see it (CDN)"));
    const QCommandLineOption cacheSegmentsOption = cl.addOption(
        QStringLiteral("cache-segments"), QStringLiteral("VALUE"),
        QStringLiteral("Cache-Control of segments"),
        QLatin1Char('"') + defaults.contentPolicy.segmentCacheControl + QLatin1Char('"'));
    const QCommandLineOption cachePlaylistsOption = cl.addOption(
        QStringLiteral("cache-playlists"), QStringLiteral("VALUE"),
        QStringLiteral("Cache-Control of playlists and page"),
        QLatin1Char('"') + defaults.contentPolicy.playlistCacheControl + QLatin1Char('"'));
    // Unset: the bar on a terminal, else a text line a second (a log for scripts).
    cl.addProgressOption(ProgressStyle::Bar, ProgressStyle::Text);
    cl.setEpilogue(QStringLiteral(
        "Prints \"playback: URL\" (and \"page: URL\" when index.html exists) on stdout.\n"
        "Exit status: 0 done, 1 failed, 2 usage error, 130 interrupted.\n"));
    if (const std::optional<int> exitCode = cl.parse(args))
        return *exitCode;

    PublishOptions options;
    const QString to = cl.value(toOption);
    const QString endpoint = cl.value(endpointOption);
    const QString region = cl.value(regionOption);
    const QString profile = cl.value(profileOption);
    if (cl.isSet(pathStyleOption))
        options.s3.addressing = S3Target::Addressing::PathStyle;
    if (cl.isSet(virtualHostedOption))
        options.s3.addressing = S3Target::Addressing::VirtualHosted;
    options.parallelRequests = cl.intValue(parallelOption, options.parallelRequests);
    options.publicRead = cl.isSet(publicReadOption);
    if (cl.isSet(partSizeOption))
        options.partSizeBytes = qint64(cl.intValue(partSizeOption, 0)) * 1024 * 1024;
    if (cl.isSet(thresholdOption))
        options.multipartThresholdBytes = qint64(cl.intValue(thresholdOption, 0)) * 1024 * 1024;
    options.retry.maxAttempts = cl.intValue(attemptsOption, options.retry.maxAttempts);
    options.retry.baseDelayMs = cl.intValue(retryBaseOption, options.retry.baseDelayMs);
    if (cl.isSet(publicBaseOption))
        options.publicBaseUrl = cl.value(publicBaseOption);
    if (cl.isSet(cacheSegmentsOption))
        options.contentPolicy.segmentCacheControl = cl.value(cacheSegmentsOption);
    if (cl.isSet(cachePlaylistsOption)) {
        options.contentPolicy.playlistCacheControl = cl.value(cachePlaylistsOption);
        options.contentPolicy.pageCacheControl = cl.value(cachePlaylistsOption);
    }
    const ProgressStyle style = cl.progressStyle();
    const QStringList positional = cl.positional();
    if (positional.size() != 1)
        return cl.usageError(QStringLiteral("give exactly one ladder folder"));
    if (to.isEmpty())
        return cl.usageError(QStringLiteral("--to is required"));
    options.sourceDir = positional.first();

    if (to.startsWith(QLatin1String("s3://"))) {
        options.destination = PublishOptions::Destination::S3;
        StatusOr<S3Target> target = S3Target::fromUri(to);
        if (!target.isOk())
            return cl.usageError(target.status().message());
        const auto addressing = options.s3.addressing;
        options.s3 = target.value();
        options.s3.addressing = addressing;
        if (!endpoint.isEmpty()) {
            const QUrl url(endpoint, QUrl::StrictMode);
            if (!url.isValid() || url.host().isEmpty() ||
                (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
                return cl.usageError(
                    QStringLiteral("--endpoint %1 is not an http(s) URL").arg(endpoint));
            options.s3.endpoint = url;
        }
        StatusOr<ResolvedCredentials> credentials = resolveCredentials(profile);
        if (!credentials.isOk()) {
            printErr(QStringLiteral("error: %1\n").arg(credentials.status().message()));
            return kExitFailed;
        }
        options.credentials = credentials->credentials;
        options.s3.region = !region.isEmpty()                ? region
                            : !credentials->region.isEmpty() ? credentials->region
                                                             : QStringLiteral("us-east-1");
    } else {
        if (!endpoint.isEmpty() || !profile.isEmpty() || options.publicRead)
            return cl.usageError(QStringLiteral(
                "--endpoint, --profile and --public-read are for s3:// destinations"));
        options.destination = PublishOptions::Destination::Folder;
        options.folderPath = to.startsWith(QLatin1String("file://")) ? QUrl(to).toLocalFile() : to;
    }

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
