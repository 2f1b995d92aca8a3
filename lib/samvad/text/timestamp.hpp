// Instants shown to people and read from them, in the organization's time zone (ICU), for
// history listings and --since.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <samvad/text/localize.hpp>

namespace samvad::text {

// "2026-12-03 09:05" in `timezone` (an IANA name such as Asia/Kolkata).
std::string format_timestamp(std::chrono::system_clock::time_point t, const std::string& timezone);

// "2026-12-05T00:56:00+05:30": ISO 8601 with the offset `timezone` has at that instant, the
// one shape every time in samvad's --json output takes.
std::string format_iso8601(std::chrono::system_clock::time_point t, const std::string& timezone);

// The instant an API wrote as ISO 8601 with a zone designator ("2026-12-05T04:30:00.000Z",
// "2026-12-05T10:00:00+05:30"; fractions of a second optional); nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

// The first instant of `date` in `timezone`; the clock's first or last instant for a date
// beyond what it counts.
std::chrono::system_clock::time_point start_of_day(const CivilDate& date, const std::string& timezone);

}  // namespace samvad::text
