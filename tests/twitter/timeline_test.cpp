// twitter/timeline: the paths samvad asks for an account's mentions and own posts, and how X's
// pages are read into inbox items.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <samvad/text/timestamp.hpp>
#include <samvad/twitter/timeline.hpp>

using namespace samvad::twitter;
using nlohmann::json;

TEST_CASE("the mentions path asks for every field the inbox keeps, with the cursor when there is one",
          "[twitter][timeline]") {
  CHECK(mentions_path("1001", "", "") ==
        "/2/users/1001/mentions?max_results=100&tweet.fields=created_at%2Cconversation_id%2Cin_reply_to_user_id%2C"
        "referenced_tweets%2Clang%2Cauthor_id&expansions=author_id&user.fields=username%2Cname");
  CHECK_THAT(mentions_path("1001", "1850000000000000000", "7140dibdnow9c7btw3w29"),
             Catch::EndsWith("&since_id=1850000000000000000&pagination_token=7140dibdnow9c7btw3w29"));
  CHECK(own_posts_path("1001", "", "") ==
        "/2/users/1001/tweets?max_results=100&tweet.fields=created_at%2Cconversation_id%2Creferenced_tweets");
}

TEST_CASE("a page of mentions becomes items with their author, reply, conversation and url", "[twitter][timeline]") {
  const json body = json::parse(R"({
    "data": [
      {"id": "1900000000000000002", "text": "@PCMCWater पाणी &amp; नळ &lt;तुटला&gt;", "author_id": "77",
       "created_at": "2026-12-05T08:00:00.000Z", "conversation_id": "1900000000000000001", "lang": "mr",
       "referenced_tweets": [{"type": "quoted", "id": "5"}, {"type": "replied_to", "id": "1900000000000000001"}]},
      {"id": "1900000000000000001", "text": "@PCMCWater hello", "author_id": "78",
       "created_at": "2026-12-05T07:00:00.000Z", "conversation_id": "1900000000000000001", "lang": "en"}
    ],
    "includes": {"users": [{"id": "77", "username": "rahul_k", "name": "राहुल"},
                           {"id": "78", "username": "asha", "name": "Asha"}]},
    "meta": {"result_count": 2, "newest_id": "1900000000000000002", "next_token": "abc"}
  })");
  auto page = parse_timeline_page(body);
  REQUIRE(page);
  REQUIRE(page->posts.size() == 2);
  const auto& first = page->posts[0];
  CHECK(first.channel == "twitter");
  CHECK(first.text == "@PCMCWater पाणी & नळ <तुटला>");
  CHECK(first.author.username == "rahul_k");
  CHECK(first.author.name == "राहुल");
  CHECK(first.language == "mr");
  CHECK(first.in_reply_to == "1900000000000000001");
  CHECK(first.conversation_id == "1900000000000000001");
  CHECK(first.created_at == *samvad::text::parse_iso8601("2026-12-05T08:00:00Z"));
  CHECK(first.url == "https://x.com/rahul_k/status/1900000000000000002");
  CHECK(page->posts[1].in_reply_to.empty());
  CHECK(page->newest_id == "1900000000000000002");
  CHECK(page->next_token == "abc");
}

TEST_CASE("an empty page, and pages that are not X's", "[twitter][timeline]") {
  auto empty = parse_timeline_page(json::parse(R"({"meta": {"result_count": 0}})"));
  REQUIRE(empty);
  CHECK(empty->posts.empty());
  CHECK(empty->newest_id.empty());
  CHECK(empty->next_token.empty());
  CHECK_FALSE(parse_timeline_page(json::parse(R"({"data": {"id": "1"}})")));
  CHECK_FALSE(parse_timeline_page(json::parse(R"({"data": [{"text": "no id"}]})")));
  auto bad_time = parse_timeline_page(json::parse(R"({"data": [{"id": "9", "created_at": "yesterday"}]})"));
  REQUIRE_FALSE(bad_time);
  CHECK_THAT(bad_time.error(), Catch::Contains("post 9 has created_at 'yesterday'"));
}

TEST_CASE("X ids compare as the numbers they are", "[twitter][timeline]") {
  CHECK(newer_id("1900000000000000002", "1900000000000000001"));
  CHECK(newer_id("10", "9"));
  CHECK_FALSE(newer_id("9", "10"));
  CHECK(newer_id("1", ""));
  CHECK_FALSE(newer_id("", ""));
}
