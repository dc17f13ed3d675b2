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
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("the system keychain is not available (%1)").arg(job.errorString()));
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
        return Status::error(
            Status::Code::IoError,
            QStringLiteral("the system keychain is not available (%1)").arg(job.errorString()));
    return Status::ok();
}

Status KeychainCredentialStore::remove(const QString& account) {
    QKeychain::DeletePasswordJob job(serviceName());
    job.setAutoDelete(false);
    job.setKey(account);
    waitFor(job);
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound)
        return Status::error(Status::Code::IoError,
                             QStringLiteral("keychain: %1").arg(job.errorString()));
    return Status::ok();
}

} // namespace hlsforge::gui
