#include "playlist/CodecString.h"

#include <QByteArray>
#include <QStringList>

#include <optional>

namespace hlsforge {

namespace {

QString formatAvc(uint8_t profile, uint8_t constraints, uint8_t level) {
    return QStringLiteral("avc1.%1%2%3")
        .arg(profile, 2, 16, QLatin1Char('0'))
        .arg(constraints, 2, 16, QLatin1Char('0'))
        .arg(level, 2, 16, QLatin1Char('0'));
}

// Reads bits MSB first; reading past the end yields zeros and sets `overrun`, so a parser
// checks once at the end instead of after every field.
class BitReader {
public:
    BitReader(const uint8_t* data, int size) : m_data(data), m_sizeBits(qint64(size) * 8) {}
    uint32_t bits(int count) {
        uint32_t value = 0;
        for (int i = 0; i < count; ++i) {
            value <<= 1;
            if (m_pos < m_sizeBits)
                value |= (m_data[m_pos >> 3] >> (7 - (m_pos & 7))) & 1u;
            else
                m_overrun = true;
            ++m_pos;
        }
        return value;
    }
    bool flag() { return bits(1) != 0; }
    // AV1 uvlc(): leading zeros, then that many bits.
    uint32_t uvlc() {
        int leadingZeros = 0;
        while (!flag()) {
            if (++leadingZeros >= 32 || m_overrun)
                return 0;
        }
        return leadingZeros ? bits(leadingZeros) + ((1u << leadingZeros) - 1) : 0;
    }
    bool overrun() const { return m_overrun; }

private:
    const uint8_t* m_data;
    qint64 m_sizeBits;
    qint64 m_pos = 0;
    bool m_overrun = false;
};

// The 12 bytes of HEVC's general profile_tier_level, the same layout in hvcC and the SPS.
QString formatHevc(const uint8_t* ptl) {
    const int profileSpace = ptl[0] >> 6;
    const bool highTier = (ptl[0] >> 5) & 1;
    const int profileIdc = ptl[0] & 0x1f;
    const uint32_t compatibility = (uint32_t(ptl[1]) << 24) | (uint32_t(ptl[2]) << 16) |
                                   (uint32_t(ptl[3]) << 8) | uint32_t(ptl[4]);
    uint32_t reversed = 0; // flag j is bit 31-j in the stream, bit j in the string
    for (int bit = 0; bit < 32; ++bit)
        if (compatibility & (1u << bit))
            reversed |= 1u << (31 - bit);
    QString text = QStringLiteral("hvc1.");
    if (profileSpace > 0)
        text += QLatin1Char(char('A' + profileSpace - 1));
    text += QString::number(profileIdc) + QLatin1Char('.') +
            QString::number(reversed, 16).toUpper() + QLatin1Char('.') +
            QLatin1Char(highTier ? 'H' : 'L') + QString::number(ptl[11]);
    int lastConstraint = 6;
    while (lastConstraint > 1 && ptl[5 + lastConstraint - 1] == 0)
        --lastConstraint; // trailing zero bytes are left out, but at least one is written
    for (int i = 0; i < lastConstraint; ++i)
        text += QLatin1Char('.') + QString::number(ptl[5 + i], 16).toUpper();
    return text;
}

// An Annex B NAL unit's payload without emulation prevention bytes (00 00 03 → 00 00).
QByteArray unescapeRbsp(const uint8_t* data, int size) {
    QByteArray out;
    out.reserve(size);
    int zeros = 0;
    for (int i = 0; i < size; ++i) {
        if (zeros >= 2 && data[i] == 3) {
            zeros = 0;
            continue;
        }
        zeros = data[i] == 0 ? zeros + 1 : 0;
        out.append(char(data[i]));
    }
    return out;
}

struct Av1Sequence {
    int profile = 0;
    int level = 0;
    bool highTier = false;
    int bitDepth = 8;
    bool monochrome = false;
    int subsamplingX = 1, subsamplingY = 1, chromaSamplePosition = 0;
    int colourPrimaries = 1, transfer = 1, matrix = 1; // BT.709 when not signalled: see below
    bool colourSignalled = false;
    bool fullRange = false;
};

// sequence_header_obu() of the AV1 specification (section 5.5), as far as color_config().
std::optional<Av1Sequence> parseAv1SequenceHeader(const uint8_t* data, int size) {
    BitReader r(data, size);
    Av1Sequence seq;
    seq.profile = int(r.bits(3));
    r.bits(1); // still_picture
    const bool reduced = r.flag();
    bool decoderModelInfo = false;
    int bufferDelayLength = 0;
    if (reduced) {
        seq.level = int(r.bits(5));
    } else {
        if (r.flag()) {   // timing_info_present_flag
            r.bits(32);   // num_units_in_display_tick
            r.bits(32);   // time_scale
            if (r.flag()) // equal_picture_interval
                r.uvlc(); // num_ticks_per_picture_minus_1
            decoderModelInfo = r.flag();
            if (decoderModelInfo) {
                bufferDelayLength = int(r.bits(5)) + 1;
                r.bits(32); // num_units_in_decoding_tick
                r.bits(5);  // buffer_removal_time_length_minus_1
                r.bits(5);  // frame_presentation_time_length_minus_1
            }
        }
        const bool initialDisplayDelay = r.flag();
        const int operatingPoints = int(r.bits(5)) + 1;
        for (int i = 0; i < operatingPoints; ++i) {
            r.bits(12); // operating_point_idc
            const int level = int(r.bits(5));
            const bool tier = level > 7 ? r.flag() : false;
            if (i == 0) { // the codecs string describes operating point 0
                seq.level = level;
                seq.highTier = tier;
            }
            if (decoderModelInfo && r.flag()) { // decoder_model_present_for_this_op
                r.bits(bufferDelayLength);      // decoder_buffer_delay
                r.bits(bufferDelayLength);      // encoder_buffer_delay
                r.bits(1);                      // low_delay_mode_flag
            }
            if (initialDisplayDelay && r.flag())
                r.bits(4); // initial_display_delay_minus_1
        }
    }
    const int widthBits = int(r.bits(4)) + 1;
    const int heightBits = int(r.bits(4)) + 1;
    r.bits(widthBits);
    r.bits(heightBits);
    if (!reduced && r.flag()) { // frame_id_numbers_present_flag
        r.bits(4);
        r.bits(3);
    }
    r.bits(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
    if (!reduced) {
        r.bits(4); // interintra, masked compound, warped motion, dual filter
        const bool orderHint = r.flag();
        if (orderHint)
            r.bits(2); // enable_jnt_comp, enable_ref_frame_mvs
        const int kSelect = 2;
        const int forceScreenContentTools = r.flag() ? kSelect : int(r.bits(1));
        if (forceScreenContentTools > 0 && !r.flag()) // seq_choose_integer_mv
            r.bits(1);                                // seq_force_integer_mv
        if (orderHint)
            r.bits(3); // order_hint_bits_minus_1
    }
    r.bits(3); // enable_superres, enable_cdef, enable_restoration
    // color_config()
    const bool highBitDepth = r.flag();
    if (seq.profile == 2 && highBitDepth)
        seq.bitDepth = r.flag() ? 12 : 10;
    else
        seq.bitDepth = highBitDepth ? 10 : 8;
    seq.monochrome = seq.profile == 1 ? false : r.flag();
    // Unsignalled colour is "unspecified" (2) in the stream; the codecs string's defaults
    // (BT.709, 1) then apply, as the binding says.
    if (r.flag()) { // color_description_present_flag
        seq.colourSignalled = true;
        seq.colourPrimaries = int(r.bits(8));
        seq.transfer = int(r.bits(8));
        seq.matrix = int(r.bits(8));
    }
    const bool srgbIdentity =
        seq.colourSignalled && seq.colourPrimaries == 1 && seq.transfer == 13 && seq.matrix == 0;
    if (seq.monochrome) {
        seq.fullRange = r.flag();
    } else if (srgbIdentity) {
        seq.fullRange = true;
        seq.subsamplingX = seq.subsamplingY = 0;
    } else {
        seq.fullRange = r.flag();
        if (seq.profile == 0) {
            seq.subsamplingX = seq.subsamplingY = 1;
        } else if (seq.profile == 1) {
            seq.subsamplingX = seq.subsamplingY = 0;
        } else if (seq.bitDepth == 12) {
            seq.subsamplingX = int(r.bits(1));
            seq.subsamplingY = seq.subsamplingX ? int(r.bits(1)) : 0;
        } else {
            seq.subsamplingX = 1;
            seq.subsamplingY = 0;
        }
        if (seq.subsamplingX && seq.subsamplingY)
            seq.chromaSamplePosition = int(r.bits(2));
    }
    if (r.overrun())
        return std::nullopt;
    return seq;
}

// The payload of the first sequence header OBU (obu_type 1) in a run of OBUs.
std::optional<QByteArray> findSequenceHeaderObu(const uint8_t* data, int size) {
    int pos = 0;
    while (pos < size) {
        const uint8_t header = data[pos];
        if (header & 0x80)
            return std::nullopt; // obu_forbidden_bit: not OBUs
        const int type = (header >> 3) & 0x0f;
        const bool extension = header & 0x04;
        const bool hasSize = header & 0x02;
        pos += 1 + (extension ? 1 : 0);
        qint64 payloadSize = size - pos;
        if (hasSize) { // leb128()
            payloadSize = 0;
            for (int i = 0; i < 8; ++i) {
                if (pos >= size)
                    return std::nullopt;
                const uint8_t byte = data[pos++];
                payloadSize |= qint64(byte & 0x7f) << (7 * i);
                if (!(byte & 0x80))
                    break;
            }
        }
        if (payloadSize < 0 || pos + payloadSize > size)
            return std::nullopt;
        if (type == 1)
            return QByteArray(reinterpret_cast<const char*>(data + pos), int(payloadSize));
        pos += int(payloadSize);
    }
    return std::nullopt;
}

QString formatAv1(const Av1Sequence& seq) {
    QString text = QStringLiteral("av01.%1.%2%3.%4")
                       .arg(seq.profile)
                       .arg(seq.level, 2, 10, QLatin1Char('0'))
                       .arg(QLatin1Char(seq.highTier ? 'H' : 'M'))
                       .arg(seq.bitDepth, 2, 10, QLatin1Char('0'));
    const bool defaults = !seq.monochrome && seq.subsamplingX == 1 && seq.subsamplingY == 1 &&
                          seq.chromaSamplePosition == 0 && seq.colourPrimaries == 1 &&
                          seq.transfer == 1 && seq.matrix == 1 && !seq.fullRange;
    if (defaults)
        return text;
    // All optional fields or none, per the binding.
    return text + QStringLiteral(".%1.%2%3%4.%5.%6.%7.%8")
                      .arg(seq.monochrome ? 1 : 0)
                      .arg(seq.subsamplingX)
                      .arg(seq.subsamplingY)
                      .arg(seq.subsamplingX && seq.subsamplingY ? seq.chromaSamplePosition : 0)
                      .arg(seq.colourPrimaries, 2, 10, QLatin1Char('0'))
                      .arg(seq.transfer, 2, 10, QLatin1Char('0'))
                      .arg(seq.matrix, 2, 10, QLatin1Char('0'))
                      .arg(seq.fullRange ? 1 : 0);
}

} // namespace

QString h264CodecString(const uint8_t* data, int size) {
    if (!data || size < 4)
        return {};
    // avcC: configurationVersion 1, then profile, compatibility (constraint flags), level.
    if (data[0] == 1)
        return formatAvc(data[1], data[2], data[3]);
    // Annex B: find the first SPS NAL (type 7); the three bytes after its header.
    for (int i = 0; i + 3 < size; ++i) {
        if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
            const int nal = i + 3;
            if (nal + 3 < size && (data[nal] & 0x1f) == 7)
                return formatAvc(data[nal + 1], data[nal + 2], data[nal + 3]);
        }
    }
    return {};
}

QString hevcCodecString(const uint8_t* data, int size) {
    if (!data || size < 13)
        return {};
    // hvcC: configurationVersion 1, then the 12 bytes of general profile_tier_level.
    if (data[0] == 1)
        return formatHevc(data + 1);
    // Annex B: the first SPS (NAL type 33). After its 2-byte NAL header, one byte holds
    // sps_video_parameter_set_id, sps_max_sub_layers_minus1 and the nesting flag, and the
    // byte-aligned general profile_tier_level follows.
    for (int i = 0; i + 3 < size; ++i) {
        if (data[i] != 0 || data[i + 1] != 0 || data[i + 2] != 1)
            continue;
        const int nal = i + 3;
        if (nal >= size || ((data[nal] >> 1) & 0x3f) != 33)
            continue;
        int end = nal;
        while (end + 2 < size && !(data[end] == 0 && data[end + 1] == 0 &&
                                   (data[end + 2] == 1 || data[end + 2] == 0)))
            ++end;
        if (end + 2 >= size)
            end = size;
        const QByteArray rbsp = unescapeRbsp(data + nal, end - nal);
        if (rbsp.size() < 3 + 12)
            return {};
        return formatHevc(reinterpret_cast<const uint8_t*>(rbsp.constData()) + 3);
    }
    return {};
}

QString av1CodecString(const uint8_t* data, int size) {
    if (!data || size < 1)
        return {};
    const uint8_t* obus = data;
    int obusSize = size;
    if (data[0] == 0x81) { // av1C: marker 1, version 1; then profile/level, tier/depth/colour
        if (size < 4)
            return {};
        // The configOBUs after the 4 fixed bytes carry the sequence header with the colour;
        // without them the fixed bytes still give profile, level, tier and depth.
        obus = data + 4;
        obusSize = size - 4;
        if (obusSize == 0) {
            Av1Sequence seq;
            seq.profile = data[1] >> 5;
            seq.level = data[1] & 0x1f;
            seq.highTier = data[2] & 0x80;
            const bool highBitDepth = data[2] & 0x40, twelveBit = data[2] & 0x20;
            seq.bitDepth = twelveBit ? 12 : highBitDepth ? 10 : 8;
            seq.monochrome = data[2] & 0x10;
            seq.subsamplingX = (data[2] >> 3) & 1;
            seq.subsamplingY = (data[2] >> 2) & 1;
            seq.chromaSamplePosition = data[2] & 3;
            return formatAv1(seq);
        }
    }
    const std::optional<QByteArray> payload = findSequenceHeaderObu(obus, obusSize);
    if (!payload)
        return {};
    const std::optional<Av1Sequence> seq = parseAv1SequenceHeader(
        reinterpret_cast<const uint8_t*>(payload->constData()), int(payload->size()));
    return seq ? formatAv1(*seq) : QString();
}

} // namespace hlsforge
