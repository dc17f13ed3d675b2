#include "subtitles/Language.h"

#include <QLocale>
#include <QRegularExpression>

namespace hlsforge::subtitles {

namespace {

// ISO 639-2/B (bibliographic) codes that differ from the terminology codes QLocale knows.
struct Alias {
    const char* code;
    const char* bcp47;
};
constexpr Alias kBibliographic[] = {
    {"fre", "fr"}, {"ger", "de"}, {"dut", "nl"}, {"chi", "zh"}, {"cze", "cs"},
    {"gre", "el"}, {"per", "fa"}, {"rum", "ro"}, {"slo", "sk"}, {"alb", "sq"},
    {"arm", "hy"}, {"baq", "eu"}, {"bur", "my"}, {"geo", "ka"}, {"ice", "is"},
    {"mac", "mk"}, {"mao", "mi"}, {"may", "ms"}, {"tib", "bo"}, {"wel", "cy"},
};

} // namespace

LanguageTag toBcp47(const QString& code, const QString& where) {
    const QString c = code.trimmed().toLower();
    if (c.isEmpty() || c == QLatin1String("und") || c == QLatin1String("unk"))
        return {QStringLiteral("und"), {}};
    for (const Alias& a : kBibliographic)
        if (c == QLatin1String(a.code))
            return {QString::fromLatin1(a.bcp47), {}};
    // A BCP 47 tag with a region ("pt-BR", "en_US") keeps its region.
    const QString primary = c.section(QRegularExpression(QStringLiteral("[-_]")), 0, 0);
    QString region;
    if (primary.size() != c.size())
        region = code.trimmed().mid(primary.size() + 1).toUpper();
    if (primary.size() == 2 || primary.size() == 3) {
        const QLocale::Language language = QLocale::codeToLanguage(
            primary, primary.size() == 2 ? QLocale::LanguageCodeTypes(QLocale::ISO639Part1)
                                         : QLocale::ISO639Part2 | QLocale::ISO639Part3);
        if (language != QLocale::AnyLanguage && language != QLocale::C) {
            // The shortest code is the BCP 47 one (two letters where ISO 639-1 has it).
            QString tag = QLocale::languageToCode(language, QLocale::ISO639Part1);
            if (tag.isEmpty())
                tag = QLocale::languageToCode(language, QLocale::ISO639Part2);
            if (!tag.isEmpty())
                return {region.isEmpty() ? tag : tag + QLatin1Char('-') + region, {}};
        }
    }
    return {QStringLiteral("und"),
            QStringLiteral("%1: unknown language code \"%2\"; the track is labelled \"und\" "
                           "(undetermined)")
                .arg(where, code)};
}

QString languageDisplayName(const QString& bcp47) {
    if (bcp47.isEmpty() || bcp47 == QLatin1String("und"))
        return QStringLiteral("Unknown language");
    const QLocale locale(bcp47);
    if (locale.language() == QLocale::C)
        return bcp47;
    // en's default locale is en_US, whose native name is "American English".
    QString name = locale.language() == QLocale::English ? QStringLiteral("English")
                                                         : locale.nativeLanguageName();
    if (name.isEmpty())
        name = QLocale::languageToString(locale.language());
    // Native names come lower-case for some languages ("français"); menus capitalise.
    if (!name.isEmpty())
        name[0] = name[0].toUpper();
    return name;
}

} // namespace hlsforge::subtitles
