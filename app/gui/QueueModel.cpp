#include "QueueModel.h"

#include "Format.h"

#include <QApplication>
#include <QFileInfo>
#include <QHash>
#include <QIcon>

namespace hlsforge::gui {

QString jobStateName(JobState state) {
    switch (state) {
    case JobState::Probing:
        return QObject::tr("Probing…");
    case JobState::Ready:
        return QObject::tr("Ready");
    case JobState::Invalid:
        return QObject::tr("Not usable");
    case JobState::Queued:
        return QObject::tr("Queued");
    case JobState::Running:
        return QObject::tr("Encoding");
    case JobState::Cancelling:
        return QObject::tr("Cancelling…");
    case JobState::Done:
        return QObject::tr("Done");
    case JobState::Failed:
        return QObject::tr("Failed");
    case JobState::Cancelled:
        return QObject::tr("Cancelled");
    }
    return {};
}

bool isStartable(JobState state) {
    return state == JobState::Ready || state == JobState::Done || state == JobState::Failed ||
           state == JobState::Cancelled;
}

bool isStartable(const QueueItem& item) {
    return !item.openedLadder && isStartable(item.state);
}

bool isActive(JobState state) {
    return state == JobState::Queued || state == JobState::Running || state == JobState::Cancelling;
}

namespace {

QIcon stateIconFile(JobState state);

// The view's icon size fits thumbnails; state icons are drawn small, next to their text.
QPixmap stateIcon(JobState state) {
    static QHash<int, QPixmap> cache;
    auto it = cache.find(int(state));
    if (it == cache.end()) {
        const qreal ratio = qApp ? qApp->devicePixelRatio() : 1.0;
        it = cache.insert(int(state), stateIconFile(state).pixmap(QSize(18, 18), ratio));
    }
    return *it;
}

QIcon stateIconFile(JobState state) {
    switch (state) {
    case JobState::Probing:
        return QIcon(QStringLiteral(":/icons/state-probing.svg"));
    case JobState::Ready:
        return QIcon(QStringLiteral(":/icons/state-ready.svg"));
    case JobState::Queued:
        return QIcon(QStringLiteral(":/icons/state-queued.svg"));
    case JobState::Running:
    case JobState::Cancelling:
        return QIcon(QStringLiteral(":/icons/state-running.svg"));
    case JobState::Done:
        return QIcon(QStringLiteral(":/icons/state-done.svg"));
    case JobState::Invalid:
    case JobState::Failed:
        return QIcon(QStringLiteral(":/icons/state-failed.svg"));
    case JobState::Cancelled:
        return QIcon(QStringLiteral(":/icons/state-cancelled.svg"));
    }
    return {};
}

QString statusText(const QueueItem& item) {
    switch (item.state) {
    case JobState::Running:
        if (item.progress.stage.isEmpty() || item.progress.stage == QLatin1String("encoding"))
            return QObject::tr("Encoding");
        return QObject::tr("Encoding (%1)").arg(item.progress.stage);
    case JobState::Invalid:
    case JobState::Failed: {
        if (item.error.isEmpty())
            return jobStateName(item.state);
        // Core messages start with the file's path; the row already names the file.
        QString text = item.error;
        for (const QString& prefix : {item.inputPath, QFileInfo(item.inputPath).fileName()}) {
            if (text.startsWith(prefix + QStringLiteral(": ")))
                return text.mid(prefix.size() + 2);
        }
        if (!item.earlierOutputDir.isEmpty())
            text += QObject::tr(" (the earlier ladder is kept)");
        return text;
    }
    case JobState::Done:
        if (item.openedLadder)
            return QObject::tr("Done (opened)");
        return jobStateName(item.state);
    default:
        return jobStateName(item.state);
    }
}

} // namespace

QueueModel::QueueModel(QObject* parent) : QAbstractTableModel(parent) {}

int QueueModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_items.size());
}

int QueueModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString QueueModel::ladderText(const QueueItem& item) const {
    if (item.state == JobState::Invalid)
        return {};
    if (item.openedLadder)
        return tr("on disk: %1").arg(item.openedRungs.join(QStringLiteral(", ")));
    const Ladder& ladder = ladderFor(item);
    const QString source = item.ladderOverride ? tr("custom") : m_globalLadderName;
    if (!item.probed || !item.media.hasVideo)
        return tr("%1 (%n rungs)", nullptr, int(ladder.renditions.size())).arg(source);
    // What this file will actually get: rungs above the source size are dropped.
    QStringList names;
    for (const ResolvedRendition& r :
         resolveRenditions(ladder, item.media.video.displayWidth, item.media.video.displayHeight))
        names << r.name;
    return QStringLiteral("%1: %2").arg(source, names.join(QStringLiteral(", ")));
}

QVariant QueueModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_items.size())
        return {};
    const QueueItem& item = m_items.at(index.row());
    if (role == ItemIdRole)
        return item.id;
    if (role == StateRole)
        return int(item.state);
    if (role == ProgressFractionRole) {
        if (item.state == JobState::Done)
            return 1.0;
        return item.progress.fraction;
    }
    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case NameColumn:
            if (item.openedLadder) // the Status column says it was opened from disk
                return QFileInfo(item.inputPath).fileName() + QLatin1Char('/');
            return QFileInfo(item.inputPath).fileName();
        case DurationColumn:
            return item.probed ? formatDuration(item.media.durationSeconds) : QString();
        case ResolutionColumn:
            if (!item.probed || !item.media.hasVideo)
                return {};
            return QStringLiteral("%1×%2")
                .arg(item.media.video.displayWidth)
                .arg(item.media.video.displayHeight);
        case LadderColumn:
            return ladderText(item);
        case OutputColumn:
            return item.outputDir.isEmpty()
                       ? QString()
                       : QFileInfo(item.outputDir).fileName() + QLatin1Char('/');
        case StatusColumn:
            return statusText(item);
        case SpeedColumn:
            if (item.state == JobState::Running && item.progress.speed > 0)
                return QStringLiteral("%1×").arg(item.progress.speed, 0, 'f', 1);
            return {};
        case EtaColumn:
            if (item.state == JobState::Running && item.progress.etaSeconds >= 0)
                return formatDuration(item.progress.etaSeconds);
            if (item.state == JobState::Done && item.result)
                return tr("took %1").arg(formatDuration(item.result->elapsedSeconds));
            return {};
        default:
            return {};
        }
    }
    if (role == Qt::DecorationRole) {
        if (column == ThumbnailColumn) {
            if (!item.thumbnail.isNull())
                return item.thumbnail;
            return QIcon(QStringLiteral(":/icons/video.svg"));
        }
        if (column == StatusColumn)
            return stateIcon(item.state);
        return {};
    }
    if (role == Qt::ToolTipRole) {
        switch (column) {
        case NameColumn:
            return item.inputPath;
        case ResolutionColumn:
            if (item.probed && item.media.hasVideo)
                return tr("%1 %2, %3 fps, %4")
                    .arg(item.media.video.codec, item.media.video.profile)
                    .arg(item.media.video.frameRate, 0, 'f', 2)
                    .arg(item.media.video.pixelFormat);
            return {};
        case OutputColumn:
            return item.outputDir.isEmpty() ? QString()
                                            : tr("The ladder lands in %1").arg(item.outputDir);
        case StatusColumn:
            if (item.openedLadder)
                return tr("A finished ladder opened from %1: Preview and Publish work on it; "
                          "there is no source file to encode again")
                    .arg(item.outputDir);
            if (!item.error.isEmpty())
                return item.errorDetail.isEmpty()
                           ? item.error
                           : item.error + QStringLiteral("\n\n") + item.errorDetail;
            return statusText(item);
        case LadderColumn:
            return item.ladderOverride ? tr("This file has its own ladder")
                                       : tr("Uses the ladder from the ladder editor");
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole) {
        if (column == DurationColumn || column == SpeedColumn || column == EtaColumn ||
            column == ResolutionColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant QueueModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ThumbnailColumn:
        return QString();
    case NameColumn:
        return tr("File");
    case DurationColumn:
        return tr("Duration");
    case ResolutionColumn:
        return tr("Resolution");
    case LadderColumn:
        return tr("Ladder");
    case OutputColumn:
        return tr("Output");
    case StatusColumn:
        return tr("Status");
    case ProgressColumn:
        return tr("Progress");
    case SpeedColumn:
        return tr("Speed");
    case EtaColumn:
        return tr("ETA");
    default:
        return {};
    }
}

void QueueModel::setGlobalLadder(const Ladder& ladder, const QString& name) {
    m_globalLadder = ladder;
    m_globalLadderName = name;
    if (!m_items.isEmpty())
        emit dataChanged(index(0, LadderColumn), index(int(m_items.size()) - 1, LadderColumn));
}

quint64 QueueModel::append(QueueItem item) {
    item.id = m_nextId++;
    const int row = int(m_items.size());
    beginInsertRows({}, row, row);
    m_items.append(std::move(item));
    endInsertRows();
    return m_items.last().id;
}

void QueueModel::removeById(quint64 id) {
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_items.removeAt(row);
    endRemoveRows();
}

int QueueModel::rowOf(quint64 id) const {
    for (int row = 0; row < m_items.size(); ++row) {
        if (m_items[row].id == id)
            return row;
    }
    return -1;
}

const QueueItem* QueueModel::find(quint64 id) const {
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_items[row];
}

void QueueModel::update(quint64 id, const std::function<void(QueueItem&)>& change) {
    const int row = rowOf(id);
    if (row < 0)
        return;
    change(m_items[row]);
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    emit itemChanged(id);
}

} // namespace hlsforge::gui
