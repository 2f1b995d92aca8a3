// The daily digest a department head gets (samvad digest): what citizens said to the
// department in the period and what is still open, oldest first, in each of the department's
// languages. Pure: the message from the items and the moment.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <samvad/config/config.hpp>
#include <samvad/store/inbox.hpp>
#include <samvad/templates/render.hpp>

namespace samvad::inbox {

struct DigestFigures {
  std::size_t new_items = 0;                 // made in the period
  std::size_t answered = 0;                  // answered in the period
  std::size_t open = 0;                      // open now
  std::size_t open_over_24h = 0;             // open now and older than a day
  std::vector<store::InboxItem> open_items;  // oldest first
};

// The figures for one department from its items (`items`: every item it holds that is open, or
// was made or answered in the period).
DigestFigures digest_figures(const std::vector<store::InboxItem>& items, std::chrono::system_clock::time_point since,
                             std::chrono::system_clock::time_point now);

// Whether there is anything to tell: no open items and nothing new means no email.
inline bool worth_sending(const DigestFigures& f) { return f.open > 0 || f.new_items > 0; }

// The digest as a message: subject, text and html per language (Marathi and English wording; a
// department language without its own wording gets the English), citizens' words escaped in html.
templates::Message digest_message(const config::Department& department, const config::Config& config,
                                  const DigestFigures& figures, std::chrono::system_clock::time_point since,
                                  std::chrono::system_clock::time_point now);

}  // namespace samvad::inbox
