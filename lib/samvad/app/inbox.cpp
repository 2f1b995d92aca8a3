#include <samvad/app/inbox.hpp>

#include <filesystem>

#include <samvad/app/history.hpp>
#include <samvad/core/operator.hpp>
#include <samvad/core/text.hpp>
#include <samvad/store/store.hpp>
#include <samvad/text/timestamp.hpp>

namespace samvad::app {

namespace {

nlohmann::json or_null(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }

// The store holding item `id`; 65 naming the store when it has none with that id (or does not
// exist: an action on an item never creates a store).
store::Store store_with_item(const Workspace& ws, const std::string& id, store::InboxItem& item) {
  std::optional<store::Store> st;
  std::optional<store::InboxItem> found;
  if (ws.state.path.exists()) {
    st.emplace(store::Store::open(ws.state.path));
    found = st->inbox_item(id);
  }
  if (!found)
    throw Error(ExitCode::data, "no inbox item '" + shown(id) + "' in " + ws.state.path.shown() +
                                    "; expected the id of an item 'samvad inbox --all' lists (samvad inbox sync "
                                    "reads new ones)");
  item = *found;
  return std::move(*st);
}

}  // namespace

store::InboxItem held_item(const Workspace& ws, const std::string& id) {
  store::InboxItem item;
  store_with_item(ws, id, item);
  return item;
}

InboxListing list_inbox(const Workspace& ws, const InboxListRequest& request) {
  InboxListing out;
  out.timezone = ws.config.organization.timezone;
  store::InboxQuery query;
  for (const auto* d : request.departments.empty() ? std::vector<const config::Department*>{}
                                                   : select_departments(ws.config, request.departments, false))
    query.departments.push_back(d->id);
  query.states = request.states;
  query.since = since_time(request.since, out.timezone);
  out.store_exists = ws.state.path.exists();
  if (out.store_exists) out.items = store::Store::open(ws.state.path).inbox_items(query);
  return out;
}

std::optional<long long> response_seconds(const store::InboxItem& item) {
  if (!item.answered_at) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(*item.answered_at - item.created_at).count();
}

nlohmann::json to_json(const store::InboxItem& item, const std::string& timezone) {
  nlohmann::json j{{"id", item.id},
                   {"channel", item.channel},
                   {"department", item.department},
                   {"heard_by", item.heard_by},
                   {"author", {{"id", item.author.id}, {"username", item.author.username}, {"name", item.author.name}}},
                   {"text", item.text},
                   {"language", item.language},
                   {"created_at", text::format_iso8601(item.created_at, timezone)},
                   {"url", item.url},
                   {"announcement", or_null(item.announcement_id)},
                   {"state", store::to_string(item.state)},
                   {"routed_by", or_null(item.routed_by)},
                   {"reply_ids", item.reply_ids}};
  j["answered_at"] =
      item.answered_at ? nlohmann::json(text::format_iso8601(*item.answered_at, timezone)) : nlohmann::json();
  const auto seconds = response_seconds(item);
  j["response_seconds"] = seconds ? nlohmann::json(*seconds) : nlohmann::json();
  j["closed_at"] = item.closed_at ? nlohmann::json(text::format_iso8601(*item.closed_at, timezone)) : nlohmann::json();
  j["close_note"] = or_null(item.close_note);
  return j;
}

nlohmann::json to_json(const InboxListing& listing) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : listing.items) items.push_back(to_json(item, listing.timezone));
  return items;
}

store::InboxItem close_inbox_item(const Workspace& ws, const std::string& id, const std::string& note) {
  store::InboxItem item;
  auto st = store_with_item(ws, id, item);
  st.close_item(item.channel, item.id, note, operator_name(), store::Clock::now());
  return *st.inbox_item(id);
}

store::InboxItem route_inbox_item(const Workspace& ws, const std::string& id, const std::string& department) {
  const auto* to = select_departments(ws.config, {department}, false).front();
  store::InboxItem item;
  auto st = store_with_item(ws, id, item);
  st.route_item(item.channel, item.id, to->id, operator_name(), store::Clock::now());
  return *st.inbox_item(id);
}

}  // namespace samvad::app
