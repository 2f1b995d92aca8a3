// What one delivery is, for people and scripts: filled from the store (or a plan) by the
// engine, with each channel adding its own fields (Spec::describe, Spec::json).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/store/store.hpp>

namespace samvad::channel {

// One part: a post of a thread, or an email batch (one SMTP transaction).
struct PartReport {
  int index = 0;
  std::string text;            // a post's text; "" for an email batch
  std::size_t recipients = 0;  // an email batch's recipients
  store::PartStatus status = store::PartStatus::pending;
  std::string remote_id;  // tweet id or Message-ID; "" until known
};

// One delivery as `post --json` and `status --json` report it.
struct DeliveryReport {
  std::string department;
  std::string channel;
  std::string language;                // "*" when it carries every language (email) or any (--text)
  std::vector<std::string> languages;  // what it carries: {"mr"}, or the department's for an email
  // Who it went out as: the X account ("@PCMCWaterSupply") or the email list address; "" when
  // not recorded (deliveries planned by samvad before 0.2, emails without a list address).
  std::string account;
  store::DeliveryStatus status = store::DeliveryStatus::pending;
  std::vector<PartReport> parts;
  std::vector<std::string> remote_ids;  // tweet ids or Message-IDs, in order
  std::vector<std::string> urls;        // X: each live post's https://x.com/<account>/status/<id>
  int attempts = 0;
  std::optional<std::string> error;
  // Email: the message (subject, from, to, attachments) as recorded; how many recipients were
  // planned and delivered, and who was refused (5xx) or put off (4xx, tried again by the next run).
  nlohmann::json message;
  std::size_t recipients = 0;
  std::size_t delivered = 0;
  std::vector<std::string> rejected;
  std::vector<std::string> deferred;
};

}  // namespace samvad::channel
