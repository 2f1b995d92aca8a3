// Who is acting: recorded with every inbox action (and, later, every announcement).
#pragma once

#include <string>

namespace samvad::app {

// $SAMVAD_OPERATOR when set and not empty, else user@host of the process.
std::string operator_name();

}  // namespace samvad::app
