// The app's side of quality measurement: the ladder editor's checkbox sets the ladder's
// measureQuality (and follows a loaded ladder), and the details pane's chart draws what it is
// given — a bar per rung, a step per segment of the chosen rung — and hides when there is
// nothing measured.

#include "QualityChart.h"
#include "GuiResources.h"
#include "LadderEditor.h"

#include "ladder/Presets.h"

#include <QCheckBox>
#include <QComboBox>
#include <QtTest>

#include <limits>

using namespace hlsforge;
using namespace hlsforge::gui;

namespace {

quality::RenditionQuality rung(const QString& name, int height, double psnr, int segments) {
    quality::RenditionQuality r;
    r.name = name;
    r.height = height;
    r.width = height * 16 / 9;
    r.overall.frames = segments * 60;
    r.overall.psnrAverage = psnr;
    r.overall.ssimAll = 0.9 + psnr / 1000;
    for (int i = 0; i < segments; ++i) {
        quality::SegmentQuality s;
        s.startSeconds = i * 2.0;
        s.durationSeconds = 2.0;
        s.quality.frames = 60;
        s.quality.psnrAverage = psnr + (i % 2 ? 1 : -1);
        s.quality.ssimAll = 0.95;
        r.segments.append(s);
    }
    return r;
}

} // namespace

class QualityChartTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { initResources(); }

    void checkboxSetsTheLadderField() {
        LadderEditor editor;
        auto* box = editor.findChild<QCheckBox*>(QStringLiteral("measureQuality"));
        QVERIFY(box);
        QVERIFY(!box->isChecked());
        QVERIFY(!editor.ladder().measureQuality);
        box->click();
        QVERIFY(editor.ladder().measureQuality);
        QVERIFY(editor.ladder().toJson().value(QStringLiteral("measureQuality")).toBool());
        Ladder loaded = editor.ladder();
        loaded.measureQuality = false;
        editor.setLadder(loaded, QStringLiteral("custom"));
        QVERIFY(!box->isChecked());
        loaded.measureQuality = true;
        editor.setLadder(loaded, QStringLiteral("custom"));
        QVERIFY(box->isChecked());
    }

    // The seek thumbnails' checkbox ("Trick play"): on by default, sets and follows "thumbnails".
    void thumbnailsCheckboxSetsTheLadderField() {
        LadderEditor editor;
        auto* box = editor.findChild<QCheckBox*>(QStringLiteral("thumbnails"));
        QVERIFY(box);
        QVERIFY(box->isChecked());
        QVERIFY(editor.ladder().thumbnails);
        box->click();
        QVERIFY(!editor.ladder().thumbnails);
        QCOMPARE(editor.ladder().toJson().value(QStringLiteral("thumbnails")), QJsonValue(false));
        Ladder loaded = editor.ladder();
        loaded.thumbnails = true;
        editor.setLadder(loaded, QStringLiteral("custom"));
        QVERIFY(box->isChecked());
    }

    void chartDrawsRungsAndSegments() {
        QWidget pane; // the details dock, shown
        auto* chartWidget = new QualityChart(&pane);
        QualityChart& chart = *chartWidget;
        pane.show();
        QVERIFY(!chart.isVisible()); // nothing measured yet
        chart.setQuality({rung(QStringLiteral("720p"), 720, 41.5, 5),
                          rung(QStringLiteral("480p"), 480, 38.0, 5),
                          rung(QStringLiteral("360p"), 360, 35.2, 4)});
        QVERIFY(chart.isVisible());
        QCOMPARE(chart.rungBarCount(), 3);
        QCOMPARE(chart.currentRung(), QStringLiteral("720p"));
        QCOMPARE(chart.segmentPointCount(), 2 * 5); // a step (two points) per segment
        chart.showRung(QStringLiteral("360p"));
        QCOMPARE(chart.segmentPointCount(), 2 * 4);
        auto* combo = chart.findChild<QComboBox*>(QStringLiteral("qualityRung"));
        QVERIFY(combo);
        QCOMPARE(combo->count(), 3);
        // New figures keep the chosen rung when they have it.
        chart.setQuality({rung(QStringLiteral("720p"), 720, 40.0, 3),
                          rung(QStringLiteral("360p"), 360, 33.0, 3)});
        QCOMPARE(chart.currentRung(), QStringLiteral("360p"));
        QCOMPARE(chart.segmentPointCount(), 2 * 3);
        // Identical pictures (infinite PSNR) draw at the top instead of breaking the axis.
        chart.setQuality(
            {rung(QStringLiteral("720p"), 720, std::numeric_limits<double>::infinity(), 2)});
        QCOMPARE(chart.rungBarCount(), 1);
        chart.setQuality({});
        QVERIFY(!chart.isVisible());
        QCOMPARE(chart.rungBarCount(), 0);
    }
};

QTEST_MAIN(QualityChartTest)
#include "qualityChartTest.moc"
