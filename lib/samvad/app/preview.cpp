#include <samvad/app/preview.hpp>

#include <algorithm>

#include <samvad/email/message.hpp>
#include <samvad/email/recipients.hpp>
#include <samvad/text/tweet_length.hpp>
#include <samvad/core/text.hpp>

namespace samvad::app {

std::size_t count_recipients(const config::EmailList& list, std::vector<Diagnostic>& warnings) {
  email::Recipients recipients = email::load_recipients(list);
  warnings.insert(warnings.end(), recipients.problems.begin(), recipients.problems.end());
  return recipients.addresses.size();
}

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
    if (message.email && d->email) {
      item.email = EmailPreview{message.email->subject, message.email->text, message.email->html,
                                count_recipients(*d->email, result.warnings)};
      if (d->email->unsubscribe) email::add_unsubscribe_footer(item.email->text, item.email->html, *d->email->unsubscribe);
    }
    result.items.push_back(std::move(item));
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
    items.push_back(std::move(j));
  }
  return {{"template", result.template_name}, {"items", items}};
}

}  // namespace samvad::app
