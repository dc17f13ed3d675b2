#pragma once
#include <QString>

namespace hlsforge::av {

// FFmpeg's wording for an AVERROR code, e.g. "No such file or directory".
QString errorString(int averror);

} // namespace hlsforge::av
