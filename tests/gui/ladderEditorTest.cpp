// LadderEditor and LadderModel: presets, rung editing, JSON round trips through the same
// files the CLI reads, and invalid edits refused or explained.

#include "LadderEditor.h"
#include "GuiResources.h"
#include "LadderModel.h"

#include "ladder/Presets.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace hlsforge;
using namespace hlsforge::gui;

class LadderEditorTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }

    void presetsApply() {
        LadderEditor editor;
        for (const LadderPreset& preset : ladderPresets()) {
            QVERIFY(editor.applyPreset(preset.name));
            QCOMPARE(editor.ladderName(), preset.name);
            QCOMPARE(editor.ladder().toJson(), preset.ladder.toJson());
            QCOMPARE(editor.model()->rowCount(), int(preset.ladder.renditions.size()));
            QVERIFY(editor.validationMessage().isEmpty());
        }
        QVERIFY(!editor.applyPreset(QStringLiteral("no-such-preset")));
    }

    void editsRoundTripThroughJson() {
        QTemporaryDir dir;
        LadderEditor editor;
        QSignalSpy changed(&editor, &LadderEditor::ladderChanged);
        editor.applyPreset(QStringLiteral("web"));
        LadderModel* model = editor.model();
        QVERIFY(model->setData(model->index(1, LadderModel::NameColumn), QStringLiteral("mid"),
                               Qt::EditRole));
        QVERIFY(model->setData(model->index(1, LadderModel::HeightColumn), 540, Qt::EditRole));
        QVERIFY(model->setData(model->index(1, LadderModel::VideoKbpsColumn),
                               QStringLiteral("2500"), Qt::EditRole));
        QVERIFY(model->setData(model->index(1, LadderModel::MaxKbpsColumn), 3200, Qt::EditRole));
        model->setSegmentSeconds(4);
        model->setSegmentFormat(SegmentFormat::Fmp4);
        model->setX264Preset(QStringLiteral("fast"));
        model->setAudioKbps(96);
        model->setProgressive(true, QStringLiteral("mid"));
        model->setPlayerPage(true);
        model->setPlayerScripts(QStringLiteral("self-contained"));
        QVERIFY(changed.count() >= 10);
        QCOMPARE(editor.ladderName(), QStringLiteral("custom")); // edited presets are not presets
        QVERIFY2(editor.validationMessage().isEmpty(), qPrintable(editor.validationMessage()));
        QCOMPARE(model->data(model->index(1, LadderModel::SizeColumn), Qt::DisplayRole).toString(),
                 QStringLiteral("960×540"));

        const QString path = dir.filePath(QStringLiteral("ladder.json"));
        QVERIFY(editor.saveToFile(path).isOk());
        // The CLI's reader sees exactly what the editor shows.
        const StatusOr<Ladder> cliView = loadLadderSpec(path);
        QVERIFY2(cliView.isOk(), qPrintable(cliView.status().message()));
        QCOMPARE(cliView->toJson(), editor.ladder().toJson());
        QCOMPARE(cliView->renditions[1].name, QStringLiteral("mid"));
        QCOMPARE(cliView->renditions[1].height, 540);
        QCOMPARE(cliView->renditions[1].videoKbps, 2500);
        QCOMPARE(cliView->renditions[1].maxKbps, 3200);
        QCOMPARE(cliView->segmentFormat, SegmentFormat::Fmp4);
        QCOMPARE(cliView->segmentSeconds, 4.0);
        QCOMPARE(cliView->x264Preset, QStringLiteral("fast"));
        QCOMPARE(cliView->audioKbps, 96);
        QVERIFY(cliView->progressive);
        QCOMPARE(cliView->progressiveRung, QStringLiteral("mid"));
        QCOMPARE(cliView->playerScripts, QStringLiteral("self-contained"));

        LadderEditor second;
        QVERIFY(second.loadFromFile(path).isOk());
        QCOMPARE(second.ladder().toJson(), editor.ladder().toJson());
        QCOMPARE(second.model()->rowCount(), 4);
    }

    // Add puts the rung next to the selected one, between it and its neighbour.
    void newRungGoesBetweenNeighbours() {
        LadderEditor editor;
        editor.applyPreset(QStringLiteral("web")); // 1080p 5000, 720p 3000, 480p 1200, 360p 600
        QTableView* table = editor.rungTable();
        table->setCurrentIndex(editor.model()->index(3, 0)); // the smallest: goes above it
        editor.addRung();
        const QVector<Rendition>& rungs = editor.ladder().renditions;
        QCOMPARE(rungs.size(), 5);
        QCOMPARE(rungs[3].height, 416);
        QCOMPARE(rungs[3].videoKbps, 850);
        QCOMPARE(table->currentIndex().row(), 3);
        table->setCurrentIndex(editor.model()->index(0, 0)); // the largest: goes below it
        editor.addRung();
        QCOMPARE(editor.ladder().renditions[1].height, 882);
        QCOMPARE(editor.ladder().renditions[1].videoKbps, 3850);
        QVERIFY2(editor.validationMessage().isEmpty(), qPrintable(editor.validationMessage()));
    }

    // A preset over edited rungs asks first; "no" keeps the edits.
    void presetAsksBeforeReplacingCustomRungs() {
        LadderEditor editor;
        int asked = 0;
        bool answer = false;
        editor.setReplaceConfirmation([&](const QString& preset) {
            ++asked;
            return preset == QStringLiteral("mobile") && answer;
        });
        editor.applyPreset(QStringLiteral("web"));
        QVERIFY(editor.choosePreset(QStringLiteral("mobile"))); // untouched preset: no question
        QCOMPARE(asked, 0);
        LadderModel* model = editor.model();
        QVERIFY(model->setData(model->index(0, LadderModel::VideoKbpsColumn), 2000, Qt::EditRole));
        const QJsonObject edited = editor.ladder().toJson();
        QCOMPARE(editor.ladderName(), QStringLiteral("custom"));
        QVERIFY(!editor.choosePreset(QStringLiteral("mobile")));
        QCOMPARE(asked, 1);
        QCOMPARE(editor.ladder().toJson(), edited);
        QCOMPARE(editor.ladderName(), QStringLiteral("custom"));
        answer = true;
        QVERIFY(editor.choosePreset(QStringLiteral("mobile")));
        QCOMPARE(asked, 2);
        QCOMPARE(editor.ladderName(), QStringLiteral("mobile"));
        QCOMPARE(editor.ladder().toJson(),
                 findLadderPreset(QStringLiteral("mobile"))->ladder.toJson());
    }

    void addDuplicateRemove() {
        LadderEditor editor;
        editor.applyPreset(QStringLiteral("mobile"));
        LadderModel* model = editor.model();
        // Nothing selected: the new rung goes into the widest step (720p → 480p), at the
        // geometric middle of size and bitrate, not below the smallest rung.
        const int added = model->addRung();
        QCOMPARE(added, 1);
        QCOMPARE(model->ladder().renditions[added].height, 588);
        QCOMPARE(model->ladder().renditions[added].videoKbps, 1250);
        const int copy = model->duplicateRung(0);
        QCOMPARE(copy, 1);
        QCOMPARE(model->ladder().renditions[copy].name, QStringLiteral("720p-2"));
        QCOMPARE(model->rowCount(), 6);
        QVERIFY2(editor.validationMessage().isEmpty(), qPrintable(editor.validationMessage()));
        model->removeRung(copy);
        model->removeRung(added);
        QCOMPARE(model->ladder().toJson(),
                 findLadderPreset(QStringLiteral("mobile"))->ladder.toJson());
    }

    void widthFollowsReferencePicture() {
        LadderEditor editor;
        editor.applyPreset(QStringLiteral("web"));
        LadderModel* model = editor.model();
        editor.setReferenceSize(QSize(1080, 1920), QStringLiteral("phone.mp4")); // portrait
        QCOMPARE(model->data(model->index(1, LadderModel::SizeColumn), Qt::DisplayRole).toString(),
                 QStringLiteral("720×1280"));
        editor.setReferenceSize({}, {}); // back to 16:9
        QCOMPARE(model->data(model->index(1, LadderModel::SizeColumn), Qt::DisplayRole).toString(),
                 QStringLiteral("1280×720"));
    }

    // Values that cannot be numbers are refused outright; representable but wrong values
    // are kept (so the user can fix them) and explained by the validation line.
    void invalidEditsRefused_data() {
        QTest::addColumn<int>("column");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("explanation"); // part of the validation line
        QTest::newRow("odd height") << int(LadderModel::HeightColumn) << QVariant(721) << true
                                    << QStringLiteral("Rung 2 (721p): height must be even");
        QTest::newRow("tiny height") << int(LadderModel::HeightColumn) << QVariant(32) << true
                                     << QStringLiteral("between 64 and 4320");
        QTest::newRow("low bitrate") << int(LadderModel::VideoKbpsColumn) << QVariant(10) << true
                                     << QStringLiteral("video kb/s must be between 50");
        QTest::newRow("max below average") << int(LadderModel::MaxKbpsColumn) << QVariant(1000)
                                           << true << QStringLiteral("max kb/s must not be below");
        QTest::newRow("duplicate name")
            << int(LadderModel::NameColumn) << QVariant(QStringLiteral("1080p")) << true
            << QStringLiteral("is used twice");
        QTest::newRow("unsafe name")
            << int(LadderModel::NameColumn) << QVariant(QStringLiteral("../x")) << true
            << QStringLiteral("letters, digits");
        QTest::newRow("text as height") << int(LadderModel::HeightColumn)
                                        << QVariant(QStringLiteral("tall")) << false << QString();
        QTest::newRow("negative bitrate")
            << int(LadderModel::VideoKbpsColumn) << QVariant(-5) << false << QString();
        QTest::newRow("fractional height")
            << int(LadderModel::HeightColumn) << QVariant(720.5) << false << QString();
    }

    void invalidEditsRefused() {
        QFETCH(int, column);
        QFETCH(QVariant, value);
        QFETCH(bool, accepted);
        QFETCH(QString, explanation);
        QTemporaryDir dir;
        LadderEditor editor;
        editor.applyPreset(QStringLiteral("web"));
        const QJsonObject before = editor.ladder().toJson();
        LadderModel* model = editor.model();
        QCOMPARE(model->setData(model->index(1, column), value, Qt::EditRole), accepted);
        if (!accepted) {
            QCOMPARE(editor.ladder().toJson(), before);
            QVERIFY(editor.validationMessage().isEmpty());
            return;
        }
        QVERIFY(!editor.validation().isOk());
        QVERIFY2(editor.validationMessage().contains(explanation),
                 qPrintable(editor.validationMessage()));
        // An invalid ladder is never written where the CLI would pick it up.
        const QString path = dir.filePath(QStringLiteral("bad.json"));
        QVERIFY(!editor.saveToFile(path).isOk());
        QVERIFY(!QFile::exists(path));
    }

    void invalidSharedSettingsExplained() {
        LadderEditor editor;
        editor.applyPreset(QStringLiteral("web"));
        editor.model()->setSegmentSeconds(0.5);
        QVERIFY2(editor.validationMessage().startsWith(
                     QStringLiteral("Segment duration must be between 1 and 30")),
                 qPrintable(editor.validationMessage()));
        editor.model()->setSegmentSeconds(6);
        editor.model()->setAudioKbps(8);
        QVERIFY2(editor.validationMessage().startsWith(QStringLiteral("Audio kb/s")),
                 qPrintable(editor.validationMessage()));
        editor.model()->setAudioKbps(128);
        while (editor.model()->rowCount() > 0)
            editor.model()->removeRung(0);
        QVERIFY2(editor.validationMessage().contains(QStringLiteral("at least one")),
                 qPrintable(editor.validationMessage()));
    }

    // The codec column edits through a list; HEVC/AV1 in TS are explained on the rung; each
    // encoder's speed setting is live only while a rung uses that encoder.
    void codecColumn() {
        LadderEditor editor;
        editor.applyPreset(QStringLiteral("web"));
        editor.show();
        auto* x265 = editor.findChild<QComboBox*>(QStringLiteral("x265Preset"));
        auto* svt = editor.findChild<QSpinBox*>(QStringLiteral("svtAv1Preset"));
        QVERIFY(x265 && svt);
        QVERIFY(!x265->isEnabled());
        QVERIFY(!svt->isEnabled());
        auto* table = editor.findChild<QTableView*>();
        QVERIFY(table);
        const QModelIndex cell = editor.model()->index(1, LadderModel::CodecColumn);
        QCOMPARE(cell.data().toString(), QStringLiteral("H.264"));
        table->setCurrentIndex(cell);
        table->edit(cell);
        auto* combo = table->findChild<QComboBox*>();
        QVERIFY(combo);
        QCOMPARE(combo->count(), 5); // H.264, HEVC, AV1, HEVC HDR, AV1 HDR
        combo->setCurrentIndex(combo->findData(QStringLiteral("hevc")));
        QTest::keyClick(combo, Qt::Key_Return); // commits like a user's choice
        QTRY_COMPARE(editor.ladder().renditions[1].codec, VideoCodec::Hevc);
        QCOMPARE(cell.data().toString(), QStringLiteral("HEVC"));
        QVERIFY(x265->isEnabled());
        QVERIFY2(editor.validationMessage().startsWith(
                     QStringLiteral("Rung 2 (720p-hevc): codec HEVC needs fMP4 segments")),
                 qPrintable(editor.validationMessage()));
        editor.model()->setSegmentFormat(SegmentFormat::Fmp4);
        QVERIFY2(editor.validationMessage().isEmpty(), qPrintable(editor.validationMessage()));
        QVERIFY(!editor.model()->setData(cell, QStringLiteral("vp9"), Qt::EditRole));
        QVERIFY(editor.model()->setData(cell, QStringLiteral("av1"), Qt::EditRole));
        QVERIFY(svt->isEnabled());
        QVERIFY(!x265->isEnabled());
        svt->setValue(8);
        QCOMPARE(editor.ladder().svtAv1Preset, 8);
        // HDR: HEVC or AV1 only, and never every rung (an SDR variant is required).
        QVERIFY(!editor.model()->setData(cell, QStringLiteral("h264-hdr"), Qt::EditRole));
        QVERIFY(editor.model()->setData(cell, QStringLiteral("hevc-hdr"), Qt::EditRole));
        QVERIFY(editor.ladder().renditions[1].hdr);
        QCOMPARE(editor.ladder().renditions[1].codec, VideoCodec::Hevc);
        QCOMPARE(cell.data().toString(), QStringLiteral("HEVC HDR"));
        QCOMPARE(cell.data(Qt::EditRole).toString(), QStringLiteral("hevc-hdr"));
        QVERIFY2(editor.validationMessage().isEmpty(), qPrintable(editor.validationMessage()));
        for (int row = 0; row < editor.model()->rowCount(); ++row)
            editor.model()->setData(editor.model()->index(row, LadderModel::CodecColumn),
                                    QStringLiteral("av1-hdr"), Qt::EditRole);
        QVERIFY2(editor.validationMessage().contains(QStringLiteral("add at least one SDR rung")),
                 qPrintable(editor.validationMessage()));
        QVERIFY(editor.model()->setData(cell, QStringLiteral("h264"), Qt::EditRole));
        QVERIFY(!editor.ladder().renditions[1].hdr);
    }

    void progressiveRungMustExist() {
        LadderEditor editor;
        editor.applyPreset(QStringLiteral("web"));
        editor.model()->setProgressive(true, QStringLiteral("720p"));
        QVERIFY(editor.validationMessage().isEmpty());
        editor.model()->removeRung(1); // the 720p rung
        QVERIFY2(editor.validationMessage().startsWith(QStringLiteral("Progressive MP4: ")),
                 qPrintable(editor.validationMessage()));
    }

    void brokenJsonFileIsRefused() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"renditions": [{"height": 720}]})");
        file.close();
        LadderEditor editor;
        editor.applyPreset(QStringLiteral("mobile"));
        const Status status = editor.loadFromFile(path);
        QVERIFY(!status.isOk());
        QVERIFY2(status.message().contains(QStringLiteral("videoKbps")),
                 qPrintable(status.message()));
        QCOMPARE(editor.ladderName(), QStringLiteral("mobile")); // unchanged
    }
};

QTEST_MAIN(LadderEditorTest)
#include "ladderEditorTest.moc"
