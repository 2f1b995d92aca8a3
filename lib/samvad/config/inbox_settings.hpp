// A department's `inbox:` block in departments.yaml: what samvad does with what citizens say
// to its accounts (samvad inbox, samvad digest). Channel-neutral: any listening channel's items
// are routed and digested by these rules.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/error.hpp>
#include <samvad/core/localized.hpp>

namespace samvad::config {

struct InboxSettings {
  // The account speaks for the whole corporation (the main PCMC account): what it hears goes to
  // the department whose keywords it names, and stays with it when none does.
  bool catch_all = false;
  // Words (or phrases) that route an item to this department, per language, as written.
  std::map<LanguageCode, std::vector<std::string>> keywords;
  // Who gets the department's daily digest (its head), ASCII addresses; empty: no digest.
  std::vector<std::string> digest_to;
  std::optional<SourceLocation> where;  // the block, when there is one
};

// Reads `inbox:` (at `node`, named `what` in messages, e.g. "departments.water-supply.inbox");
// problems go to the reader's diagnostics. Keys: catch_all (boolean), keywords ({LANG: [word,
// ...]}: each a word or phrase with at least one letter or digit), digest_to (an address or a
// list of them).
InboxSettings read_inbox(YamlReader& r, const YAML::Node& node, const std::string& what);

}  // namespace samvad::config
