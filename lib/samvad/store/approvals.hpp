// The SQL of approvals and announcement events (tables of schema 10), as functions of one
// database connection, so the same statements run on the embedded SQLite file and on a
// PostgreSQL server. Store's approval methods (store.hpp) are these inside a transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <samvad/store/database.hpp>
#include <samvad/store/store.hpp>

namespace samvad::store::approvals {

// Holds the announcement (already recorded) for approval; an existing approval is kept.
void insert(Database& db, const Approval& approval);
std::optional<Approval> find(Database& db, const std::string& announcement_id);
std::vector<Approval> awaiting(Database& db);  // oldest first
// awaiting -> `state`, with its event; false when it was not awaiting.
bool decide(Database& db, const std::string& announcement_id, ApprovalState state, const std::string& operator_name,
            const std::string& reason, Clock::time_point at);
void add_event(Database& db, const AnnouncementEvent& event);
std::vector<AnnouncementEvent> events(Database& db, const std::string& announcement_id);
void approve_entry(Database& db, const ScheduleApproval& approval);
std::optional<ScheduleApproval> entry(Database& db, const std::string& entry);

}  // namespace samvad::store::approvals
