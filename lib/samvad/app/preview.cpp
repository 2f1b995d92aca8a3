#include <samvad/app/preview.hpp>

#include <algorithm>

#include <samvad/email/subscribers.hpp>
#include <samvad/templates/render.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/templates/variables.hpp>
#include <samvad/text/tweet_length.hpp>

namespace samvad::app {

std::size_t count_recipients(const config::EmailList& list, std::vector<Diagnostic>& warnings) {
  std::size_t n = list.list ? 1 : 0;
  if (list.subscribers) {
    email::SubscriberList subscribers;
    try {
      subscribers = email::load_subscribers(*list.subscribers);
    } catch (const Error&) {
      // Point at the line of departments.yaml that names the missing file.
      throw Error(ExitCode::no_input,
                  "subscriber file " + list.subscribers->string() + " cannot be read; expected a file with one address per line",
                  list.subscribers_where);
    }
    warnings.insert(warnings.end(), subscribers.problems.begin(), subscribers.problems.end());
    n += subscribers.addresses.size();
  }
  return n;
}

PreviewResult preview(const Workspace& workspace, const PreviewRequest& request) {
  auto departments = select_departments(workspace.config, request.departments, request.all);
  if (request.language != "all") {
    for (const auto* d : departments) {
      if (std::find(d->languages.begin(), d->languages.end(), request.language) == d->languages.end())
        throw Error(ExitCode::usage, "--lang " + request.language + ": department " + d->id + " does not post in '" +
                                         request.language + "'; expected all or one of its languages");
    }
  }
  templates::Template tmpl =
      templates::load_template(templates::find_template(workspace.templates_dir, request.template_name));

  templates::Variables given;
  if (request.vars_file) given = templates::load_vars_file(*request.vars_file);
  templates::Variables from_command_line;
  for (const auto& arg : request.var_arguments) templates::add_var_argument(from_command_line, arg);
  templates::merge(given, from_command_line);

  PreviewResult result;
  result.template_name = tmpl.name;
  // Values are needed only in the languages the chosen departments post in.
  std::vector<LanguageCode> languages;
  for (const auto* d : departments)
    for (const auto& lang : d->languages)
      if (std::find(languages.begin(), languages.end(), lang) == languages.end()) languages.push_back(lang);
  templates::ResolvedVariables vars =
      templates::resolve_variables(tmpl, given, request.use_examples, result.warnings, languages);

  for (const auto* d : departments) {
    templates::Message message = templates::render(tmpl, workspace.config, *d, vars);
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
