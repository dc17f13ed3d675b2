#pragma once
// One served request, as the preview server reports it (Qt signal, JSON line in the CLI).

#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace hlsforge::preview {

struct RequestEvent {
    double startSeconds = 0; // since the server started
    qint64 wallClockMs = 0;  // ms since the epoch, at the start
    QString method;
    QString path; // relative to the served folder, decoded
    int status = 0;
    QString kind;          // "master", "playlist", "segment", "init", "other"
    int variantIndex = -1; // rung in master-playlist order, -1 when not part of one
    qint64 variantBandwidth = 0;
    QString variantResolution; // "1280x720"
    QString rangeHeader;       // as received
    qint64 rangeFirst = -1;    // first served range (206), inclusive
    qint64 rangeLast = -1;
    int rangeCount = 0;
    qint64 bodyBytes = 0;      // bytes the response body should have
    qint64 bytesSent = 0;      // body bytes actually written
    double durationMs = 0;     // request start (incl. added latency) to last byte written
    double throughputKbps = 0; // bytesSent * 8 / durationMs
    double shapedRateKbps = 0; // the profile's rate at the end (0: unlimited)
    bool complete = false;     // bytesSent == bodyBytes

    QJsonObject toJson() const;
};

} // namespace hlsforge::preview

Q_DECLARE_METATYPE(hlsforge::preview::RequestEvent)
