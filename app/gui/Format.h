#pragma once
// The GUI's formatters are core's (core/util/Format.h), shared with the CLI.

#include "util/Format.h"

namespace hlsforge::gui {
using hlsforge::formatBitsPerSecond;
using hlsforge::formatBytes;
using hlsforge::formatDuration;
} // namespace hlsforge::gui
