// Subtitles through the gst engine (qoe::GstPlayerBackend: playbin3 + hlsdemux2) under a
// PlaybackSession, offscreen and without a sound card: the ladder's subtitle renditions are
// listed as text tracks with their languages, and after choosing French the text shown is the
// French cue (accents intact from a Windows-1252 sidecar) while the position is inside that cue
// (±0.5 s of its start); "Off" shows nothing during the next French cue.

#include "TestMedia.h"

#include "preview/ShapedFileServer.h"
#include "qoe/GstPlayerBackend.h"
#include "qoe/PlaybackSession.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge;

class TestGstSubtitles : public QObject {
    Q_OBJECT
private slots:
    void frenchCueAtItsTime() {
        QTemporaryDir dir;
        QString error;
        const QString ladder = test::makeSubtitleLadder(dir.path(), &error);
        QVERIFY2(!ladder.isEmpty(), qPrintable(error));
        preview::ShapedFileServer server(ladder);
        const Status started = server.start();
        QVERIFY2(started.isOk(), qPrintable(started.message()));

        qoe::PlaybackSession session(&server, qoe::PlaybackEngine::Gst, {});
        struct Shown {
            qint64 positionMs;
            QString text;
        };
        QVector<Shown> shown;
        connect(&session, &qoe::PlaybackSession::subtitleTextChanged, this,
                [&](const QString& text) {
                    shown.append({session.positionMs(), text});
                });
        QSignalSpy errors(&session, &qoe::PlaybackSession::errorOccurred);
        QSignalSpy ended(&session, &qoe::PlaybackSession::ended);
        session.start(server.url(QStringLiteral("master.m3u8")));

        // Listed: German (DEFAULT), English forced, French.
        const auto textTracks = [&] { return session.backend()->tracks(qoe::TrackType::Text); };
        QTRY_VERIFY2_WITH_TIMEOUT(textTracks().size() == 3 || !errors.isEmpty(),
                                  qPrintable(QString::number(textTracks().size())), 15000);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).toString()));
        QStringList languages;
        QString frenchId;
        for (const qoe::MediaTrack& t : textTracks()) {
            languages << t.language;
            if (t.language == QStringLiteral("fr"))
                frenchId = t.id;
        }
        languages.sort();
        QCOMPARE(languages,
                 (QStringList{QStringLiteral("de"), QStringLiteral("en"), QStringLiteral("fr")}));
        qInfo() << "text tracks:" << languages << "position" << session.positionMs() << "ms";
        // Chosen before the first French cue, before preroll even (applied once it is done).
        QVERIFY(session.positionMs() < 1500);
        QVERIFY(session.backend()->selectTrack(qoe::TrackType::Text, frenchId));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const qoe::MediaTrack& t : textTracks())
                    if (t.id == frenchId)
                        return t.selected;
                return false;
            }(),
            5000);

        // The first French cue (2.0 - 3.5 s), then Off before the second (4.0 - 5.0 s).
        const QString french1 = QString::fromUtf8(test::kFrenchCue1);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(shown.begin(), shown.end(),
                                             [&](const Shown& s) { return s.text == french1; }) ||
                                     !errors.isEmpty(),
                                 15000);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.value(0).value(0).toString()));
        const auto first = std::find_if(shown.begin(), shown.end(),
                                        [&](const Shown& s) { return s.text == french1; });
        qInfo() << "French cue shown at" << first->positionMs << "ms (cue starts at 2000 ms)";
        QVERIFY2(std::abs(first->positionMs - 2000) <= 500,
                 qPrintable(QString::number(first->positionMs)));
        for (const Shown& s : shown) // German never showed once French was chosen
            QVERIFY2(s.text != QString::fromUtf8(test::kGermanCue1), qPrintable(s.text));
        QTRY_VERIFY_WITH_TIMEOUT(session.positionMs() > 3600, 5000);
        QVERIFY(session.backend()->selectTrack(qoe::TrackType::Text, QString()));
        QTRY_VERIFY_WITH_TIMEOUT(ended.count() == 1 || !errors.isEmpty(), 15000);
        for (const Shown& s : shown)
            QVERIFY2(s.text != QString::fromUtf8(test::kFrenchCue2),
                     qPrintable(QStringLiteral("%1 at %2 ms").arg(s.text).arg(s.positionMs)));
    }
};

QTEST_MAIN(TestGstSubtitles)
#include "tst_gstsubtitles.moc"
