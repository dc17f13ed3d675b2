#include "preview/ByteRange.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>

namespace hlsforge::preview {
namespace {

constexpr qint64 kSaturated = std::numeric_limits<qint64>::max();

std::string_view trimOws(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Digits only; saturates at INT64_MAX instead of wrapping. nullopt when empty or not digits.
std::optional<qint64> parseDigits(std::string_view s) {
    if (s.empty())
        return std::nullopt;
    qint64 value = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
        const int digit = c - '0';
        if (value > (kSaturated - digit) / 10)
            value = kSaturated;
        else
            value = value * 10 + digit;
    }
    return value;
}

struct Spec {
    std::optional<qint64> first;
    std::optional<qint64> last; // or suffix length when first is empty
};

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

RangeDecision decideRanges(std::string_view header, qint64 fileLength) {
    RangeDecision ignore;
    header = trimOws(header);
    const size_t eq = header.find('=');
    if (eq == std::string_view::npos || !equalsIgnoreCase(trimOws(header.substr(0, eq)), "bytes"))
        return ignore;
    // An empty file has no byte a range could select; like nginx, answer with the (empty) file.
    if (fileLength <= 0)
        return ignore;

    QVector<Spec> specs;
    std::string_view rest = header.substr(eq + 1);
    while (true) {
        const size_t comma = rest.find(',');
        const std::string_view element = trimOws(rest.substr(0, comma));
        if (!element.empty()) { // RFC 9110 §5.6.1: empty list elements are allowed
            if (specs.size() >= kMaxRanges)
                return ignore;
            const size_t dash = element.find('-');
            if (dash == std::string_view::npos)
                return ignore;
            Spec spec;
            const std::string_view a = element.substr(0, dash);
            const std::string_view b = element.substr(dash + 1);
            if (!a.empty()) {
                spec.first = parseDigits(a);
                if (!spec.first)
                    return ignore;
            }
            if (!b.empty()) {
                spec.last = parseDigits(b);
                if (!spec.last)
                    return ignore;
            }
            if (!spec.first && !spec.last)
                return ignore; // "bytes=-"
            specs.append(spec);
        }
        if (comma == std::string_view::npos)
            break;
        rest.remove_prefix(comma + 1);
    }
    if (specs.isEmpty())
        return ignore; // "bytes=" or "bytes=,"

    RangeDecision out;
    for (const Spec& spec : specs) {
        ByteRange r;
        if (!spec.first) { // suffix: the last N bytes
            const qint64 suffix = *spec.last;
            if (suffix == 0)
                continue; // selects nothing: unsatisfiable on its own
            r.first = suffix >= fileLength ? 0 : fileLength - suffix;
            r.last = fileLength - 1;
        } else {
            if (spec.last && *spec.last < *spec.first) {
                out.kind = RangeDecision::Kind::Unsatisfiable;
                out.ranges.clear();
                return out;
            }
            if (*spec.first >= fileLength)
                continue;
            r.first = *spec.first;
            r.last = spec.last ? std::min(*spec.last, fileLength - 1) : fileLength - 1;
        }
        out.ranges.append(r);
    }
    if (out.ranges.isEmpty()) {
        out.kind = RangeDecision::Kind::Unsatisfiable;
        return out;
    }
    if (out.ranges.size() > 1) {
        // Overlapping ranges, or more bytes than the file: a multipart answer would only be a
        // bigger way to send the file (and is an amplification vector), so send the file.
        QVector<ByteRange> sorted = out.ranges;
        std::sort(sorted.begin(), sorted.end(),
                  [](const ByteRange& x, const ByteRange& y) { return x.first < y.first; });
        qint64 total = 0;
        for (int i = 0; i < sorted.size(); ++i) {
            total += sorted[i].length();
            if (i > 0 && sorted[i].first <= sorted[i - 1].last)
                return ignore;
        }
        if (total > fileLength)
            return ignore;
    }
    out.kind = RangeDecision::Kind::Partial;
    return out;
}

QByteArray contentRangeValue(const ByteRange& range, qint64 fileLength) {
    return "bytes " + QByteArray::number(range.first) + '-' + QByteArray::number(range.last) + '/' +
           QByteArray::number(fileLength);
}

bool ifRangeMatches(std::string_view ifRange, std::string_view etag,
                    std::string_view lastModifiedHttpDate) {
    ifRange = trimOws(ifRange);
    if (ifRange.empty())
        return true;
    if (ifRange.starts_with("W/"))
        return false; // weak validators never match for If-Range
    if (ifRange.front() == '"')
        return ifRange == etag;
    return ifRange == lastModifiedHttpDate;
}

} // namespace hlsforge::preview
