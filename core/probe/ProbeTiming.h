#pragma once
// The timing half of probing: which audio track is the main one, the exact frame rates as
// rationals, and whether the picture is interlaced (the stream's field order flag, checked
// against libavfilter's idet on the first frames of the picture itself).

#include "probe/MediaProbe.h"

extern "C" {
#include <libavformat/avformat.h>
}

namespace hlsforge {

namespace av {
class InputFile;
struct DecodedPrefix;
} // namespace av

// The ladder's main audio: the first audio stream flagged "default", else the first audio
// stream; -1 when there is none. (av_find_best_stream would rank by bitrate and frame count,
// which is not what a player picks.)
int mainAudioStreamIndex(const AVFormatContext* format);

// Fills the field-order, exact-rate and interlace-detection members of `video` for the
// stream at `streamIndex`. Decodes at most the first `maxFrames` frames (about two seconds)
// and runs idet over them: a short pre-scan, cheap next to the transcode, and available to
// `probe` and the details pane as well as to the transcoder. Rewinds `input` afterwards (the
// packets it read are read again), so a transcode on the same open input starts at the start;
// an error only when that fails. With `keep` (the transcode), the scanned frames and their
// decoder are handed over instead of being thrown away, when they fit a memory budget (see
// av::DecodedPrefix); `keep` stays invalid otherwise.
Status scanVideoTiming(av::InputFile& input, int streamIndex, VideoInfo* video, int maxFrames = 60,
                       av::DecodedPrefix* keep = nullptr);

// What idet's counts say, as one verdict: "tff", "bff", "progressive" or "undetermined".
// Interlaced needs a clear majority of the classified frames; still pictures classify as
// neither, so a short scan of a static opening stays "undetermined" and the flag decides.
QString interlaceVerdict(int tffFrames, int bffFrames, int progressiveFrames);

// Track facts of the chosen audio stream: how many audio tracks, which one, its language and
// start offset against the file's start.
void describeAudioTrack(const AVFormatContext* format, int streamIndex, AudioInfo* audio);

// "30000/1001" (or "25" for whole rates); empty when unknown.
QString rationalText(int num, int den);

// The probe JSON's timing members, one block each.
void timingToJson(const VideoInfo& video, QJsonObject* out);
void audioTrackToJson(const AudioInfo& audio, QJsonObject* out);

} // namespace hlsforge
