// Store's inbox methods (store.hpp; tables in migrations.cpp, schema 6).
#include <samvad/store/inbox.hpp>

#include <algorithm>
#include <array>
#include <utility>

#include <samvad/store/statement.hpp>
#include <samvad/store/store.hpp>

namespace samvad::store {

namespace {

constexpr std::array<std::pair<ItemState, const char*>, 3> kStates{
    {{ItemState::open, "open"}, {ItemState::answered, "answered"}, {ItemState::closed, "closed"}}};

constexpr const char* kItemColumns =
    "SELECT channel, id, heard_by, department, author_id, author_username, author_name, text, language, "
    "created_at, conversation_id, in_reply_to, announcement_id, url, routed_by, state, answered_at, closed_at, "
    "close_note, recorded_at FROM inbox_items ";

InboxItem item_from(const Statement& s) {
  InboxItem item;
  item.channel = s.column_text(0);
  item.id = s.column_text(1);
  item.heard_by = s.column_text(2);
  item.department = s.column_text(3);
  item.author = Author{s.column_text(4), s.column_text(5), s.column_text(6)};
  item.text = s.column_text(7);
  item.language = s.column_text(8);
  item.created_at = s.column_time(9);
  item.conversation_id = s.column_text(10);
  item.in_reply_to = s.column_text(11);
  item.announcement_id = s.column_text(12);
  item.url = s.column_text(13);
  item.routed_by = s.column_text(14);
  item.state = parse_item_state(s.column_text(15)).value_or(ItemState::open);
  if (!s.is_null(16)) item.answered_at = s.column_time(16);
  if (!s.is_null(17)) item.closed_at = s.column_time(17);
  item.close_note = s.column_text(18);
  item.recorded_at = s.column_time(19);
  return item;
}

// The announcement one of whose posts on `channel` is `remote_id`, or "".
std::string announcement_with_post(Database& db, const std::string& channel, const std::string& remote_id) {
  if (remote_id.empty()) return "";
  Statement s(db,
              "SELECT d.announcement_id FROM parts p JOIN deliveries d ON d.id = p.delivery_id "
              "WHERE p.remote_id = ?1 AND p.remote_id <> '' AND d.channel = ?2 LIMIT 1");
  s.bind(1, remote_id).bind(2, channel);
  return s.step() ? s.column_text(0) : "";
}

void insert_item(Database& db, const InboxItem& item) {
  Statement s(db,
              "INSERT INTO inbox_items (channel, id, heard_by, department, author_id, author_username, author_name, "
              "text, language, created_at, conversation_id, in_reply_to, announcement_id, url, routed_by, recorded_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
              "recording what was heard");
  s.bind(1, item.channel).bind(2, item.id).bind(3, item.heard_by).bind(4, item.department);
  s.bind(5, item.author.id).bind(6, item.author.username).bind(7, item.author.name);
  s.bind(8, item.text).bind(9, item.language).bind(10, item.created_at).bind(11, item.conversation_id);
  s.bind(12, item.in_reply_to).bind(13, item.announcement_id).bind(14, item.url).bind(15, item.routed_by);
  s.bind(16, item.recorded_at);
  s.run();
}

bool item_exists(Database& db, const std::string& channel, const std::string& id) {
  Statement s(db, "SELECT 1 FROM inbox_items WHERE channel = ?1 AND id = ?2");
  s.bind(1, channel).bind(2, id);
  return s.step();
}

// A reply recorded for an item: the item answered at its first reply unless it is closed.
// Returns true when it is the item's first answer (the reply is new and nothing answered it).
bool add_reply(Database& db, const std::string& channel, const std::string& item_id, const std::string& reply_id,
               Clock::time_point at) {
  Statement insert(db,
                   "INSERT INTO inbox_replies (channel, item_id, reply_id, replied_at) VALUES (?1, ?2, ?3, ?4) "
                   "ON CONFLICT DO NOTHING",
                   "recording a reply");
  insert.bind(1, channel).bind(2, item_id).bind(3, reply_id).bind(4, at);
  if (insert.run() == 0) return false;
  Statement first(db,
                  "UPDATE inbox_items SET answered_at = ?3, "
                  "state = CASE state WHEN 'closed' THEN 'closed' ELSE 'answered' END "
                  "WHERE channel = ?1 AND id = ?2 AND answered_at IS NULL",
                  "recording a reply");
  first.bind(1, channel).bind(2, item_id).bind(3, at);
  if (first.run() == 1) return true;
  // Answered already: a reply seen later may still be the earlier one.
  Statement earlier(db,
                    "UPDATE inbox_items SET answered_at = CASE WHEN ?3 < answered_at THEN ?3 ELSE answered_at END "
                    "WHERE channel = ?1 AND id = ?2",
                    "recording a reply");
  earlier.bind(1, channel).bind(2, item_id).bind(3, at);
  earlier.run();
  return false;
}

// The items an own post answers: the one it replies to, else the items of its conversation made
// before it that nobody answered yet.
std::vector<std::string> answered_by(Database& db, const std::string& channel, const OwnPost& post) {
  std::vector<std::string> ids;
  if (!post.in_reply_to.empty() && item_exists(db, channel, post.in_reply_to)) return {post.in_reply_to};
  if (post.conversation_id.empty()) return ids;
  Statement s(db,
              "SELECT id FROM inbox_items WHERE channel = ?1 AND conversation_id = ?2 AND created_at <= ?3 "
              "AND answered_at IS NULL ORDER BY created_at");
  s.bind(1, channel).bind(2, post.conversation_id).bind(3, post.created_at);
  while (s.step()) ids.push_back(s.column_text(0));
  return ids;
}

void load_replies(Database& db, InboxItem& item) {
  Statement s(db,
              "SELECT reply_id FROM inbox_replies WHERE channel = ?1 AND item_id = ?2 ORDER BY replied_at, reply_id");
  s.bind(1, item.channel).bind(2, item.id);
  while (s.step()) item.reply_ids.push_back(s.column_text(0));
}

void add_event(Database& db, const std::string& channel, const std::string& id, const std::string& action,
               const std::string& detail, const std::string& operator_name, Clock::time_point at) {
  Statement s(
      db, "INSERT INTO inbox_events (channel, item_id, at, operator, action, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      "recording who did what");
  s.bind(1, channel).bind(2, id).bind(3, at).bind(4, operator_name).bind(5, action).bind(6, detail);
  s.run();
}

}  // namespace

std::string to_string(ItemState s) {
  for (const auto& [state, text] : kStates)
    if (state == s) return text;
  return "open";
}

std::optional<ItemState> parse_item_state(std::string_view s) {
  for (const auto& [state, text] : kStates)
    if (s == text) return state;
  return std::nullopt;
}

ListenState Store::listen_state(const std::string& channel, const std::string& department) const {
  Statement s(*db_,
              "SELECT account_id, heard_since, own_since FROM inbox_accounts WHERE channel = ?1 AND department = ?2");
  s.bind(1, channel).bind(2, department);
  if (!s.step()) return {};
  return ListenState{s.column_text(0), s.column_text(1), s.column_text(2)};
}

void Store::set_listen_state(const std::string& channel, const std::string& department, const ListenState& state) {
  WriteGuard write(process_write_lock());
  Statement s(*db_,
              "INSERT INTO inbox_accounts (channel, department, account_id, heard_since, own_since, updated_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (channel, department) DO UPDATE SET "
              "account_id = excluded.account_id, heard_since = excluded.heard_since, own_since = excluded.own_since, "
              "updated_at = excluded.updated_at",
              "recording how far the account was read");
  s.bind(1, channel).bind(2, department).bind(3, state.account_id).bind(4, state.heard_since);
  s.bind(5, state.own_since).bind(6, Clock::now());
  s.run();
}

std::vector<InboxItem> Store::record_heard(const std::vector<InboxItem>& items) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  std::vector<InboxItem> added;
  for (InboxItem item : items) {
    if (item_exists(*db_, item.channel, item.id)) continue;
    item.announcement_id = announcement_with_post(*db_, item.channel, item.in_reply_to);
    if (item.announcement_id.empty())
      item.announcement_id = announcement_with_post(*db_, item.channel, item.conversation_id);
    item.recorded_at = Clock::now();
    insert_item(*db_, item);
    added.push_back(std::move(item));
  }
  tx.commit();
  return added;
}

std::vector<std::string> Store::record_own_posts(const std::string& channel, const std::vector<OwnPost>& posts) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  std::vector<std::string> answered;
  for (const OwnPost& post : posts) {
    for (const std::string& id : answered_by(*db_, channel, post))
      if (add_reply(*db_, channel, id, post.id, post.created_at)) answered.push_back(id);
  }
  tx.commit();
  return answered;
}

void Store::record_reply(const std::string& channel, const std::string& item_id, const std::string& reply_id,
                         Clock::time_point at) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  add_reply(*db_, channel, item_id, reply_id, at);
  tx.commit();
}

std::optional<InboxItem> Store::inbox_item(const std::string& id) const {
  Statement s(*db_, std::string(kItemColumns) + "WHERE id = ?1 ORDER BY channel LIMIT 1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  InboxItem item = item_from(s);
  load_replies(*db_, item);
  return item;
}

std::vector<InboxItem> Store::inbox_items(const InboxQuery& query) const {
  Statement s(*db_, std::string(kItemColumns) + "WHERE created_at >= ?1 ORDER BY created_at DESC, id DESC");
  s.bind(1, query.since ? to_millis(*query.since) : 0LL);
  std::vector<InboxItem> out;
  while (s.step()) {
    InboxItem item = item_from(s);
    const auto& deps = query.departments;
    if (!deps.empty() && std::find(deps.begin(), deps.end(), item.department) == deps.end()) continue;
    const auto& states = query.states;
    if (!states.empty() && std::find(states.begin(), states.end(), item.state) == states.end()) continue;
    load_replies(*db_, item);
    out.push_back(std::move(item));
  }
  return out;
}

bool Store::close_item(const std::string& channel, const std::string& id, const std::string& note,
                       const std::string& operator_name, Clock::time_point at) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  Statement s(*db_,
              "UPDATE inbox_items SET state = 'closed', closed_at = ?3, close_note = ?4 WHERE channel = ?1 AND id = ?2",
              "closing an inbox item");
  s.bind(1, channel).bind(2, id).bind(3, at).bind(4, note);
  if (s.run() == 0) return false;
  add_event(*db_, channel, id, "closed", note, operator_name, at);
  tx.commit();
  return true;
}

bool Store::route_item(const std::string& channel, const std::string& id, const std::string& department,
                       const std::string& operator_name, Clock::time_point at) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  Statement s(*db_, "UPDATE inbox_items SET department = ?3, routed_by = ?4 WHERE channel = ?1 AND id = ?2",
              "routing an inbox item");
  s.bind(1, channel).bind(2, id).bind(3, department).bind(4, "routed by " + operator_name);
  if (s.run() == 0) return false;
  add_event(*db_, channel, id, "routed", department, operator_name, at);
  tx.commit();
  return true;
}

std::vector<InboxEvent> Store::inbox_events(const std::string& channel, const std::string& id) const {
  Statement s(*db_,
              "SELECT at, operator, action, detail FROM inbox_events WHERE channel = ?1 AND item_id = ?2 "
              "ORDER BY at, rowid");
  s.bind(1, channel).bind(2, id);
  std::vector<InboxEvent> out;
  while (s.step()) out.push_back(InboxEvent{s.column_time(0), s.column_text(1), s.column_text(2), s.column_text(3)});
  return out;
}

}  // namespace samvad::store
