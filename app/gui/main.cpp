// hlsforge: the desktop app. Parses the command line, then hands over to MainWindow.

#include "GuiResources.h"
#include "LadderEditor.h"
#include "MainWindow.h"
#include "QueueController.h"
#include "QueueModel.h"

#include "ladder/Presets.h"
#include "util/Version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QTableView>
#include <QTimer>

#include <cstdio>

using namespace hlsforge;

int main(int argc, char** argv) {
    // The preview player uses Qt Multimedia; Debian's FFmpeg backend build cannot play HLS,
    // GStreamer's can. An explicit setting from the user still wins.
    if (!qEnvironmentVariableIsSet("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "gstreamer");

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("hlsforge"));
    QApplication::setApplicationDisplayName(QStringLiteral("HLS Forge"));
    QApplication::setOrganizationName(QStringLiteral("hlsforge"));
    QApplication::setApplicationVersion(QStringLiteral(HLSFORGE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.hlsforge.HlsForge"));
    gui::initResources();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/hlsforge.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("HLS Forge: adaptive HLS ladders from video files"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption addOption(
        QStringLiteral("add"), QStringLiteral("Add a file or folder to the queue (repeatable)."),
        QStringLiteral("path"));
    const QCommandLineOption startOption(
        QStringLiteral("start"), QStringLiteral("Start each file as soon as it is probed."));
    const QCommandLineOption outputOption(QStringLiteral("output"),
                                          QStringLiteral("Output folder for this session."),
                                          QStringLiteral("folder"));
    const QCommandLineOption ladderOption(
        QStringLiteral("ladder"),
        QStringLiteral("Ladder preset name or ladder JSON file for this session."),
        QStringLiteral("preset-or-file"));
    const QCommandLineOption concurrencyOption(QStringLiteral("concurrency"),
                                               QStringLiteral("Files encoded at once."),
                                               QStringLiteral("n"));
    const QCommandLineOption selectOption(
        QStringLiteral("select"),
        QStringLiteral("Select the queue row with this index (for screenshots)."),
        QStringLiteral("row"));
    const QCommandLineOption selfTestOption(
        QStringLiteral("self-test-quit"),
        QStringLiteral("Open the window, check the resources load, and quit (exit 0 on success)."));
    parser.addOptions({addOption, startOption, outputOption, ladderOption, concurrencyOption,
                       selectOption, selfTestOption});
    parser.addPositionalArgument(QStringLiteral("files"),
                                 QStringLiteral("Video files or folders to add."),
                                 QStringLiteral("[files...]"));
    parser.process(app);

    gui::MainWindow window;
    window.restoreSettings();
    if (parser.isSet(outputOption))
        window.setOutputRoot(QDir::current().absoluteFilePath(parser.value(outputOption)));
    if (parser.isSet(ladderOption)) {
        const StatusOr<Ladder> ladder = loadLadderSpec(parser.value(ladderOption));
        if (!ladder.isOk()) {
            std::fprintf(stderr, "hlsforge: %s\n", qPrintable(ladder.status().message()));
            return 2;
        }
        const LadderPreset* preset = findLadderPreset(parser.value(ladderOption));
        window.ladderEditor()->setLadder(ladder.value(),
                                         preset ? preset->name : QStringLiteral("custom"));
    }
    if (parser.isSet(concurrencyOption))
        window.setConcurrency(parser.value(concurrencyOption).toInt());
    window.setAutoStart(parser.isSet(startOption));
    QStringList paths = parser.values(addOption) + parser.positionalArguments();
    if (!paths.isEmpty())
        window.controller()->addPaths(paths);
    window.show();

    if (parser.isSet(selectOption)) {
        const int row = parser.value(selectOption).toInt();
        // Rows appear as probes finish; select once it exists.
        auto* timer = new QTimer(&window);
        QObject::connect(timer, &QTimer::timeout, &window, [&window, timer, row] {
            if (window.queueModel()->rowCount() > row) {
                window.queueView()->selectRow(row);
                timer->stop();
            }
        });
        timer->start(100);
    }

    if (parser.isSet(selfTestOption)) {
        // For the installer test: the installed binary finds Qt's plugins and our icons.
        QTimer::singleShot(200, &window, [&window] {
            const bool iconsOk = !QIcon(QStringLiteral(":/icons/start.svg")).isNull() &&
                                 !QIcon(QStringLiteral(":/hlsforge.svg")).pixmap(64, 64).isNull();
            const bool ladderOk = window.ladderEditor()->validation().isOk();
            std::printf("hlsforge %s self-test: window %s, icons %s, ladder %s\n", HLSFORGE_VERSION,
                        window.isVisible() ? "shown" : "hidden", iconsOk ? "ok" : "missing",
                        ladderOk ? "ok" : "invalid");
            std::fflush(stdout);
            QApplication::exit(window.isVisible() && iconsOk && ladderOk ? 0 : 1);
        });
        window.setConfirmClose(false);
        return app.exec();
    }
    return app.exec();
}
