#include "KeychainCredentialStore.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>

namespace hlsforge::gui {
namespace {

// QtKeychain jobs are asynchronous; the store's contract is a short blocking call, so wait
// for the job in a local loop (it answers within the keyring's own timeout).
void waitFor(QKeychain::Job& job) {
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
}

} // namespace

QString KeychainCredentialStore::describeFailure(int keychainError, const QString& detail) {
    QString what;
    switch (keychainError) {
    case QKeychain::AccessDeniedByUser:
        what = QStringLiteral("access to the system keychain was refused");
        break;
    case QKeychain::AccessDenied:
        what = QStringLiteral("the system keychain refused access (it may be locked)");
        break;
    case QKeychain::NotImplemented:
        what = QStringLiteral("this system has no keychain HLS Forge can use");
        break;
    default: // NoBackendAvailable, and OtherError when no keyring answers on D-Bus
        what = QStringLiteral("the system keychain is not available: no secret service "
                              "(GNOME Keyring, KWallet) is running");
        break;
    }
    // QtKeychain's "Unknown error" says nothing; anything else (a D-Bus message) helps.
    const QString d = detail.trimmed();
    if (!d.isEmpty() && d.compare(QLatin1String("Unknown error"), Qt::CaseInsensitive) != 0)
        what += QStringLiteral(" (%1)").arg(d);
    return what;
}

StatusOr<publish::AwsCredentials> KeychainCredentialStore::load(const QString& account) {
    QKeychain::ReadPasswordJob job(serviceName());
    job.setAutoDelete(false);
    job.setInsecureFallback(false);
    job.setKey(account);
    waitFor(job);
    if (job.error() == QKeychain::EntryNotFound)
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("no credentials in the keychain for %1").arg(account));
    // Anything else means there is no working keychain (no keyring service, access denied):
    // an IoError, so the window can say so instead of looking as if nothing was stored.
    if (job.error() != QKeychain::NoError)
        return Status::error(Status::Code::IoError,
                             describeFailure(job.error(), job.errorString()));
    return publish::decodeCredentialsSecret(job.binaryData().isEmpty() ? job.textData().toUtf8()
                                                                       : job.binaryData());
}

Status KeychainCredentialStore::save(const QString& account,
                                     const publish::AwsCredentials& credentials) {
    QKeychain::WritePasswordJob job(serviceName());
    job.setAutoDelete(false);
    job.setInsecureFallback(false);
    job.setKey(account);
    job.setBinaryData(publish::encodeCredentialsSecret(credentials));
    waitFor(job);
    if (job.error() != QKeychain::NoError)
        return Status::error(Status::Code::IoError,
                             describeFailure(job.error(), job.errorString()));
    return Status::ok();
}

Status KeychainCredentialStore::remove(const QString& account) {
    QKeychain::DeletePasswordJob job(serviceName());
    job.setAutoDelete(false);
    job.setKey(account);
    waitFor(job);
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound)
        return Status::error(Status::Code::IoError,
                             describeFailure(job.error(), job.errorString()));
    return Status::ok();
}

} // namespace hlsforge::gui
