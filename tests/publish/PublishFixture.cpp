#include "PublishFixture.h"

#include "TestMedia.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>

namespace hlsforge::test {

bool makePublishFixture(const QString& dir) {
    QDir().mkpath(dir);
    const bool ok = ffmpeg({QStringLiteral("-f"),
                            QStringLiteral("lavfi"),
                            QStringLiteral("-i"),
                            QStringLiteral("testsrc2=size=320x180:rate=25:duration=4"),
                            QStringLiteral("-f"),
                            QStringLiteral("lavfi"),
                            QStringLiteral("-i"),
                            QStringLiteral("sine=frequency=440:sample_rate=48000:duration=4"),
                            QStringLiteral("-map"),
                            QStringLiteral("0:v"),
                            QStringLiteral("-map"),
                            QStringLiteral("1:a"),
                            QStringLiteral("-map"),
                            QStringLiteral("0:v"),
                            QStringLiteral("-map"),
                            QStringLiteral("1:a"),
                            QStringLiteral("-c:v"),
                            QStringLiteral("libx264"),
                            QStringLiteral("-preset"),
                            QStringLiteral("ultrafast"),
                            QStringLiteral("-g"),
                            QStringLiteral("25"),
                            QStringLiteral("-b:v:0"),
                            QStringLiteral("300k"),
                            QStringLiteral("-s:v:1"),
                            QStringLiteral("160x90"),
                            QStringLiteral("-b:v:1"),
                            QStringLiteral("100k"),
                            QStringLiteral("-c:a"),
                            QStringLiteral("aac"),
                            QStringLiteral("-b:a"),
                            QStringLiteral("64k"),
                            QStringLiteral("-f"),
                            QStringLiteral("hls"),
                            QStringLiteral("-hls_time"),
                            QStringLiteral("1"),
                            QStringLiteral("-hls_playlist_type"),
                            QStringLiteral("vod"),
                            QStringLiteral("-master_pl_name"),
                            QStringLiteral("master.m3u8"),
                            QStringLiteral("-var_stream_map"),
                            QStringLiteral("v:0,a:0 v:1,a:1"),
                            QStringLiteral("-hls_segment_filename"),
                            dir + QStringLiteral("/v%v/seg_%03d.ts"),
                            dir + QStringLiteral("/v%v/index.m3u8")});
    if (!ok)
        return false;
    auto write = [&](const QString& rel, const QByteArray& bytes) {
        QDir().mkpath(QFileInfo(dir + QLatin1Char('/') + rel).absolutePath());
        QFile f(dir + QLatin1Char('/') + rel);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };
    QByteArray big(20 * 1024 * 1024 + 12345, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(big.data()), big.size() / 4);
    return write(QStringLiteral("download/source.mp4"), big) &&
           write(QStringLiteral("index.html"),
                 "<!doctype html><video src=\"master.m3u8\"></video>\n") &&
           write(QStringLiteral("poster.jpg"),
                 // The literal's own length: a fixed 24 read past its end (ASan).
                 QByteArray("\xff\xd8\xff\xe0 not really a jpeg")) &&
           write(QStringLiteral("subs/a b+c \xc3\xbc.vtt"),
                 "WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n");
}

QMap<QString, QByteArray> readTree(const QString& dir) {
    QMap<QString, QByteArray> out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (f.open(QIODevice::ReadOnly))
            out.insert(QDir(dir).relativeFilePath(path), f.readAll());
    }
    return out;
}

CliRun runCli(const QStringList& args, const QProcessEnvironment& env, int timeoutMs) {
    QProcess process;
    QProcessEnvironment all = QProcessEnvironment::systemEnvironment();
    // A developer's own AWS settings must not leak into the tests.
    for (const char* name :
         {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
          "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL",
          "AWS_ENDPOINT_URL_S3", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
          "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
          "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
          "AWS_BATCH_JOB_ARRAY_INDEX", "JOB_COMPLETION_INDEX"})
        all.remove(QString::fromLatin1(name));
    all.insert(env);
    process.setProcessEnvironment(all);
    process.start(cliPath(), args);
    CliRun run;
    if (!process.waitForStarted(10000))
        return run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        run.err = "timed out";
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace hlsforge::test
