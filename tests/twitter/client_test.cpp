// The X client over real HTTP (the libcurl transport) against samvad-x-standin, which checks
// every OAuth signature as X does and answers in X's shapes; faults are queued through its
// control API.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <samvad/net/http.hpp>
#include <samvad/twitter/client.hpp>

#include "standin/standin_process.hpp"
#include "support/process.hpp"
#include "twitter/images.hpp"

using namespace samvad;
using namespace samvad::twitter;
using nlohmann::json;
namespace images = samvad::test::images;

namespace {

const oauth::Keys water_keys{"standin-ck", "standin-cs", "1001-token", "1001-secret"};

struct Setup {
  test::StandinProcess standin;
  std::unique_ptr<net::HttpClient> http;
  std::unique_ptr<Client> client;

  explicit Setup(const oauth::Keys& keys = water_keys) {
    standin.start();
    net::HttpOptions options = http_options();
    options.total_timeout = std::chrono::seconds(10);
    http = net::make_curl_client(options);
    client = std::make_unique<Client>(*http, Endpoint{standin.base_url(), keys});
    MediaOptions media;
    media.segment_bytes = 1024 * 1024;
    media.sleep = [](std::chrono::seconds) {};  // the stand-in advances processing per STATUS call
    client->set_media_options(media);
  }

  // The stand-in's record of posts with this text (deleted ones too).
  std::vector<json> posts_with(const std::string& text) const {
    std::vector<json> found;
    for (const auto& p : standin.posts())
      if (p["text"] == text) found.push_back(p);
    return found;
  }
  // Every API request the stand-in saw was signed correctly.
  void require_all_signed() const {
    for (const auto& r : standin.requests())
      if (r["path"].get<std::string>().rfind("/oauth/authorize", 0) != 0) CHECK(r["auth"] == "ok");
  }
};

}  // namespace

TEST_CASE("posts and threads reach the stand-in signed, and read back newest first", "[twitter][standin]") {
  Setup s;
  auto me = s.client->me();
  REQUIRE(me);
  CHECK(me->id == "1001");
  CHECK(me->username == "PCMCWaterSupply");
  CHECK(me->name == "PCMC Water Supply");

  auto first = s.client->create_post("पाणीपुरवठा खंडित: १/२", std::nullopt, {});
  REQUIRE(first);
  CHECK(first->text == "पाणीपुरवठा खंडित: १/२");
  auto second = s.client->create_post("पाणीपुरवठा खंडित: २/२", first->id, {});
  REQUIRE(second);
  auto stored = s.posts_with("पाणीपुरवठा खंडित: २/२");
  REQUIRE(stored.size() == 1);
  CHECK(stored[0]["reply_to"] == first->id);
  CHECK(stored[0]["user_id"] == "1001");

  auto recent = s.client->recent_posts("1001", 10);
  REQUIRE(recent);
  REQUIRE(recent->size() == 2);
  CHECK((*recent)[0].id == second->id);
  CHECK((*recent)[1].id == first->id);
  s.require_all_signed();
  for (const auto& r : s.standin.requests())
    if (r["path"] == "/2/users/1001/tweets") CHECK(r["query"]["max_results"] == "10");
}

TEST_CASE("a deleted post is gone, deleting it again is not_found", "[twitter][standin]") {
  Setup s;
  auto post = s.client->create_post("रस्ता बंद", std::nullopt, {});
  REQUIRE(post);
  auto deleted = s.client->delete_post(post->id);
  REQUIRE(deleted);
  CHECK(*deleted);
  CHECK(s.posts_with("रस्ता बंद").at(0)["deleted"] == true);
  auto again = s.client->delete_post(post->id);
  REQUIRE_FALSE(again);
  CHECK(again.error().kind == ApiError::Kind::not_found);
  CHECK(again.error().status == 404);
  REQUIRE(s.client->recent_posts("1001"));
  CHECK(s.client->recent_posts("1001")->empty());
}

TEST_CASE("the same text twice is a duplicate", "[twitter][standin]") {
  Setup s;
  REQUIRE(s.client->create_post("Water supply restored", std::nullopt, {}));
  auto twice = s.client->create_post("Water supply restored", std::nullopt, {});
  REQUIRE_FALSE(twice);
  CHECK(twice.error().kind == ApiError::Kind::duplicate);
  CHECK(twice.error().status == 403);
  CHECK(s.posts_with("Water supply restored").size() == 1);
}

TEST_CASE("a 503 is transient and a 429 is rate_limited until X's reset time", "[twitter][standin]") {
  Setup s;
  s.standin.add_faults(json::array(
      {json{{"path", "/2/tweets"}, {"status", 503}}, json{{"path", "/2/tweets"}, {"status", 429}, {"reset_in", 120}}}));
  auto unavailable = s.client->create_post("Health camp on Sunday", std::nullopt, {});
  REQUIRE_FALSE(unavailable);
  CHECK(unavailable.error().kind == ApiError::Kind::transient);
  CHECK(unavailable.error().status == 503);

  auto before = std::chrono::system_clock::now();
  auto limited = s.client->create_post("Health camp on Sunday", std::nullopt, {});
  REQUIRE_FALSE(limited);
  CHECK(limited.error().kind == ApiError::Kind::rate_limited);
  REQUIRE(limited.error().reset_at);
  CHECK(*limited.error().reset_at >= before + std::chrono::seconds(118));
  CHECK(*limited.error().reset_at <= std::chrono::system_clock::now() + std::chrono::seconds(121));
  CHECK(s.posts_with("Health camp on Sunday").empty());

  REQUIRE(s.client->create_post("Health camp on Sunday", std::nullopt, {}));
}

TEST_CASE("a post whose answer is lost is ambiguous, exists once, and is not re-sent behind our back",
          "[twitter][standin]") {
  Setup s;
  // A GET first leaves a kept-alive connection in libcurl's cache: the POST must not reuse it,
  // or libcurl would re-send it on its own after the drop and publish twice.
  REQUIRE(s.client->me());
  s.standin.add_faults(json{{"path", "/2/tweets"}, {"action", "drop_after_create"}});
  auto lost = s.client->create_post("Property tax due 31 March", std::nullopt, {});
  REQUIRE_FALSE(lost);
  CHECK(lost.error().kind == ApiError::Kind::ambiguous);
  CHECK(lost.error().status == 0);
  auto stored = s.posts_with("Property tax due 31 March");
  REQUIRE(stored.size() == 1);
  CHECK(stored[0]["deleted"] == false);
  int creates = 0;
  for (const auto& r : s.standin.requests()) creates += r["method"] == "POST" && r["path"] == "/2/tweets";
  CHECK(creates == 1);

  // The caller can settle it from the account's recent posts.
  auto recent = s.client->recent_posts("1001");
  REQUIRE(recent);
  REQUIRE(recent->size() == 1);
  CHECK(recent->front().text == "Property tax due 31 March");
}

TEST_CASE("a connection dropped before the post was made is still ambiguous: the client cannot tell",
          "[twitter][standin]") {
  Setup s;
  s.standin.add_faults(json{{"path", "/2/tweets"}, {"action", "drop"}});
  auto lost = s.client->create_post("Road closed near Nigdi", std::nullopt, {});
  REQUIRE_FALSE(lost);
  CHECK(lost.error().kind == ApiError::Kind::ambiguous);
  CHECK(s.posts_with("Road closed near Nigdi").empty());
}

TEST_CASE("nothing listening is transient: the post certainly was not made", "[twitter][standin]") {
  // A port that was free a moment ago (bound, then released).
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  auto http = net::make_curl_client(http_options());
  Client client(*http, Endpoint{"http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)), water_keys});
  auto refused = client.create_post("Anyone there?", std::nullopt, {});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == ApiError::Kind::transient);
  CHECK(refused.error().status == 0);
}

TEST_CASE("a small image uploads in one request with its alt text and can be attached", "[twitter][standin]") {
  Setup s;
  test::TempDir dir;
  auto id =
      s.client->upload_media(MediaUpload{dir.write("notice.png", images::png_1x1()), "Water cut notice, ward 12"});
  REQUIRE(id);
  auto media = s.standin.media();
  REQUIRE(media.size() == 1);
  CHECK(media[0]["id"] == *id);
  CHECK(media[0]["chunked"] == false);
  CHECK(media[0]["media_category"] == "tweet_image");
  CHECK(media[0]["media_type"] == "image/png");
  CHECK(media[0]["size"] == images::png_1x1().size());
  CHECK(media[0]["alt_text"] == "Water cut notice, ward 12");
  auto post = s.client->create_post("Water cut in ward 12", std::nullopt, {*id});
  REQUIRE(post);
  CHECK(s.posts_with("Water cut in ward 12").at(0)["media_ids"] == json::array({*id}));
  s.require_all_signed();
}

TEST_CASE("an image over 5 MB goes up in 1 MB segments", "[twitter][standin]") {
  Setup s;
  test::TempDir dir;
  std::string big = images::png_1x1() + std::string(5 * 1024 * 1024 + 100, '\x42');
  auto id =
      s.client->upload_media(MediaUpload{dir.write("ward-map.png", big), "Map of ward 12 with the affected streets"});
  REQUIRE(id);
  auto media = s.standin.media();
  REQUIRE(media.size() == 1);
  CHECK(media[0]["chunked"] == true);
  CHECK(media[0]["media_category"] == "tweet_image");
  CHECK(media[0]["total_bytes"] == big.size());
  CHECK(media[0]["size"] == big.size());
  CHECK(media[0]["segments"] == 6);
  CHECK(media[0]["state"] == "succeeded");  // the stand-in processes files over 5 MB: polled until done
  CHECK(media[0]["alt_text"] == "Map of ward 12 with the affected streets");
  REQUIRE(s.client->create_post("Affected streets", std::nullopt, {*id}));
}

TEST_CASE("an animated GIF is a tweet_gif, polled through processing before its alt text", "[twitter][standin]") {
  Setup s;
  test::TempDir dir;
  auto id = s.client->upload_media(MediaUpload{dir.write("loop.gif", images::gif_animated()), "Blinking warning sign"});
  REQUIRE(id);
  auto media = s.standin.media();
  REQUIRE(media.size() == 1);
  CHECK(media[0]["chunked"] == true);
  CHECK(media[0]["media_category"] == "tweet_gif");
  CHECK(media[0]["media_type"] == "image/gif");
  CHECK(media[0]["state"] == "succeeded");
  CHECK(media[0]["alt_text"] == "Blinking warning sign");
  int polls = 0;
  for (const auto& r : s.standin.requests())
    polls += r["method"] == "GET" && r["query"].value("command", "") == "STATUS";
  CHECK(polls == 2);  // pending -> in_progress -> succeeded
  REQUIRE(s.client->create_post("Warning", std::nullopt, {*id}));
}

TEST_CASE("alt text that is missing or too long sends nothing to X", "[twitter][standin]") {
  Setup s;
  test::TempDir dir;
  auto file = dir.write("notice.png", images::png_1x1());
  CHECK(s.client->upload_media(MediaUpload{file, ""}).error().kind == ApiError::Kind::rejected);
  CHECK(s.client->upload_media(MediaUpload{file, std::string(1001, 'a')}).error().kind == ApiError::Kind::rejected);
  CHECK(s.standin.requests().empty());
}

TEST_CASE("the PIN flow yields the account's access token", "[twitter][standin]") {
  Setup s(oauth::Keys{"standin-ck", "standin-cs", "", ""});
  auto request = s.client->request_token();
  REQUIRE(request);
  CHECK_FALSE(request->first.empty());

  std::string url = s.client->authorize_url(request->first);
  CHECK_THAT(url, Catch::StartsWith(s.standin.base_url() + "/oauth/authorize?oauth_token="));
  net::HttpRequest page;
  page.url = url;
  auto shown = s.http->send(page);
  REQUIRE(shown);
  CHECK(shown->status == 200);
  CHECK_THAT(shown->body, Catch::Contains("1234567"));

  SECTION("the right PIN") {
    auto access = s.client->access_token(request->first, request->second, "1234567");
    REQUIRE(access);
    CHECK(access->token == "1001-token");
    CHECK(access->secret == "1001-secret");
    CHECK(access->user_id == "1001");
    CHECK(access->screen_name == "PCMCWaterSupply");

    // The tokens work, and the request token is spent.
    Client as_water(*s.http,
                    Endpoint{s.standin.base_url(), {"standin-ck", "standin-cs", access->token, access->secret}});
    REQUIRE(as_water.me());
    CHECK(as_water.me()->id == "1001");
    s.require_all_signed();
    auto reused = s.client->access_token(request->first, request->second, "1234567");
    REQUIRE_FALSE(reused);
    CHECK(reused.error().kind == ApiError::Kind::rejected);
  }
  SECTION("a wrong PIN is rejected") {
    auto wrong = s.client->access_token(request->first, request->second, "7654321");
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().kind == ApiError::Kind::rejected);
    CHECK(wrong.error().status == 401);
  }
}

TEST_CASE("wrong credentials are a rejection, not something to retry", "[twitter][standin]") {
  Setup s(oauth::Keys{"standin-ck", "standin-cs", "1001-token", "not-the-secret"});
  auto me = s.client->me();
  REQUIRE_FALSE(me);
  CHECK(me.error().kind == ApiError::Kind::rejected);
  CHECK(me.error().status == 401);
  CHECK(me.error().detail == "Unauthorized");
}

TEST_CASE("the client reports each request X bills as it is answered, and none it refused",
          "[twitter][standin][prices]") {
  Setup s;
  std::vector<std::pair<std::string, long long>> billed;
  s.client->on_billed([&](Billed kind, long long quantity) { billed.emplace_back(to_string(kind), quantity); });
  using Bill = std::pair<std::string, long long>;

  REQUIRE(s.client->create_post("Water cut in ward 12", std::nullopt, {}));
  REQUIRE(s.client->create_post("Details: https://www.pcmcindia.gov.in/notices", std::nullopt, {}));
  CHECK(billed == std::vector<Bill>{{"post", 1}, {"post_with_url", 1}});

  // Refused (a duplicate, a 503): X made nothing and bills nothing.
  billed.clear();
  REQUIRE_FALSE(s.client->create_post("Water cut in ward 12", std::nullopt, {}));
  s.standin.add_faults(json{{"path", "/2/tweets"}, {"status", 503}});
  REQUIRE_FALSE(s.client->create_post("Health camp on Sunday", std::nullopt, {}));
  CHECK(billed.empty());

  // An answer lost: the post may be made, and billed.
  s.standin.add_faults(json{{"path", "/2/tweets"}, {"action", "drop_after_create"}});
  REQUIRE_FALSE(s.client->create_post("Property tax due 31 March", std::nullopt, {}));
  CHECK(billed == std::vector<Bill>{{"post", 1}});

  // Owned reads by the item; an image's alt text once (its upload is not billed).
  billed.clear();
  REQUIRE(s.client->me());
  auto recent = s.client->recent_posts("1001");
  REQUIRE(recent);
  REQUIRE(recent->size() == 3);
  test::TempDir dir;
  REQUIRE(s.client->upload_media(MediaUpload{dir.write("notice.png", images::png_1x1()), "Water cut notice"}));
  CHECK(billed == std::vector<Bill>{{"read", 1}, {"read", 3}, {"media_metadata", 1}});
}
