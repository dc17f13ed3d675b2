#include "ladder/Presets.h"

#include <QFileInfo>

namespace hlsforge {

namespace {

Ladder makeLadder(std::initializer_list<Rendition> rungs) {
    Ladder ladder;
    ladder.renditions = rungs;
    return ladder;
}

Rendition rung(const QString& name, int height, int kbps, VideoCodec codec) {
    Rendition r{name, height, kbps, 0};
    r.codec = codec;
    return r;
}

// An HEVC rung that keeps the source's HDR (Rendition::hdr).
Rendition hdrRung(const QString& name, int height, int kbps) {
    Rendition r = rung(name, height, kbps, VideoCodec::Hevc);
    r.hdr = true;
    return r;
}

// Apple's H.264 ladder (HLS authoring spec 1.25), also the fallback of the HEVC ladder.
QVector<Rendition> appleH264Rungs() {
    return {{QStringLiteral("1080p-hi"), 1080, 7800, 0}, {QStringLiteral("1080p"), 1080, 6000, 0},
            {QStringLiteral("720p-hi"), 720, 4500, 0},   {QStringLiteral("720p"), 720, 3000, 0},
            {QStringLiteral("540p"), 540, 2000, 0},      {QStringLiteral("432p-hi"), 432, 1100, 0},
            {QStringLiteral("432p"), 432, 730, 0},       {QStringLiteral("360p"), 360, 365, 0},
            {QStringLiteral("234p"), 234, 145, 0}};
}

} // namespace

const QVector<LadderPreset>& ladderPresets() {
    static const QVector<LadderPreset> presets = {
        {QStringLiteral("apple"),
         QStringLiteral(
             "Apple HLS authoring spec H.264 ladder (9 rungs, 234p-1080p, 145-7800 kb/s)"),
         [] {
             Ladder l;
             l.renditions = appleH264Rungs();
             return l;
         }()},
        {QStringLiteral("apple-hevc"),
         QStringLiteral("Apple HLS authoring spec HEVC ladder (12 rungs, 360p-2160p, 145-16800 "
                        "kb/s) with its H.264 ladder as the fallback for older devices; fMP4"),
         [] {
             const VideoCodec hevc = VideoCodec::Hevc;
             Ladder l;
             l.segmentFormat = SegmentFormat::Fmp4;
             l.renditions = {rung(QStringLiteral("2160p-hevc-hi"), 2160, 16800, hevc),
                             rung(QStringLiteral("2160p-hevc"), 2160, 11600, hevc),
                             rung(QStringLiteral("1440p-hevc"), 1440, 8100, hevc),
                             rung(QStringLiteral("1080p-hevc-hi"), 1080, 5800, hevc),
                             rung(QStringLiteral("1080p-hevc"), 1080, 4500, hevc),
                             rung(QStringLiteral("720p-hevc-hi"), 720, 3400, hevc),
                             rung(QStringLiteral("720p-hevc"), 720, 2400, hevc),
                             rung(QStringLiteral("540p-hevc-hi"), 540, 1600, hevc),
                             rung(QStringLiteral("540p-hevc-mid"), 540, 900, hevc),
                             rung(QStringLiteral("540p-hevc"), 540, 600, hevc),
                             rung(QStringLiteral("432p-hevc"), 432, 300, hevc),
                             rung(QStringLiteral("360p-hevc"), 360, 145, hevc)};
             l.renditions += appleH264Rungs();
             return l;
         }()},
        {QStringLiteral("apple-hdr"),
         QStringLiteral("Apple HLS authoring spec HEVC HDR ladder (12 rungs, 360p-2160p, 160-20000 "
                        "kb/s; HLG or PQ kept from an HDR source) with its H.264 SDR ladder as "
                        "the SDR variants; fMP4"),
         [] {
             // The HDR column of the spec's HEVC table: about 20 % above the SDR rates, as HDR
             // pictures carry more detail in highlights and shadows.
             Ladder l;
             l.segmentFormat = SegmentFormat::Fmp4;
             l.renditions = {hdrRung(QStringLiteral("2160p-hdr-hi"), 2160, 20000),
                             hdrRung(QStringLiteral("2160p-hdr"), 2160, 13900),
                             hdrRung(QStringLiteral("1440p-hdr"), 1440, 9700),
                             hdrRung(QStringLiteral("1080p-hdr-hi"), 1080, 7000),
                             hdrRung(QStringLiteral("1080p-hdr"), 1080, 5400),
                             hdrRung(QStringLiteral("720p-hdr-hi"), 720, 4080),
                             hdrRung(QStringLiteral("720p-hdr"), 720, 2900),
                             hdrRung(QStringLiteral("540p-hdr-hi"), 540, 1930),
                             hdrRung(QStringLiteral("540p-hdr-mid"), 540, 1090),
                             hdrRung(QStringLiteral("540p-hdr"), 540, 730),
                             hdrRung(QStringLiteral("432p-hdr"), 432, 360),
                             hdrRung(QStringLiteral("360p-hdr"), 360, 160)};
             l.renditions += appleH264Rungs();
             return l;
         }()},
        {QStringLiteral("web-av1"),
         QStringLiteral("Compact web ladder in AV1 for current browsers with H.264 for the rest "
                        "(AV1 1080p 3000, 720p 1800, 360p 400; H.264 720p 3000, 360p 600 "
                        "kb/s); fMP4"),
         [] {
             Ladder l;
             l.segmentFormat = SegmentFormat::Fmp4;
             l.renditions = {rung(QString(), 1080, 3000, VideoCodec::Av1),
                             rung(QString(), 720, 1800, VideoCodec::Av1),
                             rung(QString(), 360, 400, VideoCodec::Av1),
                             rung(QString(), 720, 3000, VideoCodec::H264),
                             rung(QString(), 360, 600, VideoCodec::H264)};
             return l;
         }()},
        {QStringLiteral("web"),
         QStringLiteral(
             "Compact web ladder (4 rungs: 1080p 5000, 720p 3000, 480p 1200, 360p 600 kb/s)"),
         makeLadder({{QString(), 1080, 5000, 0},
                     {QString(), 720, 3000, 0},
                     {QString(), 480, 1200, 0},
                     {QString(), 360, 600, 0}})},
        {QStringLiteral("mobile"),
         QStringLiteral("Mobile ladder (4 rungs: 720p 1800, 480p 900, 360p 500, 240p 250 kb/s; 96 "
                        "kb/s audio)"),
         [] {
             Ladder l = makeLadder({{QString(), 720, 1800, 0},
                                    {QString(), 480, 900, 0},
                                    {QString(), 360, 500, 0},
                                    {QString(), 240, 250, 0}});
             l.audioKbps = 96;
             return l;
         }()},
        {QStringLiteral("preview"),
         QStringLiteral(
             "Fast draft ladder for checking a cut (3 rungs: 720p, 360p, 180p; ultrafast)"),
         [] {
             Ladder l = makeLadder(
                 {{QString(), 720, 2000, 0}, {QString(), 360, 600, 0}, {QString(), 180, 200, 0}});
             l.x264Preset = QStringLiteral("ultrafast");
             l.audioKbps = 96;
             return l;
         }()},
    };
    return presets;
}

const LadderPreset* findLadderPreset(const QString& name) {
    for (const LadderPreset& preset : ladderPresets()) {
        if (preset.name.compare(name, Qt::CaseInsensitive) == 0)
            return &preset;
    }
    return nullptr;
}

StatusOr<Ladder> loadLadderSpec(const QString& presetOrPath) {
    if (const LadderPreset* preset = findLadderPreset(presetOrPath))
        return preset->ladder;
    if (QFileInfo::exists(presetOrPath))
        return Ladder::load(presetOrPath);
    QStringList names;
    for (const LadderPreset& preset : ladderPresets())
        names << preset.name;
    return Status::error(Status::Code::InvalidArgument,
                         QStringLiteral("ladder: \"%1\" is neither a preset (%2) nor an existing "
                                        "JSON file")
                             .arg(presetOrPath, names.join(QStringLiteral(", "))));
}

} // namespace hlsforge
