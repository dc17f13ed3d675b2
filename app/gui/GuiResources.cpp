#include "GuiResources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initHlsForgeResources() {
    Q_INIT_RESOURCE(hlsforge);
}

namespace hlsforge::gui {
void initResources() {
    initHlsForgeResources();
}
} // namespace hlsforge::gui
