#include "playlist/AttributeList.h"

namespace hlsforge {

QVector<QPair<QString, QString>> parseAttributeList(const QString& text) {
    QVector<QPair<QString, QString>> out;
    int i = 0;
    while (i < text.size()) {
        const int eq = text.indexOf(QLatin1Char('='), i);
        if (eq < 0)
            break;
        const QString key = text.mid(i, eq - i).trimmed();
        QString value;
        int end;
        if (eq + 1 < text.size() && text[eq + 1] == QLatin1Char('"')) {
            const int close = text.indexOf(QLatin1Char('"'), eq + 2);
            if (close < 0)
                break;
            value = text.mid(eq + 2, close - eq - 2);
            end = text.indexOf(QLatin1Char(','), close);
        } else {
            end = text.indexOf(QLatin1Char(','), eq);
            value = text.mid(eq + 1, end < 0 ? -1 : end - eq - 1).trimmed();
        }
        out.append({key, value});
        if (end < 0)
            break;
        i = end + 1;
    }
    return out;
}

} // namespace hlsforge
