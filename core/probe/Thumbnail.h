#pragma once
// A representative still of a video: for the app's queue thumbnails and the web poster.
// Decodes a few candidate frames around `atFraction` of the duration and keeps the one with
// the most detail, so a black first frame or a fade is never chosen.

#include "probe/MediaProbe.h"
#include "util/Status.h"

#include <QByteArray>
#include <QString>

#include <vector>

extern "C" {
#include <libavutil/frame.h>
}

namespace hlsforge {

struct RgbImage {
    int width = 0;
    int height = 0;
    int bytesPerLine = 0; // width * 3, rows are packed
    QByteArray rgb24;     // RGB888, top row first, upright (rotation applied)
};

// maxHeight: the image is scaled down (never up) to at most this height, aspect kept.
StatusOr<RgbImage> extractThumbnail(const QString& path, int maxHeight, double atFraction = 0.25);

// The same for an input already open and probed (a probe job makes its thumbnail from the
// input it probed); seeks `input`.
StatusOr<RgbImage> extractThumbnail(av::InputFile& input, const MediaInfo& info, int maxHeight,
                                    double atFraction = 0.25);

// The same frame encoded as JPEG (quality 2..31 in FFmpeg's scale: lower is better).
StatusOr<QByteArray> extractJpeg(const QString& path, int maxHeight, double atFraction = 0.25);

// JPEG of an upright yuvj420p frame, at the quality the poster uses (FFmpeg's q 5: visually
// clean, a third of q 2's size). The seek thumbnails' sprite sheets use it too. Sets the
// frame's pts and quality.
StatusOr<QByteArray> encodeJpeg(AVFrame* frame);

// For the transcoder, which already decodes the source: the most detailed of `candidates`
// (upright frames of one stream), scaled to at most maxHeight and encoded as JPEG.
StatusOr<QByteArray> bestFrameAsJpeg(const std::vector<const AVFrame*>& candidates,
                                     AVRational timeBase, int maxHeight);

} // namespace hlsforge
