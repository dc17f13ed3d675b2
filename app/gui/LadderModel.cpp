#include "LadderModel.h"

#include <QColor>

#include <cmath>

namespace hlsforge::gui {

namespace {

// A whole, non-negative number from an edit; false for text, fractions and negatives.
bool toCount(const QVariant& value, int* out) {
    bool ok = false;
    const double d = value.toString().trimmed().toDouble(&ok);
    if (!ok || d < 0 || d != std::floor(d) || d > 1e9)
        return false;
    *out = int(d);
    return true;
}

QString rungName(const Rendition& r) {
    return r.effectiveName();
}

} // namespace

LadderModel::LadderModel(QObject* parent) : QAbstractTableModel(parent) {}

int LadderModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_ladder.renditions.size());
}

int LadderModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QSize LadderModel::outputSize(int row) const {
    const Rendition& r = m_ladder.renditions.at(row);
    if (m_reference.isEmpty() || r.height <= 0)
        return {};
    // Same arithmetic as resolveRenditions, but without dropping rungs above the source,
    // so every row shows a size while the ladder is being designed.
    const bool portrait = m_reference.height() > m_reference.width();
    const double longPerShort = portrait ? double(m_reference.height()) / m_reference.width()
                                         : double(m_reference.width()) / m_reference.height();
    const int shortSide = std::max(2, r.height & ~1);
    const int longSide = std::max(2, int(std::lround(shortSide * longPerShort / 2.0)) * 2);
    return portrait ? QSize(shortSide, longSide) : QSize(longSide, shortSide);
}

QVariant LadderModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_ladder.renditions.size())
        return {};
    const Rendition& r = m_ladder.renditions.at(index.row());
    const int shortSide = std::min(m_reference.width(), m_reference.height());
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case NameColumn:
            return role == Qt::EditRole ? r.name : rungName(r);
        case CodecColumn: // an HDR rung reads "HEVC HDR" and edits as "hevc-hdr"
            return role == Qt::EditRole
                       ? videoCodecName(r.codec) + (r.hdr ? QStringLiteral("-hdr") : QString())
                       : videoCodecDisplayName(r.codec) +
                             (r.hdr ? QStringLiteral(" HDR") : QString());
        case HeightColumn:
            return r.height;
        case SizeColumn: {
            const QSize size = outputSize(index.row());
            return size.isEmpty() ? QString()
                                  : QStringLiteral("%1×%2").arg(size.width()).arg(size.height());
        }
        case VideoKbpsColumn:
            return r.videoKbps;
        case MaxKbpsColumn:
            if (role == Qt::EditRole)
                return r.maxKbps;
            return r.maxKbps > 0 ? QString::number(r.maxKbps)
                                 // Short: the column must fit a half-screen dock at 1.5x.
                                 : tr("auto %1").arg(r.effectiveMaxKbps());
        }
    }
    if (role == Qt::ForegroundRole && index.column() == SizeColumn && r.height > shortSide)
        return QColor(Qt::gray); // this rung is dropped for the reference picture
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case NameColumn:
            return tr("Folder and playlist name of this rendition; empty means \"<height>p\" "
                      "(\"<height>p-hevc\", \"<height>p-av1\" for other codecs)");
        case CodecColumn:
            return tr("H.264 plays everywhere. HEVC takes about 40 % fewer bits on Apple "
                      "devices; AV1 plays in current browsers. Both need fMP4 segments. "
                      "HDR: keeps an HLG/PQ source's HDR (10-bit); left out on SDR sources; "
                      "the ladder needs an SDR rung too.");
        case HeightColumn:
            return tr("Short side in pixels (the height of landscape video, the width of portrait "
                      "video); even");
        case SizeColumn:
            if (r.height > shortSide)
                return tr("Larger than the reference picture (%1×%2): skipped for it, never "
                          "upscaled")
                    .arg(m_reference.width())
                    .arg(m_reference.height());
            return tr("Output size for a %1×%2 source")
                .arg(m_reference.width())
                .arg(m_reference.height());
        case VideoKbpsColumn:
            return tr("Average video bitrate in kilobits per second");
        case MaxKbpsColumn:
            return tr("Peak video bitrate (VBV max rate) in kb/s; 0 means 110 % of the average");
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() != NameColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant LadderModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case CodecColumn:
        return tr("Codec");
    case HeightColumn:
        return tr("Height");
    case SizeColumn:
        return tr("Output size");
    case VideoKbpsColumn:
        return tr("Video kb/s");
    case MaxKbpsColumn:
        return tr("Max kb/s");
    }
    return {};
}

Qt::ItemFlags LadderModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() != SizeColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool LadderModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !index.isValid() || index.row() >= m_ladder.renditions.size())
        return false;
    Rendition& r = m_ladder.renditions[index.row()];
    int number = 0;
    switch (index.column()) {
    case NameColumn:
        r.name = value.toString().trimmed();
        break;
    case CodecColumn: {
        QString name = value.toString().trimmed().toLower();
        const bool hdr = name.endsWith(QLatin1String("-hdr"));
        if (hdr)
            name.chop(4);
        VideoCodec codec = VideoCodec::H264;
        if (!parseVideoCodec(name, &codec) || (hdr && codec == VideoCodec::H264))
            return false;
        r.codec = codec;
        r.hdr = hdr;
        break;
    }
    case HeightColumn:
        if (!toCount(value, &number))
            return false;
        r.height = number;
        break;
    case VideoKbpsColumn:
        if (!toCount(value, &number))
            return false;
        r.videoKbps = number;
        break;
    case MaxKbpsColumn:
        if (value.toString().trimmed().isEmpty() ||
            value.toString().startsWith(QLatin1String("auto")))
            number = 0;
        else if (!toCount(value, &number))
            return false;
        r.maxKbps = number;
        break;
    default:
        return false;
    }
    emit dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    changed();
    return true;
}

void LadderModel::setLadder(const Ladder& ladder) {
    beginResetModel();
    m_ladder = ladder;
    endResetModel();
    changed();
}

void LadderModel::setSegmentSeconds(double seconds) {
    if (m_ladder.segmentSeconds == seconds)
        return;
    m_ladder.segmentSeconds = seconds;
    changed();
}

void LadderModel::setSegmentFormat(SegmentFormat format) {
    if (m_ladder.segmentFormat == format)
        return;
    m_ladder.segmentFormat = format;
    changed();
}

void LadderModel::setX265Preset(const QString& preset) {
    if (m_ladder.x265Preset == preset)
        return;
    m_ladder.x265Preset = preset;
    changed();
}

void LadderModel::setSvtAv1Preset(int preset) {
    if (m_ladder.svtAv1Preset == preset)
        return;
    m_ladder.svtAv1Preset = preset;
    changed();
}

void LadderModel::setX264Preset(const QString& preset) {
    if (m_ladder.x264Preset == preset)
        return;
    m_ladder.x264Preset = preset;
    changed();
}

void LadderModel::setAudioKbps(int kbps) {
    if (m_ladder.audioKbps == kbps)
        return;
    m_ladder.audioKbps = kbps;
    changed();
}

void LadderModel::setProgressive(bool enabled, const QString& rungName) {
    if (m_ladder.progressive == enabled && m_ladder.progressiveRung == rungName)
        return;
    m_ladder.progressive = enabled;
    m_ladder.progressiveRung = rungName;
    changed();
}

void LadderModel::setPlayerPage(bool enabled) {
    if (m_ladder.playerPage == enabled)
        return;
    m_ladder.playerPage = enabled;
    changed();
}

void LadderModel::setMeasureQuality(bool enabled) {
    if (m_ladder.measureQuality == enabled)
        return;
    m_ladder.measureQuality = enabled;
    changed();
}

void LadderModel::setThumbnails(bool enabled) {
    if (m_ladder.thumbnails == enabled)
        return;
    m_ladder.thumbnails = enabled;
    changed();
}

void LadderModel::setPlayerScripts(const QString& scripts) {
    if (m_ladder.playerScripts == scripts)
        return;
    m_ladder.playerScripts = scripts;
    changed();
}

int LadderModel::addRung(int selectedRow) {
    const QVector<Rendition>& rungs = m_ladder.renditions;
    Rendition r;
    int row = int(rungs.size());
    if (rungs.isEmpty()) {
        r.height = 720;
        r.videoKbps = 3000;
    } else if (rungs.size() == 1) {
        // Half the pixels is about a step of 1/sqrt(2) in height: a usual ladder spacing.
        r.height = std::max(64, int(std::lround(rungs[0].height / std::sqrt(2.0) / 2.0)) * 2);
        r.videoKbps = std::max(50, rungs[0].videoKbps / 2);
    } else {
        // Between two neighbours: after the selected rung (before it when it is the last),
        // or, with nothing selected, in the widest gap of the ladder.
        int upper = 0;
        if (selectedRow >= 0 && selectedRow < rungs.size()) {
            upper = selectedRow + 1 < rungs.size() ? selectedRow : selectedRow - 1;
        } else {
            double widest = 0;
            for (int i = 0; i + 1 < rungs.size(); ++i) {
                const double gap = double(std::max(rungs[i].height, rungs[i + 1].height)) /
                                   std::max(1, std::min(rungs[i].height, rungs[i + 1].height));
                if (gap > widest + 1e-9) {
                    widest = gap;
                    upper = i;
                }
            }
        }
        const Rendition& a = rungs[upper];
        const Rendition& b = rungs[upper + 1];
        // Geometric means: the middle of a ladder step in pixels and in bits.
        const double height = std::sqrt(double(a.height) * b.height);
        const double kbps = std::sqrt(double(a.videoKbps) * b.videoKbps);
        r.height = std::max(64, int(std::lround(height / 2.0)) * 2);
        r.videoKbps = std::max(50, int(std::lround(kbps / 50.0)) * 50);
        row = upper + 1;
    }
    beginInsertRows({}, row, row);
    m_ladder.renditions.insert(row, r);
    endInsertRows();
    changed();
    return row;
}

int LadderModel::duplicateRung(int row) {
    if (row < 0 || row >= m_ladder.renditions.size())
        return -1;
    Rendition copy = m_ladder.renditions.at(row);
    // A copy needs its own name; "-2" keeps it recognisable ("720p" → "720p-2").
    const QString base = rungName(copy);
    QStringList taken;
    for (const Rendition& r : m_ladder.renditions)
        taken << rungName(r);
    int n = 2;
    while (taken.contains(QStringLiteral("%1-%2").arg(base).arg(n)))
        ++n;
    copy.name = QStringLiteral("%1-%2").arg(base).arg(n);
    beginInsertRows({}, row + 1, row + 1);
    m_ladder.renditions.insert(row + 1, copy);
    endInsertRows();
    changed();
    return row + 1;
}

void LadderModel::removeRung(int row) {
    if (row < 0 || row >= m_ladder.renditions.size())
        return;
    beginRemoveRows({}, row, row);
    m_ladder.renditions.removeAt(row);
    endRemoveRows();
    changed();
}

void LadderModel::setReferenceSize(QSize displaySize) {
    m_reference = displaySize.isEmpty() ? QSize(1920, 1080) : displaySize;
    if (!m_ladder.renditions.isEmpty())
        emit dataChanged(index(0, SizeColumn),
                         index(int(m_ladder.renditions.size()) - 1, SizeColumn));
}

void LadderModel::changed() {
    emit ladderChanged();
}

} // namespace hlsforge::gui
