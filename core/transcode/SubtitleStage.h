#pragma once
// SubtitleStage: the subtitle tracks of a transcode. Before the demux it opens a CueDecoder for
// each text subtitle stream of the input (fed by InputStage's packet tap during the one read
// of the file) and reads the sidecar and user-named files; after it, takeTracks() gives every
// track with its BCP 47 language, a unique NAME and the default chosen. A file or stream that
// cannot be read is a warning naming it; the ladder is made without that track.

#include "av/InputFile.h"
#include "subtitles/Cue.h"
#include "subtitles/CueDecoder.h"
#include "transcode/InputStage.h"
#include "transcode/TranscodeTypes.h"

#include <memory>
#include <vector>

namespace hlsforge {

class SubtitleStage {
public:
    SubtitleStage(const TranscodeRequest& request, TranscodeResult* result)
        : m_request(request), m_result(*result) {}

    // Registers a packet tap on `inputStage` per text subtitle stream and reads the files.
    void open(av::InputFile& input, InputStage* inputStage);
    // After the demux: the source's tracks first (in stream order), then the files'.
    QVector<subtitles::Track> takeTracks();

private:
    struct SourceTrack {
        subtitles::CueDecoder decoder;
        subtitles::Track track;
    };
    void readFile(const subtitles::SubtitleInput& in);

    const TranscodeRequest& m_request;
    TranscodeResult& m_result;
    std::vector<std::unique_ptr<SourceTrack>> m_sourceTracks;
    QVector<subtitles::Track> m_fileTracks;
};

} // namespace hlsforge
