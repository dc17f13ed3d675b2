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
#include <QMessageBox>
#include <QTableView>
#include <QTimer>

#include <cstdio>

using namespace hlsforge;

namespace {

struct Options {
    QCommandLineOption add{QStringLiteral("add"),
                           QStringLiteral("Add a file or folder to the queue (repeatable)."),
                           QStringLiteral("path")};
    QCommandLineOption start{QStringLiteral("start"),
                             QStringLiteral("Start each file as soon as it is probed.")};
    QCommandLineOption output{QStringLiteral("output"),
                              QStringLiteral("Output folder for this session."),
                              QStringLiteral("folder")};
    QCommandLineOption ladder{
        QStringLiteral("ladder"),
        QStringLiteral("Ladder preset name or ladder JSON file for this session."),
        QStringLiteral("preset-or-file")};
    QCommandLineOption concurrency{QStringLiteral("concurrency"),
                                   QStringLiteral("Files encoded at once."), QStringLiteral("n")};
    QCommandLineOption select{
        QStringLiteral("select"),
        QStringLiteral("Select the queue row with this index (for screenshots)."),
        QStringLiteral("row")};
    QCommandLineOption selfTest{
        QStringLiteral("self-test-quit"),
        QStringLiteral("Open the window, check the resources load, and quit (exit 0 on success).")};
};

void setUpParser(QCommandLineParser& parser, const Options& options) {
    parser.setApplicationDescription(
        QStringLiteral("HLS Forge: adaptive HLS ladders from video files"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({options.add, options.start, options.output, options.ladder,
                       options.concurrency, options.select, options.selfTest});
    parser.addPositionalArgument(
        QStringLiteral("files"),
        QStringLiteral("Video files or folders to add; a folder holding master.m3u8 opens as a "
                       "finished ladder."),
        QStringLiteral("[files...]"));
}

void setApplicationNames() {
    QCoreApplication::setApplicationName(QStringLiteral("hlsforge"));
    QCoreApplication::setOrganizationName(QStringLiteral("hlsforge"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HLSFORGE_VERSION));
}

// --version and --help print text and exit: they must work without a display (over ssh,
// in a package's post-install check), so they never create a QApplication.
bool onlyPrintsText(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--")
            return false;
        if (arg == "-v" || arg == "--version" || arg == "-h" || arg == "--help" ||
            arg == "--help-all" || arg == "-?")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char** argv) {
    const Options options;
    if (onlyPrintsText(argc, argv)) {
        QCoreApplication app(argc, argv);
        setApplicationNames();
        QCommandLineParser parser;
        setUpParser(parser, options);
        parser.process(app); // prints and exits
        return 0;
    }

    // The preview player uses Qt Multimedia; Debian's FFmpeg backend build cannot play HLS,
    // GStreamer's can. An explicit setting from the user still wins.
    if (!qEnvironmentVariableIsSet("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "gstreamer");

    QApplication app(argc, argv);
    setApplicationNames();
    QApplication::setApplicationDisplayName(QStringLiteral("HLS Forge"));
    QApplication::setDesktopFileName(QStringLiteral("io.github.hlsforge.HlsForge"));
    gui::initResources();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/hlsforge.svg")));

    QCommandLineParser parser;
    setUpParser(parser, options);
    parser.process(app);
    const QCommandLineOption& addOption = options.add;
    const QCommandLineOption& startOption = options.start;
    const QCommandLineOption& outputOption = options.output;
    const QCommandLineOption& ladderOption = options.ladder;
    const QCommandLineOption& concurrencyOption = options.concurrency;
    const QCommandLineOption& selectOption = options.select;
    const QCommandLineOption& selfTestOption = options.selfTest;

    gui::MainWindow window;
    window.restoreSettings();
    if (parser.isSet(outputOption))
        window.setOutputRoot(QDir::current().absoluteFilePath(parser.value(outputOption)));
    if (parser.isSet(ladderOption)) {
        const StatusOr<Ladder> ladder = loadLadderSpec(parser.value(ladderOption));
        if (!ladder.isOk()) {
            // Started from a desktop menu nobody sees stderr: say it in a window too.
            std::fprintf(stderr, "hlsforge: %s\n", qPrintable(ladder.status().message()));
            QMessageBox::critical(nullptr, QStringLiteral("HLS Forge"),
                                  QObject::tr("The ladder given with --ladder cannot be used:\n%1")
                                      .arg(ladder.status().message()));
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
