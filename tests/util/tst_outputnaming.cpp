// The output-naming rule shared by the app's queue and `hlsforge-cli transcode`: never on
// top of anything already there unless replacing is asked for, "clip (2)" for a taken name.

#include "util/OutputNaming.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hlsforge;

class TestOutputNaming : public QObject {
    Q_OBJECT
private slots:
    void freeNameIsTheInputsBaseName() {
        QTemporaryDir root;
        QCOMPARE(uniqueOutputDir(root.path(), QStringLiteral("/videos/clip.final.mp4"), {}),
                 root.filePath(QStringLiteral("clip.final")));
    }
    void earlierLadderIsKept() {
        QTemporaryDir root;
        QVERIFY(QDir(root.path()).mkpath(QStringLiteral("clip")));
        QFile master(root.filePath(QStringLiteral("clip/master.m3u8")));
        QVERIFY(master.open(QIODevice::WriteOnly));
        master.close();
        QCOMPARE(uniqueOutputDir(root.path(), QStringLiteral("clip.mp4"), {}),
                 root.filePath(QStringLiteral("clip (2)")));
        // Asked to replace: the earlier ladder's folder is the target again.
        QCOMPARE(
            uniqueOutputDir(root.path(), QStringLiteral("clip.mp4"), {}, ExistingOutput::Replace),
            root.filePath(QStringLiteral("clip")));
    }
    void filesAndDanglingLinksAreTaken() {
        QTemporaryDir root;
        QFile file(root.filePath(QStringLiteral("a")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QVERIFY(
            QFile::link(root.filePath(QStringLiteral("gone")), root.filePath(QStringLiteral("b"))));
        QCOMPARE(uniqueOutputDir(root.path(), QStringLiteral("a.mov"), {}),
                 root.filePath(QStringLiteral("a (2)")));
        QCOMPARE(uniqueOutputDir(root.path(), QStringLiteral("b.mov"), {}),
                 root.filePath(QStringLiteral("b (2)")));
    }
    void sameNameInOneBatchNeverShares() {
        QTemporaryDir root;
        QSet<QString> reserved;
        for (const ExistingOutput existing : {ExistingOutput::Keep, ExistingOutput::Replace}) {
            reserved.clear();
            const QString first =
                uniqueOutputDir(root.path(), QStringLiteral("/a/clip.mp4"), reserved, existing);
            reserved.insert(first);
            const QString second =
                uniqueOutputDir(root.path(), QStringLiteral("/b/clip.mp4"), reserved, existing);
            reserved.insert(second);
            const QString third =
                uniqueOutputDir(root.path(), QStringLiteral("/c/clip.mp4"), reserved, existing);
            QCOMPARE(first, root.filePath(QStringLiteral("clip")));
            QCOMPARE(second, root.filePath(QStringLiteral("clip (2)")));
            QCOMPARE(third, root.filePath(QStringLiteral("clip (3)")));
        }
    }
    void neverAHiddenFolder() {
        QTemporaryDir root;
        QCOMPARE(uniqueOutputDir(root.path(), QStringLiteral(".hidden.mp4"), {}),
                 root.filePath(QStringLiteral("video.hidden")));
    }
};

QTEST_APPLESS_MAIN(TestOutputNaming)
#include "tst_outputnaming.moc"
