#include <samvad/app/preview.hpp>

#include <algorithm>

#include <samvad/email/message.hpp>
#include <samvad/email/recipients.hpp>
#include <samvad/text/tweet_length.hpp>
#include <samvad/core/text.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/delivery/reconcile.hpp>
#include <samvad/store/store.hpp>

namespace samvad::app {

std::size_t count_recipients(const email::ListSettings& list, std::vector<Diagnostic>& warnings) {
  email::RecipientScan recipients = email::scan_recipients(list);
  warnings.insert(warnings.end(), recipients.problems.begin(), recipients.problems.end());
  return recipients.count;
}

namespace {

// The plan `post` would make of the composed template (every channel), for what it costs and what
// the store holds of it; nullopt when planning fails: post reports why, the preview stands alone.
std::optional<delivery::Plan> plan_of(const Workspace& workspace, const Composed& composed) {
  try {
    return delivery::plan_template(template_request(composed), workspace.config, delivery::select_channels({}), {}, {},
                                   std::nullopt);
  } catch (const Error&) {
    return std::nullopt;
  }
}

// `post` with the same arguments names the same announcement; when the store holds it with other
// content, post will refuse, and the preview says so rather than show a text that will not go.
void warn_if_recorded_otherwise(const Workspace& workspace, const delivery::Plan& plan,
                                std::vector<Diagnostic>& warnings) {
  if (!workspace.state.path.exists()) return;
  try {
    auto recorded = store::Store::open(workspace.state.path).deliveries(plan.announcement.id);
    if (recorded.empty()) return;
    auto reconciliation = delivery::reconcile(plan, recorded, false);
    for (const auto& d : reconciliation.decisions) {
      if (d.fate != delivery::Fate::conflict) continue;
      warnings.push_back(Diagnostic{ExitCode::data,
                                    "announcement " + plan.announcement.id + " (what post names this) is recorded with other "
                                    "content for " + d.recorded->department + " " + d.recorded->channel +
                                        (d.recorded->language == "*" ? "" : " " + d.recorded->language) + ": " + d.difference +
                                        "; post would refuse it (give a new --id, or retract it first)",
                                    std::nullopt});
    }
  } catch (const Error&) {
    // The preview stands on its own; post reports whatever stopped this comparison.
  }
}

// What sending the shown texts costs: with --lang, only that language's deliveries.
delivery::CostEstimate cost_of(delivery::Plan plan, const config::Config& config, const std::string& language) {
  if (language != "all")
    std::erase_if(plan.deliveries,
                  [&](const store::PlannedDelivery& d) { return d.language != language && d.language != "*"; });
  return delivery::estimate_cost(plan, config);
}

}  // namespace

PreviewResult preview(const Workspace& workspace, const PreviewRequest& request) {
  if (request.language != "all") {
    for (const auto* d : select_departments(workspace.config, request.compose.departments, request.compose.all)) {
      if (std::find(d->languages.begin(), d->languages.end(), request.language) == d->languages.end())
        throw Error(ExitCode::usage, "--lang " + shown(request.language) + ": department " + d->id + " does not post in '" +
                                         shown(request.language) + "'; expected all or one of its languages");
    }
  }
  Composed composed = compose(workspace, request.compose);
  PreviewResult result;
  result.template_name = composed.tmpl.name;
  result.warnings = composed.warnings;
  for (std::size_t i = 0; i < composed.departments.size(); ++i) {
    const config::Department* d = composed.departments[i];
    const templates::Message& message = composed.messages[i];
    PreviewItem item;
    item.department = d->id;
    for (const auto& thread : message.tweets) {
      if (request.language != "all" && thread.language != request.language) continue;
      TweetPreview tp;
      tp.language = thread.language;
      for (const auto& part : thread.parts) tp.parts.push_back(TweetPart{part, text::measure_tweet(part).weighted_length});
      item.tweets.push_back(std::move(tp));
    }
    if (const email::ListSettings* list = email::list_of(*d); message.email && list) {
      item.email = EmailPreview{message.email->subject, message.email->text, message.email->html,
                                count_recipients(*list, result.warnings)};
      if (list->unsubscribe) email::add_unsubscribe_footer(item.email->text, item.email->html, *list->unsubscribe);
    }
    result.items.push_back(std::move(item));
  }
  if (auto plan = plan_of(workspace, composed)) {
    result.cost = cost_of(*plan, workspace.config, request.language);
    warn_if_recorded_otherwise(workspace, *plan, result.warnings);
  }
  return result;
}

nlohmann::json to_json(const PreviewResult& result) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : result.items) {
    nlohmann::json tweets = nlohmann::json::array();
    for (const auto& t : item.tweets) {
      nlohmann::json parts = nlohmann::json::array();
      for (const auto& p : t.parts) parts.push_back({{"text", p.text}, {"weighted_length", p.weighted_length}});
      tweets.push_back({{"language", t.language}, {"parts", parts}});
    }
    nlohmann::json j{{"department", item.department}, {"tweets", tweets}};
    if (item.email)
      j["email"] = {{"subject", item.email->subject},
                    {"text", item.email->text},
                    {"html", item.email->html},
                    {"recipients", item.email->recipients}};
    else
      j["email"] = nullptr;
    delivery::add_cost_json(result.cost.of(item.department), j);
    items.push_back(std::move(j));
  }
  nlohmann::json out{{"template", result.template_name}, {"items", items}};
  delivery::add_cost_json(result.cost.total, out);
  return out;
}

}  // namespace samvad::app
