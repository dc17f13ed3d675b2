// Subtitle renditions in web players, in headless Chromium (tests/web/subtitles-browser.mjs):
// a ladder with German (DEFAULT), English forced and French (a Windows-1252 sidecar) subtitles.
//  - hls.js lists the three tracks with their languages, names, default and forced flags; with
//    French chosen, the cue the <video> element shows inside the first French cue is the
//    French text with its accents ("Très bien, ça marche");
//  - the ladder's player page (Video.js + VHS) offers German and French in its subtitles menu
//    (a forced track is not a viewer's choice: Apple's rules, and Safari, leave it out) and
//    shows the DEFAULT German track.
// Audio: the source's own track and a German one (--audio FILE:de:Deutsch) become two AUDIO
// renditions; hls.js lists both and, with German chosen, switches and loads audio/de/.

#include "TestMedia.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge;

class SubtitlesBrowserTest : public QObject {
    Q_OBJECT
private slots:
    void hlsJsAndPlayerPage() {
        QTemporaryDir dir;
        QString error;
        const QString ladder = test::makeSubtitleLadder(dir.path(), &error, true);
        QVERIFY2(!ladder.isEmpty(), qPrintable(error));
        const test::ProcessResult node =
            test::runProcess(QStringLiteral("node"),
                             {qEnvironmentVariable("HLSFORGE_SOURCE_DIR") +
                                  QStringLiteral("/tests/web/subtitles-browser.mjs"),
                              QStringLiteral("--dir"), ladder},
                             120000);
        qInfo().noquote() << QString::fromUtf8(node.out).trimmed();
        QVERIFY2(node.ok(), qPrintable(QString::fromUtf8(node.out + node.err)));
        const QJsonObject result =
            QJsonDocument::fromJson(node.out.trimmed().split('\n').constLast()).object();

        const QJsonObject hlsjs = result.value(QStringLiteral("hlsjs")).toObject();
        QVERIFY2(hlsjs.value(QStringLiteral("fatal")).isNull(),
                 qPrintable(hlsjs.value(QStringLiteral("fatal")).toString()));
        const QJsonArray tracks = hlsjs.value(QStringLiteral("subtitleTracks")).toArray();
        QCOMPARE(tracks.size(), 3);
        QHash<QString, QJsonObject> byLanguage;
        for (const QJsonValue& t : tracks)
            byLanguage.insert(t[QStringLiteral("lang")].toString(), t.toObject());
        QCOMPARE(byLanguage.value(QStringLiteral("de"))[QStringLiteral("name")].toString(),
                 QStringLiteral("Deutsch"));
        QVERIFY(byLanguage.value(QStringLiteral("de"))[QStringLiteral("default")].toBool());
        QCOMPARE(byLanguage.value(QStringLiteral("fr"))[QStringLiteral("name")].toString(),
                 QString::fromUtf8("Français"));
        QVERIFY(!byLanguage.value(QStringLiteral("fr"))[QStringLiteral("default")].toBool());
        QVERIFY(byLanguage.value(QStringLiteral("en"))[QStringLiteral("forced")].toBool());
        QCOMPARE(hlsjs.value(QStringLiteral("trackLanguage")).toString(), QStringLiteral("fr"));
        const double shownAt = hlsjs.value(QStringLiteral("shownAt")).toDouble();
        QVERIFY2(shownAt >= 2.0 && shownAt < 3.5, qPrintable(QString::number(shownAt)));
        QCOMPARE(hlsjs.value(QStringLiteral("shownText")).toString(),
                 QString::fromUtf8(test::kFrenchCue1));

        const QJsonArray audio = hlsjs.value(QStringLiteral("audioTracks")).toArray();
        QCOMPARE(audio.size(), 2);
        QStringList audioLanguages;
        for (const QJsonValue& t : audio)
            audioLanguages << t[QStringLiteral("lang")].toString();
        QVERIFY2(audioLanguages.contains(QStringLiteral("de")),
                 qPrintable(audioLanguages.join('|')));
        QCOMPARE(hlsjs.value(QStringLiteral("audioSwitchedTo")).toString(), QStringLiteral("de"));
        QStringList fragments;
        for (const QJsonValue& f : hlsjs.value(QStringLiteral("audioFragments")).toArray())
            fragments << f.toString();
        QVERIFY2(!fragments.filter(QStringLiteral("/audio/de/")).isEmpty(),
                 qPrintable(fragments.join('|')));

        const QJsonObject page = result.value(QStringLiteral("playerPage")).toObject();
        QStringList menu;
        for (const QJsonValue& item : page.value(QStringLiteral("menuItems")).toArray())
            menu << item.toString();
        QVERIFY2(!page.value(QStringLiteral("buttonHidden")).toBool(), qPrintable(menu.join('|')));
        QVERIFY2(menu.contains(QStringLiteral("Deutsch")) &&
                     menu.contains(QString::fromUtf8("Français")),
                 qPrintable(menu.join('|')));
        QVERIFY2(!menu.join('|').contains(QStringLiteral("forced")), qPrintable(menu.join('|')));
        QString showing;
        for (const QJsonValue& t : page.value(QStringLiteral("tracks")).toArray())
            if (t[QStringLiteral("mode")].toString() == QStringLiteral("showing"))
                showing = t[QStringLiteral("language")].toString();
        QCOMPARE(showing, QStringLiteral("de"));
    }
};

QTEST_GUILESS_MAIN(SubtitlesBrowserTest)
#include "tst_subtitles_browser.moc"
