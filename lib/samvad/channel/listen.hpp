// The listening side of a channel: what people said to a department's account since the last
// time (X's mentions), and the account's own posts that answer them. A channel that listens
// gives its Spec a `listener`; `samvad inbox sync` loops over those. What is heard is recorded
// by the store (store/inbox.hpp): each item once, however many syncs see it.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <samvad/channel/retry.hpp>
#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/store/inbox.hpp>
#include <samvad/store/store.hpp>

namespace samvad::channel {

struct ListenContext {
  const config::Department& department;
  const config::Credentials& credentials;
  const RetryPolicy& retry;
  std::function<bool(std::chrono::milliseconds)> sleep;  // false: the run is being stopped
  std::function<void(const std::string&)> note;          // progress detail for -v
  store::Store* store = nullptr;                         // where each billed read is recorded, when given
};

// What one sync of one department's account heard.
struct Heard {
  // New items, with channel, id, author, text, language, times, conversation, in_reply_to and
  // url filled in (heard_by and department are the caller's to set).
  std::vector<store::InboxItem> items;
  std::vector<store::OwnPost> own_posts;  // the account's posts since `from.own_since`
  // The cursors to keep once `items` and `own_posts` are recorded. A cursor moves only when
  // everything up to it was read: after a failure part-way it stays where it was, and the next
  // sync reads the same range again (the store keeps each item once).
  store::ListenState next;
  std::size_t reads = 0;  // items the service returned (what a per-item-read price counts)
  std::size_t requests = 0;
  std::optional<Failure> failure;  // why it stopped early; nullopt when everything was read
  bool stopped = false;            // the run was asked to stop while waiting
};

class Listener {
 public:
  virtual ~Listener() = default;
  virtual Heard listen(const store::ListenState& from, const ListenContext& context) = 0;
};

}  // namespace samvad::channel
