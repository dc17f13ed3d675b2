#pragma once
// The icons in resources/hlsforge.qrc live in a static library; the linker drops their
// initialiser unless someone references it, so the app and the tests call this once.

namespace hlsforge::gui {
void initResources();
}
