#pragma once
// RFC 6381 codec strings for the CODECS attribute, taken from the encoded stream itself.

#include <QString>
#include <cstdint>

namespace hlsforge {

// "avc1.PPCCLL" from H.264 extradata in either avcC or Annex B form; empty if no SPS.
QString h264CodecString(const uint8_t* extradata, int size);

} // namespace hlsforge
