#include <samvad/twitter/spec.hpp>

#include <algorithm>

#include <samvad/core/digest.hpp>
#include <samvad/core/file.hpp>
#include <samvad/text/tweet_length.hpp>
#include <samvad/twitter/authorize.hpp>
#include <samvad/twitter/channel.hpp>
#include <samvad/twitter/client.hpp>
#include <samvad/twitter/listener.hpp>
#include <samvad/twitter/prices.hpp>
#include <samvad/twitter/settings.hpp>

namespace samvad::twitter {

namespace {

// What a delivery sends besides its texts: the account it posts as, and the images of its first
// post with the alt text in its language, pinned by their bytes, so a rerun can tell when either
// changed (a thread never continues from another account).
std::string content_for(const Account& account, const std::vector<channel::MediaItem>& media,
                        const std::string& language) {
  nlohmann::json content{{"account", account.handle}};
  if (!media.empty()) {
    nlohmann::json images = nlohmann::json::array();
    for (const auto& m : media)
      images.push_back({{"file", m.file.filename().string()},
                        {"sha256", sha256_hex(read_whole_file_or_throw(m.file, FileKind::media))},
                        {"alt", m.alt_for(language)}});
    content["media"] = images;
  }
  return content.dump();
}

// What to do instead of a thread where twitter.threads is none, and where that is set.
std::string without_threads(const Account& account) {
  return "; expected a text that fits in one post (280 characters as X counts them), or twitter.threads: reply" +
         (account.threads_where ? " (it is set to none at " + account.threads_where->to_string() + ")" : std::string());
}

// twitter.threads: none refuses every tweet that became a thread, at its text in the template.
std::vector<Diagnostic> check_message(const templates::Template& tmpl, const config::Department& department,
                                      const templates::Message& message) {
  std::vector<Diagnostic> problems;
  const Account* account = account_of(department);
  if (!account || account->threads != Threads::none) return problems;
  for (const auto& thread : message.tweets)
    if (thread.parts.size() > 1)
      problems.push_back(Diagnostic{ExitCode::data,
                                    "department " + department.id + " (" + thread.language + "): the tweet needs " +
                                        std::to_string(thread.parts.size()) +
                                        " posts but twitter.threads is none for this department" +
                                        without_threads(*account),
                                    tmpl.text_location("tweet." + thread.language)});
  return problems;
}

// One delivery per language of the template (a thread each); a one-off --text is in whatever
// language it was written in: one delivery, language "*".
void plan(const channel::PlanRequest& request, channel::PlanResult& out) {
  const Account& account = *account_of(request.department);
  const std::string& id = request.department.id;
  if (request.text_parts) {
    if (account.threads == Threads::none && request.text_parts->size() > 1)
      throw Error(ExitCode::data,
                  "--text for department " + id + ": the text needs " + std::to_string(request.text_parts->size()) +
                      " posts but twitter.threads is none for this department" + without_threads(account));
    out.deliveries.push_back(
        store::PlannedDelivery{id, kChannel, "*", *request.text_parts, content_for(account, request.media, "*"), {}});
    return;
  }
  if (request.message->tweets.empty()) out.skipped.push_back(id + ": the template has no tweet");
  for (const auto& thread : request.message->tweets)
    out.deliveries.push_back(store::PlannedDelivery{
        id, kChannel, thread.language, thread.parts, content_for(account, request.media, thread.language), {}});
}

// samvad reply: the delivery's first post answers the mention (its content says which, so a
// rerun that would answer another post is a changed content, refused).
void make_reply(store::PlannedDelivery& delivery, const std::string& remote_id) {
  auto content = nlohmann::json::parse(delivery.content, nullptr, false);
  if (!content.is_object()) content = nlohmann::json::object();
  content["in_reply_to"] = remote_id;
  delivery.content = content.dump();
}

std::vector<Diagnostic> check_credentials(const config::Credentials& credentials, const config::Department& d) {
  std::vector<Diagnostic> problems;
  SourceLocation file{credentials.path.string(), 0, 0};
  if (!app_keys_for(credentials, d.id))
    problems.push_back(
        Diagnostic{ExitCode::config,
                   "no twitter_app for department " + d.id +
                       "; expected twitter_app: {consumer_key: ..., consumer_secret: ...} (or departments." + d.id +
                       ".twitter_app)",
                   file});
  if (!token_for(credentials, d.id))
    problems.push_back(
        Diagnostic{ExitCode::config,
                   "no access token for department " + d.id + " (it has a twitter account); expected departments." +
                       d.id + ".twitter: {access_token: ..., access_token_secret: ...} (samvad authorize " + d.id + ")",
                   file});
  return problems;
}

// 75 when trying again later may work, 69 when X refuses.
ExitCode code_for(const ApiError& e) {
  switch (e.kind) {
    case ApiError::Kind::transient:
    case ApiError::Kind::ambiguous:
    case ApiError::Kind::rate_limited:
      return ExitCode::temp_fail;
    default:
      return ExitCode::unavailable;
  }
}

// Deletes what is left of one delivery on X, newest part first (replies before what they answer,
// so a thread never dangles); records each part retracted as it goes. A part whose answer was
// lost is first looked for on the account by its exact text.
channel::Retraction retract(store::Store& st, const store::Delivery& d, const channel::RetractContext& ctx) {
  using Kind = channel::Retraction::Kind;
  const Account* account = ctx.department ? account_of(*ctx.department) : nullptr;
  if (!account)
    return {Kind::stopped, ExitCode::unavailable,
            "department " + d.department + " has no X account in the configuration any more"};
  auto http = ctx.services.http(account->ca_file);
  Client client(*http, Endpoint{account->api_base, keys_for(ctx.credentials, d.department)});
  client.on_billed(cost_recorder(st, d.department, d.announcement_id, account->prices));
  std::optional<std::string> user_id;
  const std::string count = std::to_string(d.parts.size());
  for (auto it = d.parts.rbegin(); it != d.parts.rend(); ++it) {
    const store::Part& part = *it;
    const std::string label = "part " + std::to_string(part.index + 1) + "/" + count;
    if (part.status == store::PartStatus::retracted) continue;
    std::string id = part.remote_id;
    if (id.empty()) {
      // Never sent, or refused by X: nothing of it is on X.
      if (part.status == store::PartStatus::pending || part.status == store::PartStatus::failed) continue;
      // Sent, but its answer (and so its id) was lost: the account's recent posts tell.
      auto ids = posts_with_text(client, user_id, part.payload);
      if (!ids.ok())
        return {Kind::stopped, code_for(ids.error()),
                label + " was sent but its answer was lost, and X could not be asked whether it is posted: " +
                    describe(ids.error())};
      for (const auto& candidate : *ids) {
        if (!st.adopt_remote_id(d.id, part.index, candidate, store::PartStatus::delivered)) {
          id = candidate;
          break;
        }
      }
      if (id.empty()) {
        // Not there (or only another announcement's post of the same text, which X's duplicate
        // rule says means ours was never made): the same conclusion a rerun of the post draws.
        st.set_part_status(d.id, part.index, store::PartStatus::retracted);
        ctx.note(label + " was never posted (not among the account's recent posts)");
        continue;
      }
      ctx.note(label + " was found as " + id);
    }
    auto deleted = client.delete_post(id);
    if (deleted.ok() && !*deleted)
      return {Kind::stopped, ExitCode::unavailable,
              "deleting " + id + " (" + label + "): X answered that it was not deleted"};
    if (!deleted.ok() && deleted.error().kind != ApiError::Kind::not_found)
      return {Kind::stopped, code_for(deleted.error()),
              "deleting " + id + " (" + label + "): " + describe(deleted.error())};
    st.set_part_status(d.id, part.index, store::PartStatus::retracted, id);
    ctx.note("deleted " + id);
  }
  return {};
}

std::string live_url(const channel::DeliveryReport& r, const channel::PartReport& p) {
  if (r.account.size() < 2 || p.remote_id.empty() || p.status == store::PartStatus::retracted) return "";
  return "https://x.com/" + r.account.substr(1) + "/status/" + p.remote_id;
}

void describe_delivery(const std::string& content_text, channel::DeliveryReport& r) {
  auto content = nlohmann::json::parse(content_text, nullptr, false);
  if (content.is_object())
    if (auto a = content.find("account"); a != content.end() && a->is_string()) r.account = "@" + a->get<std::string>();
  for (const auto& p : r.parts)
    if (auto url = live_url(r, p); !url.empty()) r.urls.push_back(url);
}

nlohmann::json null_if_empty(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

std::string summary_item(const store::PlannedDelivery& d) {
  const std::size_t n = d.part_payloads.size();
  return (d.language == "*" ? std::string() : d.language + " ") +
         (n == 1 ? "1 post" : "thread of " + std::to_string(n));
}

// A token is the account it was issued for, whatever credentials.yaml is next to: one copied into
// the wrong department, or authorized while signed in as someone else, posts as them. Asks X
// (GET /2/users/me) for each department: another account is 78, a refusal 69, no answer 75.
void check_accounts(const config::Config& config, const config::Credentials& credentials,
                    const channel::Services& services, channel::CheckFindings& out) {
  for (const auto& d : config.departments) {
    const Account* account = account_of(d);
    if (!account || !app_keys_for(credentials, d.id) || !token_for(credentials, d.id)) continue;
    auto http = services.http(account->ca_file);
    Client client(*http, Endpoint{account->api_base, keys_for(credentials, d.id)});
    auto me = client.me();
    const std::string where = "departments." + d.id + " in " + credentials.path.string();
    if (!me.ok()) {
      const auto& e = me.error();
      std::string message = where + ": X did not confirm the token (" +
                            (e.status ? "HTTP " + std::to_string(e.status) + ": " : std::string()) + e.detail + ")";
      if (e.status == 401) message += "; expected a valid token: run samvad authorize " + d.id;
      out.problems.push_back(Diagnostic{code_for(e), message, std::nullopt});
      continue;
    }
    ++out.counts["accounts_checked"];
    if (!same_handle(me->username, account->handle)) {
      out.problems.push_back(
          Diagnostic{ExitCode::config,
                     where + ": the token belongs to @" + me->username + ", but the department posts as @" +
                         account->handle + " (" + config.path.string() + "); expected @" + account->handle +
                         "'s token: sign in to X as @" + account->handle + " and run samvad authorize " + d.id,
                     d.where});
      continue;
    }
    out.checked.push_back(d.id + ": the token is @" + me->username + "'s (checked with X)");
  }
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// The corporation's budget (once) and each department's own, as departments.yaml sets them.
std::vector<channel::Budget> budgets(const config::Config& config) {
  std::vector<channel::Budget> out;
  bool shared = false;
  for (const auto& d : config.departments) {
    const Account* account = account_of(d);
    if (!account) continue;
    if (account->shared_budget && !shared) out.push_back(*account->shared_budget);
    shared = shared || account->shared_budget.has_value();
    if (account->budget) {
      out.push_back(*account->budget);
      out.back().department = d.id;
    }
  }
  return out;
}

// The posts of one rendered template that have a URL, of how many, and in which languages.
struct UrlPosts {
  std::size_t with_url = 0;
  std::size_t posts = 0;
  std::vector<std::string> languages;
};

UrlPosts url_posts(const templates::Message& message) {
  UrlPosts out;
  for (const auto& thread : message.tweets) {
    for (const auto& part : thread.parts) {
      ++out.posts;
      if (post_kind(part) != Billed::post_with_url) continue;
      ++out.with_url;
      if (std::find(out.languages.begin(), out.languages.end(), thread.language) == out.languages.end())
        out.languages.push_back(thread.language);
    }
  }
  return out;
}

// Posts with a URL cost X's higher rate (0.20 instead of 0.015 by default): worth knowing while a
// template is written, since a link in it makes each post that has it cost that much more. Said
// once per template (counted on the first department's render that has one), with the prices of
// each department that would pay them.
void note_urls(const templates::Template& tmpl, const std::vector<channel::Rendered>& renders,
               channel::CheckFindings& out) {
  std::optional<UrlPosts> first;
  std::vector<std::pair<Prices, std::vector<std::string>>> payers;  // prices and the departments paying them
  for (const auto& r : renders) {
    const Account* account = account_of(r.department);
    const UrlPosts found = url_posts(r.message);
    if (!account || found.with_url == 0) continue;
    if (!first) first = found;
    auto it = std::find_if(payers.begin(), payers.end(), [&](const auto& p) { return p.first == account->prices; });
    if (it == payers.end()) it = payers.insert(payers.end(), {account->prices, {}});
    it->second.push_back(r.department.id);
  }
  if (!first) return;
  std::string costs;
  for (const auto& [prices, departments] : payers) {
    costs += (costs.empty() ? "" : "; ") + channel::decimal_usd(prices.post_with_url) + " instead of " +
             channel::decimal_usd(prices.post);
    if (payers.size() > 1) costs += " for " + join(departments, ", ");
  }
  out.notes.push_back(Diagnostic{ExitCode::ok,
                                 "template " + tmpl.name + ": " + std::to_string(first->with_url) + " of its " +
                                     std::to_string(first->posts) + " posts (" + join(first->languages, ", ") +
                                     ") contain a URL with the example values, which X bills at a "
                                     "higher rate: each post costs " +
                                     costs + " (US dollars, twitter.prices)",
                                 tmpl.text_location("tweet." + first->languages.front())});
}

// X bills every request: what a delivery costs, the monthly budgets, and check's note on URLs.
void add_billing(channel::Spec& s) {
  s.cost = [](const config::Department& d, const store::PlannedDelivery& p, const std::vector<bool>& sent) {
    const Account* account = account_of(d);
    return estimate(account ? account->prices : Prices{}, p, sent);
  };
  s.cost_text = cost_text;
  s.cost_field = "x_cost_usd";
  s.spend_field = "x_spend_usd";
  s.budgets = budgets;
  s.check_template = note_urls;
  s.listen_cost = [](const config::Department& d) {
    const Account* account = account_of(d);
    channel::Cost cost;
    cost.add(to_string(Billed::read), 1, (account ? account->prices : Prices{}).read);
    return cost;
  };
}

}  // namespace

channel::Spec spec() {
  channel::Spec s;
  s.name = kChannel;
  s.title = "X";
  s.absent = "no X account";
  s.contents = templates::Contents{true, false};
  s.takes_text = true;
  s.section_reader = make_section_reader;
  s.credential_sections = credential_sections();
  s.check_credentials = check_credentials;
  s.check_online = check_accounts;
  s.department_json = [](const config::Department& d, nlohmann::json& j) {
    const Account* account = account_of(d);
    j[kChannel] = account ? nlohmann::json(account->handle) : nlohmann::json(nullptr);
  };
  s.plan = plan;
  s.check_message = check_message;
  s.make_reply = make_reply;
  s.sender = [](const channel::Services& services) { return make_sender(services.http); };
  s.listener = [](const channel::Services& services) { return make_listener(services.http); };
  s.retract = retract;
  s.describe = describe_delivery;
  s.json = [](const channel::DeliveryReport& r, nlohmann::json& j) {
    j["tweet_ids"] = r.remote_ids;
    j["urls"] = r.urls;
  };
  s.part_json = [](const channel::DeliveryReport& r, const channel::PartReport& p) {
    return nlohmann::json{{"index", p.index},
                          {"text", p.text},
                          {"weighted_length", text::measure_tweet(p.text).weighted_length},
                          {"status", store::to_string(p.status)},
                          {"tweet_id", null_if_empty(p.remote_id)},
                          {"url", null_if_empty(live_url(r, p))}};
  };
  s.outcome_text = [](const channel::DeliveryReport& r) {
    // The post's address, so the clerk can open it; the bare id when the account is unknown.
    std::string where;
    for (const auto& u : (r.urls.empty() ? r.remote_ids : r.urls)) where += (where.empty() ? "" : " ") + u;
    return where;
  };
  s.show = [](const store::PlannedDelivery& d, const std::vector<bool>& sent) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < d.part_payloads.size(); ++i) {
      const auto& p = d.part_payloads[i];
      lines.push_back("[" + std::to_string(text::measure_tweet(p).weighted_length) + "/280]" +
                      (i < sent.size() && sent[i] ? " (sent)" : "") + " " + p);
    }
    return lines;
  };
  s.heading = [](const store::PlannedDelivery& d) {
    return d.part_payloads.size() > 1 ? " — thread of " + std::to_string(d.part_payloads.size()) : std::string();
  };
  s.summary = [](const store::PlannedDelivery& d, std::size_t) {
    auto content = nlohmann::json::parse(d.content, nullptr, false);
    std::string account;
    if (content.is_object() && content.contains("account")) account = " @" + content["account"].get<std::string>();
    return channel::SummaryLine{"X" + account, summary_item(d)};
  };
  add_billing(s);
  return s;
}

}  // namespace samvad::twitter
