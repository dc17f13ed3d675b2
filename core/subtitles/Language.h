#pragma once
// Language codes as sources carry them (ISO 639-2 "eng"/"deu"/"fre" in MP4/MKV tags, ISO 639-1
// "de" in sidecar names) mapped to the BCP 47 tags HLS's LANGUAGE attribute wants ("en", "de",
// "fr"), and a human name for NAME ("English", "Deutsch").

#include <QString>

namespace hlsforge::subtitles {

struct LanguageTag {
    QString bcp47;   // "und" when the code is empty or unknown
    QString warning; // set when a non-empty code was not understood
};

// `where` names the file or track in the warning ("talk.xx.srt: unknown language code "xx"...").
LanguageTag toBcp47(const QString& code, const QString& where);

// The language's own name ("Français"), or the tag itself when Qt does not know it.
QString languageDisplayName(const QString& bcp47);

} // namespace hlsforge::subtitles
