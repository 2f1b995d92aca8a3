// Cron expressions and local times: the input is a cron expression, or "expression NUL time"
// (parse_local_time's forms). Checked: a parsed time prints back as itself (to_iso), and
// next_after gives a later minute that matches, as do the occurrences in the year after.
#include <samvad/schedule/cron.hpp>

#include "support.hpp"

namespace {

using samvad::fuzz::broken;
using samvad::schedule::LocalTime;

void check_time_round_trip(std::string_view text) {
  const std::optional<LocalTime> t = samvad::schedule::parse_local_time(text);
  if (!t) return;
  const std::string iso = samvad::schedule::to_iso(*t);
  if (samvad::schedule::parse_local_time(iso) != t) broken("'" + iso + "' does not parse back to itself");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samvad;
  const std::vector<std::string_view> fields = fuzz::split(fuzz::as_text(data, size), '\0');
  for (std::string_view field : fields) check_time_round_trip(field);

  const auto cron = schedule::CronExpression::parse(fields[0]);
  if (!cron) {
    if (cron.error().empty()) fuzz::broken("a refused expression without a message");
    return 0;
  }
  // The text kept is the expression without surrounding spaces, and parses the same.
  const auto again = schedule::CronExpression::parse(cron->text());
  if (!again || again->text() != cron->text()) broken("'" + cron->text() + "' does not parse back to itself");

  LocalTime after{2026, 11, 28, 8, 24};
  if (fields.size() > 1)
    if (auto t = schedule::parse_local_time(fields[1])) after = *t;
  const std::optional<LocalTime> next = cron->next_after(after);
  if (next) {
    if (!(*next > after))
      broken("next_after(" + schedule::to_iso(after) + ") is not later: " + schedule::to_iso(*next));
    // matches() is false for a minute that does not exist (2026-02-30, 24:00).
    if (!cron->matches(*next)) broken("next_after gives " + schedule::to_iso(*next) + ", which does not match");
  }
  LocalTime year_later = after;
  year_later.year += 1;
  const std::vector<LocalTime> occurrences = schedule::occurrences_between(*cron, after, year_later, 50);
  for (std::size_t i = 0; i < occurrences.size(); ++i) {
    if (!cron->matches(occurrences[i])) broken("occurrence " + schedule::to_iso(occurrences[i]) + " does not match");
    if (i > 0 && !(occurrences[i] > occurrences[i - 1])) broken("occurrences out of order");
  }
  for (const LocalTime& t : occurrences) {
    if (t == after) continue;
    if (!next || t != *next) broken("the first occurrence after " + schedule::to_iso(after) + " is not next_after's");
    break;
  }
  return 0;
}
