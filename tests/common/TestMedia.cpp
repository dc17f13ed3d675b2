#include "TestMedia.h"

#include <QFile>

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtDebug>

#include <cstring>

namespace hlsforge::test {

ProcessResult runProcess(const QString& program, const QStringList& args, int timeoutMs) {
    QProcess process;
    process.start(program, args);
    ProcessResult result;
    if (!process.waitForStarted(10000)) {
        result.err = QByteArray("could not start ") + program.toUtf8();
        return result;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        result.err = QByteArray("timed out: ") + program.toUtf8();
        return result;
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return result;
}

bool ffmpeg(const QStringList& args) {
    QStringList all = {QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
                       QStringLiteral("error"), QStringLiteral("-y")};
    all += args;
    const ProcessResult r = runProcess(QStringLiteral("ffmpeg"), all);
    if (!r.ok())
        qWarning().noquote() << "ffmpeg failed:" << all.join(QLatin1Char(' ')) << "\n" << r.err;
    return r.ok();
}

bool makeClip(const QString& path, double seconds, const QString& videoFilter,
              const QString& audioFilter, const QStringList& extraOutputArgs) {
    QStringList args = {QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                        videoFilter};
    if (!audioFilter.isEmpty())
        args += {QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"), audioFilter};
    args += {QStringLiteral("-t"), QString::number(seconds)};
    bool hasCodec = extraOutputArgs.contains(QStringLiteral("-c:v"));
    if (!hasCodec)
        args += {QStringLiteral("-c:v"), QStringLiteral("libx264"), QStringLiteral("-preset"),
                 QStringLiteral("ultrafast")};
    if (!audioFilter.isEmpty() && !extraOutputArgs.contains(QStringLiteral("-c:a")))
        args += {QStringLiteral("-c:a"), QStringLiteral("aac")};
    if (!extraOutputArgs.contains(QStringLiteral("-pix_fmt")) && !hasCodec)
        args += {QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p")};
    args += extraOutputArgs;
    args << path;
    return ffmpeg(args);
}

QJsonObject ffprobeJson(const QStringList& args, const QString& path) {
    QStringList all = {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-of"),
                       QStringLiteral("json")};
    all += args;
    all << path;
    const ProcessResult r = runProcess(QStringLiteral("ffprobe"), all);
    if (!r.ok()) {
        qWarning().noquote() << "ffprobe failed on" << path << r.err;
        return {};
    }
    return QJsonDocument::fromJson(r.out).object();
}

QJsonArray ffprobeVideoPackets(const QString& path) {
    return ffprobeJson({QStringLiteral("-select_streams"), QStringLiteral("v:0"),
                        QStringLiteral("-show_entries"),
                        QStringLiteral("packet=pts_time,dts_time,flags,size,pos")},
                       path)
        .value(QStringLiteral("packets"))
        .toArray();
}

QVector<float> decodeMono(const QString& input) {
    const ProcessResult r =
        runProcess(QStringLiteral("ffmpeg"),
                   {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-i"), input,
                    QStringLiteral("-vn"), QStringLiteral("-ac"), QStringLiteral("1"),
                    QStringLiteral("-ar"), QStringLiteral("48000"), QStringLiteral("-f"),
                    QStringLiteral("f32le"), QStringLiteral("-")});
    QVector<float> samples(r.out.size() / int(sizeof(float)));
    memcpy(samples.data(), r.out.constData(), size_t(samples.size()) * sizeof(float));
    return samples;
}

QString HlsJsPlayback::problem() const {
    const bool played = json.value(QStringLiteral("supported")).toBool() &&
                        json.value(QStringLiteral("fatal")).isNull() &&
                        json.value(QStringLiteral("currentTime")).toDouble() >= seconds;
    return played && exitedOk ? QString() : text;
}

HlsJsPlayback playWithHlsJs(const QString& dir, double seconds, double rate) {
    const QString script =
        qEnvironmentVariable("HLSFORGE_SOURCE_DIR") + QStringLiteral("/tests/web/hlsjs-play.mjs");
    const ProcessResult browser =
        runProcess(QStringLiteral("node"),
                   {script, QStringLiteral("--dir"), dir, QStringLiteral("--seconds"),
                    QString::number(seconds), QStringLiteral("--rate"), QString::number(rate)},
                   120000);
    HlsJsPlayback playback;
    playback.text = QString::fromUtf8(browser.out + browser.err).trimmed();
    playback.json = QJsonDocument::fromJson(browser.out.trimmed()).object();
    playback.exitedOk = browser.ok();
    playback.seconds = seconds;
    qInfo().noquote() << playback.text;
    return playback;
}

QString cliPath() {
    const QString fromEnv = qEnvironmentVariable("HLSFORGE_CLI");
    return fromEnv.isEmpty() ? QStringLiteral("hlsforge-cli") : fromEnv;
}

qint64 timingBudgetMs(qint64 ms) {
    bool ok = false;
    const double scale = qEnvironmentVariable("HLSFORGE_TIMING_SCALE").toDouble(&ok);
    return ok && scale >= 1.0 ? qint64(double(ms) * scale) : ms;
}

QString fixtureCacheDir() {
    const QString dir = QDir::tempPath() + QStringLiteral("/hlsforge-test-fixtures");
    QDir().mkpath(dir);
    return dir;
}

QString makePlaybackLadder(const QString& dir, double seconds, QString* error) {
    const QString input = dir + QStringLiteral("/input.mp4");
    if (!makeClip(input, seconds, QStringLiteral("testsrc2=size=640x360:rate=25"))) {
        *error = QStringLiteral("could not generate %1").arg(input);
        return {};
    }
    const QString ladderJson = dir + QStringLiteral("/ladder.json");
    QFile ladder(ladderJson);
    if (!ladder.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("could not write %1").arg(ladderJson);
        return {};
    }
    ladder.write(R"({"segmentSeconds": 2, "x264Preset": "ultrafast", "audioKbps": 64,
      "renditions": [{"name": "360p", "height": 360, "videoKbps": 1500},
                     {"name": "240p", "height": 240, "videoKbps": 500},
                     {"name": "144p", "height": 144, "videoKbps": 150}]})");
    ladder.close();
    const QString out = dir + QStringLiteral("/ladder");
    const ProcessResult r =
        runProcess(cliPath(), {QStringLiteral("transcode"), input, QStringLiteral("--out"), out,
                               QStringLiteral("--ladder"), ladderJson, QStringLiteral("--progress"),
                               QStringLiteral("none")});
    if (!r.ok()) {
        *error = QString::fromUtf8(r.err);
        return {};
    }
    return out;
}

int startOriginServer(QProcess* origin, const QString& root) {
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty()) {
        qWarning("node is needed (scripts/install-deps.sh installs it)");
        return -1;
    }
    origin->start(node, {qEnvironmentVariable("HLSFORGE_SOURCE_DIR") +
                             QStringLiteral("/tests/qoe/origin-server.mjs"),
                         root});
    if (!origin->waitForStarted() || !origin->waitForReadyRead(10000)) {
        qWarning("the origin server did not start: %s", origin->readAllStandardError().constData());
        return -1;
    }
    const int port =
        QJsonDocument::fromJson(origin->readLine()).object()[QStringLiteral("port")].toInt();
    return port > 0 ? port : -1;
}

QStringList hdrHevcOutputArgs(const QString& transfer, const QString& x265Params) {
    QString params = QStringLiteral("log-level=error");
    if (!x265Params.isEmpty())
        params += QLatin1Char(':') + x265Params;
    return {QStringLiteral("-c:v"),
            QStringLiteral("libx265"),
            QStringLiteral("-preset"),
            QStringLiteral("ultrafast"),
            QStringLiteral("-x265-params"),
            params,
            QStringLiteral("-tag:v"),
            QStringLiteral("hvc1"),
            QStringLiteral("-pix_fmt"),
            QStringLiteral("yuv420p10le"),
            QStringLiteral("-color_primaries"),
            QStringLiteral("bt2020"),
            QStringLiteral("-color_trc"),
            transfer,
            QStringLiteral("-colorspace"),
            QStringLiteral("bt2020nc"),
            QStringLiteral("-color_range"),
            QStringLiteral("tv")};
}

bool makeTwoLanguageClip(const QString& path, double seconds) {
    return ffmpeg({QStringLiteral("-f"),
                   QStringLiteral("lavfi"),
                   QStringLiteral("-i"),
                   QStringLiteral("testsrc2=size=320x180:rate=25"),
                   QStringLiteral("-f"),
                   QStringLiteral("lavfi"),
                   QStringLiteral("-i"),
                   QStringLiteral("sine=frequency=440:sample_rate=48000"),
                   QStringLiteral("-f"),
                   QStringLiteral("lavfi"),
                   QStringLiteral("-i"),
                   QStringLiteral("sine=frequency=880:sample_rate=48000"),
                   QStringLiteral("-t"),
                   QString::number(seconds),
                   QStringLiteral("-map"),
                   QStringLiteral("0:v"),
                   QStringLiteral("-map"),
                   QStringLiteral("1:a"),
                   QStringLiteral("-map"),
                   QStringLiteral("2:a"),
                   QStringLiteral("-c:v"),
                   QStringLiteral("libx264"),
                   QStringLiteral("-preset"),
                   QStringLiteral("ultrafast"),
                   QStringLiteral("-pix_fmt"),
                   QStringLiteral("yuv420p"),
                   QStringLiteral("-c:a"),
                   QStringLiteral("aac"),
                   QStringLiteral("-metadata:s:a:0"),
                   QStringLiteral("language=eng"),
                   QStringLiteral("-metadata:s:a:1"),
                   QStringLiteral("language=deu"),
                   path});
}

QString makeSubtitleLadder(const QString& dir, QString* error, bool germanAudio) {
    const QString input = dir + QStringLiteral("/show.mp4");
    if (!makeClip(input, 6, QStringLiteral("testsrc2=size=320x180:rate=25"))) {
        *error = QStringLiteral("could not generate %1").arg(input);
        return {};
    }
    const auto write = [&](const QString& name, const QByteArray& bytes) {
        QFile f(dir + QLatin1Char('/') + name);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };
    const QByteArray german = "1\n00:00:02,000 --> 00:00:03,500\n" + QByteArray(kGermanCue1) + "\n";
    const QByteArray french = "1\r\n00:00:02,000 --> 00:00:03,500\r\n" +
                              QString::fromUtf8(kFrenchCue1).toLatin1() +
                              "\r\n\r\n2\r\n00:00:04,000 --> 00:00:05,000\r\n" +
                              QString::fromUtf8(kFrenchCue2).toLatin1() + "\r\n";
    const QByteArray forced = "1\n00:00:00,500 --> 00:00:01,500\n" + QByteArray(kForcedCue) + "\n";
    const QString ladderJson = dir + QStringLiteral("/subs-ladder.json");
    if (!write(QStringLiteral("show.de.srt"), german) ||
        !write(QStringLiteral("show.fr.srt"), french) ||
        !write(QStringLiteral("show.en.forced.srt"), forced) ||
        !write(QStringLiteral("subs-ladder.json"),
               R"({"segmentSeconds": 2, "x264Preset": "ultrafast", "audioKbps": 64,
                   "renditions": [{"name": "180p", "height": 180, "videoKbps": 300}]})")) {
        *error = QStringLiteral("could not write the subtitle files in %1").arg(dir);
        return {};
    }
    const QString out = dir + QStringLiteral("/subs");
    QStringList args{QStringLiteral("transcode"),
                     input,
                     QStringLiteral("--out"),
                     out,
                     QStringLiteral("--ladder"),
                     ladderJson,
                     QStringLiteral("--player-scripts"),
                     QStringLiteral("self-contained"),
                     QStringLiteral("--progress"),
                     QStringLiteral("none"),
                     QStringLiteral("--no-check")};
    if (germanAudio) {
        const QString german = dir + QStringLiteral("/show.de.m4a");
        const ProcessResult a =
            runProcess(QStringLiteral("ffmpeg"),
                       {QStringLiteral("-nostdin"), QStringLiteral("-v"), QStringLiteral("error"),
                        QStringLiteral("-y"), QStringLiteral("-f"), QStringLiteral("lavfi"),
                        QStringLiteral("-i"), QStringLiteral("sine=frequency=880:duration=6"),
                        QStringLiteral("-c:a"), QStringLiteral("aac"), german});
        if (!a.ok()) {
            *error = QString::fromUtf8(a.err);
            return {};
        }
        args << QStringLiteral("--audio") << german + QStringLiteral(":de:Deutsch");
    }
    const ProcessResult r = runProcess(cliPath(), args);
    if (!r.ok()) {
        *error = QString::fromUtf8(r.err);
        return {};
    }
    return out;
}

} // namespace hlsforge::test
