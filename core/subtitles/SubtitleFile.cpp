#include "subtitles/SubtitleFile.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringDecoder>

#include <algorithm>

namespace hlsforge::subtitles {

namespace {

// Windows-1252's 0x80..0x9F (the rest of the byte range is Latin-1); 0 = undefined byte.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

QString fromWindows1252(const QByteArray& bytes) {
    QString out;
    out.reserve(bytes.size());
    for (char ch : bytes) {
        const auto b = static_cast<unsigned char>(ch);
        if (b >= 0x80 && b < 0xA0)
            out += QChar(kCp1252High[b - 0x80] ? kCp1252High[b - 0x80] : char16_t(0xFFFD));
        else
            out += QChar(char16_t(b));
    }
    return out;
}

bool isTimingLine(const QString& line) {
    return line.contains(QLatin1String("-->"));
}

} // namespace

QString decodeSubtitleText(const QByteArray& bytes, QString* encoding) {
    QByteArray body = bytes;
    if (body.startsWith("\xEF\xBB\xBF"))
        body.remove(0, 3);
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8.decode(body);
    if (!utf8.hasError()) {
        if (encoding)
            *encoding = QStringLiteral("UTF-8");
        return text;
    }
    if (encoding)
        *encoding = QStringLiteral("Windows-1252");
    return fromWindows1252(body);
}

qint64 parseCueTimestamp(QStringView text) {
    // [hh:]mm:ss[,.]mmm
    const QString t = text.trimmed().toString();
    const qsizetype sep =
        std::max(t.lastIndexOf(QLatin1Char(',')), t.lastIndexOf(QLatin1Char('.')));
    if (sep < 0)
        return -1;
    bool ok = false;
    const QString fraction = t.mid(sep + 1);
    if (fraction.isEmpty() || fraction.size() > 3)
        return -1;
    const int ms = fraction.leftJustified(3, QLatin1Char('0')).toInt(&ok);
    if (!ok)
        return -1;
    const QStringList parts = t.left(sep).split(QLatin1Char(':'));
    if (parts.size() < 2 || parts.size() > 3)
        return -1;
    qint64 seconds = 0;
    for (int i = 0; i < parts.size(); ++i) {
        const int v = parts[i].toInt(&ok);
        if (!ok || v < 0 || (i > 0 && v > 59) || parts[i].isEmpty())
            return -1;
        seconds = seconds * 60 + v;
    }
    return seconds * 1000 + ms;
}

StatusOr<QVector<Cue>> parseSubtitleText(const QString& text, const QString& sourceName) {
    QString normalised = text;
    normalised.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    normalised.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    const QStringList lines = normalised.split(QLatin1Char('\n'));
    const bool vtt = !lines.isEmpty() && lines[0].trimmed().startsWith(QLatin1String("WEBVTT"));
    QVector<Cue> cues;
    int n = vtt ? 1 : 0;
    auto fail = [&](int lineIndex, const QString& why) {
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1, line %2: %3").arg(sourceName).arg(lineIndex + 1).arg(why));
    };
    while (n < lines.size()) {
        // Skip blank lines, then one block: [number or cue id,] timing line, text lines.
        while (n < lines.size() && lines[n].trimmed().isEmpty())
            ++n;
        if (n >= lines.size())
            break;
        const QString first = lines[n].trimmed();
        if (vtt &&
            (first.startsWith(QLatin1String("NOTE")) || first.startsWith(QLatin1String("STYLE")) ||
             first.startsWith(QLatin1String("REGION")))) {
            while (n < lines.size() && !lines[n].trimmed().isEmpty())
                ++n;
            continue;
        }
        if (!isTimingLine(first)) {
            ++n; // the cue number (SRT) or identifier (WebVTT)
            if (n >= lines.size() || !isTimingLine(lines[n]))
                return fail(n >= lines.size() ? n - 1 : n,
                            QStringLiteral("expected a timing line such as "
                                           "\"00:00:01,000 --> 00:00:03,500\""));
        }
        const QString timing = lines[n].trimmed();
        const qsizetype arrow = timing.indexOf(QLatin1String("-->"));
        const qint64 start = parseCueTimestamp(QStringView(timing).left(arrow));
        // WebVTT may follow the end time with cue settings ("align:start").
        const QString endPart = timing.mid(arrow + 3).trimmed().section(QLatin1Char(' '), 0, 0);
        const qint64 end = parseCueTimestamp(endPart);
        if (start < 0 || end < 0)
            return fail(n, QStringLiteral("cannot read the timing \"%1\"").arg(timing));
        if (end < start)
            return fail(n, QStringLiteral("the cue ends before it starts (\"%1\")").arg(timing));
        ++n;
        QStringList textLines;
        while (n < lines.size() && !lines[n].trimmed().isEmpty()) {
            if (isTimingLine(lines[n]))
                return fail(n, QStringLiteral("a timing line inside a cue's text (a blank line "
                                              "is missing before it)"));
            textLines << lines[n].trimmed();
            ++n;
        }
        Cue cue{start, end, textLines.join(QLatin1Char('\n'))};
        // SRT's and WebVTT's own markup (<i>, <b>, <font ...>, {\an8}) is dropped: the
        // renditions carry plain text.
        static const QRegularExpression tags(QStringLiteral("<[^>]*>|\\{\\\\[^}]*\\}"));
        cue.text.remove(tags);
        cue.text.replace(QLatin1String("&lt;"), QLatin1String("<"));
        cue.text.replace(QLatin1String("&gt;"), QLatin1String(">"));
        cue.text.replace(QLatin1String("&nbsp;"), QLatin1String(" "));
        cue.text.replace(QLatin1String("&amp;"), QLatin1String("&"));
        if (!cue.text.isEmpty() && end > start)
            cues.append(cue);
    }
    std::stable_sort(cues.begin(), cues.end(),
                     [](const Cue& a, const Cue& b) { return a.startMs < b.startMs; });
    return cues;
}

StatusOr<QVector<Cue>> readSubtitleFile(const QString& path) {
    QFile file(path);
    const QString name = QFileInfo(path).fileName();
    if (!file.open(QIODevice::ReadOnly))
        return Status::error(
            Status::Code::InvalidInput,
            QStringLiteral("%1: cannot read subtitle file (%2)").arg(path, file.errorString()));
    // Subtitle files are small; a huge one is not a subtitle file.
    if (file.size() > 64 * 1024 * 1024)
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: too large for a subtitle file").arg(path));
    return parseSubtitleText(decodeSubtitleText(file.readAll()), name);
}

} // namespace hlsforge::subtitles
