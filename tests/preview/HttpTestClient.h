#pragma once
// A deliberately raw HTTP/1.1 client for the server tests: sends the exact bytes given (so
// "/../" and "%2e%2e" reach the server unnormalised, unlike QUrl/QNetworkAccessManager) and
// reads one response framed by Content-Length. Usable from any thread (blocking QTcpSocket).

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QMap>
#include <QPair>
#include <QTcpSocket>

namespace hlsforge::test {

struct HttpResponse {
    int status = 0;
    QMap<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    double firstByteMs = 0;
    double totalMs = 0;
    bool ok = false;
    QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
};

inline HttpResponse httpRequest(quint16 port, const QByteArray& method, const QByteArray& target,
                                const QList<QPair<QByteArray, QByteArray>>& headers = {},
                                int timeoutMs = 20000) {
    HttpResponse out;
    QElapsedTimer clock;
    clock.start();
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return out;
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [name, value] : headers)
        request += name + ": " + value + "\r\n";
    request += "Connection: close\r\n\r\n";
    socket.write(request);
    QByteArray raw;
    int headerEnd = -1;
    qint64 contentLength = -1;
    const bool noBody = method == "HEAD";
    while (clock.elapsed() < timeoutMs) {
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(200)) {
            if (socket.state() != QAbstractSocket::ConnectedState)
                break;
            continue;
        }
        if (raw.isEmpty())
            out.firstByteMs = clock.nsecsElapsed() / 1e6;
        raw += socket.readAll();
        if (headerEnd < 0) {
            headerEnd = raw.indexOf("\r\n\r\n");
            if (headerEnd >= 0) {
                const QList<QByteArray> lines = raw.left(headerEnd).split('\n');
                out.status = lines.value(0).split(' ').value(1).toInt();
                for (int i = 1; i < lines.size(); ++i) {
                    const int colon = lines[i].indexOf(':');
                    if (colon > 0)
                        out.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                           lines[i].mid(colon + 1).trimmed());
                }
                if (out.headers.contains("content-length"))
                    contentLength = out.headers.value("content-length").toLongLong();
                if (noBody || out.status == 304 || out.status == 204)
                    contentLength = 0;
            }
        }
        if (headerEnd >= 0 && contentLength >= 0 && raw.size() - headerEnd - 4 >= contentLength)
            break;
    }
    out.totalMs = clock.nsecsElapsed() / 1e6;
    if (headerEnd < 0)
        return out;
    out.body = raw.mid(headerEnd + 4);
    out.ok = contentLength < 0 || out.body.size() == contentLength;
    return out;
}

} // namespace hlsforge::test
