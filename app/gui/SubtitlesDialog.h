#pragma once
// SubtitlesDialog ("Subtitles…" on a queued file): the subtitle tracks its ladder will have —
// the input's own text tracks, the sidecars found beside it (`<stem>.<lang>[.forced].srt|.vtt`)
// and the files the user adds here — with language, name and forced per added file. A file
// that cannot be read (or has broken timing) is not added; the message names it and the line.
// The languages come from the file names ("talk.de.srt"); when a name carries none, `ask` is
// called. OK hands the added files to the caller (QueueController::setSubtitleFiles).

#include "subtitles/SubtitlePlan.h"

#include <QDialog>

#include <functional>

class QLabel;
class QTableWidget;

namespace hlsforge::gui {

class SubtitlesDialog : public QDialog {
    Q_OBJECT
public:
    // Returns the language code for `fileName` ("fr"), or empty when the user cancels.
    using LanguageQuestion = std::function<QString(const QString& fileName)>;
    enum Column {
        OriginColumn,
        TrackColumn,
        LanguageColumn,
        NameColumn,
        ForcedColumn,
        StatusColumn,
        ColumnCount
    };

    SubtitlesDialog(const QString& inputPath, const QVector<subtitles::SubtitleInput>& added,
                    LanguageQuestion ask, QWidget* parent = nullptr);

    // The added files as edited here.
    const QVector<subtitles::SubtitleInput>& files() const { return m_files; }
    // As "Add files…" does after its file dialog; returns how many were added.
    int addFiles(const QStringList& paths);
    void removeAddedFile(int index); // index into files()
    QTableWidget* table() const { return m_table; }
    QString messageText() const; // the last problem shown (empty when none)
    const QVector<subtitles::PlannedTrack>& plannedTracks() const { return m_planned; }

    // For a drop on the queue and for addFiles: the file as an added subtitle input, its
    // language from the name or `ask`. Returns false with *problem set when it cannot be used
    // (unreadable, broken timing: "talk.srt, line 6: …") or the user cancelled (*problem empty).
    static bool prepareFile(const QString& path, const LanguageQuestion& ask,
                            subtitles::SubtitleInput* input, QString* problem);

private:
    void refresh();
    void onItemChanged(int row, int column);
    void chooseFiles();

    QString m_inputPath;
    QVector<subtitles::SubtitleInput> m_files;
    QVector<subtitles::PlannedTrack> m_planned;
    LanguageQuestion m_ask;
    QTableWidget* m_table = nullptr;
    QLabel* m_message = nullptr;
    bool m_filling = false;
};

} // namespace hlsforge::gui
