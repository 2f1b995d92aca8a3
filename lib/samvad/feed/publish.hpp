// The feed channel's two operations, as the delivery engine's adapter calls them: publish an
// announcement (its page, its entries in the department's feed and in the corporation's) and
// withdraw it (retract). Both are idempotent: a rerun changes no byte and no modification time.
//
// Layout, for the department "water-supply" and announcement "ann-17":
//   <department dir>/water-supply/ann-17.html   <department base_url>/water-supply/ann-17.html
//   <department dir>/water-supply/feed.atom     its feed
//   <corporation dir>/feed.atom                 every department's notices
// The corporation's settings are the top-level `feed:` block; a department that overrides dir or
// base_url has its pages and its own feed there, and its notices still in the corporation feed.
#pragma once

#include <filesystem>
#include <string>

#include <samvad/feed/page.hpp>
#include <samvad/feed/settings.hpp>

namespace samvad::feed {

struct PublishResult {
  std::string page_url;  // what {{feed.url}} shows
  std::filesystem::path page;
  std::filesystem::path department_feed;
  std::filesystem::path corporation_feed;
  bool changed = false;  // whether any of the three files was written (false on a rerun)
};

// The page's URL: "<base_url>/<department>/<announcement id>.html". Pure. Throws Error (65) for an
// id that cannot be a file name (see check_ids).
std::string page_url(const FeedSettings& department_feed, const std::string& department_id,
                     const std::string& announcement_id);

// Department ids are [a-z0-9][a-z0-9-]{0,62} (as departments.yaml requires), announcement ids
// [A-Za-z0-9._@:-]{1,128} and neither "." nor ".." nor starting with '.': both become names of
// files and folders. Throws Error (65) naming the id otherwise.
void check_ids(const std::string& department_id, const std::string& announcement_id);

// Writes the page first, then the two feeds (so no feed links to a page not yet there), each
// atomically, each feed under its folder's lock. Throws Error: 65 for a notice without
// languages, a bad id, or an existing feed file that samvad did not write (left untouched);
// 73/77 when a file cannot be written.
PublishResult publish(const FeedSettings& department_feed, const FeedSettings& corporation_feed, const Notice& notice);

// Removes the announcement's entries from both feeds, then its page. Already gone is fine.
// Returns whether anything was removed. Same errors as publish.
bool withdraw(const FeedSettings& department_feed, const FeedSettings& corporation_feed,
              const std::string& department_id, const std::string& announcement_id);

}  // namespace samvad::feed
