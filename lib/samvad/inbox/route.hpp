// Where an item heard by a catch-all account (the corporation's main account) belongs: the
// department whose inbox keywords it names, matched on whole words (text::words: ICU word
// boundaries, NFC, case-folded), in any of the department's keyword languages, since a Marathi
// complaint often says "pipeline" and an English one "नळ".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <samvad/config/config.hpp>

namespace samvad::inbox {

struct Route {
  std::string department;
  std::string keyword;  // the first keyword found, as written in departments.yaml
};

// The department (not itself a catch-all) that `text` names the most distinct keywords of;
// a tie goes to the one listed first in departments.yaml. nullopt when no keyword is found.
std::optional<Route> route(const config::Config& config, const std::string& text);

// Keywords that more than one department lists (after NFC and case folding): an item naming
// one goes to whichever names more, else the first. For `check`: "'water' is a keyword of
// water-supply and drainage".
struct SharedKeyword {
  std::string keyword;
  std::vector<std::string> departments;
};
std::vector<SharedKeyword> shared_keywords(const config::Config& config);

// What `check` says of the routing (warnings, each at its inbox: block): keywords that several
// departments share; a catch-all account with nobody to route to; keywords with no catch-all
// account to route from.
std::vector<Diagnostic> routing_warnings(const config::Config& config);

}  // namespace samvad::inbox
