// What one delivery is, for people and scripts: filled from the store (or a plan) by the
// engine, with each channel adding its own fields (Spec::describe, Spec::json).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/store/store.hpp>

namespace samvad::channel {

// One part: what one request sends (a post of a thread, an email batch, a notice page).
struct PartReport {
  int index = 0;
  std::string text;            // the part's text when it is shown as such (a post); "" otherwise
  std::size_t recipients = 0;  // how many recipients the part reaches, for a channel that records them
  store::PartStatus status = store::PartStatus::pending;
  std::string remote_id;  // what the other side calls it (a post id, a Message-ID); "" until known
};

// One delivery as `post --json` and `status --json` report it.
struct DeliveryReport {
  std::string department;
  std::string channel;
  std::string language;                // "*" when it carries every language (email) or any (--text)
  std::vector<std::string> languages;  // what it carries: {"mr"}, or the department's for an email
  // Who it went out as, in the channel's words (an X account "@PCMCWaterSupply", a list
  // address); "" when not recorded.
  std::string account;
  store::DeliveryStatus status = store::DeliveryStatus::pending;
  std::vector<PartReport> parts;
  std::vector<std::string> remote_ids;  // each part's remote id, in order
  std::vector<std::string> urls;        // where each live part can be seen, when the channel knows
  int attempts = 0;
  std::optional<std::string> error;
  // Deferred by a rate limit: no run sends anything of it before this.
  std::optional<std::chrono::system_clock::time_point> retry_at;
  // The channel's own view of the recorded content (Spec::describe fills it, Spec::json reads
  // it): an email's subject, sender and attachments, a notice's page.
  nlohmann::json content;
  // For a channel that records recipients: how many were planned and delivered, and who was
  // refused for good or put off (tried again by the next run).
  std::size_t recipients = 0;
  std::size_t delivered = 0;
  std::vector<std::string> rejected;
  std::vector<std::string> deferred;
};

}  // namespace samvad::channel
