#pragma once
// Where S3 credentials come from: the environment, an AWS shared credentials file profile,
// or a secure store (the app's keychain) behind CredentialStore so core stays GUI-free.
// Secrets never go into settings, logs or Status messages: messages name the source only.

#include "publish/SigV4Signer.h"
#include "util/Status.h"

#include <QHash>
#include <QString>

#include <memory>

namespace hlsforge::publish {

struct ResolvedCredentials {
    AwsCredentials credentials;
    QString source; // "environment", "profile 'x' in /path", "keychain" — safe to show
    QString region; // from AWS_REGION / AWS_DEFAULT_REGION / the profile, if any
};

// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN; incomplete when unset.
ResolvedCredentials credentialsFromEnvironment();

// A profile of an INI file in the AWS format (aws_access_key_id, aws_secret_access_key,
// aws_session_token, region). `path` empty: AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials.
StatusOr<ResolvedCredentials> credentialsFromProfile(const QString& profile,
                                                     const QString& path = {});

// The platform's role, for a container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI
// (AWS Batch and ECS job roles, EKS Pod Identity; with AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE])
// answers temporary keys as JSON; IRSA's AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN are traded
// for them with STS AssumeRoleWithWebIdentity. Fetched once: a process that outlives the
// session (an hour by default) needs a new one.
StatusOr<ResolvedCredentials> credentialsFromContainer();
StatusOr<ResolvedCredentials> credentialsFromWebIdentity();

// The AWS CLI order: an explicit profile wins; otherwise the environment, then (without
// AWS_PROFILE) a web identity token or the container endpoint when their variables are set,
// then the profile named by AWS_PROFILE (or "default").
StatusOr<ResolvedCredentials> resolveCredentials(const QString& explicitProfile = {});

// A secure place to keep credentials typed into the app (QtKeychain in the GUI; an
// in-memory map in tests). Calls may block briefly.
class CredentialStore {
public:
    virtual ~CredentialStore() = default;
    virtual StatusOr<AwsCredentials> load(const QString& account) = 0;
    virtual Status save(const QString& account, const AwsCredentials& credentials) = 0;
    virtual Status remove(const QString& account) = 0;
};

// Keeps credentials in memory only (tests, or a session that must not persist them).
class MemoryCredentialStore : public CredentialStore {
public:
    StatusOr<AwsCredentials> load(const QString& account) override;
    Status save(const QString& account, const AwsCredentials& credentials) override;
    Status remove(const QString& account) override;

private:
    QHash<QString, AwsCredentials> m_credentials;
};

// Serialised form kept inside a store as one secret (the store holds it, never a file).
QByteArray encodeCredentialsSecret(const AwsCredentials& credentials);
StatusOr<AwsCredentials> decodeCredentialsSecret(const QByteArray& secret);

} // namespace hlsforge::publish
