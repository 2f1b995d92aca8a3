// departments.yaml `approvals:` (top level, and per department to override it): which kinds of
// content need a second pair of eyes before they are sent, and whether the approver must be
// someone other than who submitted it. Which kinds exist is the templates' business: the app
// layer checks the names read here (app/approval.hpp check_approval_kinds).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/error.hpp>

namespace samvad::config {

struct ApprovalSettings {
  // Kinds of content (a template kind, "text" for post --text, "reply" for samvad reply), or
  // "all"; empty: nothing needs approval.
  std::vector<std::string> required;
  std::vector<SourceLocation> required_where;  // where each of `required` is written
  bool two_person = false;
  std::optional<SourceLocation> where;  // the block

  bool requires_approval(std::string_view kind) const;
};

// Reads `approvals:` (at `node`, named `what` in messages, e.g. "departments.roads.approvals"):
// a mapping with `required` (a list of kinds, or one kind) and optionally `two_person` (a
// boolean). Problems go to the reader's diagnostics.
ApprovalSettings read_approvals(YamlReader& r, const YAML::Node& node, const std::string& what);

}  // namespace samvad::config
