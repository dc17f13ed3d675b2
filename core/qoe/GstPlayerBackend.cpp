#include "qoe/GstPlayerBackend.h"

#include <QAudioDevice>
#include <QElapsedTimer>
#include <QMediaDevices>
#include <QMutexLocker>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>
#include <QVideoFrameFormat>
#include <QVideoSink>

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace hlsforge::qoe {
namespace {

// Owners for the GStreamer and GLib handles used below.
struct ObjectUnref {
    void operator()(gpointer p) const {
        if (p)
            gst_object_unref(p);
    }
};
struct ErrorFree {
    void operator()(GError* e) const { g_error_free(e); }
};
struct CharFree {
    void operator()(gchar* s) const { g_free(s); }
};
struct SampleUnref {
    void operator()(GstSample* s) const { gst_sample_unref(s); }
};
struct IteratorFree {
    void operator()(GstIterator* i) const { gst_iterator_free(i); }
};
struct MessageUnref {
    void operator()(GstMessage* m) const { gst_message_unref(m); }
};
using BusPtr = std::unique_ptr<GstBus, ObjectUnref>;
using FactoryPtr = std::unique_ptr<GstElementFactory, ObjectUnref>;
using ErrorPtr = std::unique_ptr<GError, ErrorFree>;
using CharPtr = std::unique_ptr<gchar, CharFree>;
using SamplePtr = std::unique_ptr<GstSample, SampleUnref>;
using IteratorPtr = std::unique_ptr<GstIterator, IteratorFree>;
using MessagePtr = std::shared_ptr<GstMessage>; // shared: copied into a queued call

// A mapped GstVideoFrame, unmapped on every path out.
class MappedVideoFrame {
public:
    MappedVideoFrame(GstVideoInfo* info, GstBuffer* buffer)
        : m_ok(gst_video_frame_map(&m_frame, info, buffer, GST_MAP_READ)) {}
    ~MappedVideoFrame() {
        if (m_ok)
            gst_video_frame_unmap(&m_frame);
    }
    MappedVideoFrame(const MappedVideoFrame&) = delete;
    MappedVideoFrame& operator=(const MappedVideoFrame&) = delete;
    bool ok() const { return m_ok; }
    GstVideoFrame* get() { return &m_frame; }

private:
    GstVideoFrame m_frame{};
    bool m_ok;
};

bool initGstreamer(QString* error) {
    static std::once_flag once;
    static QString initError;
    std::call_once(once, [] {
        GError* raw = nullptr;
        if (!gst_init_check(nullptr, nullptr, &raw)) {
            const ErrorPtr err(raw);
            initError = QStringLiteral("GStreamer could not start: %1")
                            .arg(QString::fromUtf8(err ? err->message : "unknown error"));
        }
    });
    *error = initError;
    return initError.isEmpty();
}

bool hasFactory(const char* name) {
    return FactoryPtr(gst_element_factory_find(name)) != nullptr;
}

// The bus sync handler's context: which backend, and for which pipeline.
struct BusContext {
    GstPlayerBackend* backend;
    quint64 generation;
};

GstBusSyncReply onBusSync(GstBus*, GstMessage* message, gpointer data) {
    const auto* context = static_cast<const BusContext*>(data);
    switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ERROR:
    case GST_MESSAGE_EOS:
    case GST_MESSAGE_ASYNC_DONE:
        context->backend->noteSettled();
        break;
    default:
        break;
    }
    switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ERROR:
    case GST_MESSAGE_WARNING:
    case GST_MESSAGE_EOS:
    case GST_MESSAGE_BUFFERING:
    case GST_MESSAGE_ASYNC_DONE:
    case GST_MESSAGE_DURATION_CHANGED:
    case GST_MESSAGE_CLOCK_LOST:
    case GST_MESSAGE_STREAM_COLLECTION:
    case GST_MESSAGE_STREAMS_SELECTED:
        context->backend->postBusMessage(context->generation, message);
        break;
    default:
        break; // tags, QoS, stream status…: nothing the session uses
    }
    return GST_BUS_DROP;
}

void onDeepElementAdded(GstBin*, GstBin*, GstElement* element, gpointer data) {
    static_cast<GstPlayerBackend*>(data)->noteElement(element);
}

// Copies an I420 sample into a QVideoFrame the GUI thread can own: the GStreamer buffer goes
// back to its pool at once, and a preview's frames are small.
QVideoFrame toVideoFrame(GstSample* sample) {
    GstCaps* caps = gst_sample_get_caps(sample);
    GstBuffer* buffer = gst_sample_get_buffer(sample);
    GstVideoInfo info;
    if (!caps || !buffer || !gst_video_info_from_caps(&info, caps) ||
        GST_VIDEO_INFO_FORMAT(&info) != GST_VIDEO_FORMAT_I420)
        return {};
    MappedVideoFrame mapped(&info, buffer);
    if (!mapped.ok())
        return {};
    const int width = GST_VIDEO_INFO_WIDTH(&info);
    const int height = GST_VIDEO_INFO_HEIGHT(&info);
    QVideoFrameFormat format(QSize(width, height), QVideoFrameFormat::Format_YUV420P);
    const GstVideoColorimetry& c = GST_VIDEO_INFO_COLORIMETRY(&info);
    format.setColorSpace(c.matrix == GST_VIDEO_COLOR_MATRIX_BT601
                             ? QVideoFrameFormat::ColorSpace_BT601
                             : QVideoFrameFormat::ColorSpace_BT709);
    format.setColorRange(c.range == GST_VIDEO_COLOR_RANGE_0_255
                             ? QVideoFrameFormat::ColorRange_Full
                             : QVideoFrameFormat::ColorRange_Video);
    QVideoFrame frame(format);
    if (!frame.map(QVideoFrame::WriteOnly))
        return {};
    for (int plane = 0; plane < 3; ++plane) {
        const int rows = plane == 0 ? height : (height + 1) / 2;
        const int rowBytes = plane == 0 ? width : (width + 1) / 2;
        const auto* from =
            static_cast<const uchar*>(GST_VIDEO_FRAME_PLANE_DATA(mapped.get(), plane));
        const int fromStride = GST_VIDEO_FRAME_PLANE_STRIDE(mapped.get(), plane);
        uchar* to = frame.bits(plane);
        const int toStride = frame.bytesPerLine(plane);
        for (int y = 0; y < rows; ++y)
            std::memcpy(to + qsizetype(y) * toStride, from + qsizetype(y) * fromStride,
                        size_t(rowBytes));
    }
    frame.unmap();
    if (GST_BUFFER_PTS_IS_VALID(buffer))
        frame.setStartTime(qint64(GST_BUFFER_PTS(buffer) / GST_USECOND));
    return frame;
}

GstFlowReturn onNewSample(GstAppSink* appsink, gpointer data) {
    const SamplePtr sample(gst_app_sink_pull_sample(appsink));
    if (!sample)
        return GST_FLOW_FLUSHING;
    QVideoFrame frame = toVideoFrame(sample.get());
    if (frame.isValid())
        static_cast<GstPlayerBackend*>(data)->deliverFrame(std::move(frame));
    return GST_FLOW_OK;
}

// Pango markup (subparse's output for WebVTT) to the plain text a viewer reads.
QString plainCueText(QString text, bool markup) {
    if (markup) {
        static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
        text.remove(tag);
        text.replace(QLatin1String("&lt;"), QLatin1String("<"))
            .replace(QLatin1String("&gt;"), QLatin1String(">"))
            .replace(QLatin1String("&quot;"), QLatin1String("\""))
            .replace(QLatin1String("&apos;"), QLatin1String("'"))
            .replace(QLatin1String("&amp;"), QLatin1String("&"));
    }
    return text.trimmed();
}

// A subtitle cue from the text appsink (sync off: cues arrive as soon as they are parsed, and
// are shown by position, so a cue never waits on the clock of a sparse stream).
GstFlowReturn onNewTextSample(GstAppSink* appsink, gpointer data) {
    const SamplePtr sample(gst_app_sink_pull_sample(appsink));
    if (!sample)
        return GST_FLOW_FLUSHING;
    GstBuffer* buffer = gst_sample_get_buffer(sample.get());
    if (!buffer || !GST_BUFFER_PTS_IS_VALID(buffer))
        return GST_FLOW_OK;
    GstMapInfo map;
    if (!gst_buffer_map(buffer, &map, GST_MAP_READ))
        return GST_FLOW_OK;
    QString text = QString::fromUtf8(reinterpret_cast<const char*>(map.data), int(map.size));
    gst_buffer_unmap(buffer, &map);
    bool markup = true;
    if (GstCaps* caps = gst_sample_get_caps(sample.get()); caps && gst_caps_get_size(caps) > 0) {
        const gchar* format = gst_structure_get_string(gst_caps_get_structure(caps, 0), "format");
        markup = !format || qstrcmp(format, "utf8") != 0;
    }
    guint64 start = GST_BUFFER_PTS(buffer);
    if (const GstSegment* segment = gst_sample_get_segment(sample.get());
        segment && segment->format == GST_FORMAT_TIME) {
        const guint64 streamTime = gst_segment_to_stream_time(segment, GST_FORMAT_TIME, start);
        if (streamTime != GST_CLOCK_TIME_NONE)
            start = streamTime;
    }
    const guint64 duration =
        GST_BUFFER_DURATION_IS_VALID(buffer) ? GST_BUFFER_DURATION(buffer) : 2 * GST_SECOND;
    static_cast<GstPlayerBackend*>(data)->deliverCue(qint64(start / GST_MSECOND),
                                                     qint64((start + duration) / GST_MSECOND),
                                                     plainCueText(text, markup));
    return GST_FLOW_OK;
}

QString messageSource(GstMessage* message) {
    if (!GST_MESSAGE_SRC(message))
        return QStringLiteral("GStreamer");
    const CharPtr name(gst_object_get_name(GST_MESSAGE_SRC(message)));
    return QString::fromUtf8(name ? name.get() : "GStreamer");
}

} // namespace

void GstPlayerBackend::ElementUnref::operator()(GstElement* e) const {
    if (e)
        gst_object_unref(e);
}

QString GstPlayerBackend::missingElements() {
    QString error;
    if (!initGstreamer(&error))
        return error;
    QStringList missing;
    for (const char* name : {"playbin3", "appsink", "videoconvert"})
        if (!hasFactory(name))
            missing << QStringLiteral("%1 (gstreamer1.0-plugins-base)").arg(QLatin1String(name));
    if (!hasFactory("hlsdemux2"))
        missing << QStringLiteral("hlsdemux2 (gstreamer1.0-plugins-good 1.22 or later)");
    if (missing.isEmpty())
        return {};
    return QStringLiteral("the GStreamer elements %1 are not installed")
        .arg(missing.join(QStringLiteral(", ")));
}

GstPlayerBackend::GstPlayerBackend(QVideoSink* sink, const PlayerOptions& options, QObject* parent)
    : PlayerBackend(parent), m_sink(sink), m_options(options) {
    m_poll = new QTimer(this);
    m_poll->setInterval(100);
    connect(m_poll, &QTimer::timeout, this, &GstPlayerBackend::pollPosition);
}

GstPlayerBackend::~GstPlayerBackend() {
    // To NULL first: that joins the streaming threads, so none calls back into a half-destroyed
    // object, and the pipeline's keep-alive connections to the server close at once.
    teardown();
}

bool GstPlayerBackend::build() {
    const QString missing = missingElements();
    if (!missing.isEmpty()) {
        fail(missing);
        return false;
    }
    GstElement* playbin = gst_element_factory_make("playbin3", nullptr);
    GstElement* videoSink = gst_element_factory_make("appsink", "hlsforge-video");
    GstElement* textSink = gst_element_factory_make("appsink", "hlsforge-text");
    const bool hasSoundCard = !QMediaDevices::audioOutputs().isEmpty();
    GstElement* audioSink =
        gst_element_factory_make(hasSoundCard ? "autoaudiosink" : "fakesink", "hlsforge-audio");
    if (!playbin || !videoSink || !audioSink || !textSink) {
        for (GstElement* e : {playbin, videoSink, audioSink, textSink})
            if (e)
                gst_object_unref(gst_object_ref_sink(e));
        fail(QStringLiteral("GStreamer could not create its playback pipeline"));
        return false;
    }
    m_pipeline.reset(GST_ELEMENT(gst_object_ref_sink(playbin)));
    const quint64 generation = ++m_generation;
    {
        const QMutexLocker lock(&m_lock);
        m_elements.clear();
    }
    m_prerolled = false;
    m_buffering = false;
    m_atEnd = false;
    m_positionMs = 0;
    m_started = false;
    m_settled = false;
    m_streams.clear();
    m_selectedStreams.clear();
    clearCues();

    // Video: I420 (what the H.264 decoder gives, so usually no conversion), synced to the
    // clock so a frame arrives when a viewer would see it; the session times stalls by it.
    GstCaps* caps = gst_caps_from_string("video/x-raw,format=I420");
    g_object_set(videoSink, "caps", caps, "sync", TRUE, "max-buffers", 2u, "enable-last-sample",
                 FALSE, nullptr);
    gst_caps_unref(caps);
    GstAppSinkCallbacks callbacks{};
    callbacks.new_sample = onNewSample;
    gst_app_sink_set_callbacks(GST_APP_SINK(videoSink), &callbacks, this, nullptr);
    if (!hasSoundCard) // real time without a device: the audio clock would otherwise be free
        g_object_set(audioSink, "sync", TRUE, nullptr);
    // Subtitles as text (see the header): no sync, no part in preroll (a sparse stream).
    GstCaps* textCaps = gst_caps_from_string("text/x-raw");
    g_object_set(textSink, "caps", textCaps, "sync", FALSE, "async", FALSE, "enable-last-sample",
                 FALSE, nullptr);
    gst_caps_unref(textCaps);
    GstAppSinkCallbacks textCallbacks{};
    textCallbacks.new_sample = onNewTextSample;
    gst_app_sink_set_callbacks(GST_APP_SINK(textSink), &textCallbacks, this, nullptr);
    // playbin3 takes the floating references of the sinks.
    g_object_set(playbin, "uri", m_source.toString(QUrl::FullyEncoded).toUtf8().constData(),
                 "video-sink", videoSink, "audio-sink", audioSink, "text-sink", textSink, nullptr);
    // The elements made so far (playbin3 and the uridecodebin3 it makes at once), then every
    // one added later, at any depth (hlsdemux2 sits inside urisourcebin).
    noteElement(playbin);
    const IteratorPtr children(gst_bin_iterate_recurse(GST_BIN(playbin)));
    gst_iterator_foreach(
        children.get(),
        [](const GValue* item, gpointer self) {
            static_cast<GstPlayerBackend*>(self)->noteElement(
                GST_ELEMENT(g_value_get_object(item)));
        },
        this);
    g_signal_connect(playbin, "deep-element-added", G_CALLBACK(onDeepElementAdded), this);

    const BusPtr bus(gst_element_get_bus(playbin));
    gst_bus_set_sync_handler(bus.get(), onBusSync, new BusContext{this, generation},
                             [](gpointer data) { delete static_cast<BusContext*>(data); });
    return true;
}

void GstPlayerBackend::teardown() {
    m_poll->stop();
    if (!m_pipeline)
        return;
    ++m_generation; // queued messages of this pipeline are dropped from now on
    // GStreamer 1.22 (Debian 12) crashes when a pipeline goes to NULL while hlsdemux2 is still
    // setting up: an abort in download_media_playlist (g_assert(buf) on a cancelled fetch,
    // seen in CI when a preview window was closed at once) and a segfault in libsoup closing
    // a stream (about 1 in 500 stops within 120 ms of the start, tst_gstengine). Once the
    // pipeline has prerolled, failed or ended, a stop is safe, so a stop before that waits
    // for it (a local preview prerolls in a few hundred ms), bounded for a server that hangs.
    if (m_started) {
        constexpr int kSettleTimeoutMs = 8000;
        QElapsedTimer waited;
        waited.start();
        while (!m_settled && waited.elapsed() < kSettleTimeoutMs)
            QThread::msleep(5);
    }
    gst_element_set_state(m_pipeline.get(), GST_STATE_NULL);
    const BusPtr bus(gst_element_get_bus(m_pipeline.get()));
    gst_bus_set_sync_handler(bus.get(), nullptr, nullptr, nullptr);
    m_pipeline.reset();
    m_prerolled = false;
    m_buffering = false;
    m_pendingSeekMs = -1;
    clearCues();
}

void GstPlayerBackend::setSource(const QUrl& url) {
    teardown();
    m_pendingAudioId.clear();
    m_source = url;
    m_atEnd = false;
    m_positionMs = 0;
    if (m_durationMs != 0) {
        m_durationMs = 0;
        emit durationChanged(0);
    }
    setStateValue(State::Stopped);
    if (!url.isEmpty())
        build();
}

void GstPlayerBackend::setStateValue(State state) {
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void GstPlayerBackend::applyPipelineState() {
    if (!m_pipeline)
        return;
    m_started = true;
    GstState target = GST_STATE_PAUSED;
    if (m_state == State::Playing && !m_buffering)
        target = GST_STATE_PLAYING;
    if (gst_element_set_state(m_pipeline.get(), target) == GST_STATE_CHANGE_FAILURE)
        fail(QStringLiteral("%1: GStreamer could not start playing it")
                 .arg(m_source.toDisplayString()));
}

void GstPlayerBackend::play() {
    if (m_source.isEmpty())
        return;
    if (!m_pipeline && !build())
        return;
    if (m_atEnd) {
        // A replay: a fresh pipeline, never a seek of the ended demuxer (see PlaybackSession.h).
        setSource(m_source);
        if (!m_pipeline)
            return;
    }
    setStateValue(State::Playing);
    applyPipelineState();
    m_poll->start();
}

void GstPlayerBackend::pause() {
    if (!m_pipeline)
        return;
    setStateValue(State::Paused);
    applyPipelineState();
}

void GstPlayerBackend::stop() {
    teardown();
    m_positionMs = 0;
    setStateValue(State::Stopped);
}

void GstPlayerBackend::setPosition(qint64 positionMs) {
    if (!m_pipeline)
        return;
    m_atEnd = false;
    if (!m_prerolled) {
        m_pendingSeekMs = positionMs; // a seek before preroll is lost: apply it at ASYNC_DONE
        return;
    }
    // Key unit: land on a segment's IDR, as web players do, so the seek fetches one segment.
    gst_element_seek_simple(m_pipeline.get(), GST_FORMAT_TIME,
                            GstSeekFlags(GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_KEY_UNIT),
                            gint64(positionMs) * GST_MSECOND);
    m_positionMs = positionMs;
    clearCues(); // the flush drops what was parsed; the cues after the seek come again
    emit positionChanged(positionMs);
}

QStringList GstPlayerBackend::pipelineElements() const {
    const QMutexLocker lock(&m_lock);
    return m_elements;
}

void GstPlayerBackend::noteElement(GstElement* element) {
    GstElementFactory* factory = gst_element_get_factory(element);
    if (!factory)
        return;
    const char* name = gst_plugin_feature_get_name(GST_PLUGIN_FEATURE(factory));
    if (qstrcmp(name, "hlsdemux2") == 0) {
        if (m_options.bufferAheadSeconds > 0) {
            const guint64 ns = guint64(m_options.bufferAheadSeconds * GST_SECOND);
            g_object_set(element, "max-buffering-time", ns, "high-watermark-time", ns, nullptr);
        }
        if (m_options.startBufferSeconds > 0)
            g_object_set(element, "low-watermark-time",
                         guint64(m_options.startBufferSeconds * GST_SECOND), nullptr);
    }
    const QMutexLocker lock(&m_lock);
    m_elements << QString::fromUtf8(name);
}

void GstPlayerBackend::postBusMessage(quint64 generation, GstMessage* message) {
    const MessagePtr ref(gst_message_ref(message), MessageUnref());
    // Queued to the GUI thread; dropped with the object if it is gone by then.
    QMetaObject::invokeMethod(
        this, [this, generation, ref] { onBusMessage(generation, ref.get()); },
        Qt::QueuedConnection);
}

void GstPlayerBackend::deliverFrame(QVideoFrame frame) {
    {
        const QMutexLocker lock(&m_lock);
        m_pendingFrame = std::move(frame);
    }
    // One queued call at a time: a busy GUI thread gets the newest frame, not a backlog.
    if (!m_framePosted.exchange(true))
        QMetaObject::invokeMethod(this, &GstPlayerBackend::flushFrame, Qt::QueuedConnection);
}

void GstPlayerBackend::flushFrame() {
    QVideoFrame frame;
    {
        const QMutexLocker lock(&m_lock);
        frame = std::exchange(m_pendingFrame, QVideoFrame());
        m_framePosted = false;
    }
    if (frame.isValid() && m_sink)
        m_sink->setVideoFrame(frame);
}

void GstPlayerBackend::onBusMessage(quint64 generation, GstMessage* message) {
    if (generation != m_generation || !m_pipeline)
        return;
    switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ERROR: {
        GError* raw = nullptr;
        gchar* rawDebug = nullptr;
        gst_message_parse_error(message, &raw, &rawDebug);
        const ErrorPtr err(raw);
        const CharPtr debug(rawDebug);
        qWarning("gst engine: %s: %s (%s)", qPrintable(messageSource(message)),
                 err ? err->message : "", debug ? debug.get() : "");
        fail(QStringLiteral("%1: %2 (%3)")
                 .arg(m_source.toDisplayString(),
                      QString::fromUtf8(err ? err->message : "unknown error"),
                      messageSource(message)));
        break;
    }
    case GST_MESSAGE_WARNING: {
        GError* raw = nullptr;
        gchar* rawDebug = nullptr;
        gst_message_parse_warning(message, &raw, &rawDebug);
        const ErrorPtr err(raw);
        const CharPtr debug(rawDebug);
        qWarning("gst engine: %s: %s", qPrintable(messageSource(message)), err ? err->message : "");
        break;
    }
    case GST_MESSAGE_EOS:
        pollPosition();
        m_poll->stop();
        m_atEnd = true;
        m_buffering = false;
        setStateValue(State::Stopped);
        emit endOfMedia();
        break;
    case GST_MESSAGE_BUFFERING: {
        gint percent = 100;
        gst_message_parse_buffering(message, &percent);
        const bool buffering = percent < 100;
        if (buffering != m_buffering) {
            m_buffering = buffering;
            applyPipelineState();
        }
        break;
    }
    case GST_MESSAGE_ASYNC_DONE:
        queryDuration();
        if (!m_prerolled) {
            m_prerolled = true;
            applyTextPreference(); // a subtitle choice made before preroll, or on an earlier load
            if (m_pendingSeekMs >= 0)
                setPosition(std::exchange(m_pendingSeekMs, -1));
            if (!m_pendingAudioId.isEmpty())
                sendStreamSelection(TrackType::Audio, std::exchange(m_pendingAudioId, {}));
            emit loaded();
        }
        break;
    case GST_MESSAGE_DURATION_CHANGED:
        queryDuration();
        break;
    case GST_MESSAGE_STREAM_COLLECTION:
        onStreamCollection(message);
        break;
    case GST_MESSAGE_STREAMS_SELECTED:
        onStreamsSelected(message);
        break;
    case GST_MESSAGE_CLOCK_LOST:
        // The documented recovery: a new clock is chosen on the way back to PLAYING.
        if (m_state == State::Playing && !m_buffering) {
            gst_element_set_state(m_pipeline.get(), GST_STATE_PAUSED);
            gst_element_set_state(m_pipeline.get(), GST_STATE_PLAYING);
        }
        break;
    default:
        break;
    }
}

void GstPlayerBackend::queryDuration() {
    if (!m_pipeline)
        return;
    gint64 ns = 0;
    if (gst_element_query_duration(m_pipeline.get(), GST_FORMAT_TIME, &ns) && ns > 0) {
        const qint64 ms = qint64(ns / GST_MSECOND);
        if (ms != m_durationMs) {
            m_durationMs = ms;
            emit durationChanged(ms);
        }
    }
}

void GstPlayerBackend::pollPosition() {
    if (!m_pipeline || m_atEnd)
        return;
    if (m_durationMs <= 0)
        queryDuration();
    gint64 ns = 0;
    if (!gst_element_query_position(m_pipeline.get(), GST_FORMAT_TIME, &ns) || ns < 0)
        return;
    const qint64 ms = qint64(ns / GST_MSECOND);
    if (ms != m_positionMs) {
        m_positionMs = ms;
        emit positionChanged(ms);
    }
    updateSubtitleText();
}

void GstPlayerBackend::fail(const QString& message) {
    teardown();
    setStateValue(State::Stopped);
    emit errorOccurred(message);
}

// ---- Tracks and subtitles -------------------------------------------------------------------

namespace {

int streamKind(TrackType type) {
    return type == TrackType::Audio ? GST_STREAM_TYPE_AUDIO : GST_STREAM_TYPE_TEXT;
}

QString tagString(const GstTagList* tags, const char* tag) {
    gchar* raw = nullptr;
    if (!tags || !gst_tag_list_get_string(tags, tag, &raw))
        return {};
    const CharPtr value(raw);
    return QString::fromUtf8(value.get());
}

} // namespace

void GstPlayerBackend::onStreamCollection(GstMessage* message) {
    GstStreamCollection* raw = nullptr;
    gst_message_parse_stream_collection(message, &raw);
    const std::unique_ptr<GstStreamCollection, ObjectUnref> collection(raw);
    if (!collection)
        return;
    m_streams.clear();
    for (guint i = 0; i < gst_stream_collection_get_size(collection.get()); ++i) {
        GstStream* stream = gst_stream_collection_get_stream(collection.get(), i);
        StreamEntry e;
        e.id = QString::fromUtf8(gst_stream_get_stream_id(stream));
        e.kind = int(gst_stream_get_stream_type(stream));
        GstTagList* tags = gst_stream_get_tags(stream);
        e.language = tagString(tags, GST_TAG_LANGUAGE_CODE);
        e.title = tagString(tags, GST_TAG_TITLE);
        if (e.title.isEmpty())
            e.title = tagString(tags, GST_TAG_LANGUAGE_NAME);
        // hlsdemux2 (1.22) tags a rendition with its language only, and names its stream
        // "text-<NAME>" / "audio-<NAME>" after the master's NAME: the name a viewer knows.
        for (const QLatin1String prefix : {QLatin1String("text-"), QLatin1String("audio-")})
            if (e.title.isEmpty() && e.id.startsWith(prefix) && e.id.size() > prefix.size())
                e.title = e.id.mid(prefix.size());
        if (tags)
            gst_tag_list_unref(tags);
        m_streams.append(e);
    }
    emit tracksChanged();
    if (m_prerolled)
        applyTextPreference();
}

void GstPlayerBackend::onStreamsSelected(GstMessage* message) {
    m_selectedStreams.clear();
    for (guint i = 0; i < gst_message_streams_selected_get_size(message); ++i) {
        const std::unique_ptr<GstStream, ObjectUnref> stream(
            gst_message_streams_selected_get_stream(message, i));
        if (stream)
            m_selectedStreams << QString::fromUtf8(gst_stream_get_stream_id(stream.get()));
    }
    emit tracksChanged();
    updateSubtitleText();
}

QVector<MediaTrack> GstPlayerBackend::tracks(TrackType type) const {
    QVector<MediaTrack> out;
    for (const StreamEntry& e : m_streams)
        if (e.kind & streamKind(type))
            out.append({e.id, e.language, e.title, m_selectedStreams.contains(e.id)});
    return out;
}

bool GstPlayerBackend::selectTrack(TrackType type, const QString& id) {
    if (type == TrackType::Text) {
        m_textWanted = TextPreference{};
        m_textWanted.set = true;
        m_textWanted.off = id.isEmpty();
        for (const StreamEntry& e : m_streams)
            if (e.id == id) {
                m_textWanted.language = e.language;
                m_textWanted.title = e.title;
            }
        // Before preroll decodebin3 has no output pads yet, and a SELECT_STREAMS sent then
        // never reaches hlsdemux2 (GStreamer 1.22: it travels upstream through those pads);
        // the choice is applied at preroll instead.
        if (!m_prerolled)
            return id.isEmpty() || std::any_of(m_streams.begin(), m_streams.end(),
                                               [&](const StreamEntry& e) { return e.id == id; });
    } else if (!m_prerolled) {
        // The same for an audio choice: held and sent at preroll.
        const bool known =
            std::any_of(m_streams.begin(), m_streams.end(), [&](const StreamEntry& e) {
                return e.id == id && (e.kind & GST_STREAM_TYPE_AUDIO);
            });
        if (known)
            m_pendingAudioId = id;
        return known;
    }
    return sendStreamSelection(type, id);
}

bool GstPlayerBackend::sendStreamSelection(TrackType type, const QString& id) {
    if (!m_pipeline || m_streams.isEmpty())
        return false;
    const int kind = streamKind(type);
    if (!id.isEmpty() &&
        std::none_of(m_streams.begin(), m_streams.end(),
                     [&](const StreamEntry& e) { return e.id == id && (e.kind & kind); }))
        return false;
    if (id.isEmpty() && type != TrackType::Text)
        return false; // the picture always has a sound track when the master has one
    // Every stream to keep: what plays now of the other kinds (before the first selection: the
    // first video and audio stream), and the chosen one.
    QList<QByteArray> keep;
    bool haveVideo = false, haveAudio = false;
    for (const StreamEntry& e : m_streams) {
        if (e.kind & kind)
            continue;
        const bool playing = m_selectedStreams.contains(e.id);
        const bool firstVideo =
            m_selectedStreams.isEmpty() && (e.kind & GST_STREAM_TYPE_VIDEO) && !haveVideo;
        const bool firstAudio =
            m_selectedStreams.isEmpty() && (e.kind & GST_STREAM_TYPE_AUDIO) && !haveAudio;
        if (playing || firstVideo || firstAudio) {
            keep << e.id.toUtf8();
            haveVideo |= (e.kind & GST_STREAM_TYPE_VIDEO) != 0;
            haveAudio |= (e.kind & GST_STREAM_TYPE_AUDIO) != 0;
        }
    }
    if (!id.isEmpty())
        keep << id.toUtf8();
    GList* list = nullptr;
    for (const QByteArray& s : keep)
        list = g_list_append(list, const_cast<char*>(s.constData()));
    // The event copies the ids.
    GstEvent* event = gst_event_new_select_streams(list);
    g_list_free(list);
    const bool sent = gst_element_send_event(m_pipeline.get(), event);
    if (type == TrackType::Text) {
        clearCues(); // the other language's cues must not linger
        updateSubtitleText();
    }
    return sent;
}

void GstPlayerBackend::applyTextPreference() {
    if (!m_textWanted.set)
        return;
    QString id;
    if (!m_textWanted.off) {
        const QVector<MediaTrack> text = tracks(TrackType::Text);
        for (const MediaTrack& t : text)
            if (t.language == m_textWanted.language && t.title == m_textWanted.title)
                id = t.id;
        if (id.isEmpty())
            return; // not in this stream: leave the default
    }
    // Already so: nothing to send (a collection is posted several times per load).
    const QVector<MediaTrack> text = tracks(TrackType::Text);
    const bool done = std::all_of(text.begin(), text.end(),
                                  [&](const MediaTrack& t) { return t.selected == (t.id == id); });
    if (!done)
        sendStreamSelection(TrackType::Text, id);
}

void GstPlayerBackend::deliverCue(qint64 startMs, qint64 endMs, const QString& text) {
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation, startMs, endMs, text] {
            if (generation != m_generation)
                return;
            // Cues over long ago are dropped; the list stays short however long the video.
            m_cues.erase(
                std::remove_if(m_cues.begin(), m_cues.end(),
                               [&](const ShownCue& c) { return c.endMs < m_positionMs - 1000; }),
                m_cues.end());
            m_cues.append({startMs, endMs, text});
            updateSubtitleText();
        },
        Qt::QueuedConnection);
}

void GstPlayerBackend::updateSubtitleText() {
    QStringList lines;
    for (const ShownCue& c : m_cues)
        if (c.startMs <= m_positionMs && m_positionMs < c.endMs && !c.text.isEmpty())
            lines << c.text;
    const QString text = lines.join(QLatin1Char('\n'));
    if (text != m_subtitleText) {
        m_subtitleText = text;
        emit subtitleTextChanged(text);
    }
}

void GstPlayerBackend::clearCues() {
    m_cues.clear();
    if (!m_subtitleText.isEmpty()) {
        m_subtitleText.clear();
        emit subtitleTextChanged(QString());
    }
}

} // namespace hlsforge::qoe
