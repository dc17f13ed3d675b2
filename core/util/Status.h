#pragma once
// Status: the error value that crosses module and thread borders (no exceptions).
// A Status is Ok, Cancelled, or an error with a user-readable message that names the
// file and the cause; `detail` carries the FFmpeg/OS wording for the log.

#include <QString>

namespace hlsforge {

class Status {
public:
    enum class Code {
        Ok,
        Cancelled,
        InvalidInput,    // the input file is missing, unreadable or not usable video
        InvalidArgument, // a ladder or option is wrong
        IoError,         // writing output failed (permissions, disk full, ...)
        NetworkError,
        Internal,
    };

    Status() = default;
    static Status ok() { return {}; }
    static Status cancelled(const QString& message = QStringLiteral("cancelled")) {
        return Status(Code::Cancelled, message);
    }
    static Status error(Code code, const QString& message, const QString& detail = {}) {
        return Status(code, message, detail);
    }

    bool isOk() const { return m_code == Code::Ok; }
    bool isCancelled() const { return m_code == Code::Cancelled; }
    explicit operator bool() const { return isOk(); }
    Code code() const { return m_code; }
    const QString& message() const { return m_message; }
    const QString& detail() const { return m_detail; }
    QString codeName() const;

    // The first error wins: keeps `this` unless it is Ok.
    void update(const Status& other) {
        if (isOk() && !other.isOk())
            *this = other;
    }

private:
    Status(Code code, QString message, QString detail = {})
        : m_code(code), m_message(std::move(message)), m_detail(std::move(detail)) {}

    Code m_code = Code::Ok;
    QString m_message;
    QString m_detail;
};

// Value or error, for functions that produce something.
template <typename T> class StatusOr {
public:
    StatusOr(T value) : m_value(std::move(value)) {}
    StatusOr(Status status) : m_status(std::move(status)) {}
    bool isOk() const { return m_status.isOk(); }
    const Status& status() const { return m_status; }
    const T& value() const { return m_value; }
    T& value() { return m_value; }
    const T* operator->() const { return &m_value; }
    T* operator->() { return &m_value; }

private:
    Status m_status;
    T m_value{};
};

} // namespace hlsforge
