#pragma once
// RFC 6381 codec strings for the CODECS attribute, taken from the encoded stream itself
// (the encoder's extradata), never from the settings we asked for: a player's
// `isTypeSupported()` checks these, and an encoder may pick another level or profile.

#include <QString>
#include <cstdint>

namespace hlsforge {

// "avc1.PPCCLL" from H.264 extradata in either avcC or Annex B form; empty if no SPS.
QString h264CodecString(const uint8_t* extradata, int size);

// "hvc1.[A-C]P.FLAGS.[LH]LEVEL.C1[.C2…]" (ISO/IEC 14496-15 Annex E) from HEVC extradata in
// hvcC or Annex B form (the SPS's profile_tier_level): profile space and idc, the 32
// compatibility flags in reverse bit order as hex, tier and level_idc, then the six
// constraint bytes with trailing zero bytes left out. `hvc1` because we write the parameter
// sets in the sample entry, which Apple requires. Empty if there is no SPS.
QString hevcCodecString(const uint8_t* extradata, int size);

// "av01.P.LLT.DD" (AV1 Codec ISO Media File Format Binding, "Codecs Parameter String") from
// AV1 extradata: an av1C record or the sequence header OBU itself. Profile, two-digit
// seq_level_idx, tier M/H, bit depth; when the colour is not the default BT.709 SDR (an HDR
// rung, full range…) the long form ".M.CCC.cp.tc.mc.F" follows. Empty if no sequence header.
QString av1CodecString(const uint8_t* extradata, int size);

} // namespace hlsforge
