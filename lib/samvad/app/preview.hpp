// `samvad preview`: exactly what would be sent, per department — each tweet or thread part with
// its weighted length, and the email subject, bodies and recipient count. Sends nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/app/compose.hpp>
#include <samvad/app/workspace.hpp>
#include <samvad/core/error.hpp>
#include <samvad/delivery/cost.hpp>
#include <samvad/email/settings.hpp>

namespace samvad::app {

struct PreviewRequest {
  ComposeRequest compose;
  std::string language = "all";  // --lang
};

struct TweetPart {
  std::string text;
  int weighted_length = 0;
};

struct TweetPreview {
  std::string language;
  std::vector<TweetPart> parts;
};

struct EmailPreview {
  std::string subject;
  std::string text;
  std::string html;
  std::size_t recipients = 0;
};

struct PreviewItem {
  std::string department;
  std::vector<TweetPreview> tweets;
  std::optional<EmailPreview> email;
};

struct PreviewResult {
  std::string template_name;
  std::vector<PreviewItem> items;
  std::vector<Diagnostic> warnings;
  // What posting what is shown costs (with --lang, that language's posts), per department and in
  // total; empty when nothing shown is billed.
  delivery::CostEstimate cost;
};

PreviewResult preview(const Workspace& workspace, const PreviewRequest& request);

// The --json shape: {"template":..., "items":[{"department":..., "tweets":[...], "email":{...},
// "x_cost_usd": 0.03}], "x_cost_usd": 0.23} (each billing channel's Spec::cost_field, in US dollars)
nlohmann::json to_json(const PreviewResult& result);

// How many addresses a department's email goes to: the list address plus the valid, distinct
// subscribers. Invalid subscriber lines are appended to `warnings`.
std::size_t count_recipients(const email::ListSettings& list, std::vector<Diagnostic>& warnings);

}  // namespace samvad::app
