// Recognising a post read back from X as exactly the text samvad sent. After a lost answer the
// only way to learn a post's id is to find it among the account's recent posts, and a post that
// merely looks alike (a corrigendum with another link, a neighbouring announcement) must never
// be taken for it: one wrong match records another post's id and the real one is never sent, or
// a later retract deletes the wrong post. So the comparison undoes exactly what X does to a text
// between POST /2/tweets and GET /2/users/:id/tweets, and nothing more:
//   - it normalises the text to NFC;
//   - it replaces every URL twitter-text finds (bare domains too) with a 23-character t.co link,
//     and reports the original in entities.urls[] (url = the t.co link, expanded_url = what was
//     sent, with "http://" put before a URL sent without a scheme);
//   - it HTML-escapes &, < and > in the text (not in the entities).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace samvad::twitter {

// One of X's entities.urls[] of a post (tweet.fields=entities).
struct UrlEntity {
  std::size_t start = 0;     // where the t.co link is in the returned text (X counts code points)
  std::size_t end = 0;       // exclusive
  std::string url;           // the t.co link as it appears in the text
  std::string expanded_url;  // the URL that was sent
};

// Whether `returned`, the text X gives back for a post, with its entities.urls, is the post of
// `sent`. Pure; a returned text whose t.co links are not all explained by `urls` is not the
// post (nothing shows what those links stand for).
bool same_post_text(std::string_view sent, std::string_view returned, const std::vector<UrlEntity>& urls);

}  // namespace samvad::twitter
