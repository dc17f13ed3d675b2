#pragma once
// The S3 options plan, encode and assemble share (--endpoint, --region, --profile), read
// into cluster::S3Settings. Unset, the environment decides (AWS_ENDPOINT_URL_S3 /
// AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID... or AWS_PROFILE), which is how a
// container on AWS Batch or Kubernetes is given them.

#include "CommandLine.h"

#include "cluster/ClusterStore.h"

#include <QUrl>

#include <optional>

namespace hlsforge::cli {

struct ClusterS3Options {
    QCommandLineOption endpoint{QStringLiteral("endpoint")};
    QCommandLineOption region{QStringLiteral("region")};
    QCommandLineOption profile{QStringLiteral("profile")};

    static ClusterS3Options add(CommandLine& cl) {
        cl.addSection(QStringLiteral("S3 (for s3:// sources, outputs and plans):"));
        ClusterS3Options o;
        o.endpoint = cl.addOption(QStringLiteral("endpoint"), QStringLiteral("URL"),
                                  QStringLiteral("S3-compatible endpoint"),
                                  QStringLiteral("AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, or AWS"));
        o.region =
            cl.addOption(QStringLiteral("region"), QStringLiteral("R"), QStringLiteral("region"),
                         QStringLiteral("AWS_REGION, the profile's, or us-east-1"));
        o.profile = cl.addOption(
            QStringLiteral("profile"), QStringLiteral("NAME"),
            QStringLiteral("credentials from this profile of ~/.aws/credentials"),
            QStringLiteral("AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, then AWS_PROFILE"));
        return o;
    }

    // nullopt after a usage error was printed (*exitCode set).
    std::optional<cluster::S3Settings> settings(const CommandLine& cl, int* exitCode) const {
        cluster::S3Settings s;
        if (cl.isSet(endpoint)) {
            const QUrl url(cl.value(endpoint), QUrl::StrictMode);
            if (!url.isValid() || url.host().isEmpty() ||
                (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
                *exitCode = cl.usageError(
                    QStringLiteral("--endpoint %1 is not an http(s) URL").arg(cl.value(endpoint)));
                return std::nullopt;
            }
            s.endpoint = url;
        }
        s.region = cl.value(region);
        s.profile = cl.value(profile);
        return s;
    }

    // The same options again, for the worker processes `encode --all` starts.
    QStringList arguments(const CommandLine& cl) const {
        QStringList out;
        for (const QCommandLineOption* o : {&endpoint, &region, &profile}) {
            if (cl.isSet(*o))
                out << QStringLiteral("--") + o->names().constFirst() << cl.value(*o);
        }
        return out;
    }
};

} // namespace hlsforge::cli
