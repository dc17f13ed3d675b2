#pragma once
// ColourPipeline: how a source's picture becomes the ladder's SDR BT.709 picture, decided
// once per source from its probed colour tags (a pure function: no FFmpeg calls, unit-tested).
//
// The plan is one libavfilter chain that runs once, in the shared normalisation stage before
// the fan-out to the rungs, and outputs 8-bit 4:2:0 BT.709 limited-range frames tagged as
// such; the rungs then only scale. Every SDR rung is tagged BT.709/limited in its VUI. HDR
// rungs ("hdr": true) get a second chain (addHdrKeep) that keeps HLG/PQ in 10 bits.
//
//  - HLG / PQ BT.2020 (also Dolby Vision with an HLG/HDR10 base layer: the base layer is
//    what FFmpeg decodes) are converted to SDR BT.709. Reference white (203 cd/m², HLG 75 %,
//    BT.2408) lands on SDR white. "fast" does it with one zscale pass straight to 8-bit
//    (highlights above reference white clip); "mobius"/"hable" go through float linear light
//    and libavfilter's tonemap, so highlights roll off up to the source's peak (costlier).
//  - SD matrices (BT.601 / SMPTE 170M / BT.470BG) are converted to BT.709; untagged sources
//    follow the usual convention by size (<= 576 lines: BT.601, else BT.709).
//  - Full range (yuvj*, color_range=pc) is converted to limited range.

#include "probe/MediaProbe.h"

#include <QString>
#include <QStringList>

#include <string>

namespace hlsforge {

// Reference white of HDR video in cd/m² (ITU-R BT.2408): where SDR white goes.
constexpr double kHdrReferenceWhiteNits = 203.0;

struct ColourPlan {
    // Chain for the normalisation graph, without leading/trailing comma; empty when the
    // decoded frames are already 8-bit 4:2:0 BT.709 limited range.
    std::string filter;
    QString hdrFormat; // "SDR", "HLG", "PQ" (Dolby Vision is named by its base layer)
    // The HDR rungs' chain (addHdrKeep), for a second normalised stream beside the SDR one;
    // empty when the ladder has no HDR rungs for this source.
    std::string hdrFilter;
    QStringList conversions; // what is done, in words ("HDR (HLG) tone-mapped to SDR BT.709")
    QStringList warnings;    // e.g. a Dolby Vision profile without a usable base layer
};

// `toneMap` is the ladder's setting: "auto" (HLG: fast, PQ: mobius), "fast", "mobius", "hable".
ColourPlan planColour(const VideoInfo& source, const QString& toneMap);

// For a ladder with HDR rungs on an HLG or PQ source (plan.hdrFormat): the chain that keeps
// the source's HDR for those rungs - 10-bit 4:2:0 BT.2020 limited range, its transfer kept,
// no tone map, tagged as such - and what is done, in words. The SDR chain stays as planned.
void addHdrKeep(const VideoInfo& source, ColourPlan* plan);

} // namespace hlsforge
