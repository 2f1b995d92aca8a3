#include <samvad/inbox/route.hpp>

#include <algorithm>
#include <map>

#include <samvad/text/words.hpp>

namespace samvad::inbox {

namespace {

// A keyword as the words it must match, with the text it was written as.
struct Keyword {
  std::string written;
  std::vector<std::string> words;
};

std::vector<Keyword> keywords_of(const config::Department& department) {
  std::vector<Keyword> out;
  for (const auto& [lang, list] : department.inbox.keywords)
    for (const auto& k : list) out.push_back(Keyword{k, text::words(k)});
  return out;
}

}  // namespace

std::optional<Route> route(const config::Config& config, const std::string& text) {
  const std::vector<std::string> said = text::words(text);
  std::optional<Route> best;
  std::size_t best_count = 0;
  for (const auto& department : config.departments) {
    if (department.inbox.catch_all) continue;
    std::size_t count = 0;
    std::string first;
    std::vector<std::vector<std::string>> seen;  // one keyword written in two languages counts once
    for (const auto& keyword : keywords_of(department)) {
      if (!text::contains_phrase(said, keyword.words)) continue;
      if (std::find(seen.begin(), seen.end(), keyword.words) != seen.end()) continue;
      seen.push_back(keyword.words);
      if (count++ == 0) first = keyword.written;
    }
    if (count > best_count) {
      best_count = count;
      best = Route{department.id, first};
    }
  }
  return best;
}

std::vector<SharedKeyword> shared_keywords(const config::Config& config) {
  std::map<std::vector<std::string>, SharedKeyword> by_words;
  std::vector<std::vector<std::string>> order;
  for (const auto& department : config.departments) {
    if (department.inbox.catch_all) continue;
    for (const auto& keyword : keywords_of(department)) {
      auto [it, fresh] = by_words.try_emplace(keyword.words, SharedKeyword{keyword.written, {}});
      if (fresh) order.push_back(keyword.words);
      auto& deps = it->second.departments;
      if (std::find(deps.begin(), deps.end(), department.id) == deps.end()) deps.push_back(department.id);
    }
  }
  std::vector<SharedKeyword> out;
  for (const auto& words : order)
    if (by_words[words].departments.size() > 1) out.push_back(by_words[words]);
  return out;
}

std::vector<Diagnostic> routing_warnings(const config::Config& config) {
  std::vector<Diagnostic> out;
  const config::Department* catch_all = nullptr;
  const config::Department* with_keywords = nullptr;
  for (const auto& d : config.departments) {
    if (d.inbox.catch_all && !catch_all) catch_all = &d;
    if (!d.inbox.catch_all && !d.inbox.keywords.empty() && !with_keywords) with_keywords = &d;
  }
  for (const auto& shared : shared_keywords(config)) {
    const auto* first = config.find_department(shared.departments.front());
    std::string names;
    for (std::size_t i = 0; i < shared.departments.size(); ++i)
      names += (i == 0 ? "" : i + 1 == shared.departments.size() ? " and " : ", ") + shared.departments[i];
    out.push_back(Diagnostic{ExitCode::config,
                             "inbox keyword '" + shared.keyword + "' is listed by " + names +
                                 "; an item naming it goes to the department it names more keywords of, else to " +
                                 first->id + ": expected each keyword in one department",
                             first->inbox.where});
  }
  if (catch_all && !with_keywords)
    out.push_back(Diagnostic{ExitCode::config,
                             "departments." + catch_all->id +
                                 ".inbox.catch_all is set but no department lists inbox.keywords: everything its "
                                 "account hears stays with " +
                                 catch_all->id,
                             catch_all->inbox.where});
  if (with_keywords && !catch_all)
    out.push_back(Diagnostic{ExitCode::config,
                             "departments." + with_keywords->id +
                                 ".inbox.keywords route what a catch-all account hears, but no department has "
                                 "inbox: {catch_all: true}; expected the corporation's main account marked catch_all",
                             with_keywords->inbox.where});
  return out;
}

}  // namespace samvad::inbox
