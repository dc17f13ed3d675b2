#include "publish/Credentials.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

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

StatusOr<ResolvedCredentials> resolveCredentials(const QString& explicitProfile) {
    if (!explicitProfile.isEmpty())
        return credentialsFromProfile(explicitProfile);
    ResolvedCredentials env = credentialsFromEnvironment();
    if (env.credentials.isComplete())
        return env;
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
