#pragma once
// Shared by the publish tests: a real HLS ladder made with ffmpeg's hls muxer (two
// variants, TS segments, master playlist) plus the files a published ladder may carry
// (index.html, poster.jpg, a subtitle with a space, '+' and a non-ASCII letter in its name,
// and a 20 MiB random file so multipart uploads are exercised), and a CLI runner.

#include <QByteArray>
#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace hlsforge::test {

// Builds the ladder under `dir`; returns false (with qWarning) if ffmpeg failed.
bool makePublishFixture(const QString& dir);

// relative path → bytes of every file under `dir` (hidden files included, to catch leftovers).
QMap<QString, QByteArray> readTree(const QString& dir);

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};
// Runs hlsforge-cli with `env` added to the environment; bounded by `timeoutMs`.
CliRun runCli(const QStringList& args, const QProcessEnvironment& env = {}, int timeoutMs = 120000);

} // namespace hlsforge::test
