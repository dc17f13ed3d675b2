#include "web/PlayerPageStep.h"

#include "web/PlayerPage.h"

#include <QFileInfo>

namespace hlsforge {

Status PlayerPageStep::finish(const FinishedLadder& ladder) {
    PlayerPageOptions page;
    page.title = QFileInfo(ladder.request.inputPath).completeBaseName();
    page.poster = ladder.result.poster;
    page.progressiveMp4 = ladder.result.progressiveMp4;
    // Written by the finishing stage before the steps run, when the ladder asks for thumbnails.
    if (QFileInfo::exists(ladder.directory + QLatin1String("/thumbs/thumbnails.vtt")))
        page.thumbnailsVtt = QStringLiteral("thumbs/thumbnails.vtt");
    parsePlayerScripts(ladder.request.ladder.playerScripts, &page.scripts);
    const Status written = writePlayerPage(ladder.directory, page);
    if (!written.isOk())
        return Status::error(written.code(),
                             QStringLiteral("player page: %1").arg(written.message()),
                             written.detail());
    ladder.result.playerPage = QStringLiteral("index.html");
    return Status::ok();
}

} // namespace hlsforge
