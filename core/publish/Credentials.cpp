#include "publish/Credentials.h"

#include "publish/S3Client.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>

namespace hlsforge::publish {

ResolvedCredentials credentialsFromEnvironment() {
    ResolvedCredentials out;
    out.credentials.accessKeyId = qEnvironmentVariable("AWS_ACCESS_KEY_ID");
    out.credentials.secretAccessKey = qEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
    out.credentials.sessionToken = qEnvironmentVariable("AWS_SESSION_TOKEN");
    out.region = qEnvironmentVariable("AWS_REGION", qEnvironmentVariable("AWS_DEFAULT_REGION"));
    out.source = QStringLiteral("environment");
    return out;
}

StatusOr<ResolvedCredentials> credentialsFromProfile(const QString& profile,
                                                     const QString& pathIn) {
    QString path = pathIn;
    if (path.isEmpty())
        path = qEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE");
    if (path.isEmpty())
        path = QDir::homePath() + QStringLiteral("/.aws/credentials");
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("no AWS credentials: %1 cannot be read (%2)")
                                 .arg(path, file.errorString()));
    ResolvedCredentials out;
    out.source = QStringLiteral("profile '%1' in %2").arg(profile, path);
    bool inProfile = false;
    bool found = false;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) ||
            line.startsWith(QLatin1Char(';')))
            continue;
        if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
            QString name = line.mid(1, line.size() - 2).trimmed();
            if (name.startsWith(QLatin1String("profile "))) // the ~/.aws/config spelling
                name = name.mid(8).trimmed();
            inProfile = name == profile;
            found = found || inProfile;
            continue;
        }
        if (!inProfile)
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq < 0)
            continue;
        const QString key = line.left(eq).trimmed().toLower();
        const QString value = line.mid(eq + 1).trimmed();
        if (key == QLatin1String("aws_access_key_id"))
            out.credentials.accessKeyId = value;
        else if (key == QLatin1String("aws_secret_access_key"))
            out.credentials.secretAccessKey = value;
        else if (key == QLatin1String("aws_session_token"))
            out.credentials.sessionToken = value;
        else if (key == QLatin1String("region"))
            out.region = value;
    }
    if (!found)
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("no AWS profile '%1' in %2").arg(profile, path));
    if (!out.credentials.isComplete())
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral(
                "AWS profile '%1' in %2 lacks aws_access_key_id or aws_secret_access_key")
                .arg(profile, path));
    return out;
}

namespace {

struct HttpAnswer {
    int status = 0;
    QByteArray body;
    QString error;
};

// One blocking GET (credential endpoints answer at once; 10 s is a dead endpoint).
HttpAnswer httpGet(const QUrl& url, const QByteArray& authorization = {}) {
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setTransferTimeout(10000);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    QNetworkReply* reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpAnswer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                      reply->readAll(), reply->errorString()};
    delete reply;
    return answer;
}

} // namespace

StatusOr<ResolvedCredentials> credentialsFromContainer() {
    QUrl url;
    const QString relative = qEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    if (!relative.isEmpty())
        url = QUrl(QStringLiteral("http://169.254.170.2") + relative);
    else
        url = QUrl(qEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    QByteArray authorization = qgetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    const QString tokenFile = qEnvironmentVariable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (!tokenFile.isEmpty()) {
        QFile f(tokenFile);
        if (!f.open(QIODevice::ReadOnly))
            return Status::error(Status::Code::InvalidArgument,
                                 QStringLiteral("container credentials: %1 cannot be read (%2)")
                                     .arg(tokenFile, f.errorString()));
        authorization = f.readAll().trimmed();
    }
    const HttpAnswer answer = httpGet(url, authorization);
    const QJsonObject o = QJsonDocument::fromJson(answer.body).object();
    ResolvedCredentials out;
    out.credentials.accessKeyId = o.value(QStringLiteral("AccessKeyId")).toString();
    out.credentials.secretAccessKey = o.value(QStringLiteral("SecretAccessKey")).toString();
    out.credentials.sessionToken = o.value(QStringLiteral("Token")).toString();
    if (answer.status != 200 || !out.credentials.isComplete())
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("container credentials from %1: %2")
                .arg(url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery),
                     answer.status ? QStringLiteral("HTTP %1").arg(answer.status) : answer.error));
    out.source = QStringLiteral("the container's role");
    out.region = qEnvironmentVariable("AWS_REGION", qEnvironmentVariable("AWS_DEFAULT_REGION"));
    return out;
}

StatusOr<ResolvedCredentials> credentialsFromWebIdentity() {
    const QString tokenFile = qEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE");
    const QString role = qEnvironmentVariable("AWS_ROLE_ARN");
    QFile f(tokenFile);
    if (role.isEmpty() || !f.open(QIODevice::ReadOnly))
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("web identity: AWS_ROLE_ARN unset or %1 unreadable").arg(tokenFile));
    const QString region =
        qEnvironmentVariable("AWS_REGION", qEnvironmentVariable("AWS_DEFAULT_REGION"));
    QUrl url(qEnvironmentVariable("AWS_ENDPOINT_URL_STS"));
    if (url.isEmpty())
        url = QUrl(region.isEmpty() ? QStringLiteral("https://sts.amazonaws.com/")
                                    : QStringLiteral("https://sts.%1.amazonaws.com/").arg(region));
    // AssumeRoleWithWebIdentity is not signed: the token is the proof.
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("Action"), QStringLiteral("AssumeRoleWithWebIdentity"));
    query.addQueryItem(QStringLiteral("Version"), QStringLiteral("2011-06-15"));
    query.addQueryItem(QStringLiteral("RoleArn"), role);
    query.addQueryItem(QStringLiteral("RoleSessionName"),
                       qEnvironmentVariable("AWS_ROLE_SESSION_NAME", QStringLiteral("hlsforge")));
    query.addQueryItem(QStringLiteral("WebIdentityToken"),
                       QString::fromUtf8(f.readAll().trimmed()));
    url.setQuery(query.query(QUrl::FullyEncoded), QUrl::StrictMode);
    const HttpAnswer answer = httpGet(url);
    ResolvedCredentials out;
    out.credentials.accessKeyId = xmlFirstText(answer.body, QStringLiteral("AccessKeyId"));
    out.credentials.secretAccessKey = xmlFirstText(answer.body, QStringLiteral("SecretAccessKey"));
    out.credentials.sessionToken = xmlFirstText(answer.body, QStringLiteral("SessionToken"));
    if (answer.status != 200 || !out.credentials.isComplete())
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("web identity: assuming %1 failed (%2)")
                .arg(role, answer.status
                               ? QStringLiteral("HTTP %1 %2")
                                     .arg(answer.status)
                                     .arg(xmlFirstText(answer.body, QStringLiteral("Message")))
                               : answer.error));
    out.source = QStringLiteral("web identity (%1)").arg(role);
    out.region = region;
    return out;
}

StatusOr<ResolvedCredentials> resolveCredentials(const QString& explicitProfile) {
    if (!explicitProfile.isEmpty())
        return credentialsFromProfile(explicitProfile);
    ResolvedCredentials env = credentialsFromEnvironment();
    if (env.credentials.isComplete())
        return env;
    // What a platform gives a container (the AWS SDKs' order puts these after the shared
    // files, which a container does not have): IRSA's web identity, then the container
    // endpoint (an AWS Batch / ECS job role, EKS Pod Identity).
    if (!qEnvironmentVariableIsEmpty("AWS_WEB_IDENTITY_TOKEN_FILE") &&
        qEnvironmentVariableIsEmpty("AWS_PROFILE"))
        return credentialsFromWebIdentity();
    if ((!qEnvironmentVariableIsEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") ||
         !qEnvironmentVariableIsEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI")) &&
        qEnvironmentVariableIsEmpty("AWS_PROFILE"))
        return credentialsFromContainer();
    const QString profile = qEnvironmentVariable("AWS_PROFILE", QStringLiteral("default"));
    StatusOr<ResolvedCredentials> fromFile = credentialsFromProfile(profile);
    if (!fromFile.isOk())
        return Status::error(
            Status::Code::InvalidArgument,
            QStringLiteral("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                           "or use a profile (%1)")
                .arg(fromFile.status().message()));
    if (fromFile->region.isEmpty())
        fromFile->region = env.region;
    else if (!env.region.isEmpty())
        fromFile->region = env.region; // AWS_REGION overrides the profile, as in the AWS CLI
    return fromFile;
}

StatusOr<AwsCredentials> MemoryCredentialStore::load(const QString& account) {
    if (!m_credentials.contains(account))
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("no stored credentials for %1").arg(account));
    return m_credentials.value(account);
}

Status MemoryCredentialStore::save(const QString& account, const AwsCredentials& credentials) {
    m_credentials.insert(account, credentials);
    return Status::ok();
}

Status MemoryCredentialStore::remove(const QString& account) {
    m_credentials.remove(account);
    return Status::ok();
}

QByteArray encodeCredentialsSecret(const AwsCredentials& credentials) {
    QJsonObject o{{QStringLiteral("accessKeyId"), credentials.accessKeyId},
                  {QStringLiteral("secretAccessKey"), credentials.secretAccessKey},
                  {QStringLiteral("sessionToken"), credentials.sessionToken}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

StatusOr<AwsCredentials> decodeCredentialsSecret(const QByteArray& secret) {
    const QJsonObject o = QJsonDocument::fromJson(secret).object();
    AwsCredentials c;
    c.accessKeyId = o.value(QStringLiteral("accessKeyId")).toString();
    c.secretAccessKey = o.value(QStringLiteral("secretAccessKey")).toString();
    c.sessionToken = o.value(QStringLiteral("sessionToken")).toString();
    if (!c.isComplete())
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("stored credentials are incomplete"));
    return c;
}

} // namespace hlsforge::publish
