// Reading an account's timelines from X API v2, for the inbox: the posts that mention it
// (GET /2/users/:id/mentions) and its own posts (GET /2/users/:id/tweets), a page at a time,
// newest first. Pure: the paths to ask and the reading of X's answers, unit-tested.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/core/result.hpp>
#include <samvad/store/inbox.hpp>

namespace samvad::twitter {

inline constexpr int kPageSize = 100;  // X's most per page for both timelines

// One page as samvad keeps it: each post as an inbox item (channel "twitter", author from
// includes.users, text with X's &amp; &lt; &gt; undone, url https://x.com/<username>/status/<id>).
struct TimelinePage {
  std::vector<store::InboxItem> posts;
  std::string newest_id;   // meta.newest_id ("" on an empty page)
  std::string next_token;  // meta.next_token: "" on the last page
};

// "/2/users/<id>/mentions?max_results=100&tweet.fields=...&expansions=author_id&user.fields=username,name"
// plus since_id and pagination_token when given (each percent-encoded).
std::string mentions_path(const std::string& user_id, const std::string& since_id, const std::string& pagination_token);
// "/2/users/<id>/tweets?max_results=100&tweet.fields=created_at,conversation_id,referenced_tweets" plus the same.
std::string own_posts_path(const std::string& user_id, const std::string& since_id,
                           const std::string& pagination_token);

// Reads a page; an error (what is wrong with it) when it is not shaped as X's: data not a list,
// a post without an id, a created_at that is no ISO 8601 instant.
Result<TimelinePage, std::string> parse_timeline_page(const nlohmann::json& body);

// Which of two X ids is newer: ids are decimal snowflakes, longer is larger.
bool newer_id(const std::string& a, const std::string& b);

}  // namespace samvad::twitter
