// Shaping profiles: schedules, trace files and the named profiles.

#include "preview/ShapingProfile.h"

#include <QTest>

using namespace hlsforge::preview;

class TestShapingProfile : public QObject {
    Q_OBJECT
private slots:
    void stepSchedule();
    void sawtoothLoops();
    void builtInsByName();
    void traceCsv_data();
    void traceCsv();
};

void TestShapingProfile::stepSchedule() {
    const ShapingProfile p = ShapingProfile::builtIn(QStringLiteral("step down")).value();
    QCOMPARE(p.rateKbpsAt(0), 8000.0);
    QCOMPARE(p.rateKbpsAt(19.9), 8000.0);
    QCOMPARE(p.rateKbpsAt(20), 800.0);
    QCOMPARE(p.rateKbpsAt(1000), 800.0);
    QCOMPARE(p.nextChangeAfter(5), 15.0);
    QVERIFY(p.nextChangeAfter(25) < 0);
    QVERIFY(!p.isUnlimited());
    QVERIFY(ShapingProfile::unlimited().isUnlimited());
    QCOMPARE(ShapingProfile::unlimited().rateKbpsAt(3), 0.0);
    QCOMPARE(ShapingProfile::constant(1234).rateKbpsAt(99), 1234.0);
}

void TestShapingProfile::sawtoothLoops() {
    const ShapingProfile p = ShapingProfile::builtIn(QStringLiteral("Sawtooth")).value();
    QVERIFY(p.loop);
    QCOMPARE(p.rateKbpsAt(0), 6000.0);
    QVERIFY(qAbs(p.rateKbpsAt(29.5) - 600.0) < 1);
    QCOMPARE(p.rateKbpsAt(30.2), p.rateKbpsAt(0.2));
    QVERIFY(p.rateKbpsAt(10) < p.rateKbpsAt(5));
    QCOMPARE(p.nextChangeAfter(29.5), 0.5);
}

void TestShapingProfile::builtInsByName() {
    const QStringList expected = {QStringLiteral("Unlimited"), QStringLiteral("3G"),
                                  QStringLiteral("4G"),        QStringLiteral("Wi-Fi"),
                                  QStringLiteral("Step down"), QStringLiteral("Sawtooth")};
    QStringList names;
    for (const ShapingProfile& p : ShapingProfile::builtIns())
        names << p.name;
    QCOMPARE(names, expected);
    QVERIFY(ShapingProfile::builtIn(QStringLiteral("wi-fi")).isOk());
    QCOMPARE(ShapingProfile::builtIn(QStringLiteral("3g")).value().latencyMs, 150);
    const auto unknown = ShapingProfile::builtIn(QStringLiteral("5G"));
    QVERIFY(!unknown.isOk());
    QVERIFY(unknown.status().message().contains(QStringLiteral("Step down")));
}

void TestShapingProfile::traceCsv_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("ratesAt0_1_5"); // rates at t=0, 1 and 5 s
    QTest::newRow("plain") << QByteArray("0,1000\n2,500\n4,3000\n") << true << "1000,1000,3000";
    QTest::newRow("header and comments")
        << QByteArray("seconds,kbps\n# a comment\n0, 800\n1 ,1600\n") << true << "800,1600,1600";
    QTest::newRow("first time not zero") << QByteArray("3,700\n") << true << "700,700,700";
    QTest::newRow("crlf") << QByteArray("0,100\r\n1,200\r\n") << true << "100,200,200";
    QTest::newRow("descending") << QByteArray("0,100\n5,200\n2,300\n") << false << "";
    QTest::newRow("negative rate") << QByteArray("0,-5\n") << false << "";
    QTest::newRow("garbage line") << QByteArray("0,100\nfast\n") << false << "";
    QTest::newRow("empty") << QByteArray("") << false << "";
}

void TestShapingProfile::traceCsv() {
    QFETCH(QByteArray, text);
    QFETCH(bool, ok);
    QFETCH(QString, ratesAt0_1_5);
    const hlsforge::StatusOr<ShapingProfile> p =
        ShapingProfile::fromTraceCsv(text, QStringLiteral("t.csv"));
    QCOMPARE(p.isOk(), ok);
    if (!ok) {
        QVERIFY(p.status().message().startsWith(QStringLiteral("t.csv")));
        return;
    }
    const QString rates = QStringLiteral("%1,%2,%3")
                              .arg(p->rateKbpsAt(0))
                              .arg(p->rateKbpsAt(1))
                              .arg(p->rateKbpsAt(5));
    QCOMPARE(rates, ratesAt0_1_5);
}

QTEST_APPLESS_MAIN(TestShapingProfile)
#include "tst_shapingprofile.moc"
