#pragma once
// NetworkOptions: the link a shaped session runs on, read the same way by `serve` and `qoe`:
// `--profile NAME` (a built-in profile), `--kbps N` (constant, 0 unlimited) and
// `--trace FILE` (CSV "seconds,kbps"). `qoe` takes several, in the order typed (one session
// each); `serve` takes at most one.

#include "CommandLine.h"

#include "preview/ShapingProfile.h"
#include "util/Status.h"

#include <QVector>

namespace hlsforge::cli {

class NetworkOptions {
public:
    // Declares the three options on `cl`; `repeatable` only changes their help text.
    NetworkOptions(CommandLine& cl, bool repeatable);

    // After cl.parse(): the profiles in the order typed (empty when none was given), or the
    // message for an unknown profile name or an unreadable trace.
    StatusOr<QVector<preview::ShapingProfile>> profiles(const CommandLine& cl) const;
    // How many of the three options were given.
    int count(const CommandLine& cl) const;

private:
    QCommandLineOption m_profile;
    QCommandLineOption m_kbps;
    QCommandLineOption m_trace;
};

} // namespace hlsforge::cli
