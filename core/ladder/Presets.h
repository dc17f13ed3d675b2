#pragma once
// Built-in ladders. Names are what `--ladder NAME` and the GUI's preset picker accept.

#include "ladder/Ladder.h"

namespace hlsforge {

struct LadderPreset {
    QString name;
    QString description;
    Ladder ladder;
};

const QVector<LadderPreset>& ladderPresets();
// The preset named `name`, or nullptr.
const LadderPreset* findLadderPreset(const QString& name);
// A preset name or a path to a JSON file.
StatusOr<Ladder> loadLadderSpec(const QString& presetOrPath);

} // namespace hlsforge
