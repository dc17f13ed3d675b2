#include "util/Status.h"

namespace hlsforge {

QString Status::codeName() const {
    switch (m_code) {
    case Code::Ok:
        return QStringLiteral("ok");
    case Code::Cancelled:
        return QStringLiteral("cancelled");
    case Code::InvalidInput:
        return QStringLiteral("invalid-input");
    case Code::InvalidArgument:
        return QStringLiteral("invalid-argument");
    case Code::IoError:
        return QStringLiteral("io-error");
    case Code::NetworkError:
        return QStringLiteral("network-error");
    case Code::Internal:
        return QStringLiteral("internal");
    }
    return QStringLiteral("unknown");
}

} // namespace hlsforge
