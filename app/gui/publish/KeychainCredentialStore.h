#pragma once
// CredentialStore over QtKeychain (the desktop's secret service: GNOME Keyring, KWallet,
// macOS Keychain, Windows Credential Manager). No plain-text fallback: when no keyring is
// available, save() fails and the user is told so.

#include "publish/Credentials.h"

namespace hlsforge::gui {

class KeychainCredentialStore : public publish::CredentialStore {
public:
    StatusOr<publish::AwsCredentials> load(const QString& account) override;
    Status save(const QString& account, const publish::AwsCredentials& credentials) override;
    Status remove(const QString& account) override;

    static QString serviceName() { return QStringLiteral("HLS Forge S3 credentials"); }

    // What went wrong, in words, from a QtKeychain error code (QKeychain::Error) and its
    // errorString(): "no secret service is running (…)" rather than "(Unknown error)", which
    // is all QtKeychain says when no keyring answers on D-Bus.
    static QString describeFailure(int keychainError, const QString& detail);
};

} // namespace hlsforge::gui
