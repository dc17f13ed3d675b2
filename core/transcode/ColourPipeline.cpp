#include "transcode/ColourPipeline.h"

#include <QSet>

#include <algorithm>

namespace hlsforge {

namespace {

bool isTagged(const QString& name) {
    return !name.isEmpty() && name != QLatin1String("unknown") &&
           name != QLatin1String("unspecified") && name != QLatin1String("reserved");
}

// The BT.601 family: SMPTE 170M (NTSC) and BT.470BG (PAL) share the same matrix.
bool isBt601Matrix(const QString& m) {
    return m == QLatin1String("smpte170m") || m == QLatin1String("bt470bg");
}

// vf_scale's name for a matrix (it has its own vocabulary); empty when it has none.
QString scaleMatrixName(const QString& m) {
    if (isBt601Matrix(m))
        return QStringLiteral("bt601");
    if (m == QLatin1String("bt709") || m == QLatin1String("fcc") || m == QLatin1String("smpte240m"))
        return m;
    if (m == QLatin1String("bt2020nc") || m == QLatin1String("bt2020c"))
        return QStringLiteral("bt2020");
    return {};
}

QString matrixWords(const QString& m) {
    if (isBt601Matrix(m))
        return QStringLiteral("BT.601");
    if (m == QLatin1String("bt2020nc") || m == QLatin1String("bt2020c"))
        return QStringLiteral("BT.2020");
    if (m == QLatin1String("smpte240m"))
        return QStringLiteral("SMPTE 240M");
    return m.toUpper();
}

// zscale accepts FFmpeg's own names for these; anything else is left to the frame's tags.
bool zscaleKnows(const QString& name) {
    static const QSet<QString> known = {
        QStringLiteral("bt709"),        QStringLiteral("bt2020"),    QStringLiteral("bt2020nc"),
        QStringLiteral("bt2020c"),      QStringLiteral("smpte170m"), QStringLiteral("bt470bg"),
        QStringLiteral("smpte2084"),    QStringLiteral("bt2020-10"), QStringLiteral("bt2020-12"),
        QStringLiteral("arib-std-b67"), QStringLiteral("smpte240m"), QStringLiteral("linear")};
    return known.contains(name);
}

} // namespace

ColourPlan planColour(const VideoInfo& v, const QString& toneMap) {
    ColourPlan plan;
    const QString& transfer = v.colorTransfer;
    // Dolby Vision: FFmpeg decodes the base layer; its signal compatibility says what it is
    // when the stream's own transfer tag is missing (4: HLG, 1 and 6: HDR10/PQ).
    bool hlg = transfer == QLatin1String("arib-std-b67");
    bool pq = transfer == QLatin1String("smpte2084");
    if (!hlg && !pq && v.dolbyVisionProfile > 0) {
        hlg = v.dolbyVisionCompatibility == 4;
        pq = v.dolbyVisionCompatibility == 1 || v.dolbyVisionCompatibility == 6;
    }
    if (v.dolbyVisionProfile > 0) {
        if (hlg || pq)
            plan.conversions << QStringLiteral("Dolby Vision profile %1: the %2 base layer is used")
                                    .arg(v.dolbyVisionProfile)
                                    .arg(hlg ? QStringLiteral("HLG") : QStringLiteral("HDR10"));
        else if (v.dolbyVisionCompatibility == 0)
            plan.warnings
                << QStringLiteral(
                       "Dolby Vision profile %1 has no standard base layer; colours may be off")
                       .arg(v.dolbyVisionProfile);
    }
    const bool hdr = hlg || pq;
    plan.hdrFormat = hlg  ? QStringLiteral("HLG")
                     : pq ? QStringLiteral("PQ")
                          : QStringLiteral("SDR");

    // Untagged values follow the usual convention: HDR is BT.2020; SD (<= 576 lines) BT.601,
    // HD BT.709. A portrait phone clip is stored landscape, so the stored height decides.
    const bool sd = v.codedHeight > 0 && v.codedHeight <= 576;
    QString matrix = v.colorMatrix;
    bool matrixAssumed = false;
    if (!isTagged(matrix)) {
        matrixAssumed = true;
        matrix = hdr  ? QStringLiteral("bt2020nc")
                 : sd ? QStringLiteral("smpte170m")
                      : QStringLiteral("bt709");
    }
    QString primaries = v.colorPrimaries;
    if (!isTagged(primaries))
        primaries = hdr ? QStringLiteral("bt2020") : QString();
    const bool fullRange =
        v.colorRange == QLatin1String("pc") || v.pixelFormat.startsWith(QLatin1String("yuvj"));
    const QString range = fullRange ? QStringLiteral("full") : QStringLiteral("limited");
    const bool eightBit420 =
        v.pixelFormat == QLatin1String("yuv420p") || v.pixelFormat == QLatin1String("yuvj420p");
    const bool wideGamutSdr = !hdr && (primaries == QLatin1String("bt2020"));
    static const QString kTags =
        QStringLiteral("setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv");

    if (hdr || wideGamutSdr) {
        // zscale converts matrix, transfer, primaries and range in one go; the input tags are
        // given explicitly so frames without per-frame tags are read the same way.
        QString in;
        auto addIn = [&in](const char* key, const QString& value) {
            if (zscaleKnows(value))
                in += QStringLiteral("%1=%2:").arg(QLatin1String(key), value);
        };
        addIn("tin", hdr ? (hlg ? QStringLiteral("arib-std-b67") : QStringLiteral("smpte2084"))
                         : transfer);
        addIn("min", matrix);
        addIn("pin", primaries);
        in += QStringLiteral("rin=%1:").arg(range);
        const QString npl = QString::number(kHdrReferenceWhiteNits, 'f', 0);
        QString op = toneMap;
        if (op.isEmpty() || op == QLatin1String("auto"))
            op = pq ? QStringLiteral("mobius") : QStringLiteral("fast");
        if (!hdr)
            op = QStringLiteral("fast"); // SDR BT.2020: a gamut conversion, nothing to compress
        QString chain;
        QString how;
        if (op == QLatin1String("fast")) {
            // One integer-in, integer-out pass: about 8 ms a 1080p frame on one core.
            chain = QStringLiteral("zscale=%1t=bt709:m=bt709:p=bt709:r=limited:npl=%2,"
                                   "format=yuv420p")
                        .arg(in, npl);
            how = QStringLiteral("fast: reference white to SDR white, brighter highlights clip");
        } else {
            // Linear light in float, relative to reference white; the operator compresses
            // everything up to the signalled peak (1000 cd/m² when the file does not say).
            const double peakNits =
                v.peakLuminanceNits > kHdrReferenceWhiteNits ? v.peakLuminanceNits : 1000.0;
            const double peak = peakNits / kHdrReferenceWhiteNits;
            // mobius keeps everything below half of SDR white's linear light exactly as it is
            // and rolls off above; hable is the filmic curve (darker, flatter midtones).
            const QString params =
                op == QLatin1String("mobius") ? QStringLiteral(":param=0.5") : QString();
            chain = QStringLiteral("zscale=%1t=linear:npl=%2,format=gbrpf32le,zscale=p=bt709,"
                                   "tonemap=%3%4:desat=0:peak=%5,"
                                   "zscale=t=bt709:m=bt709:r=limited,format=yuv420p")
                        .arg(in, npl, op, params, QString::number(peak, 'f', 3));
            how = QStringLiteral("%1, peak %2 cd/m²").arg(op).arg(peakNits, 0, 'f', 0);
        }
        plan.filter = (chain + QLatin1Char(',') + kTags).toStdString();
        if (hdr)
            plan.conversions << QStringLiteral("HDR (%1) tone-mapped to SDR BT.709 (%2)")
                                    .arg(plan.hdrFormat, how);
        else
            plan.conversions << QStringLiteral("BT.2020 converted to BT.709");
        if (fullRange)
            plan.conversions << QStringLiteral("full range converted to limited");
        return plan;
    }

    // SDR: matrix and range with swscale (integer, cheap); also down to 8-bit 4:2:0 once
    // here rather than once per rung.
    const QString scaleMatrix = scaleMatrixName(matrix);
    const bool convertMatrix = !scaleMatrix.isEmpty() && scaleMatrix != QLatin1String("bt709");
    if (!convertMatrix && !fullRange && eightBit420)
        return plan; // already what the rungs want; the rungs' VUI says BT.709
    QString chain = QStringLiteral("scale=in_range=%1:out_range=tv").arg(range);
    if (convertMatrix)
        chain += QStringLiteral(":in_color_matrix=%1:out_color_matrix=bt709").arg(scaleMatrix);
    chain += QStringLiteral(",format=yuv420p,") + kTags;
    plan.filter = chain.toStdString();
    if (convertMatrix)
        plan.conversions << QStringLiteral("%1 converted to BT.709%2")
                                .arg(matrixWords(matrix),
                                     matrixAssumed
                                         ? QStringLiteral(" (untagged %1-line source: %2 assumed)")
                                               .arg(v.codedHeight)
                                               .arg(matrixWords(matrix))
                                         : QString());
    if (fullRange)
        plan.conversions << QStringLiteral("full range converted to limited");
    return plan;
}

void addHdrKeep(const VideoInfo& v, ColourPlan* plan) {
    const bool hlg = plan->hdrFormat == QLatin1String("HLG");
    if (!hlg && plan->hdrFormat != QLatin1String("PQ"))
        return; // an SDR source: nothing to keep (the transcode leaves the HDR rungs out)
    std::string chain;
    const bool fullRange =
        v.colorRange == QLatin1String("pc") || v.pixelFormat.startsWith(QLatin1String("yuvj"));
    if (fullRange) // swscale converts the range; the matrix and transfer stay as they are
        chain = "scale=in_range=full:out_range=tv,";
    // 10-bit 4:2:0 is what HEVC Main 10 and AV1 Main carry (a 4:2:2 or 12-bit source is
    // brought down here, once, for every HDR rung). The tags are set explicitly: the encoders'
    // VUI / sequence header say the same.
    chain += "format=yuv420p10le,setparams=color_primaries=bt2020:color_trc=";
    chain += hlg ? "arib-std-b67" : "smpte2084";
    chain += ":colorspace=bt2020nc:range=tv";
    plan->hdrFilter = chain;
    plan->conversions << QStringLiteral("HDR (%1) kept in the HDR rungs (10-bit BT.2020%2)")
                             .arg(plan->hdrFormat,
                                  fullRange ? QStringLiteral(", limited range") : QString());
}

} // namespace hlsforge
