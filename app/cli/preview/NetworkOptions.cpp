#include "preview/NetworkOptions.h"

namespace hlsforge::cli {

using preview::ShapingProfile;

NetworkOptions::NetworkOptions(CommandLine& cl, bool repeatable)
    : m_profile(cl.addOption(QStringLiteral("profile"), QStringLiteral("NAME"),
                             repeatable
                                 ? QStringLiteral("a named network profile (hlsforge-cli serve "
                                                  "--list-profiles); repeat for several sessions")
                                 : QStringLiteral("a named network profile (see --list-profiles)"),
                             QStringLiteral("Unlimited"))),
      m_kbps(cl.addOption(
          QStringLiteral("kbps"), QStringLiteral("N"),
          repeatable ? QStringLiteral("a constant link of N kb/s, 0 unlimited (repeatable)")
                     : QStringLiteral("a constant rate in kb/s (0: unlimited)"),
          {}, CommandLine::number(0))),
      m_trace(cl.addOption(
          QStringLiteral("trace"), QStringLiteral("FILE"),
          repeatable ? QStringLiteral("a rate trace, CSV lines \"seconds,kbps\" (repeatable)")
                     : QStringLiteral("a rate trace, CSV lines \"seconds,kbps\""))) {}

int NetworkOptions::count(const CommandLine& cl) const {
    return int(cl.values(m_profile).size() + cl.values(m_kbps).size() + cl.values(m_trace).size());
}

StatusOr<QVector<ShapingProfile>> NetworkOptions::profiles(const CommandLine& cl) const {
    QVector<ShapingProfile> profiles;
    for (const auto& [name, value] : cl.valuesInOrder({m_profile, m_kbps, m_trace})) {
        if (name == m_profile.names().constFirst()) {
            StatusOr<ShapingProfile> named = ShapingProfile::builtIn(value);
            if (!named.isOk())
                return named.status();
            profiles.append(named.value());
        } else if (name == m_kbps.names().constFirst()) {
            // Checked by CommandLine::number(0) already.
            const double kbps = value.toDouble();
            profiles.append(kbps > 0 ? ShapingProfile::constant(kbps)
                                     : ShapingProfile::unlimited());
        } else {
            StatusOr<ShapingProfile> trace = ShapingProfile::fromTraceFile(value);
            if (!trace.isOk())
                return trace.status();
            profiles.append(trace.value());
        }
    }
    return profiles;
}

} // namespace hlsforge::cli
