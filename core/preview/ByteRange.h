#pragma once
// RFC 9110 §14 Range handling, independent of any HTTP library: turns a `Range` header and a
// representation length into what to send. Rules follow Go's net/http ServeContent and
// nginx's range filter:
//   - unknown unit or broken syntax           -> Ignore (send the whole file, 200)
//   - more than kMaxRanges ranges             -> Ignore (nginx max_ranges)
//   - several ranges that overlap, or add up to more than the file -> Ignore (Go)
//   - a range whose last < first              -> Unsatisfiable (Go: "invalid range")
//   - no range with a byte inside the file    -> Unsatisfiable (416, Content-Range: bytes */LEN)
//   - otherwise the satisfiable ranges, ends clamped to the file (206)
// Numbers are parsed with saturation, so "bytes=0-18446744073709551615" clamps instead of
// overflowing (HTTP.sys CVE-2015-1635, nginx CVE-2017-7529).

#include <QByteArray>
#include <QVector>

#include <string_view>

namespace hlsforge::preview {

struct ByteRange {
    qint64 first = 0; // inclusive
    qint64 last = 0;  // inclusive
    qint64 length() const { return last - first + 1; }
    bool operator==(const ByteRange&) const = default;
};

struct RangeDecision {
    enum class Kind { Ignore, Partial, Unsatisfiable };
    Kind kind = Kind::Ignore;
    QVector<ByteRange> ranges; // Partial only, in request order
};

inline constexpr int kMaxRanges = 16;

RangeDecision decideRanges(std::string_view rangeHeader, qint64 fileLength);

// "bytes 0-99/1234"
QByteArray contentRangeValue(const ByteRange& range, qint64 fileLength);

// If-Range (RFC 9110 §13.1.5): true when the condition holds and the Range may be used.
// Only a strong ETag equal to ours, or an HTTP-date equal to our Last-Modified, matches.
bool ifRangeMatches(std::string_view ifRange, std::string_view etag,
                    std::string_view lastModifiedHttpDate);

} // namespace hlsforge::preview
