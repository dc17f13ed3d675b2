#include "OpenOrCopy.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace hlsforge::gui {

namespace {

UrlOpener& customOpener() {
    static UrlOpener opener;
    return opener;
}

QString shownAddress(const QUrl& url) {
    return url.isLocalFile() ? QDir::toNativeSeparators(url.toLocalFile())
                             : url.toString(QUrl::FullyEncoded);
}

// QDesktopServices::openUrl only reports whether xdg-open could be started, not whether it
// found anything to open the URL with. Running xdg-open ourselves tells the two apart.
void defaultOpen(const QUrl& url, std::function<void(bool, QString)> done) {
#if defined(Q_OS_LINUX)
    const QString xdgOpen = QStandardPaths::findExecutable(QStringLiteral("xdg-open"));
    if (!xdgOpen.isEmpty() && qEnvironmentVariableIsEmpty("FLATPAK_ID")) {
        auto* process = new QProcess(qApp);
        process->setProgram(xdgOpen);
        process->setArguments({url.toString(QUrl::FullyEncoded)});
        process->setProcessChannelMode(QProcess::MergedChannels);
        auto reported = std::make_shared<bool>(false);
        auto report = [reported, done](bool ok, const QString& reason) {
            if (*reported)
                return;
            *reported = true;
            done(ok, reason);
        };
        QObject::connect(process, &QProcess::errorOccurred, process,
                         [process, report](QProcess::ProcessError error) {
                             if (error == QProcess::FailedToStart) {
                                 report(false, QObject::tr("xdg-open could not be started."));
                                 process->deleteLater();
                             }
                         });
        QObject::connect(
            process, &QProcess::finished, process,
            [process, report](int exitCode, QProcess::ExitStatus status) {
                // xdg-open's last line, without the (percent-encoded) address repeated.
                const QString output = QString::fromLocal8Bit(process->readAll())
                                           .trimmed()
                                           .section(QLatin1Char('\n'), -1)
                                           .section(QStringLiteral(" for opening"), 0, 0);
                if (status == QProcess::NormalExit && exitCode == 0)
                    report(true, {});
                else
                    report(false, output.isEmpty()
                                      ? QObject::tr("No program could open it (xdg-open exit "
                                                    "code %1).")
                                            .arg(exitCode)
                                      : QObject::tr("No program could open it: %1").arg(output));
                process->deleteLater();
            });
        // No verdict by timer: without a desktop session xdg-open runs the browser in the
        // foreground (it may run for hours), and when nothing works it tries one browser
        // after another before giving up (about 12 s measured with Chromium as root and no
        // text browsers). A late dialog beats none; a running xdg-open counts as working.
        process->start();
        return;
    }
#endif
    if (QDesktopServices::openUrl(url))
        done(true, {});
    else
        done(false, QObject::tr("The desktop found no program to open it."));
}

} // namespace

void setUrlOpener(UrlOpener opener) {
    customOpener() = std::move(opener);
}

void openOrCopy(QWidget* parent, const QUrl& url, const QString& what) {
    QPointer<QWidget> guard(parent);
    auto done = [guard, url, what](bool opened, const QString& reason) {
        if (!opened)
            showCopyFallback(guard.data(), url, what, reason);
    };
    if (customOpener())
        customOpener()(url, done);
    else
        defaultOpen(url, done);
}

void showCopyFallback(QWidget* parent, const QUrl& url, const QString& what,
                      const QString& reason) {
    auto* dialog = new QDialog(parent);
    dialog->setObjectName(QStringLiteral("openOrCopyDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QObject::tr("Could not open %1").arg(what));
    auto* layout = new QVBoxLayout(dialog);
    auto* message = new QLabel(
        QObject::tr("HLS Forge could not open %1. %2\nCopy the address and open it yourself:")
            .arg(what, reason),
        dialog);
    message->setWordWrap(true);
    layout->addWidget(message);
    auto* address = new QLineEdit(shownAddress(url), dialog);
    address->setObjectName(QStringLiteral("address"));
    address->setReadOnly(true);
    address->setMinimumWidth(address->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 60);
    address->setCursorPosition(0);
    layout->addWidget(address);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QPushButton* copy = buttons->addButton(QObject::tr("&Copy"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copy"));
    copy->setDefault(true);
    QObject::connect(copy, &QPushButton::clicked, dialog, [address, copy] {
        QApplication::clipboard()->setText(address->text());
        copy->setText(QObject::tr("Copied"));
    });
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog->open(); // window-modal, returns at once
}

} // namespace hlsforge::gui
