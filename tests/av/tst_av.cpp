// tst_av: the shared FFmpeg layer. An input the probe has read (its interlace scan decodes the
// first frames) hands the transcode exactly the packets a fresh open would, so the input is
// opened once; open errors say the cause in words; a graph with two sinks and the rotation
// filter work as the probe and the transcode use them.

#include "av/Decoder.h"
#include "av/FilterGraph.h"
#include "av/InputFile.h"
#include "probe/MediaProbe.h"

#include "TestMedia.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

extern "C" {
#include <libavutil/adler32.h>
}

using namespace hlsforge;
using namespace hlsforge::test;

namespace {

// What identifies a packet: stream, timestamps, size and flags.
QStringList packetList(av::InputFile& input) {
    QStringList packets;
    av::PacketPtr packet = av::makePacket();
    while (input.read(packet.get()) >= 0) {
        packets << QStringLiteral("%1 %2 %3 %4 %5")
                       .arg(packet->stream_index)
                       .arg(packet->pts)
                       .arg(packet->dts)
                       .arg(packet->size)
                       .arg(packet->flags);
        av_packet_unref(packet.get());
    }
    return packets;
}

// What identifies a decoded frame: its timestamp and a checksum of its pixels.
QString frameId(const AVFrame* f) {
    quint32 sum = 1;
    for (int plane = 0; plane < 3 && f->data[plane]; ++plane) {
        const int h = plane == 0 ? f->height : (f->height + 1) / 2;
        const int w = plane == 0 ? f->width : (f->width + 1) / 2;
        for (int y = 0; y < h; ++y)
            sum = av_adler32_update(sum, f->data[plane] + y * f->linesize[plane], w);
    }
    return QStringLiteral("%1 %2").arg(f->best_effort_timestamp).arg(sum, 8, 16);
}

// Every video frame of `input` from its next packet on, decoded by `decoder` (opened on
// `index`), after skipping the first `skipPackets` packets of that stream, as the transcode's
// input stage does after the probe handed it its frames.
QStringList decodeRest(av::InputFile& input, av::Decoder& decoder, int index, int64_t skipPackets) {
    QStringList frames;
    av::PacketPtr packet = av::makePacket();
    av::FramePtr frame = av::makeFrame();
    auto receive = [&] {
        while (avcodec_receive_frame(decoder.context(), frame.get()) >= 0) {
            frames << frameId(frame.get());
            av_frame_unref(frame.get());
        }
    };
    while (input.read(packet.get()) >= 0) {
        if (packet->stream_index == index && skipPackets > 0)
            --skipPackets;
        else if (packet->stream_index == index) {
            avcodec_send_packet(decoder.context(), packet.get());
            receive();
        }
        av_packet_unref(packet.get());
    }
    avcodec_send_packet(decoder.context(), nullptr);
    receive();
    return frames;
}

} // namespace

class AvTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString clip(const QString& name, double seconds, const QStringList& extra = {}) {
        const QString path = m_dir.filePath(name);
        if (!QFile::exists(path) &&
            !makeClip(path, seconds, QStringLiteral("testsrc2=size=320x180:rate=25"),
                      QStringLiteral("sine=frequency=440:sample_rate=48000"), extra))
            return {};
        return path;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void probedInputReadsLikeAFreshOpen_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("seconds");
        QTest::newRow("mp4, longer than the scan") << "long.mp4" << 4.0;
        QTest::newRow("mp4, shorter than the scan") << "short.mp4" << 1.0;
        QTest::newRow("matroska") << "clip.mkv" << 3.0;
        QTest::newRow("mpeg-ts") << "clip.ts" << 3.0;
    }
    void probedInputReadsLikeAFreshOpen() {
        QFETCH(QString, name);
        QFETCH(double, seconds);
        const QString path = clip(name, seconds);
        QVERIFY(!path.isEmpty());

        av::InputFile fresh;
        QVERIFY(fresh.open(path).isOk());
        const QStringList expected = packetList(fresh);
        QVERIFY(expected.size() > 25);

        av::InputFile input;
        QVERIFY(input.open(path).isOk());
        const StatusOr<MediaInfo> info = probeInput(input);
        QVERIFY2(info.isOk(), qPrintable(info.status().message()));
        QVERIFY(info->video.scannedFrames >= 25); // the scan did read packets
        QCOMPARE(input.reopenCount(), 0);         // opened once: the kept packets were replayed
        QCOMPARE(packetList(input), expected);
    }

    // A scan that reads more than kKeptBytesMax of a regular file opens it again rather than
    // hold the packets; what the transcode reads is the same.
    void heavySourceIsOpenedAgainNotHeld() {
        const QString path = m_dir.filePath(QStringLiteral("heavy.mp4"));
        QVERIFY(makeClip(path, 3,
                         QStringLiteral("testsrc2=size=640x360:rate=25,noise=alls=60:allf=t"),
                         QStringLiteral("sine=frequency=440:sample_rate=48000"),
                         {QStringLiteral("-qp"), QStringLiteral("0")}));
        QVERIFY(QFileInfo(path).size() > av::InputFile::kKeptBytesMax * 3 / 2);
        av::InputFile fresh;
        QVERIFY(fresh.open(path).isOk());
        const QStringList expected = packetList(fresh);
        av::InputFile input;
        QVERIFY(input.open(path).isOk());
        const StatusOr<MediaInfo> info = probeInput(input);
        QVERIFY2(info.isOk(), qPrintable(info.status().message()));
        QCOMPARE(input.reopenCount(), 1);
        QCOMPARE(packetList(input), expected);
    }

    // The transcode's probe hands on the frames its interlace scan decoded, with their
    // decoder: those frames plus what that decoder goes on to decode (after the rewind,
    // skipping the packets it had) are exactly the frames of one decode from the start - none
    // lost, none twice - whether the packets were kept or the file opened again.
    void probeHandsOnItsFramesToTheTranscode_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("heavy");
        QTest::newRow("kept packets, B-frames") << "bframes.mp4" << false;
        QTest::newRow("opened again") << "heavy.mp4" << true;
    }
    void probeHandsOnItsFramesToTheTranscode() {
        QFETCH(QString, name);
        QFETCH(bool, heavy);
        const QString path = heavy ? m_dir.filePath(name)
                                   : clip(name, 4.0, {QStringLiteral("-bf"), QStringLiteral("3")});
        if (heavy && !QFile::exists(path))
            QVERIFY(makeClip(path, 3,
                             QStringLiteral("testsrc2=size=640x360:rate=25,noise=alls=60:allf=t"),
                             QStringLiteral("sine=frequency=440:sample_rate=48000"),
                             {QStringLiteral("-qp"), QStringLiteral("0")}));
        QVERIFY(!path.isEmpty());

        av::InputFile fresh;
        QVERIFY(fresh.open(path).isOk());
        const int index =
            av_find_best_stream(fresh.format(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
        av::Decoder whole;
        QVERIFY(whole.open(fresh.stream(index), path, 0).isOk());
        const QStringList expected = decodeRest(fresh, whole, index, 0);
        QVERIFY(expected.size() >= 75);

        av::InputFile input;
        QVERIFY(input.open(path).isOk());
        av::DecodedPrefix prefix;
        const StatusOr<MediaInfo> info = probeInput(input, &prefix);
        QVERIFY2(info.isOk(), qPrintable(info.status().message()));
        QVERIFY(prefix.isValid());
        QCOMPARE(prefix.streamIndex, index);
        QCOMPARE(int(prefix.frames.size()), info->video.scannedFrames);
        QCOMPARE(input.reopenCount(), heavy ? 1 : 0);
        QStringList frames;
        for (const av::FramePtr& f : prefix.frames)
            frames << frameId(f.get());
        frames += decodeRest(input, prefix.decoder, index, prefix.decoder.packetsSent());
        QCOMPARE(frames, expected);
    }

    void rewindAfterAFewPackets() {
        const QString path = clip(QStringLiteral("long.mp4"), 4.0);
        av::InputFile input;
        QVERIFY(input.open(path).isOk());
        av::InputFile fresh;
        QVERIFY(fresh.open(path).isOk());
        const QStringList expected = packetList(fresh);

        av::PacketPtr packet = av::makePacket();
        input.mark();
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(input.read(packet.get()), 0);
            av_packet_unref(packet.get());
        }
        QVERIFY(input.rewind().isOk());
        QCOMPARE(packetList(input), expected);
    }

    void openErrorsSayTheCause_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("words");
        QTest::newRow("missing") << QByteArray() << "file not found";
        QTest::newRow("empty") << QByteArray("") << "not a video file (the file is empty)";
        QTest::newRow("text") << QByteArray("just some words, not a video\n").repeated(50)
                              << "not a video file (FFmpeg does not recognise";
    }
    void openErrorsSayTheCause() {
        QFETCH(QByteArray, content);
        QFETCH(QString, words);
        const QString path = m_dir.filePath(
            QStringLiteral("bad-%1.mp4").arg(QString::fromUtf8(QTest::currentDataTag())));
        if (!content.isNull()) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        av::InputFile input;
        const Status s = input.open(path);
        QVERIFY(!s.isOk());
        QVERIFY(!input.isOpen());
        QVERIFY2(s.message().startsWith(path + QStringLiteral(": ")), qPrintable(s.message()));
        QVERIFY2(s.message().contains(words), qPrintable(s.message()));
    }

    void cancelBeforeOpenIsCancelled() {
        const std::atomic<bool> cancel{true};
        av::InputFile input;
        QVERIFY(input.open(clip(QStringLiteral("long.mp4"), 4.0), &cancel).isCancelled());
    }

    void decoderReadsEveryFrameWithinItsBudget() {
        const QString path = clip(QStringLiteral("short.mp4"), 1.0);
        av::InputFile input;
        QVERIFY(input.open(path).isOk());
        const int index =
            av_find_best_stream(input.format(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
        av::Decoder decoder;
        QVERIFY(decoder.open(input.stream(index), path, 2).isOk());
        av::FramePtr frame = av::makeFrame();
        int frames = 0, budget = 10000;
        while (decoder.nextFrame(input, frame.get(), &budget) >= 0) {
            ++frames;
            av_frame_unref(frame.get());
        }
        QCOMPARE(frames, 25);

        // With a budget of 5 packets the decoder is drained early: fewer frames, then the end.
        QVERIFY(input.seek(index, 0, AVSEEK_FLAG_BACKWARD) >= 0);
        decoder.flush();
        frames = 0;
        budget = 5;
        while (decoder.nextFrame(input, frame.get(), &budget) >= 0) {
            ++frames;
            av_frame_unref(frame.get());
        }
        QVERIFY2(frames <= 5, qPrintable(QString::number(frames)));
    }

    void graphWithTwoSinksAndRotation() {
        QCOMPARE(av::rotationFilter(0), std::string());
        QCOMPARE(av::rotationFilter(90), std::string("transpose=clock"));
        QCOMPARE(av::rotationFilter(180), std::string("hflip,vflip"));
        QCOMPARE(av::rotationFilter(270), std::string("transpose=cclock"));
        std::string chain;
        av::appendFilter(&chain, "");
        av::appendFilter(&chain, "null");
        av::appendFilter(&chain, av::rotationFilter(0));
        av::appendFilter(&chain, "format=yuv420p");
        QCOMPARE(chain, std::string("null,format=yuv420p"));

        av::FramePtr frame = av::makeFrame();
        frame->width = 320;
        frame->height = 180;
        frame->format = AV_PIX_FMT_YUV420P;
        frame->pts = 0;
        QCOMPARE(av_frame_get_buffer(frame.get(), 0), 0);
        QCOMPARE(av_frame_make_writable(frame.get()), 0);
        av::FilterGraph graph;
        const std::string filters =
            "[in]split=2[a][b];[a]null[out0];[b]" + av::rotationFilter(90) + "[out1]";
        const Status built =
            graph.initVideo(frame.get(), AVRational{1, 25}, AVRational{25, 1}, filters, 1, 2);
        QVERIFY2(built.isOk(), qPrintable(built.message()));
        QVERIFY(graph.push(frame.get()).isOk());
        QVERIFY(graph.push(nullptr).isOk());
        QList<QSize> sizes[2];
        for (int sink = 0; sink < 2; ++sink) {
            const Status pulled = graph.pullEach(
                frame.get(),
                [&](AVFrame* f) {
                    sizes[sink] << QSize(f->width, f->height);
                    return Status::ok();
                },
                sink);
            QVERIFY(pulled.isOk());
        }
        QCOMPARE(sizes[0], QList<QSize>{QSize(320, 180)});
        QCOMPARE(sizes[1], QList<QSize>{QSize(180, 320)});
    }
};

QTEST_GUILESS_MAIN(AvTest)
#include "tst_av.moc"
