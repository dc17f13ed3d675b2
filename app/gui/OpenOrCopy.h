#pragma once
// OpenOrCopy: hand a URL or a folder to the desktop (browser, file manager) and, when nothing
// could open it (no browser installed, Chromium refusing to run as root, a bare X session),
// show the address in a small dialog with a Copy button instead of failing silently.
// Shared by every window that opens something outside the app.

#include <QUrl>

#include <functional>

class QWidget;

namespace hlsforge::gui {

// Opens `url`; `what` names it for the fallback dialog ("the output folder", "the page").
// Returns at once: the outcome arrives later (see below), and on failure the dialog appears
// window-modal over `parent`.
void openOrCopy(QWidget* parent, const QUrl& url, const QString& what);

// The dialog on its own (object name "openOrCopyDialog"), for callers that already know the
// desktop could not open the address. `reason` is one short sentence.
void showCopyFallback(QWidget* parent, const QUrl& url, const QString& what, const QString& reason);

// How openOrCopy reaches the desktop: calls `done(true)` once a program accepted the URL,
// `done(false, reason)` when none did. Tests replace it; nullptr restores the default.
using UrlOpener =
    std::function<void(const QUrl& url, std::function<void(bool opened, QString reason)> done)>;
void setUrlOpener(UrlOpener opener);

} // namespace hlsforge::gui
