#include "JobDetails.h"

#include "Format.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>

namespace hlsforge::gui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("JobDetails", text);
}

// "HLG (BT.2020, arib-std-b67, bt2020nc, limited range)".
QString colourText(const VideoInfo& v) {
    const QString range = v.colorRange == QLatin1String("pc")   ? tr("full range")
                          : v.colorRange == QLatin1String("tv") ? tr("limited range")
                                                                : tr("range untagged");
    return tr("%1 (primaries %2, transfer %3, matrix %4, %5)")
        .arg(v.hdrFormat, v.colorPrimaries, v.colorTransfer, v.colorMatrix, range);
}

QString row(const QString& label, const QString& value) {
    return QStringLiteral("<tr><td style='color:#666;padding-right:12px'>%1</td><td>%2</td></tr>")
        .arg(label.toHtmlEscaped(), value.toHtmlEscaped());
}

// "interlaced, top field first (flagged tff, picture: tff in 58 of 60 frames)".
QString scanText(const VideoInfo& v) {
    auto order = [](const QString& o) {
        if (o == QLatin1String("tff"))
            return tr("top field first");
        if (o == QLatin1String("bff"))
            return tr("bottom field first");
        return o;
    };
    QString text =
        v.interlaced ? tr("interlaced, %1").arg(order(v.interlacedFieldOrder)) : tr("progressive");
    QString picture = tr("not checked");
    if (v.scannedFrames > 0) {
        const int classified =
            v.detectedTffFrames + v.detectedBffFrames + v.detectedProgressiveFrames;
        picture = tr("%1 (idet: %2 of %3 frames look combed, %4 clearly; %5 progressive)")
                      .arg(order(v.detectedScan))
                      .arg(v.detectedTffFrames + v.detectedBffFrames)
                      .arg(std::max(classified, v.scannedFrames))
                      .arg(v.strictTffFrames + v.strictBffFrames)
                      .arg(v.detectedProgressiveFrames);
    }
    return text + tr(" — flag: %1; picture: %2").arg(order(v.fieldOrder), picture);
}

QString sourceFacts(const MediaInfo& m) {
    QString html = QStringLiteral("<h3>%1</h3><table>").arg(tr("Source"));
    html += row(tr("Container"), m.container);
    html += row(tr("Duration"), QStringLiteral("%1 (%2 s)")
                                    .arg(formatDuration(m.durationSeconds))
                                    .arg(m.durationSeconds, 0, 'f', 3));
    html += row(tr("Size"), QStringLiteral("%1, %2").arg(formatBytes(m.sizeBytes),
                                                         formatBitsPerSecond(m.bitRate)));
    if (m.hasVideo) {
        const VideoInfo& v = m.video;
        QString video = QStringLiteral("%1 %2, %3×%4")
                            .arg(v.codec, v.profile)
                            .arg(v.displayWidth)
                            .arg(v.displayHeight);
        if (v.codedWidth != v.displayWidth || v.codedHeight != v.displayHeight)
            video += tr(" (stored as %1×%2)").arg(v.codedWidth).arg(v.codedHeight);
        video += QStringLiteral(", %1 fps").arg(v.frameRate, 0, 'f', 3);
        if (v.frameRateNum > 0 && v.frameRateDen > 1)
            video += QStringLiteral(" (%1/%2)").arg(v.frameRateNum).arg(v.frameRateDen);
        if (v.variableFrameRate)
            video += tr(" (variable)");
        video += QStringLiteral(", %1, %2-bit %3")
                     .arg(v.pixelFormat)
                     .arg(v.bitDepth)
                     .arg(v.chromaSubsampling);
        if (v.rotationDegrees != 0)
            video += tr(", rotated %1°").arg(v.rotationDegrees);
        html += row(tr("Video"), video);
        html += row(tr("Scan"), scanText(v));
    }
    if (m.hasAudio) {
        const AudioInfo& a = m.audio;
        QString audio = QStringLiteral("%1, %2 ch (%3), %4 Hz, %5")
                            .arg(a.codec)
                            .arg(a.channels)
                            .arg(a.channelLayout)
                            .arg(a.sampleRateHz)
                            .arg(formatBitsPerSecond(a.bitRate));
        if (a.trackCount > 1)
            audio += tr(" — track %1 of %2%3")
                         .arg(a.trackNumber)
                         .arg(a.trackCount)
                         .arg(a.defaultTrack ? tr(", default") : QString());
        if (a.startSeconds > 0.025)
            audio += tr(", starts %1 s after the video").arg(a.startSeconds, 0, 'f', 3);
        html += row(tr("Audio"), audio);
    } else {
        html += row(tr("Audio"), tr("none (the ladder will be video only)"));
    }
    if (m.hasVideo)
        html += row(tr("Colour"), colourText(m.video));
    return html + QStringLiteral("</table>");
}

QString plannedLadder(const QueueItem& item, const Ladder& ladder) {
    QString html = QStringLiteral("<h3>%1</h3>").arg(tr("Ladder for this file"));
    const auto rungs =
        resolveRenditions(ladder, item.media.video.displayWidth, item.media.video.displayHeight);
    html += QStringLiteral(
                "<table cellpadding='2'><tr><th align='left'>%1</th><th align='right'>%2</th>"
                "<th align='right'>%3</th><th align='right'>%4</th></tr>")
                .arg(tr("Rendition"), tr("Size"), tr("Video kb/s"), tr("Max kb/s"));
    for (const ResolvedRendition& r : rungs)
        html +=
            QStringLiteral("<tr><td>%1</td><td align='right'>%2×%3</td><td align='right'>%4</td>"
                           "<td align='right'>%5</td></tr>")
                .arg(r.name.toHtmlEscaped())
                .arg(r.width)
                .arg(r.height)
                .arg(r.videoKbps)
                .arg(r.maxKbps);
    html += QStringLiteral("</table>");
    const int dropped = int(ladder.renditions.size() - rungs.size());
    if (dropped > 0)
        html +=
            QStringLiteral("<p>%1</p>")
                .arg(tr("%1 rung(s) larger than the source are skipped: HLS Forge never upscales.")
                         .arg(dropped));
    html += QStringLiteral("<p>%1</p>")
                .arg(tr("%1 s %2 segments, x264 %3, audio %4 kb/s")
                         .arg(ladder.segmentSeconds)
                         .arg(segmentFormatName(ladder.segmentFormat), ladder.x264Preset)
                         .arg(ladder.audioKbps)
                         .toHtmlEscaped());
    return html;
}

QString resultSummary(const TranscodeResult& r) {
    QString html = QStringLiteral("<h3>%1</h3>").arg(tr("Playlists written"));
    html += QStringLiteral("<p>%1</p>").arg(r.masterPlaylist.toHtmlEscaped());
    html +=
        QStringLiteral(
            "<table cellpadding='2'><tr><th align='left'>%1</th><th align='right'>%2</th>"
            "<th align='right'>BANDWIDTH</th><th align='right'>AVERAGE-BANDWIDTH</th>"
            "<th align='right'>%3</th><th align='right'>%4</th><th align='left'>CODECS</th></tr>")
            .arg(tr("Rendition"), tr("Size"), tr("Segments"), tr("Bytes"));
    for (const RenditionResult& rr : r.renditions)
        html +=
            QStringLiteral("<tr><td>%1</td><td align='right'>%2×%3</td><td align='right'>%4</td>"
                           "<td align='right'>%5</td><td align='right'>%6 (max %7 s)</td>"
                           "<td align='right'>%8</td><td>%9</td></tr>")
                .arg(rr.playlist.toHtmlEscaped())
                .arg(rr.width)
                .arg(rr.height)
                .arg(rr.bandwidth)
                .arg(rr.averageBandwidth)
                .arg(rr.segmentCount)
                .arg(rr.maxSegmentSeconds, 0, 'f', 2)
                .arg(formatBytes(rr.totalBytes))
                .arg(rr.codecs.toHtmlEscaped());
    html += QStringLiteral("</table><p>%1</p>")
                .arg(tr("Encoded in %1 s.").arg(r.elapsedSeconds, 0, 'f', 1));
    if (!r.quality.isEmpty()) {
        html += QStringLiteral("<h3>%1</h3>").arg(tr("Quality (%1)").arg(r.qualityReport));
        html += QStringLiteral("<table cellpadding='2'><tr><th align='left'>%1</th>"
                               "<th align='right'>PSNR</th><th align='right'>Y / U / V</th>"
                               "<th align='right'>SSIM</th><th align='right'>%2</th></tr>")
                    .arg(tr("Rendition"), tr("Lowest segment"));
        auto db = [](double v) {
            return std::isfinite(v) ? QString::number(v, 'f', 2) : QStringLiteral("∞");
        };
        for (const quality::RenditionQuality& q : r.quality) {
            double lowest = std::numeric_limits<double>::infinity();
            for (const quality::SegmentQuality& s : q.segments)
                lowest = std::min(lowest, s.quality.psnrAverage);
            html += QStringLiteral("<tr><td>%1</td><td align='right'>%2 dB</td>"
                                   "<td align='right'>%3 / %4 / %5</td><td align='right'>%6</td>"
                                   "<td align='right'>%7 dB</td></tr>")
                        .arg(q.name.toHtmlEscaped(), db(q.overall.psnrAverage), db(q.overall.psnrY),
                             db(q.overall.psnrU), db(q.overall.psnrV))
                        .arg(q.overall.ssimAll, 0, 'f', 4)
                        .arg(db(lowest));
        }
        html += QStringLiteral("</table><p>%1</p>")
                    .arg(tr("Against the source scaled to each rung's size; the chart below "
                            "shows each segment."));
    }
    if (!r.conversions.isEmpty()) {
        html += QStringLiteral("<h3>%1</h3><ul>").arg(tr("Conversions"));
        for (const QString& line : r.conversions)
            html += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    return html;
}

} // namespace

QString jobDetailsHtml(const QueueItem& item, const Ladder& ladder) {
    QString html = QStringLiteral("<h2>%1</h2><table>")
                       .arg(QFileInfo(item.inputPath).fileName().toHtmlEscaped());
    html += row(tr("File"), item.inputPath);
    html += row(tr("Status"), jobStateName(item.state));
    if (!item.outputDir.isEmpty())
        html += row(item.state == JobState::Done || item.state == JobState::Running
                        ? tr("Output")
                        : tr("Output (planned)"),
                    item.outputDir + QStringLiteral("/master.m3u8"));
    html += QStringLiteral("</table>");
    if (!item.error.isEmpty()) {
        html += QStringLiteral("<h3 style='color:#c62828'>%1</h3><p>%2</p>")
                    .arg(tr("What went wrong"), item.error.toHtmlEscaped());
        if (!item.errorDetail.isEmpty())
            html += QStringLiteral("<p style='color:#666'>%1</p>")
                        .arg(item.errorDetail.toHtmlEscaped());
    }
    if (item.openedLadder) {
        // Opened from disk: what the master playlist lists; the editor's ladder and the
        // source facts do not apply to it.
        html += QStringLiteral("<h3>%1</h3><p>%2</p>")
                    .arg(tr("Finished ladder on disk"),
                         tr("Renditions: %1. Top: %2×%3, %4.")
                             .arg(item.openedRungs.join(QStringLiteral(", ")))
                             .arg(item.media.video.displayWidth)
                             .arg(item.media.video.displayHeight)
                             .arg(formatDuration(item.media.durationSeconds))
                             .toHtmlEscaped());
    } else if (item.probed) {
        html += sourceFacts(item.media);
        if (item.media.hasVideo)
            html += plannedLadder(item, ladder);
    }
    if (item.result && !item.result->warnings.isEmpty()) {
        html += QStringLiteral("<h3>%1</h3><ul>").arg(tr("Warnings"));
        for (const QString& warning : item.result->warnings)
            html += QStringLiteral("<li>%1</li>").arg(warning.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    if (!item.checkSummary.isEmpty())
        html +=
            QStringLiteral("<h3>%1</h3><p>%2</p>")
                .arg(tr("Check (Apple's HLS authoring rules)"), item.checkSummary.toHtmlEscaped());
    if (item.result && item.result->status.isOk())
        html += resultSummary(*item.result);
    html +=
        QStringLiteral("<h3>%1</h3><pre>%2</pre>").arg(tr("Log"), jobLogText(item).toHtmlEscaped());
    return html;
}

QString jobLogText(const QueueItem& item) {
    return item.log.join(QLatin1Char('\n'));
}

} // namespace hlsforge::gui
