// Store's approval methods (store.hpp) and their SQL (approvals.hpp; tables in migrations.cpp,
// schema 10).
#include <samvad/store/approvals.hpp>

#include <array>
#include <utility>

#include <samvad/store/statement.hpp>

namespace samvad::store {

namespace {

// The texts are stored in the database: changing one needs a migration.
constexpr std::array<std::pair<ApprovalState, const char*>, 3> kApprovalStates{{
    {ApprovalState::awaiting, "awaiting"},
    {ApprovalState::approved, "approved"},
    {ApprovalState::rejected, "rejected"},
}};

constexpr const char* kApprovalColumns =
    "SELECT announcement_id, kind, state, submitted_by, submitted_at, decided_by, decided_at, reason, media, "
    "reply_channel, reply_item FROM approvals ";

Approval approval_from(const Statement& s) {
  Approval a;
  a.announcement_id = s.column_text(0);
  a.kind = s.column_text(1);
  a.state = parse_approval_state(s.column_text(2)).value_or(ApprovalState::awaiting);
  a.submitted_by = s.column_text(3);
  a.submitted_at = s.column_time(4);
  a.decided_by = s.column_text(5);
  if (!s.is_null(6)) a.decided_at = s.column_time(6);
  a.reason = s.column_text(7);
  a.media_json = s.column_text(8);
  a.reply_channel = s.column_text(9);
  a.reply_item = s.column_text(10);
  return a;
}

}  // namespace

std::string to_string(ApprovalState s) {
  for (const auto& [state, name] : kApprovalStates)
    if (state == s) return name;
  return "unknown";
}

std::optional<ApprovalState> parse_approval_state(std::string_view s) {
  for (const auto& [state, name] : kApprovalStates)
    if (s == name) return state;
  return std::nullopt;
}

std::string approval_status(std::optional<ApprovalState> approval, const std::string& delivery_status) {
  if (approval == ApprovalState::awaiting) return "awaiting-approval";
  if (approval == ApprovalState::rejected) return "rejected";
  return delivery_status;
}

namespace approvals {

void insert(Database& db, const Approval& a) {
  Statement s(db,
              "INSERT INTO approvals (announcement_id, kind, state, submitted_by, submitted_at, media, reply_channel, "
              "reply_item) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (announcement_id) DO NOTHING",
              "holding an announcement for approval");
  s.bind(1, a.announcement_id).bind(2, a.kind).bind(3, to_string(a.state)).bind(4, a.submitted_by);
  s.bind(5, a.submitted_at).bind(6, a.media_json).bind(7, a.reply_channel).bind(8, a.reply_item);
  if (s.run() == 1 && a.state == ApprovalState::awaiting)
    add_event(db, AnnouncementEvent{a.announcement_id, a.submitted_at, a.submitted_by, "submitted", a.kind});
}

std::optional<Approval> find(Database& db, const std::string& announcement_id) {
  Statement s(db, std::string(kApprovalColumns) + "WHERE announcement_id = ?1", "reading an approval");
  s.bind(1, announcement_id);
  if (!s.step()) return std::nullopt;
  return approval_from(s);
}

std::vector<Approval> awaiting(Database& db) {
  Statement s(db, std::string(kApprovalColumns) + "WHERE state = 'awaiting' ORDER BY submitted_at, announcement_id",
              "reading what awaits approval");
  std::vector<Approval> out;
  while (s.step()) out.push_back(approval_from(s));
  return out;
}

bool decide(Database& db, const std::string& announcement_id, ApprovalState state, const std::string& operator_name,
            const std::string& reason, Clock::time_point at) {
  // Only from awaiting: of two operators deciding at once, one wins and the other is told.
  Statement s(db,
              "UPDATE approvals SET state = ?2, decided_by = ?3, decided_at = ?4, reason = ?5 "
              "WHERE announcement_id = ?1 AND state = 'awaiting'",
              "recording an approval");
  s.bind(1, announcement_id).bind(2, to_string(state)).bind(3, operator_name).bind(4, at).bind(5, reason);
  if (s.run() == 0) return false;
  add_event(db, AnnouncementEvent{announcement_id, at, operator_name,
                                  state == ApprovalState::approved ? "approved" : "rejected", reason});
  return true;
}

void add_event(Database& db, const AnnouncementEvent& e) {
  Statement s(db,
              "INSERT INTO announcement_events (announcement_id, at, operator, action, detail) "
              "VALUES (?1, ?2, ?3, ?4, ?5)",
              "recording who did what");
  s.bind(1, e.announcement_id).bind(2, e.at).bind(3, e.operator_name).bind(4, e.action).bind(5, e.detail).run();
}

std::vector<AnnouncementEvent> events(Database& db, const std::string& announcement_id) {
  Statement s(db,
              "SELECT announcement_id, at, operator, action, detail FROM announcement_events "
              "WHERE announcement_id = ?1 ORDER BY id",
              "reading who did what");
  s.bind(1, announcement_id);
  std::vector<AnnouncementEvent> out;
  while (s.step())
    out.push_back(
        AnnouncementEvent{s.column_text(0), s.column_time(1), s.column_text(2), s.column_text(3), s.column_text(4)});
  return out;
}

void approve_entry(Database& db, const ScheduleApproval& a) {
  Statement s(db,
              "INSERT INTO schedule_approvals (entry, digest, approved_by, approved_at) VALUES (?1, ?2, ?3, ?4) "
              "ON CONFLICT (entry) DO UPDATE SET digest = excluded.digest, approved_by = excluded.approved_by, "
              "approved_at = excluded.approved_at",
              "approving a schedule entry");
  s.bind(1, a.entry).bind(2, a.digest).bind(3, a.approved_by).bind(4, a.approved_at).run();
}

std::optional<ScheduleApproval> entry(Database& db, const std::string& entry) {
  Statement s(db, "SELECT entry, digest, approved_by, approved_at FROM schedule_approvals WHERE entry = ?1",
              "reading a schedule entry's approval");
  s.bind(1, entry);
  if (!s.step()) return std::nullopt;
  return ScheduleApproval{s.column_text(0), s.column_text(1), s.column_text(2), s.column_time(3)};
}

}  // namespace approvals

std::optional<Approval> Store::approval(const std::string& announcement_id) const {
  return approvals::find(*db_, announcement_id);
}

std::vector<Approval> Store::awaiting_approval() const { return approvals::awaiting(*db_); }

bool Store::decide_approval(const std::string& announcement_id, ApprovalState state, const std::string& operator_name,
                            const std::string& reason, Clock::time_point at) {
  WriteGuard write(process_write_lock());
  Transaction tx(*db_);
  if (!approvals::decide(*db_, announcement_id, state, operator_name, reason, at)) return false;
  tx.commit();
  return true;
}

void Store::record_event(const AnnouncementEvent& event) {
  WriteGuard write(process_write_lock());
  approvals::add_event(*db_, event);
}

std::vector<AnnouncementEvent> Store::events(const std::string& announcement_id) const {
  return approvals::events(*db_, announcement_id);
}

void Store::approve_schedule_entry(const ScheduleApproval& approval) {
  WriteGuard write(process_write_lock());
  approvals::approve_entry(*db_, approval);
}

std::optional<ScheduleApproval> Store::schedule_approval(const std::string& entry) const {
  return approvals::entry(*db_, entry);
}

std::string Store::status_of(const std::string& announcement_id) const {
  const auto held = approval(announcement_id);
  return approval_status(held ? std::optional(held->state) : std::nullopt,
                         announcement_status(deliveries(announcement_id)));
}

}  // namespace samvad::store
