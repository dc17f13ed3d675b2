// RFC 9110 Range decisions, row by row (cases after Go's net/http ServeContent tests and
// nginx's range.t), independent of any socket.

#include "preview/ByteRange.h"

#include <QTest>

using namespace hlsforge::preview;
using Kind = RangeDecision::Kind;

Q_DECLARE_METATYPE(RangeDecision::Kind)

namespace {

QString describe(const RangeDecision& d) {
    QStringList parts;
    for (const ByteRange& r : d.ranges)
        parts << QStringLiteral("%1-%2").arg(r.first).arg(r.last);
    return parts.join(QLatin1Char(','));
}

} // namespace

class TestByteRange : public QObject {
    Q_OBJECT
private slots:
    void decide_data();
    void decide();
    void ifRange_data();
    void ifRange();
    void contentRange();
};

void TestByteRange::decide_data() {
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("length");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("ranges");

    const qint64 n = 100;
    QTest::newRow("first five") << QByteArray("bytes=0-4") << n << Kind::Partial << "0-4";
    QTest::newRow("open end") << QByteArray("bytes=2-") << n << Kind::Partial << "2-99";
    QTest::newRow("suffix") << QByteArray("bytes=-5") << n << Kind::Partial << "95-99";
    QTest::newRow("end clamped") << QByteArray("bytes=5-1000") << n << Kind::Partial << "5-99";
    QTest::newRow("single first byte") << QByteArray("bytes=0-0") << n << Kind::Partial << "0-0";
    QTest::newRow("single last byte") << QByteArray("bytes=99-99") << n << Kind::Partial << "99-99";
    QTest::newRow("suffix = length") << QByteArray("bytes=-100") << n << Kind::Partial << "0-99";
    QTest::newRow("suffix > length") << QByteArray("bytes=-1000") << n << Kind::Partial << "0-99";
    QTest::newRow("whole as range") << QByteArray("bytes=0-99") << n << Kind::Partial << "0-99";
    QTest::newRow("unit case") << QByteArray("BYTES=0-4") << n << Kind::Partial << "0-4";
    QTest::newRow("spaces") << QByteArray(" bytes= 0-4 , 10-14 ") << n << Kind::Partial
                            << "0-4,10-14";
    QTest::newRow("two ranges") << QByteArray("bytes=0-4,10-14") << n << Kind::Partial
                                << "0-4,10-14";
    QTest::newRow("order kept") << QByteArray("bytes=10-14,0-4") << n << Kind::Partial
                                << "10-14,0-4";
    QTest::newRow("empty elements")
        << QByteArray("bytes=,0-4,,10-14,") << n << Kind::Partial << "0-4,10-14";
    QTest::newRow("one unsatisfiable of two")
        << QByteArray("bytes=0-4,200-300") << n << Kind::Partial << "0-4";
    QTest::newRow("start at length") << QByteArray("bytes=100-") << n << Kind::Unsatisfiable << "";
    QTest::newRow("start past end")
        << QByteArray("bytes=1000-2000") << n << Kind::Unsatisfiable << "";
    QTest::newRow("suffix zero") << QByteArray("bytes=-0") << n << Kind::Unsatisfiable << "";
    QTest::newRow("last < first") << QByteArray("bytes=5-1") << n << Kind::Unsatisfiable << "";
    QTest::newRow("all unsatisfiable")
        << QByteArray("bytes=100-,200-300") << n << Kind::Unsatisfiable << "";
    // Numbers past int64 saturate: no wrap-around into a negative or small value.
    QTest::newRow("u64 max end") << QByteArray("bytes=0-18446744073709551615") << n << Kind::Partial
                                 << "0-99";
    QTest::newRow("huge end") << QByteArray("bytes=0-99999999999999999999999999999") << n
                              << Kind::Partial << "0-99";
    QTest::newRow("huge start") << QByteArray("bytes=18446744073709551616-") << n
                                << Kind::Unsatisfiable << "";
    QTest::newRow("huge suffix") << QByteArray("bytes=-18446744073709551615") << n << Kind::Partial
                                 << "0-99";
    QTest::newRow("int64 max start") << QByteArray("bytes=9223372036854775807-9223372036854775807")
                                     << n << Kind::Unsatisfiable << "";
    QTest::newRow("nginx CVE-2017-7529 shape")
        << QByteArray("bytes=-9223372036854775808,0-10") << n << Kind::Ignore << "";
    // Several ranges that overlap or exceed the file: send the file.
    QTest::newRow("overlap") << QByteArray("bytes=0-50,40-60") << n << Kind::Ignore << "";
    QTest::newRow("adjacent overlap") << QByteArray("bytes=0-10,10-20") << n << Kind::Ignore << "";
    QTest::newRow("same range twice") << QByteArray("bytes=0-4,0-4") << n << Kind::Ignore << "";
    QTest::newRow("suffix overlaps") << QByteArray("bytes=90-,-20") << n << Kind::Ignore << "";
    QTest::newRow("many small") << QByteArray("bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,"
                                              "18-18,20-20,22-22,24-24,26-26,28-28,30-30")
                                << n << Kind::Partial
                                << "0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,18-18,20-20,22-22,"
                                   "24-24,26-26,28-28,30-30";
    QTest::newRow("over the range cap")
        << QByteArray("bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,18-18,20-20,22-22,24-24,"
                      "26-26,28-28,30-30,32-32")
        << n << Kind::Ignore << "";
    // Malformed: ignored, the whole file is sent.
    QTest::newRow("no ranges") << QByteArray("bytes=") << n << Kind::Ignore << "";
    QTest::newRow("only comma") << QByteArray("bytes=,") << n << Kind::Ignore << "";
    QTest::newRow("letters") << QByteArray("bytes=abc") << n << Kind::Ignore << "";
    QTest::newRow("double dash") << QByteArray("bytes=--6") << n << Kind::Ignore << "";
    QTest::newRow("three numbers") << QByteArray("bytes=1-2-3") << n << Kind::Ignore << "";
    QTest::newRow("just dash") << QByteArray("bytes=-") << n << Kind::Ignore << "";
    QTest::newRow("other unit") << QByteArray("items=0-1") << n << Kind::Ignore << "";
    QTest::newRow("no equals") << QByteArray("bytes 0-4") << n << Kind::Ignore << "";
    QTest::newRow("hex") << QByteArray("bytes=0x10-20") << n << Kind::Ignore << "";
    QTest::newRow("plus sign") << QByteArray("bytes=+1-2") << n << Kind::Ignore << "";
    QTest::newRow("negative start") << QByteArray("bytes=-1-2") << n << Kind::Ignore << "";
    QTest::newRow("one bad of two") << QByteArray("bytes=0-4,x-9") << n << Kind::Ignore << "";
    QTest::newRow("empty header") << QByteArray("") << n << Kind::Ignore << "";
    QTest::newRow("empty file") << QByteArray("bytes=0-4") << qint64(0) << Kind::Ignore << "";
}

void TestByteRange::decide() {
    QFETCH(QByteArray, header);
    QFETCH(qint64, length);
    QFETCH(Kind, kind);
    QFETCH(QString, ranges);
    const RangeDecision d =
        decideRanges(std::string_view(header.constData(), header.size()), length);
    QCOMPARE(d.kind, kind);
    QCOMPARE(describe(d), ranges);
}

void TestByteRange::ifRange_data() {
    QTest::addColumn<QByteArray>("ifRange");
    QTest::addColumn<bool>("matches");
    QTest::newRow("absent") << QByteArray() << true;
    QTest::newRow("same etag") << QByteArray("\"abc-1\"") << true;
    QTest::newRow("other etag") << QByteArray("\"abc-2\"") << false;
    QTest::newRow("weak etag") << QByteArray("W/\"abc-1\"") << false;
    QTest::newRow("same date") << QByteArray("Tue, 24 Nov 2026 10:00:00 GMT") << true;
    QTest::newRow("other date") << QByteArray("Tue, 24 Nov 2026 10:00:01 GMT") << false;
    QTest::newRow("garbage") << QByteArray("yesterday") << false;
}

void TestByteRange::ifRange() {
    QFETCH(QByteArray, ifRange);
    QFETCH(bool, matches);
    QCOMPARE(ifRangeMatches(ifRange.toStdString(), "\"abc-1\"", "Tue, 24 Nov 2026 10:00:00 GMT"),
             matches);
}

void TestByteRange::contentRange() {
    QCOMPARE(contentRangeValue({0, 4}, 100), QByteArray("bytes 0-4/100"));
    QCOMPARE(contentRangeValue({95, 99}, 100), QByteArray("bytes 95-99/100"));
}

QTEST_APPLESS_MAIN(TestByteRange)
#include "tst_byterange.moc"
