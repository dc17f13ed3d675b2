#pragma once
// A checker for any VOD HLS ladder — ours or another tool's — against the rules of Apple's
// HLS Authoring Specification (and RFC 8216) that can be verified from the files: keyframes
// and alignment from packet headers (no decoding), BANDWIDTH from segment sizes, CODECS and
// RESOLUTION from the streams' parameter sets. Reads a folder, or a URL through the preview
// server's fetcher (UpstreamOrigin). docs/check.md lists every rule with its section.

#include "util/Status.h"

#include <QJsonObject>
#include <QString>
#include <QVector>

#include <functional>

namespace hlsforge::check {

enum class Severity { Must, Should };
QString severityName(Severity severity); // "must" / "should" (stable: JSON)

struct Finding {
    QString rule;    // stable id, e.g. "idr-at-segment-start"
    QString section; // "7.4" (Apple's authoring spec) or "RFC 8216 4.3.3.1"
    Severity severity = Severity::Must;
    QString where;   // playlist or segment path relative to the ladder, or its URL
    QString message; // what is wrong, with the measured and the declared values
    QJsonObject toJson() const;
};

struct CheckReport {
    QString ladder; // the folder or URL checked
    QVector<Finding> findings;
    int variants = 0;
    int segmentsChecked = 0;
    double mediaSeconds = 0; // of the longest variant
    double elapsedSeconds = 0;

    int count(Severity severity) const;
    bool passes() const { return count(Severity::Must) == 0; }
    // {"ladder", "findings": [...], "summary": {"must", "should", "variants",
    //  "segmentsChecked", "mediaSeconds", "elapsedSeconds", "passes"}}
    QJsonObject toJson() const;
    QString toText() const; // a readable report, one finding per line block
};

struct CheckOptions {
    // Called now and then with 0..1; return false to stop (the check then ends Cancelled).
    std::function<bool(double fraction)> progress;
};

// `ladder`: a folder holding master.m3u8, a master playlist file, or an http(s) URL of one.
// Ok with a report (findings or not); an error when the master itself cannot be read.
StatusOr<CheckReport> checkLadder(const QString& ladder, const CheckOptions& options = {});

} // namespace hlsforge::check
