#pragma once
// ChunkJob: one index of a chunked encode (docs/cluster.md) as a Job. Every rung of the
// chunk is encoded by the one engine (Transcoder with a FrameRange: decode from the keyframe
// before the chunk, its frames only, absolute timestamps, segments numbered from the chunk's
// first), in a private folder; on success the segments move to their final names in the
// ladder's rung folders and chunks/chunk-<i>.json is written last — the index is done when
// that file exists; its seek thumbnail tiles go beside the record (chunks/tiles-<i>.yuv, raw).
// Running an index again replaces only its own files. The last index is the audio track's:
// encoded whole, once (AudioRendition), into audio/; the subtitle tracks read in that demux (the
// source's text tracks, the plan's subtitle files) go into its record, cues and all.
//
// assembleLadder(): once every index is done, the rungs' media playlists from the chunks,
// then the I-frame playlists, the thumbnail sheets (every chunk's tiles packed as one machine
// packs them), the subtitle renditions (cut on the assembled segments), the measured master
// and the page (the engine's finishing stage).

#include "cluster/ClusterPlan.h"
#include "cluster/ClusterStore.h"
#include "job/Job.h"

#include <QStringList>

namespace hlsforge::cluster {

class ChunkJob final : public Job {
    Q_OBJECT
public:
    // `s3`: how to reach an s3:// source or output (ClusterStore.h).
    ChunkJob(ClusterPlan plan, int index, S3Settings s3 = {}, QObject* parent = nullptr);
    ~ChunkJob() override;
    QString title() const override;
    QJsonObject resultJson() const override;

    // plan.output/chunks/chunk-<index>.json
    static QString recordPath(const ClusterPlan& plan, int index);

protected:
    Status run(const CancelToken& cancel, ProgressSink& progress) override;

private:
    Status runHere(const CancelToken& cancel, ProgressSink& progress);
    Status moveIntoPlace(const QString& staged);
    Status runAudio(const CancelToken& cancel, ProgressSink& progress);

    ClusterPlan m_plan; // as given (read by title() on any thread)
    int m_index;
    S3Settings m_s3;
    // The worker's copy: the source as FFmpeg opens it, the output a local folder (a scratch
    // folder uploaded afterwards when the plan's output is s3://).
    ClusterPlan m_work;
};

// The indices whose record is missing (empty: all done).
QList<int> missingIndices(const ClusterPlan& plan);

// Writes the rungs' media playlists from the chunk records, then the I-frame playlists, the
// master playlist (measured BANDWIDTH, CODECS from the segments) and the player page, master
// last of the playlists. FailedPrecondition naming the missing indices when any is not done.
// Idempotent. `warnings` gets what a user may want to know. An s3:// output is listed for the
// records first; then the objects are read into a scratch folder, assembled there, and what
// assembly wrote goes back (playlists, then the master last; init segments it dropped removed).
Status assembleLadder(const ClusterPlan& plan, QStringList* warnings, const S3Settings& s3 = {});

} // namespace hlsforge::cluster
