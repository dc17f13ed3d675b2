#pragma once
// ShapedFileServer: the local preview server. HTTP/1.1 on 127.0.0.1 (cpp-httplib underneath,
// see docs/preview.md), serving one folder read-only with RFC 9110 Range support, ETag and
// Last-Modified validators, CORS for browser players, and every body write paced by a shared
// NetworkShaper so the player sees a link of the chosen profile.
//
// Requests are handled on the server's own worker threads; their events are batched and
// requestFinished is emitted in the thread the server object lives in (its event loop must
// run), in request-completion order. stop() called from that thread delivers what is left
// before returning. setProfile() and the getters may be called from any thread.
// Besides the folder's files it serves "master.rung-N.m3u8": the master playlist reduced to
// rung N, for locking a player to one rung.

#include "preview/RequestEvent.h"
#include "preview/ShapingProfile.h"
#include "util/Status.h"

#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

namespace hlsforge::preview {

class RenditionMap;

class ShapedFileServer : public QObject {
    Q_OBJECT
public:
    // `rootDir`: a ladder's folder, or an http(s) URL of a master playlist on a web server,
    // which is then proxied through a private cache (UpstreamOrigin.h).
    explicit ShapedFileServer(QString rootDir, QObject* parent = nullptr);
    ~ShapedFileServer() override; // stops

    // Binds 127.0.0.1:port (0: any free port) and serves until stop(). Reads the master
    // playlist (if any) to map paths to rungs.
    Status start(quint16 port = 0);
    // Closes the listening socket, cancels shaped waits, joins the workers. Idle keep-alive
    // connections may hold this up to the keep-alive timeout (2 s).
    void stop();
    bool isRunning() const;

    quint16 port() const;
    QUrl url(const QString& relativePath = {}) const; // http://127.0.0.1:PORT/relativePath
    // The folder files are served from: the one given, or in proxy mode our cache of the
    // origin's files (valid once start() succeeded).
    QString rootDir() const;
    QString origin() const; // the folder or URL given to the constructor
    const RenditionMap& renditions() const;

    void setProfile(const ShapingProfile& profile); // takes effect at once, even mid-transfer
    ShapingProfile profile() const;
    double currentRateKbps() const; // 0: unlimited
    double secondsSinceProfileApplied() const;
    double secondsSinceStart() const; // the clock of RequestEvent::startSeconds

signals:
    void requestFinished(const hlsforge::preview::RequestEvent& event);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace hlsforge::preview
