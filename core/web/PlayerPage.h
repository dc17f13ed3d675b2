#pragma once
// The player page: an index.html beside a ladder that plays master.m3u8 in any current browser
// with Video.js 8 (its VHS engine plays HLS through Media Source Extensions where the browser
// has no HLS of its own). The page has a quality menu (every rung of the master playlist plus
// "Auto"), shows the rung being played, the poster, the title and a download link to the
// progressive MP4. Every URL in it is relative, so the folder works wherever it is served.
//
// The rungs are read from outputDir/master.m3u8 when the page is written and embedded in it,
// so the referenced files must exist in outputDir first: master playlist, poster and MP4.
// Video.js comes from a pinned jsDelivr URL with Subresource Integrity (Cdn), or is copied
// under outputDir/player/ (SelfContained: no internet needed to watch).

#include "util/Status.h"

#include <QString>

namespace hlsforge {

enum class PlayerScripts { Cdn, SelfContained };

struct PlayerPageOptions {
    QString title;                                          // the input's name
    QString masterPlaylist = QStringLiteral("master.m3u8"); // relative
    QString poster = QStringLiteral("poster.jpg");          // relative; empty: none
    QString progressiveMp4; // relative, e.g. "clip.mp4"; empty: no download link
    // The ladder's WebVTT thumbnails track (cues "sheet-1.jpg#xywh=x,y,w,h"), relative, e.g.
    // "thumbs/thumbnails.vtt": the page shows a picture on seek-bar hover; empty: none.
    QString thumbnailsVtt;
    PlayerScripts scripts = PlayerScripts::Cdn;
};

// Writes outputDir/index.html (and for SelfContained the player files under outputDir/player/).
// InvalidArgument when a path is not relative inside outputDir or a referenced file is missing;
// IoError when writing fails; Internal when the Video.js files of this build are not found.
Status writePlayerPage(const QString& outputDir, const PlayerPageOptions& options);

// "cdn" / "self-contained" (for the CLI flag and settings).
QString playerScriptsName(PlayerScripts scripts);
bool parsePlayerScripts(const QString& name, PlayerScripts* scripts);

// The Video.js version the page uses and the folder its dist files were found in for
// SelfContained pages (empty when not found). Exposed for tests and `--version` style output.
QString playerVideoJsVersion();
QString playerVideoJsDistDir();

} // namespace hlsforge
