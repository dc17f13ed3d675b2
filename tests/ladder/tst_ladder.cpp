// Ladder JSON, validation messages, presets and resolution against a source.

#include "ladder/Ladder.h"
#include "ladder/Presets.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge;

class LadderTest : public QObject {
    Q_OBJECT
private slots:
    void parsesTheDocumentedExample() {
        const QByteArray json =
            R"({"segmentSeconds": 6, "segmentFormat": "ts", "x264Preset": "veryfast", "audioKbps": 128,
            "renditions": [{"height": 1080, "videoKbps": 5000},
                           {"height": 720, "videoKbps": 3000, "maxKbps": 3300, "name": "720p"}]})";
        StatusOr<Ladder> ladder = Ladder::fromJsonBytes(json, QStringLiteral("example.json"));
        QVERIFY2(ladder.isOk(), qPrintable(ladder.status().message()));
        QCOMPARE(ladder->segmentSeconds, 6.0);
        QCOMPARE(ladder->segmentFormat, SegmentFormat::Ts);
        QCOMPARE(ladder->x264Preset, QStringLiteral("veryfast"));
        QCOMPARE(ladder->audioKbps, 128);
        QCOMPARE(ladder->renditions.size(), 2);
        QCOMPARE(ladder->renditions[0].height, 1080);
        QCOMPARE(ladder->renditions[0].effectiveMaxKbps(), 5500);
        QCOMPARE(ladder->renditions[1].maxKbps, 3300);
        QCOMPARE(ladder->renditions[1].name, QStringLiteral("720p"));
    }

    void segmentFormats_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format");
        QTest::newRow("ts") << "ts" << int(SegmentFormat::Ts);
        QTest::newRow("fmp4") << "fmp4" << int(SegmentFormat::Fmp4);
        QTest::newRow("ts-byterange") << "ts-byterange" << int(SegmentFormat::TsByteRange);
        QTest::newRow("fmp4-byterange") << "fmp4-byterange" << int(SegmentFormat::Fmp4ByteRange);
    }
    void segmentFormats() {
        QFETCH(QString, name);
        QFETCH(int, format);
        const QByteArray json = "{\"segmentFormat\":\"" + name.toUtf8() +
                                "\",\"renditions\":[{\"height\":360,\"videoKbps\":600}]}";
        StatusOr<Ladder> ladder = Ladder::fromJsonBytes(json, QStringLiteral("f.json"));
        QVERIFY2(ladder.isOk(), qPrintable(ladder.status().message()));
        QCOMPARE(int(ladder->segmentFormat), format);
        QCOMPARE(segmentFormatName(ladder->segmentFormat), name);
    }

    void invalidLaddersNameTheField_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        const QByteArray rung = R"("renditions":[{"height":360,"videoKbps":600}])";
        QTest::newRow("not json") << QByteArray("{nope") << "not valid JSON";
        QTest::newRow("no renditions") << QByteArray(R"({"segmentSeconds":6})") << "renditions:";
        QTest::newRow("empty renditions") << QByteArray(R"({"renditions":[]})") << "renditions:";
        QTest::newRow("segment too long")
            << QByteArray("{\"segmentSeconds\":90," + rung + "}") << "segmentSeconds:";
        QTest::newRow("segment string")
            << QByteArray("{\"segmentSeconds\":\"6\"," + rung + "}") << "segmentSeconds:";
        QTest::newRow("format") << QByteArray("{\"segmentFormat\":\"mkv\"," + rung + "}")
                                << "segmentFormat:";
        QTest::newRow("preset") << QByteArray("{\"x264Preset\":\"warp\"," + rung + "}")
                                << "x264Preset:";
        QTest::newRow("audio") << QByteArray("{\"audioKbps\":8," + rung + "}") << "audioKbps:";
        QTest::newRow("odd height")
            << QByteArray(R"({"renditions":[{"height":361,"videoKbps":600}]})")
            << "renditions[0].height:";
        QTest::newRow("tiny height")
            << QByteArray(R"({"renditions":[{"height":20,"videoKbps":600}]})")
            << "renditions[0].height:";
        QTest::newRow("missing kbps")
            << QByteArray(R"({"renditions":[{"height":360}]})") << "renditions[0].videoKbps:";
        QTest::newRow("fractional height")
            << QByteArray(R"({"renditions":[{"height":360.5,"videoKbps":600}]})")
            << "renditions[0].height:";
        QTest::newRow("max below avg")
            << QByteArray(
                   R"({"renditions":[{"height":360,"videoKbps":600},{"height":240,"videoKbps":400,"maxKbps":300}]})")
            << "renditions[1].maxKbps:";
        QTest::newRow("duplicate name")
            << QByteArray(
                   R"({"renditions":[{"height":360,"videoKbps":600},{"height":360,"videoKbps":400}]})")
            << "renditions[1].name:";
        QTest::newRow("bad name")
            << QByteArray(R"({"renditions":[{"height":360,"videoKbps":600,"name":"../x"}]})")
            << "renditions[0].name:";
        QTest::newRow("typo field")
            << QByteArray(R"({"renditions":[{"height":360,"videoKbs":600}]})")
            << "renditions[0].videoKbs:";
        QTest::newRow("progressive rung missing")
            << QByteArray("{\"progressive\":\"999p\"," + rung + "}") << "progressive:";
        QTest::newRow("progressive wrong type")
            << QByteArray("{\"progressive\":7," + rung + "}") << "progressive:";
        QTest::newRow("player scripts")
            << QByteArray("{\"playerScripts\":\"maybe\"," + rung + "}") << "playerScripts:";
        QTest::newRow("unknown top")
            << QByteArray("{\"segmentSecs\":4," + rung + "}") << "segmentSecs:";
        QTest::newRow("tone map") << QByteArray("{\"toneMap\":\"reinhard\"," + rung + "}")
                                  << "toneMap: unknown tone map \"reinhard\"";
        QTest::newRow("thumbnails type") << QByteArray("{\"thumbnails\":\"no\"," + rung + "}")
                                         << "thumbnails: must be true or false";
        QTest::newRow("tone map type")
            << QByteArray("{\"toneMap\":true," + rung + "}") << "toneMap: must be a string";
    }
    void invalidLaddersNameTheField() {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        StatusOr<Ladder> ladder = Ladder::fromJsonBytes(json, QStringLiteral("bad.json"));
        QVERIFY(!ladder.isOk());
        QCOMPARE(ladder.status().code(), Status::Code::InvalidArgument);
        QVERIFY2(ladder.status().message().contains(field), qPrintable(ladder.status().message()));
        QVERIFY2(ladder.status().message().startsWith(QStringLiteral("bad.json: ")),
                 qPrintable(ladder.status().message()));
    }

    void savesAndLoadsTheSameLadder() {
        QTemporaryDir dir;
        Ladder ladder = findLadderPreset(QStringLiteral("apple"))->ladder;
        ladder.segmentFormat = SegmentFormat::Fmp4ByteRange;
        ladder.segmentSeconds = 4;
        ladder.renditions[0].maxKbps = 9000;
        ladder.progressive = true;
        ladder.progressiveRung = QStringLiteral("720p");
        ladder.playerScripts = QStringLiteral("self-contained");
        ladder.toneMap = QStringLiteral("hable");
        ladder.thumbnails = false;
        const QString path = dir.filePath(QStringLiteral("ladder.json"));
        QVERIFY(ladder.save(path).isOk());
        StatusOr<Ladder> loaded = Ladder::load(path);
        QVERIFY2(loaded.isOk(), qPrintable(loaded.status().message()));
        QCOMPARE(QJsonDocument(loaded->toJson()).toJson(), QJsonDocument(ladder.toJson()).toJson());
        QCOMPARE(loaded->toneMap, QStringLiteral("hable"));
        QVERIFY(!loaded->thumbnails);
        QCOMPARE(loaded->toJson().value(QStringLiteral("thumbnails")), QJsonValue(false));
        // On by default, and then not written.
        QVERIFY(Ladder().thumbnails);
        QVERIFY(!Ladder().toJson().contains(QStringLiteral("thumbnails")));
    }

    void presetsAreValid() {
        QVERIFY(ladderPresets().size() >= 3);
        for (const LadderPreset& p : ladderPresets())
            QVERIFY2(p.ladder.validate().isOk(), qPrintable(p.name));
        const Ladder apple = findLadderPreset(QStringLiteral("apple"))->ladder;
        QCOMPARE(apple.renditions.size(), 9);
        QVERIFY(findLadderPreset(QStringLiteral("web")));
        QVERIFY(findLadderPreset(QStringLiteral("mobile")));
        QVERIFY(!loadLadderSpec(QStringLiteral("no-such-preset")).isOk());
    }

    void gopDividesTheSegment() {
        Ladder l;
        l.segmentSeconds = 6;
        QCOMPARE(l.gopSeconds(), 2.0);
        l.segmentSeconds = 4;
        QCOMPARE(l.gopSeconds(), 2.0);
        l.segmentSeconds = 1;
        QCOMPARE(l.gopSeconds(), 1.0);
        l.segmentSeconds = 5;
        QVERIFY(qAbs(l.gopSeconds() * 3 - 5) < 1e-9);
    }

    void resolveNeverUpscales() {
        const Ladder web = findLadderPreset(QStringLiteral("web"))->ladder;
        QVector<ResolvedRendition> rungs = resolveRenditions(web, 1280, 720);
        QCOMPARE(rungs.size(), 3); // 1080p dropped
        QCOMPARE(rungs[0].height, 720);
        QCOMPARE(rungs[0].width, 1280);
        QCOMPARE(rungs[1].width, 854); // 480 * 16/9 = 853.3 -> even
        for (const ResolvedRendition& r : rungs) {
            QCOMPARE(r.width % 2, 0);
            QCOMPARE(r.height % 2, 0);
        }
    }

    void resolveKeepsOneRungForTinySources() {
        const Ladder web = findLadderPreset(QStringLiteral("web"))->ladder;
        QVector<ResolvedRendition> rungs = resolveRenditions(web, 321, 241);
        QCOMPARE(rungs.size(), 1);
        QCOMPARE(rungs[0].height, 240);
        QCOMPARE(rungs[0].width % 2, 0);
        QVERIFY(rungs[0].width <= 322);
    }

    void resolvePortraitUsesTheShortSide() {
        const Ladder web = findLadderPreset(QStringLiteral("web"))->ladder;
        QVector<ResolvedRendition> rungs = resolveRenditions(web, 1080, 1920);
        QCOMPARE(rungs.size(), 4);
        QCOMPARE(rungs[0].width, 1080);
        QCOMPARE(rungs[0].height, 1920);
        QCOMPARE(rungs[1].width, 720);
        QCOMPARE(rungs[1].height, 1280);
    }
};

QTEST_GUILESS_MAIN(LadderTest)
#include "tst_ladder.moc"
