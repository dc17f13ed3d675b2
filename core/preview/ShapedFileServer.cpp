#include "preview/ShapedFileServer.h"

#include "preview/ByteRange.h"
#include "preview/NetworkShaper.h"
#include "preview/RenditionMap.h"
#include "preview/ServedPath.h"
#include "preview/UpstreamOrigin.h"
#include "util/ContentTypes.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <httplib.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace hlsforge::preview {
namespace {

using Clock = std::chrono::steady_clock;

// Worker threads: players open few connections, but the benchmark (wrk -c 32) and several
// preview windows need more than cpp-httplib's default of 8; an idle worker costs a stack.
constexpr size_t kWorkerThreads = 64;
constexpr time_t kKeepAliveTimeoutSeconds = 2; // also bounds how long stop() may wait
constexpr qint64 kReadBufferBytes = 256 * 1024;
constexpr int kEventBatchMs = 10; // request events reach the app at most this much later

// What a response body is made of: slices of the file (or of a generated playlist) and, for
// multipart/byteranges, the literal part headers between them.
struct BodyPiece {
    QByteArray literal; // used when sourceOffset < 0
    qint64 sourceOffset = -1;
    qint64 length = 0;
};

struct ResponseBody {
    std::unique_ptr<FileDescriptor> file; // or:
    QByteArray memory;
    QVector<BodyPiece> pieces;
    qint64 total = 0;

    bool readSource(qint64 offset, char* out, qint64 count) const {
        if (!file) {
            if (offset < 0 || offset + count > memory.size())
                return false;
            std::memcpy(out, memory.constData() + offset, size_t(count));
            return true;
        }
        while (count > 0) {
            const ssize_t n = ::pread(file->get(), out, size_t(count), off_t(offset));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false; // I/O error, or the file shrank while being served
            out += n;
            offset += n;
            count -= n;
        }
        return true;
    }
};

// The socket side of a connection, in place of cpp-httplib's own stream. cpp-httplib writes a
// response's status line + headers and its body in two calls and polls the socket before
// every read and write; for a playlist that is two TCP segments and twice the client's
// wake-ups, the main cost of small files at many connections. Here the header block is held
// back and leaves with the first body bytes in one writev() (a response without a body is
// sent when the request is done), reads come from a buffer (the library's request parser
// reads a byte at a time), and the blocking socket's own timeouts (SO_RCVTIMEO/SO_SNDTIMEO)
// replace the poll() calls. Shaped bodies are unaffected: every body write still goes out
// at once, paced by NetworkShaper before it reaches this stream.
class ConnectionStream final : public httplib::Stream {
public:
    explicit ConnectionStream(int sock) : m_sock(sock) {}

    bool hasBufferedInput() const { return m_readPos < m_readEnd; }
    void beginResponse() { m_holdNextWrite = true; }

    // Sends a held header block (a response without a body); false when the peer is gone.
    bool flush() {
        m_holdNextWrite = false;
        while (!m_held.empty()) {
            const ssize_t n = ::send(m_sock, m_held.data(), m_held.size(), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            m_held.erase(0, size_t(n));
        }
        return true;
    }

    bool is_readable() const override {
        return hasBufferedInput() || waitFor(POLLIN, m_readTimeoutMs);
    }
    bool is_writable() const override { return waitFor(POLLOUT, m_writeTimeoutMs); }

    ssize_t read(char* ptr, size_t size) override {
        if (!hasBufferedInput()) {
            ssize_t n;
            do
                n = ::recv(m_sock, m_readBuffer, sizeof m_readBuffer, 0);
            while (n < 0 && errno == EINTR);
            if (n <= 0)
                return n < 0 ? -1 : 0;
            m_readPos = 0;
            m_readEnd = size_t(n);
        }
        const size_t count = std::min(size, m_readEnd - m_readPos);
        std::memcpy(ptr, m_readBuffer + m_readPos, count);
        m_readPos += count;
        return ssize_t(count);
    }

    ssize_t write(const char* ptr, size_t size) override {
        // The first write of a response is its header block (one call in cpp-httplib); an
        // interim "100 Continue" must not wait for a body.
        if (m_holdNextWrite && m_held.empty() && size <= kMaxHeldHeaderBytes &&
            !(size > 12 && std::memcmp(ptr, "HTTP/1.1 100", 12) == 0)) {
            m_holdNextWrite = false;
            m_held.assign(ptr, size);
            return ssize_t(size);
        }
        m_holdNextWrite = false;
        while (!m_held.empty()) {
            iovec parts[2] = {{m_held.data(), m_held.size()}, {const_cast<char*>(ptr), size}};
            msghdr message{};
            message.msg_iov = parts;
            message.msg_iovlen = 2;
            const ssize_t n = ::sendmsg(m_sock, &message, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return -1;
            if (size_t(n) < m_held.size()) {
                m_held.erase(0, size_t(n));
                continue;
            }
            const size_t bodyBytes = size_t(n) - m_held.size();
            m_held.clear();
            return ssize_t(bodyBytes); // the caller writes the rest, if any
        }
        ssize_t n;
        do
            n = ::send(m_sock, ptr, size, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        return n;
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        if (m_remoteIp.empty())
            describe(::getpeername, &m_remoteIp, &m_remotePort);
        ip = m_remoteIp;
        port = m_remotePort;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        if (m_localIp.empty())
            describe(::getsockname, &m_localIp, &m_localPort);
        ip = m_localIp;
        port = m_localPort;
    }
    socket_t socket() const override { return m_sock; }

    void setTimeouts(time_t readSeconds, time_t writeSeconds) {
        m_readTimeoutMs = int(readSeconds * 1000);
        m_writeTimeoutMs = int(writeSeconds * 1000);
        const timeval readTv{readSeconds, 0};
        const timeval writeTv{writeSeconds, 0};
        ::setsockopt(m_sock, SOL_SOCKET, SO_RCVTIMEO, &readTv, sizeof readTv);
        ::setsockopt(m_sock, SOL_SOCKET, SO_SNDTIMEO, &writeTv, sizeof writeTv);
    }

private:
    static constexpr size_t kMaxHeldHeaderBytes = 16 * 1024;

    bool waitFor(short events, int timeoutMs) const {
        pollfd p{m_sock, events, 0};
        int n;
        do
            n = ::poll(&p, 1, timeoutMs);
        while (n < 0 && errno == EINTR);
        return n > 0 && (p.revents & events) != 0;
    }

    // The peer is the same for the whole connection: asked once, not once per request.
    void describe(int (*query)(int, sockaddr*, socklen_t*), std::string* ip, int* port) const {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        if (query(m_sock, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            return;
        char text[INET6_ADDRSTRLEN] = {};
        if (address.ss_family == AF_INET) {
            const auto* in = reinterpret_cast<const sockaddr_in*>(&address);
            ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
            *port = ntohs(in->sin_port);
        } else if (address.ss_family == AF_INET6) {
            const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address);
            ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
            *port = ntohs(in6->sin6_port);
        }
        *ip = text;
    }

    int m_sock;
    int m_readTimeoutMs = 10000;
    int m_writeTimeoutMs = 30000;
    char m_readBuffer[8192];
    size_t m_readPos = 0;
    size_t m_readEnd = 0;
    bool m_holdNextWrite = false;
    std::string m_held;
    mutable std::string m_remoteIp, m_localIp;
    mutable int m_remotePort = 0, m_localPort = 0;
};

// cpp-httplib's server with the connection loop running on ConnectionStream. The loop keeps
// the library's contract: at most keep_alive_max_count requests per connection, an idle
// connection closed after keep_alive_timeout, and every connection ended promptly once
// stop() has closed the listening socket.
class CoalescingServer final : public httplib::Server {
private:
    bool process_and_close_socket(socket_t sock) override {
        ConnectionStream stream(sock);
        stream.setTimeouts(read_timeout_sec_, write_timeout_sec_);
        bool ok = false;
        for (size_t left = keep_alive_max_count_; left > 0 && waitForRequest(stream); --left) {
            bool closed = false;
            stream.beginResponse();
            ok = process_request(stream, left == 1, closed, nullptr);
            ok = stream.flush() && ok;
            if (!ok || closed)
                break;
        }
        ::shutdown(sock, SHUT_RDWR);
        ::close(sock);
        return ok;
    }

    // Waits for the next request of a kept-alive connection, waking every 50 ms to see
    // whether the server is stopping.
    bool waitForRequest(const ConnectionStream& stream) const {
        if (stream.hasBufferedInput())
            return true; // a pipelined request is already here
        const auto deadline = Clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
        while (svr_sock_ != INVALID_SOCKET) {
            pollfd p{stream.socket(), POLLIN, 0};
            const int n = ::poll(&p, 1, 50);
            if (n > 0)
                return true;
            if (n < 0 && errno != EINTR)
                return false;
            if (Clock::now() >= deadline)
                return false;
        }
        return false;
    }
};

struct RequestTrace {
    RequestEvent event;
    Clock::time_point startedAt = Clock::now();
    std::atomic<qint64> bytesSent{0};
    NetworkShaper::Clock::time_point linkContinuation{}; // body writes: one thread at a time
};

// A request is handled start to finish on one worker thread (routing, body writes, logger),
// so the trace of the request in flight can live in a thread_local.
thread_local std::shared_ptr<RequestTrace> t_trace;

QByteArray httpDate(qint64 secondsSinceEpoch) {
    // Most requests are for a few files with the same modification time: format it once.
    thread_local qint64 lastSeconds = -1;
    thread_local QByteArray lastText;
    if (secondsSinceEpoch == lastSeconds)
        return lastText;
    const QDateTime utc = QDateTime::fromSecsSinceEpoch(secondsSinceEpoch, Qt::UTC);
    lastText =
        QLocale::c().toString(utc, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'")).toLatin1();
    lastSeconds = secondsSinceEpoch;
    return lastText;
}

// IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"): what every current client sends.
// Qt's RFC2822Date parser does not take the "GMT" zone name, so parse the fixed layout.
qint64 parseHttpDate(const std::string& text) {
    QDateTime when = QLocale::c().toDateTime(QString::fromStdString(text).trimmed(),
                                             QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
    if (!when.isValid())
        return -1;
    when.setTimeSpec(Qt::UTC);
    return when.toSecsSinceEpoch();
}

// If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored.
bool noneMatchHits(const std::string& header, const QByteArray& etag) {
    const QByteArray ours = etag.startsWith("W/") ? etag.mid(2) : etag;
    for (QByteArray tag : QByteArray::fromStdString(header).split(',')) {
        tag = tag.trimmed();
        if (tag == "*")
            return true;
        if (tag.startsWith("W/"))
            tag = tag.mid(2);
        if (tag == ours)
            return true;
    }
    return false;
}

void setCommonHeaders(httplib::Response& res) {
    res.set_header("Access-Control-Allow-Origin", "*");
    res.set_header("Access-Control-Expose-Headers",
                   "Content-Length, Content-Range, Accept-Ranges, ETag, Last-Modified");
    res.set_header("Accept-Ranges", "bytes");
    // A preview folder changes between encodes; validators still make re-fetches cheap.
    res.set_header("Cache-Control", "no-cache");
}

void setTextBody(httplib::Response& res, int status, const char* text) {
    res.status = status;
    res.set_content(text, "text/plain; charset=utf-8");
}

} // namespace

struct ShapedFileServer::Impl {
    ShapedFileServer* q = nullptr;
    QString rootDir;
    QString canonicalRoot;
    std::unique_ptr<FileDescriptor> rootDirFd; // canonicalRoot, opened once (O_PATH)
    // Proxy mode (rootDir is a URL): files come from the origin into this cache folder.
    std::unique_ptr<UpstreamOrigin> upstream;
    std::unique_ptr<QTemporaryDir> cache;
    RenditionMap renditions;
    NetworkShaper shaper;
    std::unique_ptr<CoalescingServer> server;
    std::thread listenThread;
    std::atomic<int> port{0};
    std::atomic<bool> running{false};
    Clock::time_point startedAt = Clock::now();

    httplib::Server::HandlerResponse handle(const httplib::Request& req, httplib::Response& res);
    void serve(const httplib::Request& req, httplib::Response& res, RequestTrace& trace);
    void finish(const httplib::Request& req, const httplib::Response& res);
    void deliverEvents(); // in the server object's thread

    // Events are handed to the server's thread in batches: one wake-up per batch rather than
    // one queued call per request keeps the signal cheap when many clients hammer the server.
    std::mutex eventsMutex;
    QVector<RequestEvent> pendingEvents;
    bool deliveryScheduled = false;
};

httplib::Server::HandlerResponse ShapedFileServer::Impl::handle(const httplib::Request& req,
                                                                httplib::Response& res) {
    auto trace = std::make_shared<RequestTrace>();
    t_trace = trace;
    trace->event.startSeconds = std::chrono::duration<double>(trace->startedAt - startedAt).count();
    trace->event.wallClockMs = QDateTime::currentMSecsSinceEpoch();
    trace->event.method = QString::fromStdString(req.method);
    trace->event.rangeHeader = QString::fromStdString(req.get_header_value("Range")).left(200);
    // Range is ours to interpret (ByteRange.h). The library parsed it too; its result must
    // not be applied on top of ours, and the request object is not const where it lives.
    const_cast<httplib::Request&>(req).ranges.clear();
    setCommonHeaders(res);
    serve(req, res, *trace);
    trace->event.status = res.status;
    return httplib::Server::HandlerResponse::Handled;
}

void ShapedFileServer::Impl::serve(const httplib::Request& req, httplib::Response& res,
                                   RequestTrace& trace) {
    RequestEvent& ev = trace.event;
    const QByteArray target = QByteArray::fromStdString(req.target);
    ev.path = QString::fromLatin1(target.left(200));

    if (req.method == "OPTIONS") { // CORS preflight from a browser page
        res.status = 204;
        res.set_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
        res.set_header("Access-Control-Allow-Headers",
                       "Range, If-Range, If-None-Match, If-Modified-Since");
        res.set_header("Access-Control-Max-Age", "600");
        return;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        res.set_header("Allow", "GET, HEAD, OPTIONS");
        setTextBody(res, 405, "method not allowed\n");
        return;
    }
    const bool head = req.method == "HEAD";

    // The added latency stands for the round trip before the first byte of every response.
    if (!shaper.sleepMs(shaper.latencyMs())) {
        setTextBody(res, 503, "server stopping\n");
        return;
    }

    const QString relative = relativeRequestPath(target);
    if (!relative.isEmpty())
        ev.path = relative;
    auto body = std::make_shared<ResponseBody>();
    qint64 length = 0;
    qint64 mtimeSeconds = 0;
    QByteArray etag;
    const int rung = RenditionMap::rungIndexFromName(relative);
    if (rung >= 0 && rung < renditions.variantCount() &&
        !QFileInfo::exists(canonicalRoot + QLatin1Char('/') + relative)) {
        body->memory = renditions.rungMasterText(rung);
        length = body->memory.size();
        mtimeSeconds = QFileInfo(canonicalRoot + QStringLiteral("/master.m3u8"))
                           .lastModified()
                           .toSecsSinceEpoch();
        etag = '"' +
               QCryptographicHash::hash(body->memory, QCryptographicHash::Sha1).toHex().left(16) +
               '"';
    } else {
        if (relative.isEmpty() && target.startsWith('/') && target.count('/') == target.size()) {
            setTextBody(res, 404, "not found (no folder listings)\n");
            return;
        }
        if (upstream && !relative.isEmpty()) {
            const Status cached = upstream->ensureCached(relative);
            if (!cached.isOk()) {
                const bool missing = cached.code() == Status::Code::InvalidInput;
                setTextBody(res, missing ? 404 : 502,
                            (cached.message() + QLatin1Char('\n')).toUtf8().constData());
                return;
            }
        }
        StatusOr<std::unique_ptr<FileDescriptor>> file =
            openServedFile(relative, rootDirFd ? rootDirFd->get() : -1, canonicalRoot);
        if (!file.isOk()) {
            if (file.status().code() == Status::Code::InvalidArgument)
                setTextBody(res, 403, "forbidden\n");
            else
                setTextBody(res, 404, "not found\n");
            return;
        }
        body->file = std::move(file.value());
        struct stat st {};
        if (::fstat(body->file->get(), &st) != 0) {
            setTextBody(res, 404, "not found\n");
            return;
        }
        length = qint64(st.st_size);
        mtimeSeconds = qint64(st.st_mtim.tv_sec);
        const qint64 mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
        etag = '"' + QByteArray::number(length, 16) + '-' + QByteArray::number(mtimeNs, 16) + '"';
    }
    ev.path = relative;
    ev.kind = renditions.kindOfPath(relative);
    ev.variantIndex = renditions.variantForPath(relative);
    if (ev.variantIndex >= 0) {
        const VariantStream& v = renditions.master().variants[ev.variantIndex];
        ev.variantBandwidth = v.bandwidth;
        if (v.width > 0)
            ev.variantResolution = QStringLiteral("%1x%2").arg(v.width).arg(v.height);
    }

    const QByteArray lastModified = httpDate(mtimeSeconds);
    res.set_header("ETag", etag.toStdString());
    res.set_header("Last-Modified", lastModified.toStdString());
    const QByteArray contentType = contentTypeForPath(relative);

    // Conditional requests (RFC 9110 §13.2.2): If-None-Match wins over If-Modified-Since.
    const bool notModified =
        req.has_header("If-None-Match")
            ? noneMatchHits(req.get_header_value("If-None-Match"), etag)
            : (req.has_header("If-Modified-Since") &&
               parseHttpDate(req.get_header_value("If-Modified-Since")) >= mtimeSeconds);
    if (notModified) {
        res.status = 304;
        // The length of the representation the client already has; a 304 never has a body.
        res.set_header("Content-Length", std::to_string(length));
        return;
    }

    RangeDecision decision;
    if (req.has_header("Range") && ifRangeMatches(req.get_header_value("If-Range"),
                                                  etag.toStdString(), lastModified.toStdString()))
        decision = decideRanges(req.get_header_value("Range"), length);

    QByteArray responseType = contentType;
    switch (decision.kind) {
    case RangeDecision::Kind::Unsatisfiable:
        res.status = 416;
        res.set_header("Content-Range", "bytes */" + std::to_string(length));
        return;
    case RangeDecision::Kind::Ignore:
        res.status = 200;
        body->pieces = {{{}, 0, length}};
        break;
    case RangeDecision::Kind::Partial:
        res.status = 206;
        ev.rangeCount = int(decision.ranges.size());
        ev.rangeFirst = decision.ranges.first().first;
        ev.rangeLast = decision.ranges.first().last;
        if (decision.ranges.size() == 1) {
            const ByteRange& r = decision.ranges.first();
            res.set_header("Content-Range", contentRangeValue(r, length).toStdString());
            body->pieces = {{{}, r.first, r.length()}};
        } else {
            const QByteArray boundary =
                QByteArray::number(QRandomGenerator::global()->generate64(), 16)
                    .rightJustified(16, '0');
            responseType = "multipart/byteranges; boundary=" + boundary;
            for (int i = 0; i < decision.ranges.size(); ++i) {
                const ByteRange& r = decision.ranges[i];
                // Same layout as Go's mime/multipart: no CRLF before the first delimiter.
                const QByteArray partHeader =
                    (i == 0 ? "--" : "\r\n--") + boundary + "\r\nContent-Type: " + contentType +
                    "\r\nContent-Range: " + contentRangeValue(r, length) + "\r\n\r\n";
                body->pieces.append({partHeader, -1, partHeader.size()});
                body->pieces.append({{}, r.first, r.length()});
            }
            const QByteArray closing = "\r\n--" + boundary + "--\r\n";
            body->pieces.append({closing, -1, closing.size()});
        }
        break;
    }
    for (const BodyPiece& piece : body->pieces)
        body->total += piece.length;
    ev.bodyBytes = head ? 0 : body->total;
    if (body->total == 0) {
        res.set_header("Content-Type", responseType.toStdString());
        return; // the library writes Content-Length: 0
    }

    NetworkShaper* linkShaper = &shaper;
    std::shared_ptr<RequestTrace> traceRef = t_trace;
    res.set_content_provider(
        size_t(body->total), responseType.toStdString(),
        [body, linkShaper, traceRef](size_t offset, size_t remaining, httplib::DataSink& sink) {
            thread_local std::vector<char> buffer(kReadBufferBytes);
            // Find the piece holding `offset`; a write never crosses a piece boundary.
            qint64 pieceStart = 0;
            for (const BodyPiece& piece : body->pieces) {
                if (qint64(offset) >= pieceStart + piece.length) {
                    pieceStart += piece.length;
                    continue;
                }
                const qint64 within = qint64(offset) - pieceStart;
                const qint64 count = std::min({qint64(remaining), piece.length - within,
                                               linkShaper->chunkBytes(), kReadBufferBytes});
                if (piece.sourceOffset < 0)
                    std::memcpy(buffer.data(), piece.literal.constData() + within, size_t(count));
                else if (!body->readSource(piece.sourceOffset + within, buffer.data(), count))
                    return false;
                if (!linkShaper->waitToSend(count, &traceRef->linkContinuation))
                    return false;
                if (!sink.write(buffer.data(), size_t(count)))
                    return false;
                traceRef->bytesSent += count;
                return true;
            }
            return false;
        });
}

void ShapedFileServer::Impl::finish(const httplib::Request& req, const httplib::Response& res) {
    std::shared_ptr<RequestTrace> trace = std::exchange(t_trace, nullptr);
    if (!trace) { // refused by the library before routing (400, 414...)
        trace = std::make_shared<RequestTrace>();
        trace->event.startSeconds = std::chrono::duration<double>(Clock::now() - startedAt).count();
        trace->event.wallClockMs = QDateTime::currentMSecsSinceEpoch();
        trace->event.method = QString::fromStdString(req.method);
        trace->event.path = QString::fromStdString(req.target).left(200);
    }
    RequestEvent ev = trace->event;
    ev.status = res.status;
    ev.bytesSent = trace->bytesSent.load();
    ev.durationMs =
        std::chrono::duration<double, std::milli>(Clock::now() - trace->startedAt).count();
    ev.throughputKbps = ev.durationMs > 0 ? double(ev.bytesSent) * 8.0 / ev.durationMs : 0;
    ev.shapedRateKbps = shaper.currentRateKbps();
    ev.complete = ev.bytesSent == ev.bodyBytes;
    std::lock_guard lock(eventsMutex);
    pendingEvents.append(std::move(ev));
    if (!deliveryScheduled) {
        deliveryScheduled = true;
        // Collect for kEventBatchMs before delivering: at thousands of requests per second
        // the receiving thread then wakes ~100 times a second, not once per request.
        QMetaObject::invokeMethod(
            q, [this] { QTimer::singleShot(kEventBatchMs, q, [this] { deliverEvents(); }); },
            Qt::QueuedConnection);
    }
}

void ShapedFileServer::Impl::deliverEvents() {
    QVector<RequestEvent> batch;
    {
        std::lock_guard lock(eventsMutex);
        batch.swap(pendingEvents);
        deliveryScheduled = false;
    }
    for (const RequestEvent& event : batch)
        emit q->requestFinished(event);
}

ShapedFileServer::ShapedFileServer(QString rootDir, QObject* parent)
    : QObject(parent), d(std::make_unique<Impl>()) {
    qRegisterMetaType<hlsforge::preview::RequestEvent>();
    d->q = this;
    d->rootDir = std::move(rootDir);
}

ShapedFileServer::~ShapedFileServer() {
    stop();
}

Status ShapedFileServer::start(quint16 port) {
    if (d->running)
        return Status::error(Status::Code::InvalidArgument,
                             QStringLiteral("preview server already running"));
    QString servedDir = d->rootDir;
    if (UpstreamOrigin::isUrl(d->rootDir)) {
        d->cache = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                   QStringLiteral("/hlsforge-proxy-XXXXXX"));
        if (!d->cache->isValid())
            return Status::error(Status::Code::IoError,
                                 QStringLiteral("cannot make a cache folder for %1 (%2)")
                                     .arg(d->rootDir, d->cache->errorString()));
        StatusOr<std::unique_ptr<UpstreamOrigin>> origin =
            UpstreamOrigin::open(d->rootDir, d->cache->path());
        if (!origin.isOk())
            return origin.status();
        d->upstream = std::move(origin.value());
        servedDir = d->cache->path();
    }
    const QFileInfo root(servedDir);
    if (!root.isDir())
        return Status::error(Status::Code::InvalidInput,
                             QStringLiteral("%1: not a folder").arg(d->rootDir));
    d->canonicalRoot = root.canonicalFilePath();
    d->rootDirFd = std::make_unique<FileDescriptor>(
        ::open(QFile::encodeName(d->canonicalRoot).constData(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    StatusOr<RenditionMap> map = RenditionMap::load(d->canonicalRoot);
    if (!map.isOk())
        return map.status();
    d->renditions = map.value();

    auto server = std::make_unique<CoalescingServer>();
    server->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
    server->set_keep_alive_max_count(1000);
    server->set_keep_alive_timeout(kKeepAliveTimeoutSeconds);
    server->set_read_timeout(10);
    server->set_write_timeout(30);             // a paused player stops reading; do not hang forever
    server->set_payload_max_length(64 * 1024); // we accept no request bodies
    server->set_tcp_nodelay(true);
    // cpp-httplib's default also sets SO_REUSEPORT, which would let a second server bind the
    // same port and silently share its connections. Keep only SO_REUSEADDR (fast restart).
    server->set_socket_options([](int sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    Impl* impl = d.get();
    server->set_pre_routing_handler([impl](const httplib::Request& req, httplib::Response& res) {
        return impl->handle(req, res);
    });
    server->set_error_handler(httplib::Server::HandlerWithResponse(
        [impl](const httplib::Request& req, httplib::Response& res) {
            if (res.has_header("Access-Control-Allow-Origin"))
                return httplib::Server::HandlerResponse::Unhandled; // our own 4xx, already complete
            if (res.status == 416 && req.has_header("Range")) {
                // cpp-httplib refuses Range headers its own parser dislikes (garbage, numbers past
                // int64) with a bare 416 before routing. Decide those ourselves: ignore, clamp, or
                // 416 with Content-Range, like every other request.
                return impl->handle(req, res);
            }
            setCommonHeaders(res);
            return httplib::Server::HandlerResponse::Unhandled;
        }));
    server->set_logger([impl](const httplib::Request& req, const httplib::Response& res) {
        impl->finish(req, res);
    });

    const int bound = port == 0 ? server->bind_to_any_port("127.0.0.1")
                                : (server->bind_to_port("127.0.0.1", port) ? int(port) : -1);
    if (bound <= 0)
        return Status::error(Status::Code::NetworkError,
                             QStringLiteral("cannot listen on 127.0.0.1:%1 (%2)")
                                 .arg(port)
                                 .arg(QString::fromLocal8Bit(std::strerror(errno))));
    d->server = std::move(server);
    d->port = bound;
    d->shaper.reset();
    d->startedAt = Clock::now();
    d->running = true;
    httplib::Server* raw = d->server.get();
    d->listenThread = std::thread([raw] { raw->listen_after_bind(); });
    // httplib's stop() is a no-op until the listen loop runs; wait for it so that a stop()
    // right after start() cannot be lost (and the join in stop() cannot hang).
    for (int i = 0; i < 500 && !raw->is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return Status::ok();
}

void ShapedFileServer::stop() {
    if (!d->server)
        return;
    d->shaper.cancelAll();
    d->server->stop();
    if (d->listenThread.joinable())
        d->listenThread.join(); // the thread pool joins its workers before listen returns
    d->server.reset();
    d->rootDirFd.reset();
    d->running = false;
    d->port = 0;
    // Every request has finished: hand over its event now, so a caller that stops the
    // server has all events when stop() returns (when it runs in the server's thread).
    if (QThread::currentThread() == thread())
        d->deliverEvents();
}

bool ShapedFileServer::isRunning() const {
    return d->running;
}
quint16 ShapedFileServer::port() const {
    return quint16(d->port.load());
}
QString ShapedFileServer::rootDir() const {
    return d->cache ? d->cache->path() : d->rootDir;
}

QString ShapedFileServer::origin() const {
    return d->rootDir;
}
const RenditionMap& ShapedFileServer::renditions() const {
    return d->renditions;
}

QUrl ShapedFileServer::url(const QString& relativePath) const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1/%2").arg(port()).arg(relativePath));
}

void ShapedFileServer::setProfile(const ShapingProfile& profile) {
    d->shaper.setProfile(profile);
}
ShapingProfile ShapedFileServer::profile() const {
    return d->shaper.profile();
}
double ShapedFileServer::currentRateKbps() const {
    return d->shaper.currentRateKbps();
}
double ShapedFileServer::secondsSinceStart() const {
    return std::chrono::duration<double>(Clock::now() - d->startedAt).count();
}
double ShapedFileServer::secondsSinceProfileApplied() const {
    return d->shaper.secondsSinceApplied();
}

} // namespace hlsforge::preview
