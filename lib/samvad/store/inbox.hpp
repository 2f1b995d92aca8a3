// The inbox's records (schema 6): what citizens said to the departments' accounts, who holds
// each item, and how it was answered. A channel that listens (X's mentions) fills InboxItem and
// OwnPost; the store keeps each item once, whatever number of syncs see it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace samvad::store {

enum class ItemState { open, answered, closed };
std::string to_string(ItemState s);  // "open", "answered", "closed"
std::optional<ItemState> parse_item_state(std::string_view s);

struct Author {
  std::string id;
  std::string username;  // without '@'
  std::string name;
};

struct InboxItem {
  std::string channel;
  std::string id;          // the channel's id for it (a post id), unique within the channel
  std::string heard_by;    // the department whose account was addressed
  std::string department;  // the department that holds it (routed from a catch-all account, or re-routed)
  Author author;
  std::string text;
  std::string language;  // as the channel detected it ("mr", "en", "und"), "" when unknown
  std::chrono::system_clock::time_point created_at;
  std::string conversation_id;  // the post that started the conversation it is in
  std::string in_reply_to;      // the post it answers, "" when none
  std::string
      announcement_id;    // the announcement whose post it answers (in_reply_to or its conversation), "" when none
  std::string url;        // where people read it
  std::string routed_by;  // why `department` holds it: "keyword पाणी", "routed by ...", "" when heard there
  ItemState state = ItemState::open;
  std::optional<std::chrono::system_clock::time_point> answered_at;  // the first reply
  std::optional<std::chrono::system_clock::time_point> closed_at;
  std::string close_note;
  std::vector<std::string> reply_ids;  // the department's replies, oldest first
  std::chrono::system_clock::time_point recorded_at;
};

// A post of a department's own account, as a listening channel reads them back: a reply made
// from the channel's own app answers the item it replies to.
struct OwnPost {
  std::string id;
  std::string in_reply_to;  // "" when it is no reply
  std::string conversation_id;
  std::chrono::system_clock::time_point created_at;
};

// How far a department's account has been read: the channel's own cursors, opaque to the store.
struct ListenState {
  std::string account_id;   // the account's id on the channel (asked once, then kept)
  std::string heard_since;  // the newest item heard: the next sync asks only for newer ones
  std::string own_since;    // the newest own post read
};

struct InboxQuery {
  std::vector<std::string> departments;                        // empty: all
  std::vector<ItemState> states;                               // empty: all
  std::optional<std::chrono::system_clock::time_point> since;  // created at or after
};

// Who did what to an item, in order: "routed" (detail: the department), "closed" (the note).
struct InboxEvent {
  std::chrono::system_clock::time_point at;
  std::string operator_name;
  std::string action;
  std::string detail;
};

}  // namespace samvad::store
