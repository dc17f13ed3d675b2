#pragma once
// The details pane's content for one queue item: probe facts, the ladder it gets, warnings,
// the playlists' summary after a run, errors in plain words, and the log.

#include "QueueItem.h"

#include <QString>

namespace hlsforge::gui {

QString jobDetailsHtml(const QueueItem& item, const Ladder& ladder);
QString jobLogText(const QueueItem& item); // plain text, for "Copy log" and saving

} // namespace hlsforge::gui
