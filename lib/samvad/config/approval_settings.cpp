#include <samvad/config/approval_settings.hpp>

#include <algorithm>

#include <samvad/core/text.hpp>

namespace samvad::config {

namespace {

const std::vector<std::string> kApprovalKeys{"required", "two_person"};

void read_required(YamlReader& r, const YAML::Node& node, const std::string& what, ApprovalSettings& out) {
  if (node.IsScalar()) {
    if (auto kind = r.string(node, what)) {
      out.required.push_back(*kind);
      out.required_where.push_back(r.where(node));
    }
    return;
  }
  if (!node.IsSequence()) {
    r.error(node,
            what + " is not a list; expected kinds of content like [scheme, service-notice, text, reply], or all");
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    auto kind = r.string(node[i], what + "[" + std::to_string(i) + "]");
    if (!kind) continue;
    if (std::find(out.required.begin(), out.required.end(), *kind) != out.required.end()) {
      r.error(node[i], what + ": '" + shown(*kind) + "' is listed twice; expected each kind once");
      continue;
    }
    out.required.push_back(*kind);
    out.required_where.push_back(r.where(node[i]));
  }
}

}  // namespace

bool ApprovalSettings::requires_approval(std::string_view kind) const {
  return std::any_of(required.begin(), required.end(), [&](const std::string& k) { return k == "all" || k == kind; });
}

ApprovalSettings read_approvals(YamlReader& r, const YAML::Node& node, const std::string& what) {
  ApprovalSettings out;
  out.where = r.where(node);
  if (!node.IsMap()) {
    r.error(node, what + " is not a mapping; expected {required: [kinds of content], two_person: true|false}");
    return out;
  }
  const auto entries = r.map(node, what, kApprovalKeys);
  if (auto required = r.required(node, entries, "required", what)) read_required(r, *required, what + ".required", out);
  if (const auto* two = find_entry(entries, "two_person"))
    if (auto b = r.boolean(two->value, what + ".two_person")) out.two_person = *b;
  return out;
}

}  // namespace samvad::config
