// `samvad inbox` (list), `inbox close` and `inbox route` as library calls: what citizens said to
// the departments, from the store, and the actions on an item, each recorded with who and when.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/app/workspace.hpp>
#include <samvad/store/inbox.hpp>

namespace samvad::app {

struct InboxListRequest {
  std::vector<std::string> departments;  // -d; empty: all
  std::vector<store::ItemState> states;  // --open/--answered/--closed; empty: every state (--all)
  std::optional<std::string> since;      // --since YYYY-MM-DD, in the organization's zone
};

struct InboxListing {
  std::string timezone = "Asia/Kolkata";
  bool store_exists = false;
  std::vector<store::InboxItem> items;  // newest first
};

// Throws 64 for an unknown department (with a suggestion) or a --since that is no date.
InboxListing list_inbox(const Workspace& workspace, const InboxListRequest& request);

// The item's response time: its first reply's time less its own; nullopt while unanswered.
std::optional<long long> response_seconds(const store::InboxItem& item);

// `inbox --json`: one object per item (id, department, author, text, language, created_at, url,
// announcement, state, answered_at, response_seconds, reply_ids), times in ISO 8601.
nlohmann::json to_json(const store::InboxItem& item, const std::string& timezone);
nlohmann::json to_json(const InboxListing& listing);

// Item `id` as the store holds it; 65 naming the store when it holds none with that id (a store
// that does not exist is not created for the question).
store::InboxItem held_item(const Workspace& workspace, const std::string& id);

// Closes item `id` with an optional note (65 when the store holds no such item) and returns it
// as it now is.
store::InboxItem close_inbox_item(const Workspace& workspace, const std::string& id, const std::string& note);
// Gives item `id` to `department` (64 for an unknown department, 65 for an unknown item).
store::InboxItem route_inbox_item(const Workspace& workspace, const std::string& id, const std::string& department);

}  // namespace samvad::app
