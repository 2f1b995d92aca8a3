// Who is acting: recorded with every announcement and every inbox action.
#pragma once

#include <string>

namespace samvad {

// $SAMVAD_OPERATOR when set and not empty, else user@host of the process.
std::string operator_name();

}  // namespace samvad
